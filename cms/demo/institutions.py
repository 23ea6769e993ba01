"""The demo's institutions: a nursing home and a municipal acute ward (KAD), their contact persons
and members, this year's certificates, one group session of the demo interview held last month,
a membership request waiting for the contact person, and this year's diploma criteria.

The words are in ``content/institutions.yaml``. Everything goes through the real services
(``institutions.services``, ``attendance.services``, ``certificates.services``) with past times
where they take them, so the rows, events and evidence are what a real year would leave. The
exceptions, written directly: a course completion (the course's modules marked passed, as if the
quizzes had been taken) and, while the demo video is still being transcoded, the session's
running time taken from the demo video's known length.

Like the rest of the demo: each object is known by a stable ``DemoObject`` key, what exists is
left as it is and what an editor deleted stays deleted. ``reset_demo`` puts the institutions'
own fields, enrolment periods, memberships and the diploma criteria back; certificates and the
group session's evidence are records, never changed or made again once they existed.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Profession
from accounts.services import demo_learner_ensure, learner_profile_update
from attendance import services as attendance_services
from attendance.errors import AttendanceRefused
from attendance.models import ClaimStatus, GroupSession
from certificates import services as certificate_services
from certificates.activities import CompletedActivity
from certificates.models import Certificate
from cms.demo.models import DemoObject
from cms.demo.records import LoadReport, demo_object_plan, demo_object_record
from cms.demo.texts import read
from institutions import services as institution_services
from institutions.errors import InstitutionRefused
from institutions.models import (
    DiplomaCriteria,
    Enrolment,
    Institution,
    InstitutionEvent,
    InstitutionEventKind,
    Membership,
    MembershipStatus,
)

TEXTS = read("institutions")
# The first contact person's login, printed by ``make run`` next to the demo learner's.
DEMO_CONTACT_EMAIL = TEXTS["institutions"]["solsiden"]["contact"]["email"]
DEMO_CONTACT_PASSWORD = TEXTS["contact_password"]

# The institution fields ``reset_demo`` puts back (the organisation number is its identity).
_RESET_FIELDS = ("name", "municipality", "kind", "pharmacy", "beds", "list_publicly")


def demo_contact_login() -> tuple[str, str] | None:
    """The first contact person's email and demo password, or None when that account is gone
    or its password was changed (whoever uses it owns it: never printed then)."""
    user = get_user_model().objects.filter(email__iexact=DEMO_CONTACT_EMAIL).first()
    if user is None or not user.check_password(DEMO_CONTACT_PASSWORD):
        return None
    return DEMO_CONTACT_EMAIL, DEMO_CONTACT_PASSWORD


def demo_contact_login_line(url: str) -> str | None:
    """What ``make run`` prints for the first contact person (None once its password changed)."""
    login = demo_contact_login()
    if login is None:
        return None
    return f"Demo contact person login: {url}  {login[0]} / {login[1]}"


# --- Dates -----------------------------------------------------------------------------------


def _this_year(days_ago: int) -> datetime.date:
    """``days_ago`` days before today, but never before 1 January: "this year's" certificates."""
    today = timezone.localdate()
    return max(today - timedelta(days=days_ago), datetime.date(today.year, 1, 1))


def _months_before(day: datetime.date, *, years: int, months: int) -> datetime.date:
    total = day.year * 12 + (day.month - 1) - years * 12 - months
    return datetime.date(total // 12, total % 12 + 1, min(day.day, 28))


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """As ``institution_register`` counts an enrolment period (29 February ends on the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _at(day: datetime.date, clock: str) -> datetime.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- People ----------------------------------------------------------------------------------


def _ensure_person(report: LoadReport, spec: dict, workplace: str, password: str | None = None):
    """A demo account with a verified email address and a profile; made once, never reset
    (whoever uses it owns it). Only the first contact person has a password to log in with."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    email = spec["email"]
    key = f"person:{email}"
    label = f"demo person {spec['name']}"
    user, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: User.objects.filter(email__iexact=email).order_by("pk").first(),
    )
    if user is not None or not write:
        return user
    user = User.objects.create_user(username=email, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profession = Profession.objects.filter(name=spec["profession"]).order_by("pk").first()
    learner_profile_update(
        user=user, full_name=spec["name"], profession=profession, workplace=workplace
    )
    demo_object_record(key=key, obj=user)
    report.created.append(label)
    return user


# --- Institutions ----------------------------------------------------------------------------


def _ensure_institution(report: LoadReport, name: str, spec: dict, contact) -> Institution | None:
    key = f"institution:{name}"
    label = f"institution {spec['name']}"
    institution, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: Institution.objects.filter(org_number=spec["org_number"]).first(),
    )
    if not write:
        return institution
    if institution is None:
        if contact is None:
            report.skipped.append(f"{label} (its contact person was deleted)")
            return None
        starts_on = _months_before(
            timezone.localdate(),
            years=spec["enrolled_years_ago"],
            months=spec["enrolled_months_ago"],
        )
        try:
            institution = institution_services.institution_register(
                user=contact,
                name=spec["name"],
                org_number=spec["org_number"],
                municipality=spec["municipality"],
                kind=spec["kind"],
                pharmacy=spec["pharmacy"],
                beds=spec["beds"],
                starts_on=starts_on,
            )
        except InstitutionRefused:
            # The contact person joined another institution in the meantime: theirs to decide
            # (not "deleted by an editor", so not in the report's left-out list either).
            return None
        if spec["list_publicly"]:
            institution = institution_services.institution_update(
                institution=institution, by=contact, list_publicly=True
            )
        demo_object_record(key=key, obj=institution)
        demo_object_record(key=f"enrolment:{name}", obj=institution.enrolments.get())
        report.created.append(label)
        return institution
    _reset_institution(report, name, spec, institution, contact)
    return institution


def _reset_institution(report: LoadReport, name: str, spec: dict, institution, contact) -> None:
    """``reset_demo``: the institution's own fields, contact person and enrolment as first made."""
    changed = [field for field in _RESET_FIELDS if getattr(institution, field) != spec[field]]
    for field in changed:
        setattr(institution, field, spec[field])
    contact_back = (
        contact is not None
        and institution.contact_person_id != contact.pk
        and Membership.objects.filter(
            institution=institution, user=contact, status=MembershipStatus.ACTIVE
        ).exists()
    )
    if contact_back:
        institution.contact_person = contact
        changed.append("contact_person")
    if changed:
        institution.full_clean()
        institution.save()
        InstitutionEvent.objects.create(
            institution=institution,
            kind=InstitutionEventKind.DETAILS_CHANGED,
            note=f"reset_demo: {', '.join(changed)}",
        )
        report.updated.append(f"institution {spec['name']}")
    _reset_enrolment(report, name, spec, institution)


def _reset_enrolment(report: LoadReport, name: str, spec: dict, institution) -> None:
    from django.conf import settings

    key = f"enrolment:{name}"
    enrolment, _write = demo_object_plan(
        report,
        key=key,
        label=f"enrolment of {spec['name']}",
        legacy=lambda: institution.enrolments.order_by("pk").first(),
    )
    if enrolment is None or enrolment.institution_id != institution.pk:
        starts_on = _months_before(
            timezone.localdate(),
            years=spec["enrolled_years_ago"],
            months=spec["enrolled_months_ago"],
        )
        enrolment = Enrolment(institution=institution, starts_on=starts_on)
    ends_on = _years_after(enrolment.starts_on, settings.INSTITUTION_ENROLMENT_YEARS)
    if enrolment.pk and (enrolment.ends_on, enrolment.left_on, enrolment.left_reason) == (
        ends_on,
        None,
        "",
    ):
        return
    enrolment.ends_on, enrolment.left_on, enrolment.left_reason = ends_on, None, ""
    enrolment.save()
    demo_object_record(key=key, obj=enrolment)
    report.updated.append(f"enrolment of {spec['name']}")


# --- Memberships -----------------------------------------------------------------------------


def _ensure_membership(
    report: LoadReport, key: str, label: str, *, user, institution, contact, accept: bool
) -> Membership | None:
    """An active membership (``accept``) or a request waiting for the contact person, made
    through the real services. A reset asks again when the demo's one was ended or declined,
    unless the person belongs elsewhere now."""
    if user is None or institution is None:
        return None
    membership, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: (
            Membership.objects.filter(user=user, institution=institution).order_by("-pk").first()
        ),
    )
    if not write:
        return membership
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        return membership
    if membership is not None and membership.status == MembershipStatus.REQUESTED and not accept:
        return membership
    try:
        if membership is None or membership.status != MembershipStatus.REQUESTED:
            membership = institution_services.membership_request(user=user, institution=institution)
        if accept:
            membership = institution_services.membership_decide(
                membership=membership, by=contact, accept=True
            )
    except InstitutionRefused:
        # The person belongs to another institution now: their choice stands.
        return None
    demo_object_record(key=key, obj=membership)
    report.created.append(label)
    return membership


# --- Certificates ----------------------------------------------------------------------------


def _demo_target(key: str):
    record = DemoObject.objects.filter(key=key).select_related("content_type").first()
    return record.target() if record is not None else None


def _once(report: LoadReport, *, key: str, legacy):
    """The record-like demo object ``key`` and whether to make it now: only when it never
    existed. Certificates and session evidence are never made again, not even by a reset."""
    if DemoObject.objects.filter(key=key).exists():
        return _demo_target(key), False
    found = legacy()
    if found is not None:
        demo_object_record(key=key, obj=found)
        return found, False
    return None, True


def _course_completed(user, course, completed_on: datetime.date):
    """The learner passed every module of the course (as if they had taken the quizzes)."""
    from courses.models.progress import CourseCompletion, ModuleProgress, ModuleStatus

    passed_at = _at(completed_on, "19:30")
    for module in course.modules():
        ModuleProgress.objects.update_or_create(
            user=user,
            module=module,
            defaults={
                "status": ModuleStatus.PASSED,
                "passed_at": passed_at,
                "sections_opened": module.section_ids(),
                "last_section": max(1, len(module.section_ids())),
            },
        )
    completion, created = CourseCompletion.objects.get_or_create(
        user=user,
        course=course,
        defaults={"credit_hours": course.credit_hours, "course_revision": course.live_revision},
    )
    if created:
        CourseCompletion.objects.filter(pk=completion.pk).update(completed_at=passed_at)
    return completion


def _course_activity(course, completed_on: datetime.date) -> CompletedActivity:
    return CompletedActivity(
        key=f"course:{course.pk}",
        kind="course",
        title=course.title,
        edition_year=course.year,
        hours_individual=course.credit_hours,
        hours_together=Decimal(0),
        completed_on=completed_on,
        content_revision=str(course.live_revision_id or ""),
        url=course.get_full_url() or "",
    )


def _video_activity(activity, completed_on: datetime.date) -> CompletedActivity:
    first = activity.items.select_related("video").order_by("sort_order", "pk").first()
    return CompletedActivity(
        key=f"video-activity:{activity.pk}",
        kind="clips" if activity.kind == "clips" else "video",
        title=activity.title,
        edition_year=activity.edition_year,
        hours_individual=activity.hours,
        hours_together=Decimal(0),
        completed_on=completed_on,
        content_revision=activity.updated_at.isoformat(),
        url=first.video.get_absolute_url() if first else "",
    )


def _ensure_certificate(report: LoadReport, name: str, spec: dict, people: dict, sources: dict):
    user = people.get(spec["person"])
    source = sources.get(spec["activity"])
    if user is None or source is None:
        return None
    activity_key = (
        f"course:{source.pk}" if spec["activity"] == "course" else f"video-activity:{source.pk}"
    )
    certificate, create = _once(
        report,
        key=f"certificate:member:{name}",
        legacy=lambda: Certificate.objects.filter(
            holder=user, activity_key=activity_key, supersedes=None
        ).first(),
    )
    if not create:
        return certificate
    completed_on = _this_year(spec["days_ago"])
    if spec["activity"] == "course":
        _course_completed(user, source, completed_on)
        completed = _course_activity(source, completed_on)
    else:
        completed = _video_activity(source, completed_on)
    # The PDF is made by the task worker after commit, as for any certificate.
    certificate = certificate_services.certificate_issue(user=user, activity=completed)
    demo_object_record(key=f"certificate:member:{name}", obj=certificate)
    report.created.append(f"certificate {name}")
    return certificate


# --- The group session -----------------------------------------------------------------------


def _running_seconds_fill(session: GroupSession) -> None:
    """A demo video still waiting for its transcode has no measured duration yet; the session
    then freezes the demo video's known length as its running time."""
    if session.running_seconds:
        return
    in_session = set(session.activity.items.values_list("video_id", flat=True))
    seconds = 0
    for video_name, spec in read("videos").items():
        video = _demo_target(f"video:{video_name}")
        if video is not None and video.pk in in_session:
            seconds += int(spec["seconds"])
    if seconds:
        GroupSession.objects.filter(pk=session.pk).update(running_seconds=seconds)
        session.running_seconds = seconds


def _session_start_at(spec: dict) -> datetime.datetime:
    today = timezone.localdate()
    day = today - timedelta(days=spec["days_ago"])
    if day.year != today.year:
        # Early in January: still this programme year, so the session counts for this year.
        day = datetime.date(today.year, 1, 1)
    start = _at(day, spec["starts_at"])
    latest = timezone.now() - timedelta(minutes=spec["attested_after_minutes"] + 1)
    return min(start, latest)


def _ensure_session(report: LoadReport, people: dict) -> GroupSession | None:
    spec = TEXTS["session"]
    label = "group session of the demo interview"
    institution_spec = TEXTS["institutions"][spec["institution"]]
    facilitator = people.get(institution_spec["contact"]["email"])
    activity = _demo_target("video-activity:interview")
    if facilitator is None or activity is None:
        return None
    session, create = _once(
        report,
        key=f"group-session:{spec['institution']}",
        legacy=lambda: (
            GroupSession.objects.filter(activity=activity, facilitator=facilitator)
            .order_by("started_at", "pk")
            .first()
        ),
    )
    if not create:
        return session
    videos = attendance_services.activity_videos(activity)
    if not videos or not activity.live:
        # Loaded without the demo videos (``--no-videos``): a session needs a video to show.
        # Nothing is recorded, so a later load whose interview has a video makes the session.
        return None
    start = _session_start_at(spec)
    try:
        session = attendance_services.group_session_start(
            facilitator=facilitator, activity=activity, now=start
        )
    except AttendanceRefused:
        return None  # an editor closed the interview for credit: no session then
    _running_seconds_fill(session)

    def minutes(value: float) -> datetime.datetime:
        return start + timedelta(minutes=value)

    attendees = []
    for attendee in spec["attendees"]:
        user = people.get(attendee["person"])
        if user is None:
            continue
        claim = attendance_services.session_claim(
            session=session, user=user, now=minutes(attendee["claimed_after_minutes"])
        )
        wanted = attendee["codewords"]
        attendees.append((claim, None if wanted == "all" else int(wanted)))

    # One codeword at each chapter pause, spread over the discussion between the start and the
    # end; each attendee confirms a minute after it is shown.
    pauses = [(video, index) for video in videos for index in range(max(1, video.chapters.count()))]
    span = spec["ended_after_minutes"] - 10
    for number, (video, index) in enumerate(pauses):
        shown = minutes(8 + span * number / len(pauses))
        codeword = attendance_services.codeword_open(
            session=session, by=facilitator, video=video, chapter_index=index, now=shown
        )
        for claim, wanted in attendees:
            if wanted is None or number < wanted:
                attendance_services.codeword_confirm(
                    claim=claim, word=codeword.word, now=shown + timedelta(minutes=1)
                )
        attendance_services.codeword_close(
            session=session, by=facilitator, codeword=codeword, now=shown + timedelta(minutes=3)
        )

    session = attendance_services.group_session_end(
        session=session, by=facilitator, now=minutes(spec["ended_after_minutes"])
    )
    contested = [
        claim.pk
        for claim in session.claims.all()
        if claim.status == ClaimStatus.NEEDS_APPROVAL and claim.rejected_at is None
    ]
    session = attendance_services.session_attest(
        session=session,
        by=facilitator,
        approve_claim_ids=contested,
        now=minutes(spec["attested_after_minutes"]),
    )
    # Credited now rather than by the worker, so the certificates exist when the page is opened
    # (the queued credit_session finds nothing left to do).
    attendance_services.session_credit(session=session)
    demo_object_record(key=f"group-session:{spec['institution']}", obj=session)
    report.created.append(label)
    return session


# --- Diploma criteria ------------------------------------------------------------------------


def _ensure_criteria(report: LoadReport) -> DiplomaCriteria | None:
    year = timezone.localdate().year
    wanted = {
        "min_group_sessions": TEXTS["diploma_criteria"]["min_group_sessions"],
        "min_total_hours": Decimal(TEXTS["diploma_criteria"]["min_total_hours"]),
        "min_share_group_minimum": TEXTS["diploma_criteria"]["min_share_group_minimum"],
    }
    label = f"diploma criteria {year}"
    criteria, write = demo_object_plan(
        report,
        key=f"diploma-criteria:{year}",
        label=label,
        legacy=lambda: DiplomaCriteria.objects.filter(year=year).first(),
    )
    if not write:
        return criteria
    if criteria is None:
        # A row for the year made by a programme admin after the demo's was deleted is theirs.
        criteria = DiplomaCriteria.objects.filter(year=year).first() or DiplomaCriteria(year=year)
    if criteria.pk and all(getattr(criteria, name) == value for name, value in wanted.items()):
        demo_object_record(key=f"diploma-criteria:{year}", obj=criteria)
        return criteria
    created = criteria.pk is None
    for name, value in wanted.items():
        setattr(criteria, name, value)
    criteria.full_clean()
    criteria.save()
    demo_object_record(key=f"diploma-criteria:{year}", obj=criteria)
    (report.created if created else report.updated).append(label)
    return criteria


# --- All of it -------------------------------------------------------------------------------


def ensure_demo_institutions(report: LoadReport) -> None:
    """The two institutions with their people, certificates, session and criteria.

    Runs after the demo certificates (the interview activity and the demo learner come from
    there). Without the demo videos the group session is left out and the rest is made.
    """
    learner, created = demo_learner_ensure()
    if created:
        report.created.append("demo learner")
    people: dict = {learner.email.lower(): learner}
    for name, spec in TEXTS["institutions"].items():
        _ensure_institution_with_people(report, name, spec, people, learner)

    course = _demo_target("page:course")
    sources = {
        "course": course.specific if course is not None else None,
        "interview": _demo_target("video-activity:interview"),
    }
    for name, spec in TEXTS["certificates"].items():
        _ensure_certificate(report, name, spec, people, sources)
    _ensure_session(report, people)
    _ensure_criteria(report)


def _ensure_institution_with_people(
    report: LoadReport, name: str, spec: dict, people: dict, learner
) -> None:
    contact_spec = spec["contact"]
    password = DEMO_CONTACT_PASSWORD if contact_spec["email"] == DEMO_CONTACT_EMAIL else None
    contact = _ensure_person(report, contact_spec, spec["name"], password)
    people[contact_spec["email"]] = contact
    requested = spec.get("requested")
    for person in [*spec["members"], *([requested] if requested else [])]:
        people[person["email"]] = _ensure_person(report, person, spec["name"])
    institution = _ensure_institution(report, name, spec, contact)
    if institution is None:
        return
    # The contact person decides (whoever holds the role now, if it was handed on).
    decider = institution.contact_person or contact
    # The demo learner works at the first institution (her profile says so).
    members = [learner] if name == next(iter(TEXTS["institutions"])) else []
    members += [people[person["email"]] for person in spec["members"]]
    for user in members:
        if user is None:
            continue
        _ensure_membership(
            report,
            f"membership:{name}:{user.email.lower()}",
            f"{certificate_services.holder_name_of(user)} member of {spec['name']}",
            user=user,
            institution=institution,
            contact=decider,
            accept=True,
        )
    if requested:
        _ensure_membership(
            report,
            f"membership-request:{name}:{requested['email']}",
            f"{requested['name']} asks to join {spec['name']}",
            user=people[requested["email"]],
            institution=institution,
            contact=decider,
            accept=False,
        )
