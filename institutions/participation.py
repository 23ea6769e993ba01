"""One institution's participation in one programme year: who of its active members has which
certificates, their hours individual and together, who met the year's group minimum, and the
group sessions held.

A read only, in a fixed number of queries whatever the number of members (the members with
their profiles, their certificates, the sessions, the attended counts): the contact person's
page, its exports and the diploma evaluation (``institutions.diplomas``) all read it.

Only valid certificates count (not revoked, superseded or withdrawn), in the calendar year of
their ``activity_date``, as in the learner's own ledger (``certificates.selectors``). Members
are the institution's active members now: someone who left takes their hours along.
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from attendance.selectors import group_sessions_attended, sessions_with_attendees
from certificates.models import Certificate, YearTarget
from certificates.services import holder_name_of
from institutions.models import Institution, Membership, MembershipStatus

_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class MemberYear:
    """One active member's year: the valid certificates and what they add up to."""

    user: object
    name: str
    profession: str
    certificates: list = field(default_factory=list)
    hours_individual: Decimal = Decimal(0)
    hours_together: Decimal = Decimal(0)
    group_minimum_met: bool = False
    sessions_attended: int = 0

    @property
    def hours_total(self) -> Decimal:
        return self.hours_individual + self.hours_together


@dataclass(frozen=True)
class ParticipationTotals:
    """The institution's year in figures (what the diploma criteria are checked against)."""

    members_count: int
    hours_individual: Decimal
    hours_together: Decimal
    hours_total: Decimal
    members_group_minimum_met: int
    # Percent of active members who met the group minimum, 0-100, rounded down to 0.01 so that
    # rounding never makes a criterion look met.
    share_group_minimum_met: Decimal
    group_sessions_count: int


@dataclass(frozen=True)
class Participation:
    """``institution_participation``'s answer. The totals are also readable directly
    (``participation.hours_total``)."""

    institution: Institution
    year: int
    together_min: Decimal
    members: list[MemberYear]
    sessions: list
    totals: ParticipationTotals

    @property
    def hours_total(self) -> Decimal:
        return self.totals.hours_total

    @property
    def hours_individual(self) -> Decimal:
        return self.totals.hours_individual

    @property
    def hours_together(self) -> Decimal:
        return self.totals.hours_together

    @property
    def members_count(self) -> int:
        return self.totals.members_count

    @property
    def members_group_minimum_met(self) -> int:
        return self.totals.members_group_minimum_met

    @property
    def share_group_minimum_met(self) -> Decimal:
        return self.totals.share_group_minimum_met

    @property
    def group_sessions_count(self) -> int:
        return self.totals.group_sessions_count


def active_member_users(institution: Institution) -> QuerySet:
    """The institution's active members (as ``institutions.selectors.active_members``), with
    profile and profession read in the same query."""
    member_ids = Membership.objects.filter(
        institution=institution, status=MembershipStatus.ACTIVE
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=member_ids, is_active=True)
        .select_related("learner_profile__profession")
        .order_by("pk")
    )


def valid_certificates_of_year(*, user_ids, year: int) -> QuerySet:
    """The valid certificates of these learners completed in ``year``, oldest first."""
    return Certificate.objects.filter(
        holder_id__in=user_ids,
        activity_date__year=year,
        revoked_at__isnull=True,
        holder_withdrawn=False,
        superseded_by__isnull=True,
    ).order_by("activity_date", "issued_at", "pk")


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_HUNDREDTH, rounding=ROUND_DOWN)


def _profile_or_none(user):
    from accounts.models import LearnerProfile

    try:
        return user.learner_profile
    except LearnerProfile.DoesNotExist:
        return None


def institution_participation(institution: Institution, year: int) -> Participation:
    """The institution's participation in programme year ``year`` (see the module's text)."""
    users = list(active_member_users(institution))
    user_ids = [user.pk for user in users]
    together_min = YearTarget.for_year(year).together_min
    by_holder: dict[int, list] = {pk: [] for pk in user_ids}
    if user_ids:
        for certificate in valid_certificates_of_year(user_ids=user_ids, year=year):
            by_holder[certificate.holder_id].append(certificate)
        sessions = list(sessions_with_attendees(user_ids=user_ids, year=year))
        attended = group_sessions_attended(user_ids=user_ids, year=year)
    else:
        sessions, attended = [], {}

    members = []
    for user in users:
        certificates = by_holder[user.pk]
        individual = sum((c.hours_individual for c in certificates), Decimal(0))
        together = sum((c.hours_together for c in certificates), Decimal(0))
        profile = _profile_or_none(user)
        profession = profile.profession.name if profile and profile.profession else ""
        members.append(
            MemberYear(
                user=user,
                name=holder_name_of(user),
                profession=profession,
                certificates=certificates,
                hours_individual=individual,
                hours_together=together,
                group_minimum_met=together >= together_min,
                sessions_attended=attended.get(user.pk, 0),
            )
        )
    members.sort(key=lambda member: (member.name.casefold(), member.user.pk))

    met = sum(1 for member in members if member.group_minimum_met)
    individual = sum((member.hours_individual for member in members), Decimal(0))
    together = sum((member.hours_together for member in members), Decimal(0))
    totals = ParticipationTotals(
        members_count=len(members),
        hours_individual=individual,
        hours_together=together,
        hours_total=individual + together,
        members_group_minimum_met=met,
        share_group_minimum_met=_share(met, len(members)),
        group_sessions_count=len(sessions),
    )
    return Participation(
        institution=institution,
        year=year,
        together_min=together_min,
        members=members,
        sessions=sessions,
        totals=totals,
    )
