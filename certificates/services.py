"""Every write that matters for certificates: issue, store the PDF, revoke, reissue.

A certificate is issued once per learner and activity edition, by ``certificate_issue``, from a
new completion only (never from a migration or a page save). The unique constraint
``certificates_once_per_activity`` decides races; the loser reads the winner's row. The PDF is
made afterwards, in a background task (``certificate_pdf_store``), once: a stored PDF is never
rendered again, so its SHA-256 stays what the verification page shows.
"""

import hashlib
import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from certificates.activities import CompletedActivity
from certificates.codes import code_format, code_new
from certificates.models import Certificate, CertificateEvent, CertificateEventKind

logger = logging.getLogger(__name__)

# A fresh code or status index can collide with one taken a moment ago; each retry draws anew.
_ISSUE_ATTEMPTS = 50


def holder_name_of(user) -> str:
    """The learner's name as a certificate prints it: the profile's full name, else the
    account's name."""
    from accounts.models import LearnerProfile

    try:
        name = user.learner_profile.full_name.strip()
    except LearnerProfile.DoesNotExist:
        name = ""
    return name or user.get_full_name().strip() or user.get_username()


def certificate_issuer() -> tuple[str, str]:
    """Who issues certificates now: the name (``settings.CERTIFICATE_ISSUER``, a dotted path to
    a function returning it) and the static path of the logo (``CERTIFICATE_ISSUER_LOGO``)."""
    reader = getattr(settings, "CERTIFICATE_ISSUER", "")
    name = (import_string(reader)() if reader else "") or settings.WAGTAIL_SITE_NAME
    return name, getattr(settings, "CERTIFICATE_ISSUER_LOGO", "")


def _site_base() -> str:
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    if not base:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        base = site.root_url if site is not None else ""
    return base


def verification_url(certificate: Certificate) -> str:
    """The absolute address of the certificate's public verification page, ``/v/<code>/``."""
    return f"{_site_base()}/v/{code_format(certificate.code)}/"


def certificate_pdf_data(certificate: Certificate) -> dict:
    """Everything the certificate's PDF states, read from the frozen row only."""
    return {
        "uuid": str(certificate.uuid),
        "code": certificate.code,
        "code_formatted": certificate.code_formatted,
        "verification_url": verification_url(certificate),
        "holder_name": certificate.holder_name,
        "activity_kind": certificate.activity_kind,
        "activity_title": certificate.activity_title,
        "edition_year": certificate.edition_year,
        "activity_url": certificate.activity_url,
        "hours_individual": certificate.hours_individual,
        "hours_together": certificate.hours_together,
        "hours_total": certificate.hours_total,
        "activity_date": certificate.activity_date,
        "issued_at": certificate.issued_at,
        "issued_on": timezone.localdate(certificate.issued_at),
        "issuer_name": certificate.issuer_name,
        "issuer_logo": certificate.issuer_logo,
        "content_revision": certificate.content_revision,
        "template_version": certificate.template_version,
        "supersedes_code_formatted": (
            certificate.supersedes.code_formatted if certificate.supersedes_id else ""
        ),
        "language": settings.LANGUAGE_CODE,
    }


def _first_of_chain(*, user, key: str) -> Certificate | None:
    return Certificate.objects.filter(holder=user, activity_key=key, supersedes=None).first()


def _next_status_index() -> int:
    # The unique index on status_index decides between two issues that read the same maximum.
    highest = Certificate.objects.aggregate(highest=Max("status_index"))["highest"]
    return 0 if highest is None else highest + 1


def _enqueue_render(certificate: Certificate) -> None:
    from certificates.tasks import render_certificate

    certificate_id = certificate.pk
    transaction.on_commit(lambda: render_certificate.enqueue(certificate_id))


def _insert(*, fields: dict, event: CertificateEventKind, by=None, note: str = "") -> Certificate:
    """Insert one certificate with a fresh code and status index, and its event, atomically."""
    with transaction.atomic():
        certificate = Certificate(
            code=code_new(), status_index=_next_status_index(), issued_at=timezone.now(), **fields
        )
        certificate.full_clean(validate_unique=False, validate_constraints=False)
        certificate.save(force_insert=True)
        CertificateEvent.objects.create(certificate=certificate, kind=event, by=by, note=note)
    return certificate


def certificate_issue(*, user, activity: CompletedActivity) -> Certificate:
    """Issue the certificate for ``activity`` to ``user``; exactly once per activity key.

    Safe to call any number of times, also at the same moment from many workers: the first
    insert wins, every other call returns the winner's certificate. Name and issuer are frozen
    now; the PDF is made after commit in the ``render_certificate`` task.
    """
    existing = _first_of_chain(user=user, key=activity.key)
    if existing is not None:
        return _together_upgrade(certificate=existing, activity=activity)
    issuer_name, issuer_logo = certificate_issuer()
    fields = {
        "holder": user,
        "holder_name": holder_name_of(user),
        "activity_key": activity.key,
        "activity_kind": activity.kind,
        "activity_title": activity.title,
        "edition_year": activity.edition_year,
        "activity_url": activity.url,
        "hours_individual": activity.hours_individual,
        "hours_together": activity.hours_together,
        "activity_date": activity.completed_on,
        "issuer_name": issuer_name,
        "issuer_logo": issuer_logo,
        "content_revision": activity.content_revision,
        "template_version": settings.CERTIFICATE_TEMPLATE_VERSION,
    }
    for _attempt in range(_ISSUE_ATTEMPTS):
        try:
            certificate = _insert(fields=fields, event=CertificateEventKind.ISSUED)
        except IntegrityError:
            existing = _first_of_chain(user=user, key=activity.key)
            if existing is not None:
                return _together_upgrade(certificate=existing, activity=activity)
            # Not ours: the code or the status index was taken by another issue. Draw again.
            continue
        _enqueue_render(certificate)
        return certificate
    raise RuntimeError("No free code or status index after many attempts.")


def _latest_of_chain(certificate: Certificate) -> Certificate:
    while True:
        successor = Certificate.objects.filter(supersedes=certificate).first()
        if successor is None:
            return certificate
        certificate = successor


def _together_upgrade(*, certificate: Certificate, activity: CompletedActivity) -> Certificate:
    """The certificate a learner holds for ``activity``, marked "together" if it now is.

    One certificate per activity: a learner who watched the interview alone and then with
    colleagues at a group session does not earn its hours twice, but the certificate now says
    how many of them were done together. When ``activity`` brings more hours together than the
    held certificate states, a new certificate supersedes it with those hours together and the
    rest of the activity's hours individual (the total never shrinks). A revoked or withdrawn
    certificate is left as it is.
    """
    latest = _latest_of_chain(certificate)
    if (
        activity.hours_together <= latest.hours_together
        or latest.revoked_at is not None
        or latest.holder_withdrawn
    ):
        return latest
    together = activity.hours_together
    individual = max(latest.hours_total - together, activity.hours_individual, Decimal(0))
    return certificate_reissue(
        certificate=latest,
        note=activity.key,
        changes={
            "hours_individual": individual,
            "hours_together": together,
            "activity_kind": activity.kind,
            "activity_date": activity.completed_on,
        },
    )


def _render(certificate: Certificate) -> bytes:
    # Imported here: the PDF module pulls in WeasyPrint, which issuing does not need.
    from certificates.pdf import render_certificate_pdf

    return render_certificate_pdf(certificate_pdf_data(certificate))


def certificate_pdf_store(*, certificate: Certificate) -> Certificate:
    """Render the certificate's PDF once, store it and record its SHA-256.

    Does nothing when a PDF is already stored. Rendering (the slow part) runs outside any
    transaction; the row is then locked, checked again and written, so two workers that render
    at once store one PDF, and the other one's bytes are dropped unstored.
    """
    if certificate.pdf_sha256:
        return certificate
    content = _render(certificate)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf_sha256:
            return locked
        locked.pdf.save(f"{locked.uuid}.pdf", ContentFile(content), save=False)
        locked.pdf_sha256 = digest
        locked.save(update_fields=["pdf", "pdf_sha256"])
        CertificateEvent.objects.create(
            certificate=locked, kind=CertificateEventKind.PDF_STORED, note=digest
        )
        transaction.on_commit(lambda: certificate_email_send(certificate=locked))
    return locked


def certificates_render_missing(*, now=None) -> list[int]:
    """Ask again for the PDFs of certificates issued a while ago that still have none.

    A worker that died while rendering leaves a certificate without its PDF; the holder would
    read "being made" for good. Run by ``run_worker`` every ``CERTIFICATE_SWEEP_INTERVAL``
    seconds: a certificate without a PDF ``CERTIFICATE_RENDER_GRACE`` seconds after issue (or
    after its last request) gets a new render task, at most ``CERTIFICATE_RENDER_ATTEMPTS``
    times, each recorded as an event. Rendering twice is harmless: only one PDF is stored.
    Returns the ids asked for.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CERTIFICATE_RENDER_GRACE)
    requeued = Q(events__kind=CertificateEventKind.RENDER_REQUEUED)
    waiting = (
        Certificate.objects.filter(pdf_sha256="", issued_at__lt=cutoff)
        .annotate(
            requests=Count("events", filter=requeued), last=Max("events__at", filter=requeued)
        )
        .filter(requests__lt=settings.CERTIFICATE_RENDER_ATTEMPTS)
        .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
        .order_by("pk")
    )
    asked = []
    for certificate in waiting:
        with transaction.atomic():
            CertificateEvent.objects.create(
                certificate=certificate, kind=CertificateEventKind.RENDER_REQUEUED, at=now
            )
            _enqueue_render(certificate)
        asked.append(certificate.pk)
    if asked:
        logger.warning("Asked again for the PDFs of certificates %s.", asked)
    return asked


def certificate_email_send(*, certificate: Certificate) -> None:
    """Tell the holder that the certificate is ready, with its verification link (no PDF).

    A mail server that is down does not undo the certificate; the log says so.
    """
    address = certificate.holder.email
    if not address:
        return
    context = {
        "certificate": certificate,
        "holder_name": certificate.holder_name,
        "activity_title": certificate.activity_title,
        "code_formatted": certificate.code_formatted,
        "verification_url": verification_url(certificate),
        "issuer_name": certificate.issuer_name,
        "min_side_url": f"{_site_base()}/min-side/",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("certificates/email/issued_subject.txt", context)
        body = render_to_string("certificates/email/issued_message.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [address])
    except OSError:
        logger.exception("Could not email certificate %s to its holder.", certificate.pk)
        return
    CertificateEvent.objects.create(certificate=certificate, kind=CertificateEventKind.EMAILED)


def certificate_revoke(*, certificate: Certificate, reason: str, by) -> Certificate:
    """Revoke a certificate with a reason; the row stays, with who revoked it and when.

    Revoking a revoked certificate changes nothing (the first date and reason stand).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A certificate is revoked with a reason.")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at, locked.revoked_reason, locked.revoked_by = timezone.now(), reason, by
        locked.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        CertificateEvent.objects.create(
            certificate=locked, kind=CertificateEventKind.REVOKED, by=by, note=reason
        )
    return locked


def certificate_reissue(
    *, certificate: Certificate, by=None, note: str = "", changes: dict | None = None
) -> Certificate:
    """Issue a new certificate with the holder's current name that supersedes ``certificate``.

    The old one stays, marked superseded, pointing at the new one. A certificate is superseded
    once: reissuing it again (or twice at the same moment) returns the one that superseded it.
    A revoked certificate is not reissued. ``changes`` replaces fields of the new certificate
    (the hours and kind, when a group session marks the activity as done together).
    """
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        successor = Certificate.objects.filter(supersedes=old).first()
        if successor is not None:
            return successor
        if old.revoked_at is not None:
            raise ValueError("A revoked certificate is not reissued.")
        issuer_name, issuer_logo = certificate_issuer()
        fields = {
            "holder": old.holder,
            "holder_name": holder_name_of(old.holder),
            "activity_key": old.activity_key,
            "activity_kind": old.activity_kind,
            "activity_title": old.activity_title,
            "edition_year": old.edition_year,
            "activity_url": old.activity_url,
            "hours_individual": old.hours_individual,
            "hours_together": old.hours_together,
            "activity_date": old.activity_date,
            "issuer_name": issuer_name,
            "issuer_logo": issuer_logo,
            "content_revision": old.content_revision,
            "template_version": settings.CERTIFICATE_TEMPLATE_VERSION,
            "holder_withdrawn": old.holder_withdrawn,
            "supersedes": old,
            **(changes or {}),
        }
        for _attempt in range(_ISSUE_ATTEMPTS):
            try:
                new = _insert(fields=fields, event=CertificateEventKind.ISSUED, by=by, note=note)
            except IntegrityError:
                continue  # the old row is locked, so only a code or an index was taken
            break
        else:
            raise RuntimeError("No free code or status index after many attempts.")
        CertificateEvent.objects.create(
            certificate=old, kind=CertificateEventKind.REISSUED, by=by, note=new.code
        )
        _enqueue_render(new)
    return new
