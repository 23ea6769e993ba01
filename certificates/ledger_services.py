"""Every write of the yearly ledger: self-reported external activities and course histories.

Kept apart from ``certificates.services`` (issuing) because nothing here issues or changes a
certificate: an external activity is the learner's own word, and a course history is a
verifiable list of certificates that already exist.
"""

import hashlib
import posixpath
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from certificates.codes import code_new
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CourseHistory,
    ExternalActivity,
)
from certificates.selectors import learner_ledger_year
from certificates.services import certificate_issuer, holder_name_of, verification_url

# Evidence a learner may attach: what a scanned diploma or a photo of one is, and no more.
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
_HISTORY_ATTEMPTS = 20


def evidence_check(upload) -> tuple[str, bytes]:
    """The evidence file's safe name and bytes; ``ValidationError`` unless it is a PDF, PNG or
    JPEG of at most 5 MB whose content matches its name."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
    data = upload.read(EVIDENCE_MAX_BYTES + 1)
    if len(data) > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
    name = get_valid_filename(posixpath.basename(upload.name or "")) or "evidence"
    stem, extension = posixpath.splitext(name.lower())
    magic = EVIDENCE_TYPES.get(extension)
    if magic is None or not data.startswith(magic):
        raise ValidationError(
            _("Attach a PDF, PNG or JPEG file (the content must match the file type)."),
            code="file_type",
        )
    return f"{stem[:80] or 'evidence'}{extension}", data


@transaction.atomic
def external_activity_add(
    *, user, title: str, date: date, hours: Decimal, evidence=None
) -> ExternalActivity:
    """Record an activity the learner did elsewhere; raises ``ValidationError`` and stores
    nothing (no row, no file) on bad input."""
    activity = ExternalActivity(user=user, title=" ".join(title.split()), date=date, hours=hours)
    checked = evidence_check(evidence) if evidence else None
    activity.full_clean(exclude=["evidence"])
    if checked is None:
        activity.save()
        return activity
    name, data = checked
    activity.evidence.save(name, ContentFile(data), save=False)
    try:
        activity.save()
    except Exception:
        # The row is the only thing that could fail now: take its file away with it.
        activity.evidence.storage.delete(activity.evidence.name)
        raise
    return activity


@transaction.atomic
def external_activity_delete(*, user, activity_id: int) -> bool:
    """Delete one of the learner's own external activities and, after commit, its evidence file.

    Returns False when the learner has no such activity (someone else's counts as none).
    """
    activity = (
        ExternalActivity.objects.select_for_update().filter(pk=activity_id, user=user).first()
    )
    if activity is None:
        return False
    _delete_evidence_after_commit(activity)
    activity.delete()
    return True


def external_activities_erase(*, user) -> int:
    """Delete all of a learner's external activities and their files (account deletion)."""
    count = 0
    for activity in ExternalActivity.objects.select_for_update().filter(user=user):
        _delete_evidence_after_commit(activity)
        activity.delete()
        count += 1
    return count


def _delete_evidence_after_commit(activity: ExternalActivity) -> None:
    if activity.evidence:
        storage, name = activity.evidence.storage, activity.evidence.name
        transaction.on_commit(lambda: storage.delete(name))


def _history_data(history: CourseHistory, certificates: list[Certificate], ledger_year) -> dict:
    issuer_name, issuer_logo = certificate_issuer()
    return {
        "holder_name": history.holder_name,
        "year": history.year,
        "issued_at": history.issued_at,
        "issuer_name": issuer_name,
        "issuer_logo": issuer_logo,
        "code": history.code,
        "verification_url": verification_url(history),
        "template_version": settings.CERTIFICATE_TEMPLATE_VERSION,
        "language": settings.LANGUAGE_CODE,
        "certificates": [
            {
                "activity_title": certificate.activity_title,
                "activity_kind": certificate.activity_kind,
                "edition_year": certificate.edition_year,
                "activity_date": certificate.activity_date,
                "hours_individual": certificate.hours_individual,
                "hours_together": certificate.hours_together,
                "code": certificate.code,
            }
            for certificate in certificates
        ],
        "target_min": ledger_year.target_min,
        "target_max": ledger_year.target_max,
        "together_min": ledger_year.together_min,
    }


def course_history_for(*, user, year: int) -> CourseHistory | None:
    """The learner's verifiable course history of ``year``: all of the year's valid
    certificates in one PDF with its own code. None when the year has no valid certificate.

    Made once per set of certificates: asking again returns the same stored PDF; once the year
    has another certificate (or lost one to revoking), a new history is made and the old one
    stays verifiable as it was.
    """
    ledger_year = learner_ledger_year(user, year)
    if ledger_year is None or not ledger_year.certificates:
        return None
    certificates = ledger_year.certificates
    ids = sorted(certificate.pk for certificate in certificates)
    existing = CourseHistory.objects.filter(holder=user, year=year, certificate_ids=ids)
    history = existing.exclude(pdf_sha256="").first()
    if history is not None:
        return history
    for _attempt in range(_HISTORY_ATTEMPTS):
        try:
            with transaction.atomic():
                history = CourseHistory.objects.create(
                    code=code_new(),
                    holder=user,
                    holder_name=holder_name_of(user),
                    year=year,
                    certificate_ids=ids,
                    hours_individual=ledger_year.hours_individual,
                    hours_together=ledger_year.hours_together,
                    issued_at=timezone.now(),
                )
                history.certificates.set(certificates)
                # WeasyPrint takes most of a second to import: only when a PDF is made.
                from certificates import pdf

                data = pdf.render_history_pdf(_history_data(history, certificates, ledger_year))
                history.pdf.save(f"{history.uuid}.pdf", ContentFile(data), save=False)
                history.pdf_sha256 = hashlib.sha256(data).hexdigest()
                history.save(update_fields=["pdf", "pdf_sha256"])
                return history
        except IntegrityError:
            # A code drawn a moment ago by someone else: draw again.
            continue
    raise RuntimeError("Could not draw a free code for the course history.")


# The answers to "shall your certificates stay verifiable?" when a learner deletes the account.
KEEP_VERIFIABLE = "keep"
WITHDRAW = "withdraw"
# Privacy by default: unless the learner chooses to keep them, the name leaves the public page.
ACCOUNT_DELETION_DEFAULT = WITHDRAW


@transaction.atomic
def account_deletion_apply(*, user, answer: str) -> int:
    """What deleting the account does to the learner's certificates records; returns how many
    certificates were withdrawn.

    ``keep``: the verification pages go on showing the frozen name. ``withdraw``: every
    certificate is marked withdrawn by the holder (an event says so) and the pages show no name,
    only the status and the hash. Either way the self-reported external activities and their
    files go, being personal data that nobody else verifies; certificates are never deleted.
    """
    external_activities_erase(user=user)
    if answer != WITHDRAW:
        return 0
    withdrawn = 0
    certificates = Certificate.objects.select_for_update().filter(
        holder=user, holder_withdrawn=False
    )
    for certificate in certificates:
        certificate.holder_withdrawn = True
        certificate.save(update_fields=["holder_withdrawn"])
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEventKind.WITHDRAWN,
            note="Account deleted; the holder withdrew the name from verification.",
        )
        withdrawn += 1
    return withdrawn
