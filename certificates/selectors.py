"""Reads of certificates."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from certificates.codes import code_normalise
from certificates.models import (
    Certificate,
    CertificateStatus,
    CourseHistory,
    ExternalActivity,
    YearTarget,
)


@dataclass(frozen=True)
class LedgerYear:
    """One year of a learner's ledger: verified hours against the year's target.

    Only valid certificates count; revoked and superseded ones are listed apart, and so are the
    learner's self-reported external activities, which are never counted as verified.
    """

    year: int
    certificates: list
    set_aside: list
    external: list
    target_min: Decimal
    target_max: Decimal
    together_min: Decimal

    @property
    def hours_individual(self) -> Decimal:
        return sum((c.hours_individual for c in self.certificates), Decimal(0))

    @property
    def hours_together(self) -> Decimal:
        return sum((c.hours_together for c in self.certificates), Decimal(0))

    @property
    def hours_total(self) -> Decimal:
        return self.hours_individual + self.hours_together

    @property
    def hours_external(self) -> Decimal:
        return sum((activity.hours for activity in self.external), Decimal(0))

    @property
    def target_met(self) -> bool:
        return self.hours_total >= self.target_min

    @property
    def together_met(self) -> bool:
        return self.hours_together >= self.together_min

    @property
    def met(self) -> bool:
        """The band's lower end reached, with at least the group minimum done together."""
        return self.target_met and self.together_met

    @property
    def progress_value(self) -> Decimal:
        # The bar runs to the band's upper end; hours beyond it fill it.
        return min(self.hours_total, self.target_max)


def learner_ledger(user) -> list[LedgerYear]:
    """The learner's ledger, newest year first: every year with a certificate or an external
    activity, and always the current year. A certificate counts in the year it was completed."""
    certificates = (
        Certificate.objects.filter(holder=user)
        .select_related("superseded_by")
        .order_by("activity_date", "issued_at", "pk")
    )
    external = ExternalActivity.objects.filter(user=user).order_by("date", "pk")
    by_year: dict[int, dict[str, list]] = {}

    def year_of(year: int) -> dict[str, list]:
        return by_year.setdefault(year, {"certificates": [], "set_aside": [], "external": []})

    year_of(timezone.localdate().year)
    for certificate in certificates:
        counted = certificate.status == CertificateStatus.VALID
        year_of(certificate.activity_date.year)["certificates" if counted else "set_aside"].append(
            certificate
        )
    for activity in external:
        year_of(activity.date.year)["external"].append(activity)
    targets = {target.year: target for target in YearTarget.objects.filter(year__in=by_year)}
    ledger = []
    for year in sorted(by_year, reverse=True):
        target = targets.get(year) or YearTarget(year=year)
        ledger.append(
            LedgerYear(
                year=year,
                target_min=target.target_min,
                target_max=target.target_max,
                together_min=target.together_min,
                **by_year[year],
            )
        )
    return ledger


def learner_ledger_year(user, year: int) -> LedgerYear | None:
    """One year of ``learner_ledger``, or None when the learner has nothing in it."""
    return next((entry for entry in learner_ledger(user) if entry.year == year), None)


def certificate_by_code(code: str | None) -> Certificate | None:
    """The certificate a typed or scanned code names (read forgivingly: case, hyphens, O/0,
    I/L/1), with what its verification page shows; None when there is none."""
    normalised = code_normalise(code)
    if normalised is None:
        return None
    return (
        Certificate.objects.select_related("supersedes", "superseded_by")
        .filter(code=normalised)
        .first()
    )


def course_history_by_code(code: str | None) -> CourseHistory | None:
    """The course history a typed or scanned code names (read like a certificate's code), with
    the certificates it lists; None when there is none. The verification page shows it when no
    certificate has the code."""
    normalised = code_normalise(code)
    if normalised is None:
        return None
    return (
        CourseHistory.objects.filter(code=normalised)
        .prefetch_related("certificates__superseded_by")
        .first()
    )
