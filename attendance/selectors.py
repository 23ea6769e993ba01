"""Reads about group sessions that views, Min side and institutions share."""

from collections import defaultdict

from django.db.models import Q

from attendance.codes import join_code_normalise
from attendance.models import (
    Claim,
    ClaimSource,
    ClaimStatus,
    CodewordConfirmation,
    GroupSession,
    SessionEvent,
)


def session_by_code(code: str | None) -> GroupSession | None:
    """The session of a typed join code (read forgivingly), or None."""
    normalised = join_code_normalise(code)
    if normalised is None:
        return None
    return (
        GroupSession.objects.select_related("activity", "facilitator")
        .filter(join_code=normalised)
        .first()
    )


def claims_with_confirmed_pauses(claims: list[Claim]) -> list[Claim]:
    """Set ``confirmed_pauses`` on each claim from one query: distinct (video, chapter) pairs
    confirmed (a pause shown twice gets two words, but counts once)."""

    pauses = defaultdict(set)
    rows = CodewordConfirmation.objects.filter(claim__in=claims).values_list(
        "claim_id", "codeword__video_id", "codeword__chapter_index"
    )
    for claim_id, video_id, chapter_index in rows:
        pauses[claim_id].add((video_id, chapter_index))
    for claim in claims:
        claim.confirmed_pauses = len(pauses[claim.pk])
    return claims


def _name_of(user) -> str:
    from certificates.services import holder_name_of

    return holder_name_of(user)


def claims_for_facilitator(session: GroupSession) -> list[Claim]:
    """Every claim of ``session`` in the order they came, each with ``confirmed_pauses`` and
    ``name`` (the person's name as a certificate prints it)."""
    claims = list(
        session.claims.select_related(
            "user", "user__learner_profile", "added_by", "certificate"
        ).order_by("claimed_at", "pk")
    )
    for claim in claims:
        claim.session = session  # the statuses read the session's requirement; no new query
        claim.name = _name_of(claim.user)
    return claims_with_confirmed_pauses(claims)


def claim_for_user(session: GroupSession, user) -> Claim | None:
    """The user's own claim of ``session`` (with ``confirmed_pauses``), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    claim = session.claims.filter(user=user).first()
    if claim is None:
        return None
    claim.session = session
    return claims_with_confirmed_pauses([claim])[0]


def session_events(session: GroupSession) -> list[SessionEvent]:
    """The session's log, oldest first (evidence for the admin's inspect view)."""
    return list(session.events.select_related("by", "claim__user").order_by("at", "pk"))


def _attested_claims(*, user_ids, year: int):
    # Attested, confirmed, neither removed nor rejected, in a session that earned hours and
    # ended in ``year`` (the local calendar year, as a certificate's activity date).
    return Claim.objects.filter(
        user_id__in=list(user_ids),
        attested_at__isnull=False,
        confirmed_at__isnull=False,
        removed_at__isnull=True,
        rejected_at__isnull=True,
        session__attested_at__isnull=False,
        session__ended_at__year=year,
        session__hours_credit__gt=0,
    )


def sessions_with_attendees(*, user_ids, year: int) -> list[GroupSession]:
    """Attested sessions of ``year`` that gave credit, with at least one attested claim by the
    users ``user_ids``; each session has ``attendees``: those users, by name."""
    claims = _attested_claims(user_ids=user_ids, year=year).select_related(
        "session__activity", "session__facilitator", "user", "user__learner_profile"
    )
    sessions = {}
    for claim in claims:
        session = sessions.setdefault(claim.session_id, claim.session)
        if not hasattr(session, "attendees"):
            session.attendees = []
        session.attendees.append(claim.user)
    for session in sessions.values():
        session.attendees.sort(key=_name_of)
    return sorted(sessions.values(), key=lambda session: session.started_at, reverse=True)


def group_sessions_attended(*, user_ids, year: int) -> dict[int, int]:
    """How many attested group sessions of ``year`` each user attended (users with none are
    left out)."""
    counts = defaultdict(int)
    for user_id in _attested_claims(user_ids=user_ids, year=year).values_list("user_id", flat=True):
        counts[user_id] += 1
    return dict(counts)


def learner_sessions(user) -> dict:
    """Min side: the sessions ``user`` led (``facilitated``, GroupSessions, newest first) and
    the sessions they claimed (``attended``, their Claims with ``session``, newest first;
    their own facilitator claims are not repeated there)."""
    facilitated = list(
        GroupSession.objects.filter(facilitator=user)
        .select_related("activity")
        .order_by("-started_at")
    )
    attended = list(
        Claim.objects.filter(user=user)
        .filter(~Q(source=ClaimSource.FACILITATOR))
        .select_related("session__activity", "certificate")
        .order_by("-session__started_at")
    )
    claims_with_confirmed_pauses(attended)
    return {"facilitated": facilitated, "attended": attended}


def contested_claims():
    """Claims that need approval, in sessions that have ended: for programme admins.

    Removed, rejected and credited claims are left out; the status test (codewords against
    the session's requirement) is done on the rows, as it is not stored.
    """
    claims = list(
        Claim.objects.filter(
            session__ended_at__isnull=False,
            removed_at__isnull=True,
            rejected_at__isnull=True,
            approved_at__isnull=True,
            certificate__isnull=True,
            confirmed_at__isnull=False,
        )
        .exclude(source=ClaimSource.FACILITATOR)
        .select_related("session__activity", "user", "user__learner_profile")
        .order_by("-session__started_at", "claimed_at")
    )
    claims_with_confirmed_pauses(claims)
    contested = [claim for claim in claims if claim.status == ClaimStatus.NEEDS_APPROVAL]
    for claim in contested:
        claim.name = _name_of(claim.user)
    return contested
