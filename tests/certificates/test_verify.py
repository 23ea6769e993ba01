"""The public verification page: every field the PDF states, the status, the PDF's SHA-256, an
upload box that tells whether a PDF is the one issued, a JSON variant, noindex, and misses
throttled per client address while real certificates are always found."""

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import learner_profile_update
from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def _learner(username: str, full_name: str):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.no")
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _issue(user, *, key="course:7", store=True) -> Certificate:
    activity = CompletedActivity(
        key=key, kind="course", title="Riktig antibiotikabruk i sykehjem",
        edition_year=2026, hours_individual=Decimal("2.5"), hours_together=Decimal("1.0"),
        completed_on=date(2026, 11, 30), content_revision="3", url="",
    )  # fmt: skip
    certificate = services.certificate_issue(user=user, activity=activity)
    if store:
        certificate = services.certificate_pdf_store(certificate=certificate)
    return certificate


@pytest.fixture
def holder():
    return _learner("kari", "Kari Ærlig Søbø")


@pytest.fixture
def certificate(holder):
    return _issue(holder)


def _page(client, code: str, **extra):
    return client.get(f"/v/{code}/", **extra)


def _text(response) -> str:
    return response.content.decode()


def _pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_the_page_shows_every_field_the_pdf_states(client, certificate):
    response = _page(client, certificate.code_formatted)

    assert response.status_code == 200
    text = _text(response)
    assert "Kari Ærlig Søbø" in text
    assert "Riktig antibiotikabruk i sykehjem (2026)" in text
    # Individual, together, in all: printed as the PDF prints them.
    assert "<dd>2,5</dd>" in text and "<dd>1,0</dd>" in text and "<dd>3,5</dd>" in text
    assert "30. november 2026" in text  # completed
    assert certificate.issuer_name in text
    assert certificate.code_formatted in text
    assert certificate.pdf_sha256 and certificate.pdf_sha256 in text
    assert 'data-status="valid"' in text
    assert "Gyldig" in text


def test_the_page_and_its_answers_are_not_indexed(client, certificate):
    response = _page(client, certificate.code_formatted)
    assert '<meta name="robots" content="noindex' in _text(response)
    assert "noindex" in response["X-Robots-Tag"]
    assert "noindex" in client.get("/v/").get("X-Robots-Tag", "")
    assert "noindex" in client.get(f"/v/{certificate.code_formatted}.json")["X-Robots-Tag"]
    assert "noindex" in _page(client, "0000-0000-0000-0000")["X-Robots-Tag"]


def test_a_code_typed_in_lower_case_with_lookalike_letters_finds_it(client, holder):
    certificate = _issue(holder)
    # Make a code with 0 and 1 in it, typed as o, I and l, in lower case with spaces.
    Certificate.objects.filter(pk=certificate.pk).update(code="01AB01CD01EF01GH")
    typed = "oI ab-Ol cd 0i ef-ol gh"

    response = client.get("/v/", {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == "/v/01AB-01CD-01EF-01GH/"
    assert _page(client, "oiab olcd oief olgh").status_code == 200
    assert "Kari Ærlig Søbø" in _text(client.get(response["Location"]))


def test_the_form_has_a_label_and_an_error_summary_for_an_unknown_code(client, certificate):
    form = client.get("/v/")
    assert form.status_code == 200
    assert '<label for="id_code">' in _text(form)

    response = client.get("/v/", {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})

    assert response.status_code == 404
    text = _text(response)
    assert 'class="error-summary"' in text and 'href="#id_code"' in text
    assert "Ingen kursbevis har denne koden" in text
    malformed = client.get("/v/", {"code": "hello"})
    assert malformed.status_code == 404
    assert "Dette er ikke en kontrollkode" in _text(malformed)


def test_a_revoked_certificate_shows_the_reason_and_the_date(client, certificate):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.no", "x")
    services.certificate_revoke(certificate=certificate, reason="Feil deltaker", by=admin)

    text = _text(_page(client, certificate.code_formatted))

    assert 'data-status="revoked"' in text
    assert "Trukket tilbake" in text
    assert "Feil deltaker" in text
    certificate.refresh_from_db()
    assert f"{certificate.revoked_at:%-d}. " in text and "2026" in text


def test_a_superseded_certificate_links_the_one_that_replaces_it(client, holder, certificate):
    learner_profile_update(user=holder, full_name="Kari Ærlig Søbø-Hansen", profession=None,
                           workplace="")  # fmt: skip
    new = services.certificate_reissue(certificate=certificate, by=None)

    old_page = _text(_page(client, certificate.code_formatted))
    new_page = _text(_page(client, new.code_formatted))

    assert 'data-status="superseded"' in old_page
    assert f'href="/v/{new.code_formatted}/"' in old_page
    assert 'data-status="valid"' in new_page
    assert "Kari Ærlig Søbø-Hansen" in new_page
    assert f'href="/v/{certificate.code_formatted}/"' in new_page


def test_a_withdrawn_certificate_hides_the_name_and_keeps_the_hash(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(holder_withdrawn=True)

    response = _page(client, certificate.code_formatted)
    data = client.get(f"/v/{certificate.code_formatted}.json").json()

    text = _text(response)
    assert "Kari" not in text and "Søbø" not in text
    assert "trukket tilbake av innehaveren" in text
    assert certificate.pdf_sha256 in text
    assert data["holder_name"] is None and data["holder_withdrawn"] is True
    assert data["status"] == "withdrawn"
    assert "Kari" not in json.dumps(data, ensure_ascii=False)


def test_the_json_variant_states_the_same_fields_and_status(client, holder, certificate):
    response = client.get(f"/v/{certificate.code.lower()}.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data == client.get(f"/v/{certificate.code_formatted}/", {"format": "json"}).json()
    assert data["code"] == certificate.code_formatted
    assert data["status"] == "valid"
    assert data["holder_name"] == "Kari Ærlig Søbø"
    assert data["activity_title"] == "Riktig antibiotikabruk i sykehjem"
    assert data["edition_year"] == 2026
    assert (data["hours_individual"], data["hours_together"]) == ("2.50", "1.00")
    assert data["activity_date"] == "2026-11-30"
    assert data["issuer"] == certificate.issuer_name
    assert data["pdf_sha256"] == certificate.pdf_sha256
    assert data["revoked"] is None and data["superseded_by"] is None
    assert data["url"].endswith(f"/v/{certificate.code_formatted}/")

    services.certificate_revoke(certificate=certificate, reason="Feil deltaker", by=None)
    revoked = client.get(f"/v/{certificate.code_formatted}.json").json()
    assert revoked["status"] == "revoked"
    assert revoked["revoked"]["reason"] == "Feil deltaker"
    unknown = client.get("/v/ZZZZ-ZZZZ-ZZZZ-ZZZZ.json")
    assert unknown.status_code == 404 and unknown.json() == {"error": "unknown_code"}


def _check(client, certificate: Certificate, content: bytes, name="kursbevis.pdf"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(f"/v/{certificate.code_formatted}/sjekk/", {"pdf": upload})


def test_the_issued_pdf_is_byte_identical(client, certificate, tmp_path):
    before = set(tmp_path.rglob("*"))
    response = _check(client, certificate, _pdf_bytes(certificate))

    assert response.status_code == 200
    text = _text(response)
    assert 'data-identical="yes"' in text
    assert "Ja: filen er byte for byte" in text
    # Nothing of the upload was stored (the media root is under tmp_path).
    assert set(tmp_path.rglob("*")) == before


def test_a_pdf_with_one_byte_changed_is_not(client, certificate):
    tampered = bytearray(_pdf_bytes(certificate))
    tampered[len(tampered) // 2] ^= 0x01

    response = _check(client, certificate, bytes(tampered))

    assert response.status_code == 200
    text = _text(response)
    assert 'data-identical="no"' in text
    assert "Nei: filen er ikke lik" in text
    assert hashlib.sha256(bytes(tampered)).hexdigest() in text


def test_the_hash_check_needs_a_file_and_the_csrf_token(certificate):
    from django.test import Client

    client = Client()
    missing = client.post(f"/v/{certificate.code_formatted}/sjekk/", {})
    assert missing.status_code == 400
    assert 'class="error-summary"' in _text(missing)
    empty = client.generic("POST", f"/v/{certificate.code_formatted}/sjekk/", b"")
    assert empty.status_code == 400
    assert "Velg PDF-filen du vil sjekke" in _text(empty)

    strict = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("kursbevis.pdf", b"%PDF-1.7", content_type="application/pdf")
    refused = strict.post(f"/v/{certificate.code_formatted}/sjekk/", {"pdf": upload})
    assert refused.status_code == 403


def test_a_file_over_the_limit_is_refused(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_UPLOAD_MAX = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", b"%" * (2 * 1024 * 1024), content_type="application/pdf")

    response = client.post(f"/v/{certificate.code_formatted}/sjekk/", {"pdf": big})

    assert response.status_code == 413
    assert "større enn 1 MB" in _text(response)


def test_misses_are_throttled_per_client_while_hits_still_work(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_MISS_LIMIT = 5
    for number in range(5):
        assert _page(client, f"ZZZZ-ZZZZ-ZZZZ-ZZZ{number}").status_code == 404

    throttled = _page(client, "ZZZZ-ZZZZ-ZZZZ-ZZZ9")
    assert throttled.status_code == 429
    assert "For mange forsøk" in _text(throttled)
    assert int(throttled["Retry-After"]) > 0
    assert "noindex" in throttled["X-Robots-Tag"]
    assert client.get("/v/ZZZZ-ZZZZ-ZZZZ-ZZZ9.json").status_code == 429
    assert client.get("/v/ZZZZ-ZZZZ-ZZZZ-ZZZ9.json").json()["error"] == "too_many_misses"
    assert client.get("/v/", {"code": "nonsense"}).status_code == 429
    assert client.post("/v/ZZZZ-ZZZZ-ZZZZ-ZZZ9/sjekk/", {}).status_code == 429

    # A real certificate is still found, on the page, as JSON and in the hash check.
    assert _page(client, certificate.code_formatted).status_code == 200
    assert client.get(f"/v/{certificate.code_formatted}.json").status_code == 200
    assert _check(client, certificate, _pdf_bytes(certificate)).status_code == 200
    # Another client address is not affected.
    assert _page(client, "ZZZZ-ZZZZ-ZZZZ-ZZZ9", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_the_client_address_comes_from_the_trusted_proxy(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_MISS_LIMIT = 2
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _number in range(2):
        client.get("/v/ZZZZ-ZZZZ-ZZZZ-ZZZZ/", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert (
        client.get("/v/ZZZZ-ZZZZ-ZZZZ-ZZZZ/", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 429
    )
    # Same proxy (REMOTE_ADDR), another client behind it.
    assert (
        client.get("/v/ZZZZ-ZZZZ-ZZZZ-ZZZZ/", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
        == 404
    )


def test_the_verification_url_opens_the_page(client, certificate):
    url = services.verification_url(certificate)
    path = url[url.index("/v/") :]
    assert path == reverse("certificates:verify", args=[certificate.code_formatted])
    assert client.get(path).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_misses_are_each_counted_once(live_server, settings):
    """Forty unknown codes sent at the same moment from one address (live server threads, each
    with its own connection; Redis in CI): exactly the limit get a 404, the rest a 429, and a
    real certificate is still found."""
    import threading
    import urllib.error
    import urllib.request

    settings.CERTIFICATE_VERIFY_MISS_LIMIT = 20
    certificate = _issue(_learner("per", "Per Parallell"), store=False)
    barrier = threading.Barrier(40)
    statuses: list[int] = []

    def miss(number: int) -> None:
        barrier.wait()
        try:
            with urllib.request.urlopen(f"{live_server.url}/v/ZZZZ-ZZZZ-ZZZZ-{number:04d}/"):
                statuses.append(200)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=miss, args=(number,)) for number in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [404] * 20 + [429] * 20
    with urllib.request.urlopen(f"{live_server.url}/v/{certificate.code_formatted}/") as hit:
        assert hit.status == 200


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_page_is_accessible_and_the_upload_box_works(page, live_server, tmp_path):
    """The form, the page and the check result in a real browser: no serious axe violation, no
    CSP violation (no inline script or style), and the upload box tells the issued PDF apart
    from a changed copy."""
    from tests.e2e.test_public_pages import _axe_violations

    certificate = _issue(_learner("kari2", "Kari Ærlig Søbø"))
    original = tmp_path / "kursbevis.pdf"
    original.write_bytes(_pdf_bytes(certificate))
    changed = tmp_path / "endret.pdf"
    tampered = bytearray(original.read_bytes())
    tampered[-100] ^= 0x01
    changed.write_bytes(bytes(tampered))
    console_errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and console_errors.append(msg.text))

    page.goto(f"{live_server.url}/v/")
    assert _axe_violations(page) == []
    page.get_by_label("Kontrollkode").fill(certificate.code.lower())
    page.get_by_role("button", name="Sjekk").click()
    page.wait_for_url(f"**/v/{certificate.code_formatted}/")
    assert page.get_by_role("heading", name="Gyldig", exact=False).is_visible()
    assert _axe_violations(page) == []

    page.get_by_label("PDF-fil").set_input_files(str(original))
    page.get_by_role("button", name="Sammenlign").click()
    assert page.get_by_text("Ja: filen er byte for byte").is_visible()
    page.get_by_label("PDF-fil").set_input_files(str(changed))
    page.get_by_role("button", name="Sammenlign").click()
    assert page.get_by_text("Nei: filen er ikke lik").is_visible()
    assert _axe_violations(page) == []

    page.goto(f"{live_server.url}/v/?code=ZZZZ")
    assert page.get_by_role("alert").is_visible()
    assert _axe_violations(page) == []
    # The 404 of the miss is the only console error the pages caused.
    assert [error for error in console_errors if "404" not in error] == []


@pytest.mark.parametrize("hours", ["0", "1", "1.5", "2.25", "12.00", "0.75"])
def test_hours_read_as_on_the_pdf(hours):
    from django.utils import translation

    from certificates.pdf import hours_text as pdf_hours_text
    from certificates.verify_views import hours_text

    with translation.override("nb"):
        assert hours_text(Decimal(hours)) == pdf_hours_text(Decimal(hours))
