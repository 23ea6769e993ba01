"""Reads for institutions: who may see an institution, its members, a learner's membership,
search, and the colleagues a facilitator may add to a group session."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from institutions.models import Institution, Membership, MembershipStatus
from institutions.numbers import org_number_normalise

SEARCH_LIMIT = 20


def _is_programme_admin(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("institutions.view_institution")
    )


def institution_for_contact(user, pk) -> Institution:
    """The institution ``pk`` if ``user`` is its contact person or a programme admin; else 404
    (never 403: another institution's existence is no one else's business)."""
    institution = Institution.objects.select_related("contact_person").filter(pk=pk).first()
    if institution is None or user is None or not user.is_authenticated:
        raise Http404
    if institution.contact_person_id == user.pk or _is_programme_admin(user):
        return institution
    raise Http404


def active_members(institution: Institution) -> list:
    """The institution's active members, by name."""
    from certificates.services import holder_name_of

    User = get_user_model()
    users = list(
        User.objects.filter(
            institution_memberships__institution=institution,
            institution_memberships__status=MembershipStatus.ACTIVE,
            is_active=True,
        )
        .select_related("learner_profile")
        .distinct()
    )
    return sorted(users, key=lambda user: holder_name_of(user).casefold())


def pending_requests(institution: Institution) -> list[Membership]:
    """Requests waiting for the contact person's decision, oldest first."""
    return list(
        institution.memberships.filter(status=MembershipStatus.REQUESTED)
        .select_related("user", "user__learner_profile")
        .order_by("requested_at", "pk")
    )


def membership_of(user) -> Membership | None:
    """The learner's open (requested or active) membership, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("institution", "institution__contact_person")
        .filter(user=user, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE])
        .first()
    )


def institutions_of_contact(user) -> list[Institution]:
    """The institutions ``user`` is the contact person of."""
    if user is None or not user.is_authenticated:
        return []
    return list(Institution.objects.filter(contact_person=user).order_by("name", "pk"))


def institutions_search(text: str | None) -> QuerySet[Institution]:
    """Institutions by name, municipality (parts of words) or organisation number (its first
    digits or all nine, spaces allowed); at most ``SEARCH_LIMIT``. Empty text finds nothing."""
    text = (text or "").strip()[:100]
    if len(text) < 2:
        return Institution.objects.none()
    digits = text.replace(" ", "")
    query = Q(name__icontains=text) | Q(municipality__icontains=text)
    if digits.isascii() and digits.isdigit():
        full = org_number_normalise(text)
        query |= Q(org_number=full) if full else Q(org_number__startswith=digits)
    return Institution.objects.filter(query).order_by("name", "pk")[:SEARCH_LIMIT]


def colleagues_of(facilitator) -> list:
    """Active members of every institution the facilitator is an active member or the contact
    person of (themselves excluded)."""
    if facilitator is None or not facilitator.is_authenticated:
        return []
    institution_ids = set(
        Membership.objects.filter(user=facilitator, status=MembershipStatus.ACTIVE).values_list(
            "institution_id", flat=True
        )
    ) | set(Institution.objects.filter(contact_person=facilitator).values_list("pk", flat=True))
    if not institution_ids:
        return []
    User = get_user_model()
    return list(
        User.objects.filter(
            institution_memberships__institution_id__in=institution_ids,
            institution_memberships__status=MembershipStatus.ACTIVE,
            is_active=True,
        )
        .exclude(pk=facilitator.pk)
        .select_related("learner_profile")
        .distinct()
        .order_by("pk")
    )
