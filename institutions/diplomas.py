"""The annual diploma: an institution that meets a programme year's criteria gets one diploma for
that year, once, verifiable at ``/v/<code>/`` like a certificate.

Programme admins set each year's criteria (``DiplomaCriteria``, a snippet); a year without
criteria gives no diploma. The facts are this app's participation figures
(``institutions.participation.institution_participation``): group sessions held with members
attending, verified hours summed across active members, and the share of active members who met
the year's group minimum. All three thresholds must hold, and the institution must be enrolled
in the programme during that year.

``diploma_evaluate`` is safe to call any number of times, also at the same moment from many
workers: the unique constraint ``institutions_diploma_once_a_year`` decides, and the loser reads
the winner's row (the house shape of ``courses.services.course_completion_record``). The name
and the facts are frozen at issue; the PDF is made afterwards in a task, once, and its SHA-256
kept, as for certificates.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.codes import code_format, code_new
from certificates.services import certificate_issuer, verification_url
from institutions.models import (
    DiplomaCriteria,
    Institution,
    InstitutionDiploma,
    InstitutionEvent,
    InstitutionEventKind,
    Membership,
    MembershipStatus,
)

logger = logging.getLogger(__name__)

# A fresh code can collide with one taken a moment ago; each retry draws anew.
_ISSUE_ATTEMPTS = 20
PDF_TEMPLATE = "institutions/diploma/pdf.html"
DIPLOMA_ISSUED_EVENT = InstitutionEventKind.DIPLOMA_ISSUED
DIPLOMA_REVOKED_EVENT = InstitutionEventKind.DIPLOMA_REVOKED


# --- Criteria and facts ---------------------------------------------------------------------


def diploma_criteria_for(year: int) -> DiplomaCriteria | None:
    """The criteria programme admins set for ``year``; None when they set none (no diploma)."""
    return DiplomaCriteria.objects.filter(year=year).first()


@dataclass(frozen=True)
class DiplomaFacts:
    """What an institution achieved in a programme year, as the criteria measure it."""

    members: int
    sessions: int
    hours_total: Decimal
    share_met: Decimal  # percent of active members who met the year's group minimum, 0-100

    def as_json(self) -> dict:
        """The frozen form kept on the diploma: every value a string, as the PDF prints it."""
        return {
            "members": str(self.members),
            "sessions": str(self.sessions),
            "hours_total": str(self.hours_total),
            "share_met": str(self.share_met),
        }


@dataclass(frozen=True)
class CriterionCheck:
    """One threshold of the year's criteria against what the institution achieved."""

    key: str
    label: str
    required: str
    achieved: str
    met: bool


def diploma_facts(institution: Institution, year: int) -> DiplomaFacts:
    """The institution's participation in ``year``, reduced to what the criteria measure."""
    # Imported here: participation reads attendance and certificates, which the admin hooks
    # and the signal handler of this module do not need at import time.
    from institutions.participation import institution_participation

    totals = institution_participation(institution, year).totals
    return DiplomaFacts(
        members=totals.members_count,
        sessions=totals.group_sessions_count,
        hours_total=Decimal(totals.hours_total),
        share_met=Decimal(totals.share_group_minimum_met),
    )


def criteria_checks(criteria: DiplomaCriteria, facts: DiplomaFacts) -> list[CriterionCheck]:
    """Each of the three thresholds, what is required and what was achieved; a pure function."""
    share = _share_shown(facts.share_met)
    return [
        CriterionCheck(
            key="group_sessions",
            label=_("Group sessions held with members attending"),
            required=str(criteria.min_group_sessions),
            achieved=str(facts.sessions),
            met=facts.sessions >= criteria.min_group_sessions,
        ),
        CriterionCheck(
            key="total_hours",
            label=_("Verified hours of credit, all active members together"),
            required=_hours(criteria.min_total_hours),
            achieved=_hours(facts.hours_total),
            met=facts.hours_total >= criteria.min_total_hours,
        ),
        CriterionCheck(
            key="share_group_minimum",
            label=_("Share of active members who met the year's group minimum (percent)"),
            required=str(criteria.min_share_group_minimum),
            achieved=_number(share),
            met=facts.share_met >= Decimal(criteria.min_share_group_minimum),
        ),
    ]


def criteria_met(criteria: DiplomaCriteria, facts: DiplomaFacts) -> bool:
    """All three thresholds hold."""
    return all(check.met for check in criteria_checks(criteria, facts))


def institution_enrolled_in(institution: Institution, year: int) -> bool:
    """Whether the institution was enrolled in the programme on some day of ``year``."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        institution.enrolments.filter(starts_on__lte=last, ends_on__gt=first)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=first))
        .exists()
    )


# --- Issuing --------------------------------------------------------------------------------


def _diploma_of(institution: Institution, year: int) -> InstitutionDiploma | None:
    return InstitutionDiploma.objects.filter(institution=institution, year=year).first()


def diploma_evaluate(*, institution: Institution, year: int) -> InstitutionDiploma | None:
    """Issue the institution's diploma for ``year`` when it has earned it; once only.

    Returns the diploma (new or issued before; a diploma once issued stays, even if the
    figures later drop or it was revoked), or None when the year has no criteria, the
    institution was not enrolled that year, or a threshold is not reached. The unique
    constraint decides between simultaneous calls; only the winner records the event and asks
    for the PDF (after commit).
    """
    existing = _diploma_of(institution, year)
    if existing is not None:
        return existing
    criteria = diploma_criteria_for(year)
    if criteria is None or not institution_enrolled_in(institution, year):
        return None
    facts = diploma_facts(institution, year)
    if not criteria_met(criteria, facts):
        return None
    frozen = facts.as_json() | {
        "min_group_sessions": str(criteria.min_group_sessions),
        "min_total_hours": str(criteria.min_total_hours),
        "min_share_group_minimum": str(criteria.min_share_group_minimum),
    }
    for _attempt in range(_ISSUE_ATTEMPTS):
        try:
            diploma = _insert(institution=institution, year=year, facts=frozen)
        except IntegrityError:
            existing = _diploma_of(institution, year)
            if existing is not None:
                return existing
            # Not the institution's diploma: the code was taken by another one. Draw again.
            continue
        _enqueue_render(diploma)
        return diploma
    raise RuntimeError("No free diploma code after many attempts.")


def _insert(*, institution: Institution, year: int, facts: dict) -> InstitutionDiploma:
    """Insert one diploma with a fresh code and its event, atomically."""
    with transaction.atomic():
        diploma = InstitutionDiploma(
            code=code_new(),
            institution=institution,
            institution_name=institution.name,
            year=year,
            issued_at=timezone.now(),
            facts=facts,
        )
        diploma.save(force_insert=True)
        InstitutionEvent.objects.create(
            institution=institution,
            kind=DIPLOMA_ISSUED_EVENT,
            note=f"{year}: {diploma.code_formatted}",
        )
    return diploma


def _enqueue_render(diploma: InstitutionDiploma) -> None:
    from institutions.tasks import render_diploma

    diploma_id = diploma.pk
    transaction.on_commit(lambda: render_diploma.enqueue(diploma_id))


def diplomas_evaluate_for_member(*, user_id: int, year: int) -> list[InstitutionDiploma]:
    """Evaluate the diploma of every institution where the user is an active member.

    Called after a certificate is issued to that user (through the ``evaluate_diplomas``
    task): a new certificate is what can tip an institution over a threshold.
    """
    institution_ids = Membership.objects.filter(
        user_id=user_id, status=MembershipStatus.ACTIVE
    ).values_list("institution_id", flat=True)
    diplomas = []
    for institution in Institution.objects.filter(pk__in=list(institution_ids)):
        diploma = diploma_evaluate(institution=institution, year=year)
        if diploma is not None:
            diplomas.append(diploma)
    return diplomas


def diplomas_evaluate_year(*, year: int) -> list[InstitutionDiploma]:
    """Evaluate every institution enrolled in ``year`` (the management command's sweep)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    enrolled = (
        Institution.objects.filter(enrolments__starts_on__lte=last, enrolments__ends_on__gt=first)
        .distinct()
        .order_by("pk")
    )
    diplomas = []
    for institution in enrolled:
        diploma = diploma_evaluate(institution=institution, year=year)
        if diploma is not None:
            diplomas.append(diploma)
    return diplomas


def diploma_revoke(*, diploma: InstitutionDiploma, reason: str, by) -> InstitutionDiploma:
    """Revoke a diploma with a reason, shown on its verification page; the row stays.

    Revoking twice keeps the first date and reason. A revoked diploma is not issued again
    for the same year (the constraint holds the row).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to revoke a diploma.")
    with transaction.atomic():
        locked = InstitutionDiploma.objects.select_for_update().get(pk=diploma.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        InstitutionEvent.objects.create(
            institution_id=locked.institution_id,
            kind=DIPLOMA_REVOKED_EVENT,
            by=by,
            note=f"{locked.year}: {locked.code_formatted} revoked: {reason}",
        )
    return locked


# --- The PDF --------------------------------------------------------------------------------


def diploma_verification_url(diploma: InstitutionDiploma) -> str:
    """The absolute address of the diploma's verification page: ``/v/<code>/``, the same
    page certificates use (certificates.verify_views asks this app through its hook)."""
    return verification_url(diploma)


def diploma_pdf_data(diploma: InstitutionDiploma) -> dict:
    """Everything the diploma's PDF states, read from the frozen row only."""
    issuer_name, issuer_logo = certificate_issuer()
    return {
        "code": diploma.code,
        "code_formatted": diploma.code_formatted,
        "verification_url": diploma_verification_url(diploma),
        "institution_name": diploma.institution_name,
        "year": diploma.year,
        "facts": dict(diploma.facts or {}),
        "issued_at": diploma.issued_at,
        "issuer_name": issuer_name,
        "issuer_logo": issuer_logo,
        "language": settings.LANGUAGE_CODE,
    }


def render_diploma_pdf(data: dict) -> bytes:
    """Render a diploma as PDF/A-3a bytes (tagged), A4, one page, with the certificates' fonts,
    stylesheet and static-only fetcher: nothing outside the project's static files is read."""
    # Imported here: WeasyPrint costs a second at import, and only the render task needs it.
    from weasyprint import HTML

    from certificates import pdf

    with translation.override(data.get("language") or settings.LANGUAGE_CODE):
        facts = data.get("facts", {})
        logo = data.get("issuer_logo") or pdf.DEFAULT_LOGO
        issued_at = data.get("issued_at")
        context = {
            "language": data.get("language") or settings.LANGUAGE_CODE,
            "institution_name": data["institution_name"],
            "year": data["year"],
            "issuer_name": data.get("issuer_name", ""),
            "issuer_logo_url": logo if logo.startswith("data:") else pdf.static_url(logo),
            "issued_at": issued_at,
            "created_iso": issued_at.isoformat() if issued_at else "",
            "code_formatted": data.get("code_formatted") or code_format(data.get("code", "")),
            "verification_url": data["verification_url"],
            "qr_data_uri": pdf.qr_data_uri(data["verification_url"]),
            "stylesheet_url": pdf.static_url(pdf.STYLESHEET),
            "achievements": achievements(facts),
            "density": _density(data["institution_name"]),
        }
        html = render_to_string(PDF_TEMPLATE, context)
    document = HTML(string=html, base_url=pdf.STATIC_ORIGIN, url_fetcher=pdf.StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=pdf.PDF_VARIANT)


def _density(name: str) -> str:
    # The certificates' classes that keep the page to one A4 sheet for a long name.
    if len(name) > 120:
        return "compact tight"
    if len(name) > 60:
        return "compact"
    return ""


def achievements(facts: dict) -> list[tuple[str, str]]:
    """What the frozen facts say was achieved, as (label, value) rows in the active language."""
    rows = []
    if "sessions" in facts:
        rows.append((_("Group sessions held with members attending"), facts["sessions"]))
    if "hours_total" in facts:
        rows.append(
            (
                _("Verified hours of credit, all active members together"),
                gettext("%(hours)s hours") % {"hours": _hours(Decimal(facts["hours_total"]))},
            )
        )
    if "share_met" in facts:
        share = _share_shown(Decimal(facts["share_met"]))
        rows.append(
            (_("Share of active members who met the year's group minimum"), f"{_number(share)} %")
        )
    if "members" in facts:
        rows.append((_("Active members"), facts["members"]))
    return rows


def diploma_pdf_store(*, diploma: InstitutionDiploma) -> InstitutionDiploma:
    """Render the diploma's PDF once, store it and record its SHA-256.

    Does nothing when a PDF is already stored. Rendering runs outside any transaction; the row
    is then locked, checked again and written, so two workers that render at once store one PDF.
    """
    if diploma.pdf_sha256:
        return diploma
    content = render_diploma_pdf(diploma_pdf_data(diploma))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = InstitutionDiploma.objects.select_for_update().get(pk=diploma.pk)
        if locked.pdf_sha256:
            return locked
        locked.pdf.save(f"{locked.uuid}.pdf", ContentFile(content), save=False)
        locked.pdf_sha256 = digest
        locked.save(update_fields=["pdf", "pdf_sha256"])
    return locked


# --- Reads ----------------------------------------------------------------------------------


def diploma_by_code(code: str) -> InstitutionDiploma | None:
    """The diploma with this stored (normalised) code, or None."""
    return InstitutionDiploma.objects.filter(code=code).first()


def diploma_status(institution: Institution, year: int) -> dict:
    """For the contact person's page: the year's criteria, what the institution achieved so
    far, whether every threshold is met, and the diploma if it was issued.

    ``criteria`` is None for a year without criteria (then ``checks`` is empty and ``met``
    False). Reads only: issuing happens in ``diploma_evaluate``.
    """
    criteria = diploma_criteria_for(year)
    diploma = _diploma_of(institution, year)
    facts = diploma_facts(institution, year)
    checks = criteria_checks(criteria, facts) if criteria is not None else []
    return {
        "institution": institution,
        "year": year,
        "criteria": criteria,
        "facts": facts,
        "checks": checks,
        "met": bool(checks) and all(check.met for check in checks),
        "diploma": diploma,
        "enrolled": institution_enrolled_in(institution, year),
    }


def diplomas_public(year: int) -> list[InstitutionDiploma]:
    """The year's valid diplomas of institutions that agreed to be named publicly, by name."""
    return list(
        InstitutionDiploma.objects.filter(
            year=year, revoked_at__isnull=True, institution__list_publicly=True
        )
        .select_related("institution")
        .order_by("institution_name", "pk")
    )


def diploma_years() -> list[int]:
    """Years with criteria or with a diploma, newest first (the public list's year selector)."""
    years = set(DiplomaCriteria.objects.values_list("year", flat=True))
    years |= set(InstitutionDiploma.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


# --- Formatting -----------------------------------------------------------------------------


def _hours(value) -> str:
    # As the documents print hours (certificates.pdf.hours_text: at least one decimal), without
    # loading WeasyPrint.
    value = Decimal(value)
    places = 1 if value == value.quantize(Decimal("0.1")) else 2
    return formats.number_format(value, decimal_pos=places, use_l10n=True)


def _share_shown(value: Decimal) -> Decimal:
    # Rounded down, so a share just below a threshold never reads as reaching it.
    return value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def _number(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=1, use_l10n=True)
