"""Open Badges 3.0: each certificate as a signed ``OpenBadgeCredential``, and the public documents
a verifier needs, at stable addresses outside the language prefix.

- ``/badges/issuer.json``: the issuer's Profile (the credential's ``issuer.id``);
- ``/badges/key.json``: the Multikey that ``proof.verificationMethod`` names, controlled by the
  issuer;
- ``/badges/status/1.json``: the signed BitstringStatusListCredential in which a revoked
  certificate's bit (its ``status_index``) is set;
- ``/kursbevis/<uuid>/badge.json`` for the holder (and programme admins), and
  ``/v/<code>/badge.json`` from the public verification page.

The credential states what the certificate states, from the frozen row only; a withdrawn holder's
name is left out, as on the verification page. It is signed again on each download with the same
``created`` (the issue time), and Ed25519 is deterministic, so the bytes stay the same while the
key does. The key is ``settings.OPEN_BADGES_SIGNING_KEY`` (see ``badges.private_key_from_text``).
"""

import datetime
import json
import uuid
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from certificates import badges, verify_views
from certificates.codes import code_format
from certificates.models import Certificate
from certificates.services import certificate_issuer
from certificates.views import may_download

ISSUER_PATH = "/badges/issuer.json"
KEY_PATH = "/badges/key.json"
STATUS_LIST_PATH = "/badges/status/1.json"
JSON_LD = "application/ld+json"
# Verifiers fetch these often; a revocation shows within this many seconds.
PUBLIC_MAX_AGE = 300


@lru_cache(maxsize=4)
def _key_from(text: str):
    try:
        return badges.private_key_from_text(text)
    except badges.BadgeError as error:
        raise ImproperlyConfigured(f"OPEN_BADGES_SIGNING_KEY: {error}") from error


def signing_key():
    """The issuer's Ed25519 private key, from ``settings.OPEN_BADGES_SIGNING_KEY``."""
    return _key_from(settings.OPEN_BADGES_SIGNING_KEY)


def base_url() -> str:
    """The site's origin, fixed by ``WAGTAILADMIN_BASE_URL``: every id in a credential is built
    on it, so it must not follow the Host header of a request."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def issuer_url() -> str:
    return base_url() + ISSUER_PATH


def key_url() -> str:
    return base_url() + KEY_PATH


def status_list_url() -> str:
    return base_url() + STATUS_LIST_PATH


def _xsd_datetime(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile() -> dict:
    """The issuer's Open Badges Profile, served at ``/badges/issuer.json``."""
    return {
        "@context": badges.CREDENTIAL_CONTEXT,
        "id": issuer_url(),
        "type": "Profile",
        "name": certificate_issuer()[0],
        "url": base_url() + "/",
    }


def key_document() -> dict:
    """The public key as a Multikey, served at ``/badges/key.json``."""
    return {
        "@context": badges.MULTIKEY_V1,
        "id": key_url(),
        "type": "Multikey",
        "controller": issuer_url(),
        "publicKeyMultibase": badges.public_key_multibase(signing_key().public_key()),
    }


def resolve_key(verification_method: str):
    """Our own key for our key URL; a did:key for itself; None for anything else (no fetching)."""
    if verification_method == key_url():
        return signing_key().public_key()
    return badges.did_key_resolver(verification_method)


def credential_verify(document: dict) -> bool:
    """Whether ``document`` carries a valid proof by this site's key (or a did:key)."""
    return badges.verify(document, resolve_key=resolve_key)


def _criteria(kind: str) -> str:
    if kind == "course":
        return gettext("Every module of the course completed and its quiz passed.")
    if kind == "group":
        return gettext("Took part in the group session.")
    return gettext("Watched 90 per cent or more of the video while signed in.")


def _hours(value) -> str:
    return formats.number_format(value, decimal_pos=1)


def _achievement_id(certificate: Certificate) -> str:
    url = certificate.activity_url or ""
    if url.startswith("/"):
        return base_url() + url
    if url.startswith(("https://", "http://")):
        return url
    # No address for the activity: a stable name derived from the activity and its edition.
    name = f"{base_url()}/{certificate.activity_key}/{certificate.edition_year}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def certificate_credential_unsigned(certificate: Certificate) -> dict:
    """The certificate as an OpenBadgeCredential (VC Data Model 2.0), without the proof."""
    title = f"{certificate.activity_title} {certificate.edition_year}"
    with translation.override(settings.LANGUAGE_CODE):
        description = gettext(
            "%(total)s hours of credit (%(individual)s individual, %(together)s together)"
        ) % {
            "total": _hours(certificate.hours_total),
            "individual": _hours(certificate.hours_individual),
            "together": _hours(certificate.hours_together),
        }
        criteria = _criteria(certificate.activity_kind)
    subject = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": _achievement_id(certificate),
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion",
            "name": title,
            "description": description,
            "criteria": {"narrative": criteria},
            "creditsAvailable": float(certificate.hours_total),
        },
        "creditsEarned": float(certificate.hours_total),
        "activityEndDate": certificate.activity_date.isoformat(),
    }
    if not certificate.holder_withdrawn:
        # The name as printed on the certificate; left out once the holder withdrew it.
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": certificate.holder_name,
            }
        ]
    return {
        "@context": badges.CREDENTIAL_CONTEXT,
        "id": f"urn:uuid:{certificate.uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_url(), "type": ["Profile"], "name": certificate.issuer_name},
        "validFrom": _xsd_datetime(certificate.issued_at),
        "name": title,
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(),
        },
    }


def certificate_credential(certificate: Certificate) -> dict:
    """The certificate as a signed OpenBadgeCredential (``eddsa-rdfc-2022``)."""
    return badges.sign(
        certificate_credential_unsigned(certificate),
        private_key=signing_key(),
        verification_method=key_url(),
        created=_xsd_datetime(certificate.issued_at),
    )


def status_list_credential() -> dict:
    """The signed revocation list: bit ``status_index`` set for every revoked certificate."""
    revoked = Certificate.objects.filter(revoked_at__isnull=False).values_list(
        "status_index", flat=True
    )
    now = _xsd_datetime(timezone.now())
    document = {
        "@context": [badges.VC_V2],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url(),
        "validFrom": now,
        "credentialSubject": {
            "id": status_list_url() + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": badges.status_list_encode(revoked),
        },
    }
    return badges.sign(
        document, private_key=signing_key(), verification_method=key_url(), created=now
    )


def _json(document: dict, *, public: bool, filename: str = "") -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=JSON_LD
    )
    if public:
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        # Verifiers run in other sites' pages too; nothing here depends on cookies.
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filename(certificate: Certificate) -> str:
    return f"kursbevis-{code_format(certificate.code)}.badge.json"


@require_safe
def issuer_json(request: HttpRequest) -> HttpResponse:
    """The issuer's Profile."""
    return _json(issuer_profile(), public=True)


@require_safe
def key_json(request: HttpRequest) -> HttpResponse:
    """The issuer's public key (Multikey)."""
    return _json(key_document(), public=True)


@require_safe
def status_list_json(request: HttpRequest) -> HttpResponse:
    """The revocation status list credential."""
    return _json(status_list_credential(), public=True)


@require_safe
@login_required
def certificate_badge(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """The holder's credential download (also programme admins); 404 for anyone else."""
    certificate = get_object_or_404(Certificate, uuid=uuid)
    if not may_download(request.user, certificate):
        raise Http404("No such certificate.")
    return _json(certificate_credential(certificate), public=False, filename=_filename(certificate))


@require_safe
def verified_badge(request: HttpRequest, code: str) -> HttpResponse:
    """The credential from the public verification page, by its code (as public as the page).

    Looked up exactly as the page looks codes up, misses counted in the same per-client budget,
    so this address is no way around the verification page's throttling."""
    certificate, miss = verify_views.verify_lookup(request, code, as_json=True)
    if certificate is None:
        return miss
    response = _json(
        certificate_credential(certificate), public=False, filename=_filename(certificate)
    )
    response["X-Robots-Tag"] = "noindex"
    return response
