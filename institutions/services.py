"""Every write that matters for institutions: register and enrol, membership, self-service changes.

Each function is keyword-only, runs in one transaction, refuses with ``InstitutionRefused`` (a
translated message to show as it is) and leaves an ``InstitutionEvent``. A learner has at most one
open (requested or active) membership: the partial unique constraint
``institutions_one_open_membership`` decides races, and the loser reads what the winner wrote.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institutions.errors import InstitutionRefused
from institutions.models import (
    Enrolment,
    Institution,
    InstitutionEvent,
    InstitutionEventKind,
    InstitutionKind,
    Membership,
    MembershipStatus,
)
from institutions.numbers import org_number_normalise, validate_org_number

# A concurrent request can take the one open membership between our read and our insert;
# each retry reads again and decides anew.
_MEMBERSHIP_ATTEMPTS = 3

PROGRAMME_ADMIN_VIEW = "institutions.view_institution"
PROGRAMME_ADMIN_CHANGE = "institutions.change_institution"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


def _name(user) -> str:
    from certificates.services import holder_name_of

    return holder_name_of(user) if user is not None else ""


def _event(*, institution, kind, by, note: str = "") -> InstitutionEvent:
    return InstitutionEvent.objects.create(institution=institution, kind=kind, by=by, note=note)


def is_programme_admin(user, *, change: bool = False) -> bool:
    """Staff with the institutions permission (a superuser has them all)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(PROGRAMME_ADMIN_CHANGE if change else PROGRAMME_ADMIN_VIEW)


def may_manage(user, institution: Institution) -> bool:
    """The institution's contact person, or a programme admin who may change institutions."""
    if user is None or not user.is_authenticated:
        return False
    if institution.contact_person_id is not None and institution.contact_person_id == user.pk:
        return True
    return is_programme_admin(user, change=True)


def _refuse_unless_manager(user, institution: Institution) -> None:
    if not may_manage(user, institution):
        raise InstitutionRefused(
            _("Only the institution's contact person can do this."), code="not_contact_person"
        )


def _close_request(membership: Membership, *, by, now) -> None:
    membership.status = MembershipStatus.ENDED
    membership.ended_at = now
    membership.ended_by = by
    membership.save(update_fields=["status", "ended_at", "ended_by"])
    _event(
        institution=membership.institution,
        kind=InstitutionEventKind.MEMBER_ENDED,
        by=by,
        note=_("Request withdrawn: %(name)s") % {"name": _name(membership.user)},
    )


def enrolment_end(starts_on: datetime.date) -> datetime.date:
    """The day an enrolment starting on ``starts_on`` no longer counts:
    ``INSTITUTION_ENROLMENT_YEARS`` later (28 February for a start on 29 February)."""
    years = settings.INSTITUTION_ENROLMENT_YEARS
    try:
        return starts_on.replace(year=starts_on.year + years)
    except ValueError:
        return starts_on.replace(year=starts_on.year + years, day=28)


def institution_register(
    *,
    user,
    name: str,
    org_number: str,
    municipality: str,
    kind: str,
    pharmacy: str = "",
    beds: int | None = None,
    starts_on: datetime.date | None = None,
) -> Institution:
    """Register a new institution and enrol it for ``INSTITUTION_ENROLMENT_YEARS`` years.

    The registering learner becomes its contact person and an active member; a request they had
    open elsewhere is withdrawn. Refused when they are already an active member of another
    institution (they leave it first) or when the organisation number is taken.
    """
    digits = org_number_normalise(org_number)
    try:
        validate_org_number(org_number)
    except ValidationError as error:
        raise InstitutionRefused(error.messages[0], code="org_number_invalid") from error
    if kind not in InstitutionKind.values:
        raise InstitutionRefused(_("Choose the type of institution."), code="kind_invalid")
    name, municipality = (name or "").strip(), (municipality or "").strip()
    if not name or not municipality:
        raise InstitutionRefused(
            _("Give the institution's name and municipality."), code="missing_details"
        )
    starts_on = starts_on or timezone.localdate()
    ends_on = enrolment_end(starts_on)
    now = timezone.now()
    try:
        with transaction.atomic():
            _lock_user(user)
            open_membership = _open_membership(user)
            if open_membership is not None:
                if open_membership.status == MembershipStatus.ACTIVE:
                    raise InstitutionRefused(
                        _(
                            "You are a member of %(name)s. Leave it first, then register the "
                            "new institution."
                        )
                        % {"name": open_membership.institution.name},
                        code="member_elsewhere",
                    )
                _close_request(open_membership, by=user, now=now)
            institution = Institution(
                name=name,
                org_number=digits,
                municipality=municipality,
                kind=kind,
                pharmacy=(pharmacy or "").strip(),
                beds=beds,
                contact_person=user,
            )
            try:
                institution.full_clean()
            except ValidationError as error:
                if "org_number" in error.message_dict:
                    raise _org_number_taken(digits) from error
                raise InstitutionRefused(error.messages[0], code="invalid") from error
            institution.save()
            Enrolment.objects.create(
                institution=institution, starts_on=starts_on, ends_on=ends_on, created_by=user
            )
            Membership.objects.create(
                institution=institution,
                user=user,
                status=MembershipStatus.ACTIVE,
                requested_at=now,
                decided_at=now,
                decided_by=user,
            )
            _event(
                institution=institution,
                kind=InstitutionEventKind.ENROLLED,
                by=user,
                note=_("Enrolled %(start)s – %(end)s; contact person %(name)s")
                % {"start": starts_on.isoformat(), "end": ends_on.isoformat(), "name": _name(user)},
            )
    except IntegrityError as error:
        if Institution.objects.filter(org_number=digits).exists():
            raise _org_number_taken(digits) from error
        raise InstitutionRefused(
            _("You have just joined or asked to join another institution; reload the page."),
            code="membership_race",
        ) from error
    return institution


def _org_number_taken(digits: str) -> InstitutionRefused:
    return InstitutionRefused(
        _(
            "An institution with organisation number %(number)s is already registered. "
            "Search for it and ask to join instead."
        )
        % {"number": digits},
        code="org_number_taken",
    )


def _lock_user(user) -> None:
    """Serialise one learner's membership changes (requests from two tabs at once)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _open_membership(user) -> Membership | None:
    return (
        Membership.objects.select_related("institution")
        .filter(user=user, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE])
        .first()
    )


def membership_request(*, user, institution: Institution) -> Membership:
    """Ask to join ``institution``; its contact person decides.

    Asking again for the same institution returns the open request. A request open for another
    institution is withdrawn and replaced. Refused while the learner is an active member
    anywhere (they leave first) and when the institution is not enrolled now.
    """
    if institution.current_enrolment() is None:
        raise InstitutionRefused(
            _("%(name)s is not enrolled in the programme now.") % {"name": institution.name},
            code="not_enrolled",
        )
    last_error = None
    for _attempt in range(_MEMBERSHIP_ATTEMPTS):
        try:
            with transaction.atomic():
                _lock_user(user)
                current = _open_membership(user)
                if current is not None:
                    if current.status == MembershipStatus.ACTIVE:
                        if current.institution_id == institution.pk:
                            raise InstitutionRefused(
                                _("You are already a member of %(name)s.")
                                % {"name": institution.name},
                                code="already_member",
                            )
                        raise InstitutionRefused(
                            _(
                                "You are a member of %(name)s. Leave it first, then ask to "
                                "join another institution."
                            )
                            % {"name": current.institution.name},
                            code="member_elsewhere",
                        )
                    if current.institution_id == institution.pk:
                        return current
                    _close_request(current, by=user, now=timezone.now())
                membership = Membership.objects.create(
                    institution=institution, user=user, status=MembershipStatus.REQUESTED
                )
                _event(
                    institution=institution,
                    kind=InstitutionEventKind.MEMBER_REQUESTED,
                    by=user,
                    note=_name(user),
                )
                return membership
        except IntegrityError as error:
            last_error = error
    raise InstitutionRefused(
        _("Your membership changed while we saved it; reload the page and try again."),
        code="membership_race",
    ) from last_error


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update().select_related("institution").get(pk=membership.pk)
    )


def membership_decide(*, membership: Membership, by, accept: bool) -> Membership:
    """Confirm or decline a requested membership (the contact person, or a programme admin).

    Deciding the same way twice is fine; changing a decision already made is refused.
    """
    with transaction.atomic():
        membership = _locked(membership)
        institution = membership.institution
        _refuse_unless_manager(by, institution)
        wanted = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
        if membership.status == wanted:
            return membership
        if membership.status != MembershipStatus.REQUESTED:
            raise InstitutionRefused(
                _("This request has already been dealt with (%(status)s).")
                % {"status": membership.get_status_display()},
                code="already_decided",
            )
        membership.status = wanted
        membership.decided_at = timezone.now()
        membership.decided_by = by
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        _event(
            institution=institution,
            kind=InstitutionEventKind.MEMBER_CONFIRMED
            if accept
            else InstitutionEventKind.MEMBER_DECLINED,
            by=by,
            note=_name(membership.user),
        )
    return membership


def membership_end(*, membership: Membership, by) -> Membership:
    """End a membership (or withdraw a request): the member themself, the contact person, or a
    programme admin. The contact person hands the role to another member before leaving."""
    with transaction.atomic():
        membership = _locked(membership)
        institution = membership.institution
        if membership.user_id != getattr(by, "pk", None):
            _refuse_unless_manager(by, institution)
        if membership.status in (MembershipStatus.ENDED, MembershipStatus.DECLINED):
            return membership
        if (
            membership.status == MembershipStatus.ACTIVE
            and institution.contact_person_id == membership.user_id
        ):
            raise InstitutionRefused(
                _(
                    "The contact person cannot leave: choose a new contact person among the "
                    "members first."
                ),
                code="contact_person_leaving",
            )
        was_request = membership.status == MembershipStatus.REQUESTED
        membership.status = MembershipStatus.ENDED
        membership.ended_at = timezone.now()
        membership.ended_by = by
        membership.save(update_fields=["status", "ended_at", "ended_by"])
        note = _name(membership.user)
        if was_request:
            note = _("Request withdrawn: %(name)s") % {"name": note}
        _event(institution=institution, kind=InstitutionEventKind.MEMBER_ENDED, by=by, note=note)
    return membership


def contact_person_change(*, institution: Institution, by, new_contact) -> Institution:
    """Hand the contact person's role to another active member of the institution."""
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution.pk)
        _refuse_unless_manager(by, institution)
        if (
            new_contact is None
            or not Membership.objects.filter(
                institution=institution, user=new_contact, status=MembershipStatus.ACTIVE
            ).exists()
        ):
            raise InstitutionRefused(
                _("The new contact person must be an active member of the institution."),
                code="not_a_member",
            )
        if institution.contact_person_id == new_contact.pk:
            return institution
        old = institution.contact_person
        institution.contact_person = new_contact
        institution.save(update_fields=["contact_person", "updated_at"])
        _event(
            institution=institution,
            kind=InstitutionEventKind.CONTACT_CHANGED,
            by=by,
            note=_("%(old)s → %(new)s") % {"old": _name(old) or "–", "new": _name(new_contact)},
        )
    return institution


def institution_update(
    *, institution: Institution, by, pharmacy=UNSET, beds=UNSET, list_publicly=UNSET
) -> Institution:
    """Self-service changes by the contact person; each changed field leaves its own event
    (pharmacy, beds, public listing), unchanged ones leave none."""
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution.pk)
        _refuse_unless_manager(by, institution)
        changes: list[tuple[str, str, str]] = []
        if pharmacy is not UNSET:
            pharmacy = (pharmacy or "").strip()
            if len(pharmacy) > 200:
                raise InstitutionRefused(
                    _("The pharmacy's name can be at most 200 characters."), code="invalid"
                )
            if pharmacy != institution.pharmacy:
                changes.append(
                    (
                        InstitutionEventKind.PHARMACY_CHANGED,
                        "pharmacy",
                        f"{institution.pharmacy or '–'} → {pharmacy or '–'}",
                    )
                )
                institution.pharmacy = pharmacy
        if beds is not UNSET:
            if beds is not None and (not isinstance(beds, int) or beds < 0 or beds > 100000):
                raise InstitutionRefused(
                    _("Give the number of beds as a whole number."), code="invalid"
                )
            if beds != institution.beds:
                old = "–" if institution.beds is None else str(institution.beds)
                new = "–" if beds is None else str(beds)
                changes.append((InstitutionEventKind.BEDS_CHANGED, "beds", f"{old} → {new}"))
                institution.beds = beds
        if list_publicly is not UNSET and bool(list_publicly) != institution.list_publicly:
            institution.list_publicly = bool(list_publicly)
            changes.append(
                (
                    InstitutionEventKind.DETAILS_CHANGED,
                    "list_publicly",
                    _("May be named on the public list of diplomas")
                    if institution.list_publicly
                    else _("May not be named on the public list of diplomas"),
                )
            )
        if changes:
            institution.save(update_fields=[field for _k, field, _n in changes] + ["updated_at"])
            for kind, _field, note in changes:
                _event(institution=institution, kind=kind, by=by, note=note)
    return institution


def enrolment_leave(
    *, institution: Institution, by, reason: str, on: datetime.date | None = None
) -> Enrolment:
    """Leave the programme before the enrolment period ends, with a reason. Members and their
    certificates stay; the institution just has no active enrolment from ``on`` (today)."""
    reason = (reason or "").strip()
    if not reason:
        raise InstitutionRefused(
            _("Tell us why the institution leaves the programme."), code="reason_missing"
        )
    on = on or timezone.localdate()
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution.pk)
        _refuse_unless_manager(by, institution)
        enrolment = institution.current_enrolment(on)
        if enrolment is None:
            raise InstitutionRefused(
                _("%(name)s is not enrolled in the programme now.") % {"name": institution.name},
                code="not_enrolled",
            )
        # Leaving on the first day leaves the period empty: it never counted.
        enrolment.left_on = max(on, enrolment.starts_on)
        enrolment.left_reason = reason
        enrolment.save(update_fields=["left_on", "left_reason"])
        _event(institution=institution, kind=InstitutionEventKind.LEFT, by=by, note=reason)
    return enrolment


def institution_enrol(
    *, institution: Institution, by, starts_on: datetime.date | None = None
) -> Enrolment:
    """Enrol again for a new period, after the last one ended or the institution left.
    Refused while an enrolment is active."""
    starts_on = starts_on or timezone.localdate()
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution.pk)
        _refuse_unless_manager(by, institution)
        if institution.current_enrolment(starts_on) is not None:
            raise InstitutionRefused(
                _("%(name)s is already enrolled in the programme.") % {"name": institution.name},
                code="already_enrolled",
            )
        ends_on = enrolment_end(starts_on)
        enrolment = Enrolment.objects.create(
            institution=institution, starts_on=starts_on, ends_on=ends_on, created_by=by
        )
        _event(
            institution=institution,
            kind=InstitutionEventKind.ENROLLED,
            by=by,
            note=_("Enrolled %(start)s – %(end)s; contact person %(name)s")
            % {
                "start": starts_on.isoformat(),
                "end": ends_on.isoformat(),
                "name": _name(institution.contact_person) or "–",
            },
        )
    return enrolment


def memberships_close_for_deleted_account(*, user) -> None:
    """When a learner deletes their account: their open membership ends, and an institution
    they were the contact person of is left without one (a programme admin names the next),
    each with an event. Called inside ``accounts.services.learner_delete``'s transaction."""
    now = timezone.now()
    for membership in Membership.objects.select_for_update().filter(
        user=user, status__in=[MembershipStatus.REQUESTED, MembershipStatus.ACTIVE]
    ):
        membership.status = MembershipStatus.ENDED
        membership.ended_at = now
        membership.ended_by = user
        membership.save(update_fields=["status", "ended_at", "ended_by"])
        _event(
            institution=membership.institution,
            kind=InstitutionEventKind.MEMBER_ENDED,
            by=None,
            note=_("The member deleted their account."),
        )
    for institution in Institution.objects.select_for_update().filter(contact_person=user):
        institution.contact_person = None
        institution.save(update_fields=["contact_person", "updated_at"])
        _event(
            institution=institution,
            kind=InstitutionEventKind.CONTACT_CHANGED,
            by=None,
            note=_("The contact person deleted their account; the institution has none now."),
        )
