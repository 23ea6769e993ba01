"""An institution's participation in a programme year, read from real rows: certificates issued
by the certificate service, a group session run through the attendance services, memberships
decided by the institutions services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profession
from attendance.services import (
    group_session_end,
    group_session_start,
    session_attest,
    session_claim,
    session_credit,
)
from certificates import services as certificate_services
from certificates.activities import CompletedActivity
from certificates.models import YearTarget
from institutions.participation import institution_participation
from institutions.services import membership_decide, membership_end, membership_request
from tests.institutions import factories
from videos.models import Video, VideoActivity, VideoActivityItem, VideoStatus

pytestmark = pytest.mark.django_db

# The session runs 3 hours before now and ends an hour ago: its year is the one it ended in.
SESSION_START = timezone.now() - timedelta(hours=3)
YEAR = timezone.localdate(SESSION_START + timedelta(hours=2)).year


def issue(user, key, *, year=YEAR, individual="0", together="0", title="Smittevern"):
    """A certificate from the real service, completed in ``year``."""
    return certificate_services.certificate_issue(
        user=user,
        activity=CompletedActivity(
            key=key,
            kind="course",
            title=title,
            edition_year=year,
            hours_individual=Decimal(individual),
            hours_together=Decimal(together),
            completed_on=date(year, 3, 14),
            content_revision="1",
            url="http://testserver/kurs/",
        ),
    )


def member_of(institution, name, *, profession=None):
    """A learner whose request the contact person confirmed."""
    user = factories.learner(name)
    if profession is not None:
        user.learner_profile.profession = profession
        user.learner_profile.save(update_fields=["profession"])
    membership = membership_request(user=user, institution=institution)
    membership_decide(membership=membership, by=institution.contact_person, accept=True)
    return user


def video_activity(title="Intervju om antibiotikastyring", hours="1.5", seconds=600):
    video = Video.objects.create(
        title=title,
        source=f"videos/source/x/{title}.mp4",
        status=VideoStatus.READY,
        duration=seconds,
        media_prefix=f"videos/1/{title}",
    )
    activity = VideoActivity.objects.create(
        title=title, edition_year=YEAR, kind="interview", hours=Decimal(hours)
    )
    VideoActivityItem.objects.create(activity=activity, video=video, sort_order=0)
    return activity


def group_session(activity, facilitator, attendees, *, start=SESSION_START):
    """Run a whole session: start, phone claims, end two hours later, attest (approving the
    claims, which confirmed no codewords), and credit."""
    session = group_session_start(facilitator=facilitator, activity=activity, now=start)
    claims = [
        session_claim(session=session, user=user, now=start + timedelta(minutes=1))
        for user in attendees
    ]
    end = start + timedelta(hours=2)
    group_session_end(session=session, by=facilitator, now=end)
    session_attest(
        session=session,
        by=facilitator,
        approve_claim_ids=[claim.pk for claim in claims],
        now=end + timedelta(minutes=1),
    )
    session_credit(session=session)
    session.refresh_from_db()
    return session


@pytest.fixture
def home():
    """Solstua: the contact person Kari and the members Per and Anne; Per and Kari watched the
    interview together (1.5 hours together each); Per has a course of 2 hours, Anne one of 3.
    Around them: a revoked and a last year's certificate, a pending request, a member who left,
    and another institution's member with her own certificate."""
    nurse = Profession.objects.create(name="Sykepleier")
    contact = factories.learner("Kari Kontakt")
    institution = factories.institution(contact, name="Solstua sykehjem")
    per = member_of(institution, "Per Pleier", profession=nurse)
    anne = member_of(institution, "Anne Assistent")
    YearTarget.objects.create(year=YEAR, together_min=Decimal("1.5"))

    issue(per, "course:1", individual="2", title="Smittevern")
    revoked = issue(per, "course:2", individual="5", title="Trukket kurs")
    certificate_services.certificate_revoke(certificate=revoked, reason="Feil", by=contact)
    issue(per, "course:old", year=YEAR - 1, individual="4", title="I fjor")
    issue(anne, "course:1", individual="3", title="Smittevern")
    session = group_session(video_activity(), contact, [per])

    asking = factories.learner("Siri Søker")
    membership_request(user=asking, institution=institution)
    left = member_of(institution, "Lars Sluttet")
    issue(left, "course:1", individual="6")
    membership_end(membership=left.institution_memberships.get(), by=contact)

    other = factories.institution(name="Fjordheim")
    outsider = member_of(other, "Olga Annen")
    issue(outsider, "course:1", individual="7")
    return {
        "institution": institution,
        "contact": contact,
        "per": per,
        "anne": anne,
        "asking": asking,
        "left": left,
        "other": other,
        "outsider": outsider,
        "session": session,
    }


def test_members_hours_group_minimum_and_sessions(home):
    participation = institution_participation(home["institution"], YEAR)

    by_name = {member.name: member for member in participation.members}
    assert list(by_name) == ["Anne Assistent", "Kari Kontakt", "Per Pleier"]
    per, kari, anne = by_name["Per Pleier"], by_name["Kari Kontakt"], by_name["Anne Assistent"]

    assert per.profession == "Sykepleier" and anne.profession == ""
    assert [c.activity_title for c in per.certificates] == [
        "Smittevern",
        "Intervju om antibiotikastyring",
    ]
    assert (per.hours_individual, per.hours_together) == (Decimal(2), Decimal("1.5"))
    assert (kari.hours_individual, kari.hours_together) == (Decimal(0), Decimal("1.5"))
    assert (anne.hours_individual, anne.hours_together) == (Decimal(3), Decimal(0))
    assert per.group_minimum_met and kari.group_minimum_met and not anne.group_minimum_met
    assert (per.sessions_attended, kari.sessions_attended, anne.sessions_attended) == (1, 1, 0)

    assert participation.together_min == Decimal("1.5")
    assert [session.pk for session in participation.sessions] == [home["session"].pk]
    assert {user.pk for user in participation.sessions[0].attendees} == {
        home["per"].pk,
        home["contact"].pk,
    }
    totals = participation.totals
    assert totals.members_count == 3
    assert totals.hours_individual == Decimal(5)
    assert totals.hours_together == Decimal(3)
    assert totals.hours_total == Decimal(8) == participation.hours_total
    assert totals.members_group_minimum_met == 2
    assert totals.share_group_minimum_met == Decimal("66.66")
    assert totals.group_sessions_count == 1


def test_a_year_counts_only_its_own_certificates_and_sessions(home):
    last_year = institution_participation(home["institution"], YEAR - 1)
    per = next(member for member in last_year.members if member.name == "Per Pleier")
    assert [c.activity_title for c in per.certificates] == ["I fjor"]
    assert last_year.totals.hours_total == Decimal(4)
    assert last_year.sessions == [] and last_year.totals.group_sessions_count == 0
    # The default group minimum (3 hours together) applies to a year without a target.
    assert last_year.together_min == Decimal(3)
    assert last_year.totals.members_group_minimum_met == 0
    assert last_year.totals.share_group_minimum_met == Decimal(0)


def test_a_new_institution_has_only_its_contact_person_and_no_hours():
    institution = factories.institution()
    participation = institution_participation(institution, YEAR)
    assert participation.totals.members_count == 1
    assert participation.totals.hours_total == 0
    assert participation.totals.share_group_minimum_met == Decimal(0)


def test_queries_do_not_grow_with_the_number_of_members(home):
    institution = home["institution"]
    with CaptureQueriesContext(connection) as few:
        institution_participation(institution, YEAR)
    for n in range(6):
        user = member_of(institution, f"Ny medarbeider {n}")
        issue(user, "course:1", individual="1")
        issue(user, "course:9", individual="1")
    with CaptureQueriesContext(connection) as many:
        participation = institution_participation(institution, YEAR)
    assert participation.totals.members_count == 9
    assert len(many.captured_queries) == len(few.captured_queries)
