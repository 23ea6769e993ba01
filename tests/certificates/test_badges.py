"""Open Badges 3.0: the eddsa-rdfc-2022 proof (the W3C test vector byte for byte), tampering,
undefined fields, the closed document loader, the status list and the public endpoints."""

import copy
import hashlib
import json

import pytest
from pyld import jsonld

from certificates import badges

# The W3C vc-di-eddsa test vector for eddsa-rdfc-2022 (TestVectors/keyPair.json and
# TestVectors/eddsa-rdfc-2022/ in w3c/vc-di-eddsa at commit
# 6767a890dc27fe37a024e2554f16c11a2af05896, whose signedDataInt.json, proofHashDataInt.txt and
# combinedHashDataInt.txt agree; the spec's "Representation: eddsa-rdfc-2022").
VECTOR_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
VECTOR_PRIVATE_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
VECTOR_EXAMPLES_CONTEXT = {
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}
VECTOR_UNSIGNED = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2",
    ],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
VECTOR_VERIFICATION_METHOD = (
    "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
)
VECTOR_CREATED = "2023-02-24T23:36:38Z"
VECTOR_CANONICAL_DOCUMENT = (
    '<did:example:abcdefgh> <https://www.w3.org/ns/credentials/examples#alumniOf> "The School of Examples" .\n'  # noqa: E501
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .\n"  # noqa: E501
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/examples#AlumniCredential> .\n"  # noqa: E501
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/description> "A minimum viable example of an Alumni Credential." .\n'  # noqa: E501
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://schema.org/name> "Alumni Credential" .\n'  # noqa: E501
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:abcdefgh> .\n"  # noqa: E501
    "<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#issuer> <https://vc.example/issuers/5678> .\n"  # noqa: E501
    '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33> <https://www.w3.org/2018/credentials#validFrom> "2023-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'  # noqa: E501
)  # noqa: E501
VECTOR_CANONICAL_PROOF = (  # noqa: E501
    '_:c14n0 <http://purl.org/dc/terms/created> "2023-02-24T23:36:38Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n'  # noqa: E501
    "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .\n"  # noqa: E501
    '_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> .\n'  # noqa: E501
    "_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .\n"  # noqa: E501
    "_:c14n0 <https://w3id.org/security#verificationMethod> <https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2> .\n"  # noqa: E501
)
VECTOR_PROOF_HASH = "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
VECTOR_COMBINED_HASH = (
    "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
    "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
)
VECTOR_PROOF_VALUE = (
    "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
)

vector_loader = badges.make_document_loader(VECTOR_EXAMPLES_CONTEXT)


def _vector_key_resolver(verification_method):
    if verification_method == VECTOR_VERIFICATION_METHOD:
        return badges.public_key_from_multibase(VECTOR_PUBLIC_KEY)
    return None


def _vector_signed():
    return badges.sign(
        VECTOR_UNSIGNED,
        private_key=badges.private_key_from_text(VECTOR_PRIVATE_KEY),
        verification_method=VECTOR_VERIFICATION_METHOD,
        created=VECTOR_CREATED,
        loader=vector_loader,
    )


def test_key_pair_of_the_vector_round_trips():
    key = badges.private_key_from_text(VECTOR_PRIVATE_KEY)
    assert badges.public_key_multibase(key.public_key()) == VECTOR_PUBLIC_KEY


def test_w3c_eddsa_rdfc_2022_vector_byte_for_byte():
    signed = _vector_signed()
    proof = signed["proof"]
    document = badges.unsecured(signed)

    assert badges.canonical_nquads(document, loader=vector_loader) == VECTOR_CANONICAL_DOCUMENT
    assert (
        badges.canonical_nquads(badges.proof_configuration(document, proof), loader=vector_loader)
        == VECTOR_CANONICAL_PROOF
    )
    proof_hash, document_hash = badges.hash_data(document, proof, loader=vector_loader)
    assert proof_hash.hex() == VECTOR_PROOF_HASH
    assert document_hash.hex() == hashlib.sha256(VECTOR_CANONICAL_DOCUMENT.encode()).hexdigest()
    assert (proof_hash + document_hash).hex() == VECTOR_COMBINED_HASH
    assert proof == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": VECTOR_CREATED,
        "verificationMethod": VECTOR_VERIFICATION_METHOD,
        "proofPurpose": "assertionMethod",
        "proofValue": VECTOR_PROOF_VALUE,
    }
    assert badges.verify(signed, resolve_key=_vector_key_resolver, loader=vector_loader)


def test_vector_with_tampered_statement_fails():
    signed = _vector_signed()
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert not badges.verify(signed, resolve_key=_vector_key_resolver, loader=vector_loader)


def test_proof_by_an_unknown_key_fails():
    signed = _vector_signed()
    signed["proof"]["verificationMethod"] = "https://elsewhere.example/key"
    assert not badges.verify(signed, resolve_key=_vector_key_resolver, loader=vector_loader)


def _open_badge(**subject_extra):
    return {
        "@context": badges.CREDENTIAL_CONTEXT,
        "id": "urn:uuid:0e9bd4a4-3f64-4f0c-9a39-6f5a8a9f3e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://kurs.example/badges/issuer.json", "type": "Profile", "name": "X"},
        "validFrom": "2026-03-01T10:00:00Z",
        "name": "Kurs 2026",
        "credentialSubject": {
            "type": "AchievementSubject",
            "achievement": {
                "id": "https://kurs.example/kurs/",
                "type": "Achievement",
                "name": "Kurs 2026",
                "description": "Fire moduler",
                "criteria": {"narrative": "Alle moduler fullført"},
            },
            "creditsEarned": 2.0,
            **subject_extra,
        },
    }


def _own_key():
    return badges.private_key_from_text(badges.new_private_key_text())


def test_open_badge_sign_verify_and_tampered_credits_fail():
    key = _own_key()
    signed = badges.sign(
        _open_badge(),
        private_key=key,
        verification_method=badges.did_key_verification_method(key.public_key()),
        created="2026-03-01T10:00:00Z",
    )
    assert signed["proof"]["proofValue"].startswith("z")
    assert badges.verify(signed, resolve_key=badges.did_key_resolver)

    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["creditsEarned"] = 20.0
    assert not badges.verify(tampered, resolve_key=badges.did_key_resolver)


@pytest.mark.parametrize(
    "extra",
    [
        {"favouriteColour": "blue"},  # would land under the issuer-dependent @vocab
        {"type": ["AchievementSubject", "Superstar"]},  # an undefined type
    ],
)
def test_undefined_field_is_rejected_not_signed(extra):
    key = _own_key()
    with pytest.raises(badges.BadgeError, match="not defined"):
        badges.sign(
            _open_badge(**extra),
            private_key=key,
            verification_method=badges.did_key_verification_method(key.public_key()),
            created="2026-03-01T10:00:00Z",
        )


def test_term_dropped_by_expansion_is_rejected():
    # The Multikey context has no @vocab: an unknown term is dropped by expansion.
    key_document = {
        "@context": badges.MULTIKEY_V1,
        "id": "https://kurs.example/badges/key.json",
        "type": "Multikey",
        "controller": "https://kurs.example/badges/issuer.json",
        "publicKeyMultibase": VECTOR_PUBLIC_KEY,
        "nickname": "main key",
    }
    assert badges.undefined_terms(key_document) == ["nickname"]
    with_nickname = badges.canonical_nquads(key_document)
    del key_document["nickname"]
    assert badges.undefined_terms(key_document) == []
    # Why it is refused: the dropped term is not in what a signature covers.
    assert badges.canonical_nquads(key_document) == with_nickname


def test_added_undefined_field_makes_a_signed_credential_fail():
    key = _own_key()
    signed = badges.sign(
        _open_badge(),
        private_key=key,
        verification_method=badges.did_key_verification_method(key.public_key()),
        created="2026-03-01T10:00:00Z",
    )
    signed["credentialSubject"]["note"] = "added later"
    assert not badges.verify(signed, resolve_key=badges.did_key_resolver)


def test_loader_refuses_every_other_url():
    with pytest.raises(badges.BadgeError, match="refused"):
        badges.document_loader("https://www.w3.org/2018/credentials/v1")
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/context.json"],
        "type": "VerifiableCredential",
    }
    with pytest.raises(badges.BadgeError):
        badges.canonical_nquads(document)
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(document, {"documentLoader": badges.document_loader})


def test_loader_serves_bundled_contexts_and_checks_their_hash(monkeypatch, tmp_path):
    served = badges.document_loader(badges.OB_V3)
    assert "AchievementSubject" in served["document"]["@context"]

    # A bundled file that no longer matches its pinned hash is refused.
    changed = tmp_path / "ob-v3p0-context-3.0.3.json"
    changed.write_bytes((badges.CONTEXTS_DIR / "ob-v3p0-context-3.0.3.json").read_bytes() + b" ")
    monkeypatch.setattr(badges, "CONTEXTS_DIR", tmp_path)
    badges._bundled_document.cache_clear()
    try:
        with pytest.raises(badges.BadgeError, match="pinned SHA-256"):
            badges.document_loader(badges.OB_V3)
    finally:
        monkeypatch.undo()
        badges._bundled_document.cache_clear()


def test_signing_key_text_forms():
    key = _own_key()
    text = badges.private_key_to_text(key)
    assert badges.public_key_multibase(badges.private_key_from_text(text).public_key()) == (
        badges.public_key_multibase(key.public_key())
    )
    # A base64url seed may start with "z" without being multibase.
    seed_with_z = "z" + badges.private_key_to_text(key)[1:]
    assert badges.private_key_from_text(seed_with_z)
    with pytest.raises(badges.BadgeError):
        badges.private_key_from_text("too-short")
    with pytest.raises(badges.BadgeError):
        badges.private_key_from_text("")


def test_status_list_bits():
    encoded = badges.status_list_encode({3, 70000})
    assert encoded.startswith("u")
    assert badges.status_list_bit(encoded, 3)
    assert badges.status_list_bit(encoded, 70000)
    assert not badges.status_list_bit(encoded, 4)
    assert not badges.status_list_bit(encoded, 0)
    # Deterministic bytes: the list credential's signature stays the same between requests.
    assert encoded == badges.status_list_encode([70000, 3])


# --- a real certificate ------------------------------------------------------------------------


@pytest.fixture
def certificate(db):
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from accounts.services import learner_profile_update
    from certificates import services
    from certificates.activities import CompletedActivity

    user = get_user_model().objects.create_user("kari", email="kari@example.no")
    learner_profile_update(user=user, full_name="Kari Nordmann", profession=None, workplace="")
    activity = CompletedActivity(
        key="course:41", kind="course", title="Riktig antibiotikabruk i sykehjem",
        edition_year=2026, hours_individual=Decimal("2.0"), hours_together=Decimal("0.5"),
        completed_on=date(2026, 11, 30), content_revision="17", url="http://testserver/kurs/",
    )  # fmt: skip
    return services.certificate_issue(user=user, activity=activity)


def _download(client, certificate):
    client.force_login(certificate.holder)
    response = client.get(f"/kursbevis/{certificate.uuid}/badge.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


def test_certificate_credential_verifies_and_tampered_credits_fail(client, certificate):
    from certificates import badge_views

    credential = _download(client, certificate)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == f"urn:uuid:{certificate.uuid}"
    assert credential["issuer"]["id"] == "http://testserver/badges/issuer.json"
    subject = credential["credentialSubject"]
    assert subject["creditsEarned"] == 2.5
    assert subject["achievement"]["name"] == "Riktig antibiotikabruk i sykehjem 2026"
    assert subject["identifier"][0]["identityHash"] == "Kari Nordmann"
    assert credential["credentialStatus"]["statusListIndex"] == str(certificate.status_index)
    assert credential["proof"]["verificationMethod"] == "http://testserver/badges/key.json"
    assert badges.undefined_terms(badges.unsecured(credential)) == []
    assert badge_views.credential_verify(credential)

    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["creditsEarned"] = 12.5
    assert not badge_views.credential_verify(tampered)

    renamed = copy.deepcopy(credential)
    renamed["credentialSubject"]["identifier"][0]["identityHash"] = "Ola Nordmann"
    assert not badge_views.credential_verify(renamed)


def test_credential_download_is_the_owners(client, certificate):
    from django.contrib.auth import get_user_model

    url = f"/kursbevis/{certificate.uuid}/badge.json"
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/konto/login/" in anonymous["Location"]

    other = get_user_model().objects.create_user("ola", email="ola@example.no")
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_credential_from_the_verification_code(client, certificate):
    from certificates import badge_views

    response = client.get(f"/v/{certificate.code_formatted.lower()}/badge.json")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert badge_views.credential_verify(response.json())
    assert client.get("/v/0000-0000-0000-0000/badge.json").status_code == 404
    assert client.get("/v/not-a-code/badge.json").status_code == 404


def test_credential_misses_are_throttled_like_the_verification_page(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_MISS_LIMIT = 3
    for _ in range(3):
        assert client.get("/v/0000-0000-0000-0000/badge.json").status_code == 404
    assert client.get("/v/0000-0000-0000-0001/badge.json").status_code == 429
    # The same budget as the page: guessing here uses up the page's misses too.
    assert client.get("/v/0000-0000-0000-0002/").status_code == 429
    # A real code still answers.
    assert client.get(f"/v/{certificate.code_formatted}/badge.json").status_code == 200


def test_withdrawn_holder_name_is_left_out(client, certificate):
    from certificates import badge_views

    certificate.holder_withdrawn = True
    certificate.save(update_fields=["holder_withdrawn"])
    credential = badge_views.certificate_credential(certificate)
    assert "identifier" not in credential["credentialSubject"]
    assert "Kari" not in json.dumps(credential)
    assert badge_views.credential_verify(credential)


def test_issuer_and_key_endpoints_verify_the_credential(client, certificate):
    credential = _download(client, certificate)
    client.logout()

    issuer = client.get("/badges/issuer.json")
    assert issuer.status_code == 200
    assert issuer["Access-Control-Allow-Origin"] == "*"
    profile = issuer.json()
    assert profile["id"] == credential["issuer"]["id"]
    assert profile["type"] == "Profile"
    assert badges.undefined_terms(profile) == []

    key = client.get("/badges/key.json").json()
    assert key["id"] == credential["proof"]["verificationMethod"]
    assert key["type"] == "Multikey"
    assert key["controller"] == profile["id"]
    assert key["publicKeyMultibase"].startswith("z6Mk")
    assert badges.undefined_terms(key) == []

    # A verifier holding only the published key document verifies the download.
    def from_key_document(verification_method):
        if verification_method == key["id"]:
            return badges.public_key_from_multibase(key["publicKeyMultibase"])
        return None

    assert badges.verify(credential, resolve_key=from_key_document)
    # The stable addresses do not move with the language.
    assert client.get("/en/badges/issuer.json").status_code == 404


def test_status_list_bit_set_after_revoke(client, certificate, django_user_model):
    from certificates import badge_views, services

    def status():
        response = client.get("/badges/status/1.json")
        assert response.status_code == 200
        document = response.json()
        assert badge_views.credential_verify(document)
        assert badges.undefined_terms(badges.unsecured(document)) == []
        return document["credentialSubject"]["encodedList"]

    index = certificate.status_index
    assert not badges.status_list_bit(status(), index)

    admin = django_user_model.objects.create_superuser("admin", "admin@example.no", "x")
    services.certificate_revoke(certificate=certificate, reason="Feil kurs", by=admin)
    assert badges.status_list_bit(status(), index)


def test_verification_page_and_min_side_link_the_credential(client, certificate):
    page = client.get(f"/v/{certificate.code_formatted}/")
    assert f'href="/v/{certificate.code_formatted}/badge.json"' in page.content.decode()

    from allauth.account.models import EmailAddress

    holder = certificate.holder
    EmailAddress.objects.create(user=holder, email=holder.email, verified=True, primary=True)
    client.force_login(holder)
    my_page = client.get("/min-side/")
    assert f'href="/kursbevis/{certificate.uuid}/badge.json"' in my_page.content.decode()
