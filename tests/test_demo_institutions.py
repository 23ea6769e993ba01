"""After ``load_demo`` the institution pages have something real to show: two institutions with
their contact persons and members, this year's certificates, a group session of the demo
interview held last month with attested attendees, a request to confirm and the year's diploma
criteria. Running it again changes nothing; an editor's change stays; a reset restores the
institutions but never issues a certificate again."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from attendance.models import ClaimSource, GroupSession, SessionEventKind
from attendance.selectors import sessions_with_attendees
from certificates.models import Certificate, CertificateEvent
from cms.demo import loader
from cms.demo.institutions import (
    DEMO_CONTACT_EMAIL,
    DEMO_CONTACT_PASSWORD,
    demo_contact_login,
    demo_contact_login_line,
)
from cms.demo.loader import load_demo
from cms.demo.models import DemoObject
from cms.demo.records import demo_object_record
from courses.models.progress import CourseCompletion
from institutions.diplomas import diploma_status
from institutions.models import (
    DiplomaCriteria,
    Institution,
    InstitutionKind,
    MembershipStatus,
)
from institutions.numbers import org_number_valid
from videos.models import Video, VideoActivity, VideoChapter, VideoStatus

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
SOLSIDEN = "973815261"
KAD = "992143770"


def _demo_video(key: str, title: str, *, chapters: int, duration):
    """A demo video without the transcode: the interview as ``make run`` first sees it (queued,
    no measured duration yet), with its four chapters."""
    record = DemoObject.objects.filter(key=key).first()
    if record is not None:
        return record.target()
    video = Video.objects.create(
        title=title,
        source=f"videos/source/demo/{key}.mp4",
        status=VideoStatus.READY if duration else VideoStatus.UPLOADED,
        duration=duration,
    )
    for index in range(chapters):
        VideoChapter.objects.create(
            video=video, title=f"Kapittel {index + 1}", start=index * 15, sort_order=index
        )
    demo_object_record(key=key, obj=video)
    return video


@pytest.fixture
def without_transcoding(monkeypatch):
    """``load_demo(videos=True)`` with the demo videos made as rows (no ffmpeg, no transcode)."""

    def videos(report):
        return (
            _demo_video("video:interview", "Intervju", chapters=4, duration=None),
            _demo_video("video:clip", "5 i 5", chapters=5, duration=40.0),
        )

    monkeypatch.setattr(loader, "ensure_demo_videos", videos)


@pytest.fixture
def demo_with_video(without_transcoding):
    return load_demo(videos=True)


def _counts() -> dict:
    models = [
        *apps.get_app_config("institutions").get_models(),
        *apps.get_app_config("attendance").get_models(),
        Certificate,
        CertificateEvent,
        CourseCompletion,
        DemoObject,
        get_user_model(),
        EmailAddress,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def _active_emails(institution) -> set[str]:
    return set(
        institution.memberships.filter(status=MembershipStatus.ACTIVE).values_list(
            "user__email", flat=True
        )
    )


def test_two_institutions_with_contact_persons_members_and_certificates(client):
    report = load_demo(videos=False)

    solsiden = Institution.objects.get(org_number=SOLSIDEN)
    kad = Institution.objects.get(org_number=KAD)
    assert (solsiden.kind, kad.kind) == (InstitutionKind.NURSING_HOME, InstitutionKind.ACUTE_WARD)
    assert all(org_number_valid(i.org_number) for i in (solsiden, kad))
    assert solsiden.pharmacy and solsiden.beds and kad.pharmacy and kad.beds
    for institution in (solsiden, kad):
        enrolment = institution.current_enrolment()
        assert enrolment.starts_on < timezone.localdate()
        assert enrolment.ends_on == enrolment.starts_on.replace(year=enrolment.starts_on.year + 5)
        contact = institution.contact_person
        assert EmailAddress.objects.get(user=contact, primary=True).verified
    assert solsiden.contact_person.email == DEMO_CONTACT_EMAIL
    assert solsiden.contact_person.check_password(DEMO_CONTACT_PASSWORD)
    assert demo_contact_login() == (DEMO_CONTACT_EMAIL, DEMO_CONTACT_PASSWORD)
    assert not kad.contact_person.has_usable_password()

    assert _active_emails(solsiden) == {
        DEMO_CONTACT_EMAIL,
        "laerer@example.org",
        "ola.johansen@example.org",
        "fatima.ali@example.org",
    }
    assert len(_active_emails(kad)) == 3
    pending = solsiden.memberships.get(status=MembershipStatus.REQUESTED)
    assert pending.user.email == "per.olsen@example.org"

    # Members' certificates this year, through the issuing service (course and interview).
    this_year = Certificate.objects.filter(
        activity_date__year=THIS_YEAR, holder__email__endswith="@example.org"
    ).exclude(holder__email="laerer@example.org")
    assert {c.activity_kind for c in this_year} == {"course", "video"}
    assert this_year.count() == 5
    assert CourseCompletion.objects.filter(user__email="ola.johansen@example.org").exists()
    # The demo learner keeps her own two certificates only.
    assert Certificate.objects.filter(holder__email="laerer@example.org").count() == 2

    # Without the videos the interview activity exists but a session cannot be shown.
    interview = DemoObject.objects.get(key="video-activity:interview").target()
    assert isinstance(interview, VideoActivity) and not interview.items.exists()
    assert not GroupSession.objects.exists()
    assert not any("group session" in item for item in report.skipped)
    assert DiplomaCriteria.objects.get(year=THIS_YEAR).min_total_hours == Decimal("6.00")

    # The first contact person can log in with the demo password, printed by ``make run``.
    assert client.login(username=DEMO_CONTACT_EMAIL, password=DEMO_CONTACT_PASSWORD)
    assert demo_contact_login_line("http://127.0.0.1:8000/konto/login/") == (
        "Demo contact person login: http://127.0.0.1:8000/konto/login/  "
        "ingrid.haugen@example.org / Kontaktperson-demo-2026"
    )
    contact = solsiden.contact_person
    contact.set_password("Mitt-eget-passord-2026")
    contact.save()
    assert demo_contact_login_line("http://127.0.0.1:8000/konto/login/") is None


def test_the_group_session_has_attested_attendees_with_hours_together(demo_with_video):
    session = GroupSession.objects.get()
    contact = Institution.objects.get(org_number=SOLSIDEN).contact_person
    assert session.facilitator == contact
    assert session.activity == DemoObject.objects.get(key="video-activity:interview").target()
    now = timezone.now()
    assert now - timedelta(days=40) < session.started_at < now - timedelta(hours=1)
    assert session.started_at.year == THIS_YEAR
    # The video's running time (not transcoded yet: its known length), ended well after it.
    assert session.running_seconds == 60
    assert session.duration > timedelta(seconds=session.running_seconds)
    assert session.hours_credit == Decimal("1.00")
    assert session.attested_at is not None and session.attested_name == "Ingrid Haugen"
    assert session.codewords.count() == 4 and session.required_codewords == 3

    claims = {claim.user.email: claim for claim in session.claims.select_related("certificate")}
    assert set(claims) == {DEMO_CONTACT_EMAIL, "ola.johansen@example.org", "fatima.ali@example.org"}
    assert claims[DEMO_CONTACT_EMAIL].source == ClaimSource.FACILITATOR
    assert claims["ola.johansen@example.org"].codewords_confirmed == 4
    # Fatima missed a codeword: approved by the facilitator as she attested the list.
    assert claims["fatima.ali@example.org"].codewords_confirmed == 2
    assert claims["fatima.ali@example.org"].approved_by == contact
    for claim in claims.values():
        assert claim.attested_at is not None
        certificate = claim.certificate
        assert certificate.activity_kind == "group"
        assert certificate.hours_together == Decimal("1.00")
        assert certificate.activity_date == timezone.localdate(session.ended_at)

    kinds = list(session.events.values_list("kind", flat=True))
    assert kinds.count(SessionEventKind.CODEWORD_CONFIRMED) == 6
    assert kinds.count(SessionEventKind.CERTIFICATE_ISSUED) == 3
    assert SessionEventKind.ATTESTED in kinds and SessionEventKind.NO_CREDIT not in kinds

    members = Institution.objects.get(org_number=SOLSIDEN).memberships.values_list("user_id")
    held = sessions_with_attendees(user_ids=[m[0] for m in members], year=THIS_YEAR)
    assert [s.pk for s in held] == [session.pk]


def test_load_demo_twice_changes_nothing(demo_with_video):
    before = _counts()
    assert before["attendance.GroupSession"] == 1 and before["institutions.Institution"] == 2

    report = load_demo(videos=True)

    assert (report.created, report.updated) == ([], [])
    assert _counts() == before


def test_a_database_from_before_the_records_gets_nothing_twice(demo_with_video):
    # Keep the video records (the stub finds its videos through them), forget the rest.
    DemoObject.objects.exclude(key__startswith="video:").delete()
    before = _counts()
    del before[DemoObject._meta.label]

    load_demo(videos=True)

    after = _counts()
    del after[DemoObject._meta.label]
    assert after == before


def test_an_edited_institution_stays_and_reset_restores_it_without_new_certificates(
    demo_with_video,
):
    solsiden = Institution.objects.get(org_number=SOLSIDEN)
    solsiden.name = "Solsiden bo- og behandlingssenter"
    solsiden.beds = 52
    solsiden.save()
    kad = Institution.objects.get(org_number=KAD)
    kad.delete()

    load_demo(videos=True)

    solsiden.refresh_from_db()
    assert (solsiden.name, solsiden.beds) == ("Solsiden bo- og behandlingssenter", 52)
    assert not Institution.objects.filter(org_number=KAD).exists()

    certificates = list(Certificate.objects.order_by("pk").values_list("pk", "code"))
    session_events = list(GroupSession.objects.get().events.values_list("pk", flat=True))
    load_demo(videos=True, reset=True)

    solsiden.refresh_from_db()
    assert (solsiden.name, solsiden.beds) == ("Solsiden sykehjem", 48)
    kad = Institution.objects.get(org_number=KAD)
    assert len(_active_emails(kad)) == 3
    assert list(Certificate.objects.order_by("pk").values_list("pk", "code")) == certificates
    assert list(GroupSession.objects.get().events.values_list("pk", flat=True)) == session_events
    assert GroupSession.objects.count() == 1


def test_the_contact_page_shows_members_the_session_the_request_and_the_diploma(
    demo_with_video, client
):
    solsiden = Institution.objects.get(org_number=SOLSIDEN)
    kad = Institution.objects.get(org_number=KAD)
    status = diploma_status(solsiden, THIS_YEAR)
    assert status["met"], status["checks"]
    assert not diploma_status(kad, THIS_YEAR)["met"]

    client.force_login(solsiden.contact_person)
    response = client.get(reverse("institutions:contact_page", args=[solsiden.pk]))
    assert response.status_code == 200
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())
    for name in ("Kari Nordmann", "Ola Johansen", "Fatima Ali", "Per Olsen"):
        assert name in text
    assert "Intervju: Når er det riktig å vente med antibiotika?" in text
    # Members of the other institution are not shown here.
    assert "Amina Hassan" not in text
