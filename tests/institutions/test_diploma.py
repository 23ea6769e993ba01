"""The annual diploma: issued exactly when the year's criteria are met (and the institution is
enrolled), once, with the name and facts frozen; its PDF names the institution and carries the
code; /v/<code>/ says it is valid for the programme year; the public list names only the
institutions that agreed; the contact person (and nobody else) downloads the PDF.

Everything runs through the real services: certificates from the certificate service, a group
session through the attendance services, memberships decided by the contact person.
"""

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from pypdf import PdfReader

import institutions.diploma_hooks  # noqa: F401  (registers the verification hook)
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
from institutions import diplomas
from institutions.models import DiplomaCriteria, InstitutionDiploma, InstitutionEvent
from institutions.services import membership_decide, membership_request
from tests.certificates.test_pdf import qr_codes_on, structure_elements
from tests.institutions import factories
from videos.models import Video, VideoActivity, VideoActivityItem, VideoStatus

pytestmark = pytest.mark.django_db

SESSION_START = timezone.now() - timedelta(hours=3)
YEAR = timezone.localdate(SESSION_START + timedelta(hours=2)).year


def issue(user, key, *, individual="0", together="0", year=YEAR):
    return certificate_services.certificate_issue(
        user=user,
        activity=CompletedActivity(
            key=key, kind="course", title="Smittevern", edition_year=year,
            hours_individual=Decimal(individual), hours_together=Decimal(together),
            completed_on=date(year, 3, 14), content_revision="1", url="",
        ),
    )  # fmt: skip


def member_of(institution, name):
    user = factories.learner(name)
    membership = membership_request(user=user, institution=institution)
    membership_decide(membership=membership, by=institution.contact_person, accept=True)
    return user


def group_session(facilitator, attendees):
    """An attested 2-hour group session of a 1.5-hour interview: 1.5 hours together each."""
    title = f"Intervju {facilitator.pk}"
    video = Video.objects.create(
        title=title, source=f"videos/source/x/{title}.mp4", status=VideoStatus.READY,
        duration=600, media_prefix=f"videos/1/{title}",
    )  # fmt: skip
    activity = VideoActivity.objects.create(
        title=title, edition_year=YEAR, kind="interview", hours=Decimal("1.5")
    )
    VideoActivityItem.objects.create(activity=activity, video=video, sort_order=0)
    start = SESSION_START
    session = group_session_start(facilitator=facilitator, activity=activity, now=start)
    claims = [
        session_claim(session=session, user=user, now=start + timedelta(minutes=1))
        for user in attendees
    ]
    end = start + timedelta(hours=2)
    group_session_end(session=session, by=facilitator, now=end)
    session_attest(
        session=session, by=facilitator, approve_claim_ids=[claim.pk for claim in claims],
        now=end + timedelta(minutes=1),
    )  # fmt: skip
    session_credit(session=session)
    return session


def make_home(name="Solstua sykehjem", *, list_publicly=False):
    """Kari (contact) and Per watched together (1.5 h together each, the group minimum);
    Anne has a course of 3 hours; Ola nothing yet. In figures: 1 session, 6 hours in all,
    2 of 4 members (50 %) met the group minimum."""
    contact = factories.learner(f"Kari Kontakt {name}")
    institution = factories.institution(contact, name=name)
    if list_publicly:
        institution.list_publicly = True
        institution.save(update_fields=["list_publicly"])
    per = member_of(institution, "Per Pleier")
    anne = member_of(institution, "Anne Assistent")
    ola = member_of(institution, "Ola Nybegynner")
    group_session(contact, [per])
    issue(anne, "course:1", individual="3")
    return {"institution": institution, "contact": contact, "per": per, "ola": ola}


@pytest.fixture
def target():
    return YearTarget.objects.create(year=YEAR, together_min=Decimal("1.5"))


@pytest.fixture
def home(target):
    return make_home()


def criteria(sessions=1, hours="6", share=50, year=YEAR):
    return DiplomaCriteria.objects.create(
        year=year, min_group_sessions=sessions, min_total_hours=Decimal(hours),
        min_share_group_minimum=share,
    )  # fmt: skip


def test_the_facts_are_the_institutions_participation(home):
    facts = diplomas.diploma_facts(home["institution"], YEAR)
    assert facts == diplomas.DiplomaFacts(
        members=4, sessions=1, hours_total=Decimal(6), share_met=Decimal(50)
    )


def test_at_every_threshold_the_diploma_is_issued_once(home):
    criteria(sessions=1, hours="6", share=50)

    diploma = diplomas.diploma_evaluate(institution=home["institution"], year=YEAR)

    assert diploma is not None
    assert diploma.year == YEAR and diploma.institution_name == "Solstua sykehjem"
    assert len(diploma.code) == 16
    assert diploma.facts == {
        "members": "4", "sessions": "1", "hours_total": "6.00", "share_met": "50.00",
        "min_group_sessions": "1", "min_total_hours": "6.00", "min_share_group_minimum": "50",
    }  # fmt: skip
    # Asked again (another certificate, the nightly sweep): the same diploma, no second one.
    again = diplomas.diploma_evaluate(institution=home["institution"], year=YEAR)
    assert again.pk == diploma.pk
    assert InstitutionDiploma.objects.count() == 1
    events = InstitutionEvent.objects.filter(institution=home["institution"], kind="diploma_issued")
    assert events.count() == 1


@pytest.mark.parametrize(
    ("sessions", "hours", "share"),
    [(2, "6", 50), (1, "6.01", 50), (1, "6", 51)],
    ids=["one-session-short", "a-hundredth-of-an-hour-short", "one-percent-short"],
)
def test_below_any_one_threshold_there_is_no_diploma(home, sessions, hours, share):
    criteria(sessions=sessions, hours=hours, share=share)

    assert diplomas.diploma_evaluate(institution=home["institution"], year=YEAR) is None
    assert not InstitutionDiploma.objects.exists()
    status = diplomas.diploma_status(home["institution"], YEAR)
    assert status["met"] is False
    assert [check.met for check in status["checks"]].count(False) == 1


def test_no_diploma_for_a_year_without_criteria(home):
    criteria(year=YEAR - 1)

    assert diplomas.diploma_evaluate(institution=home["institution"], year=YEAR) is None
    assert not InstitutionDiploma.objects.exists()
    status = diplomas.diploma_status(home["institution"], YEAR)
    assert status["criteria"] is None and status["checks"] == [] and status["met"] is False


def test_no_diploma_for_a_year_the_institution_was_not_enrolled(home):
    criteria(sessions=0, hours="0", share=0)
    institution = home["institution"]
    institution.enrolments.update(starts_on=date(YEAR + 1, 1, 1), ends_on=date(YEAR + 6, 1, 1))

    assert diplomas.diploma_evaluate(institution=institution, year=YEAR) is None
    assert diplomas.diploma_status(institution, YEAR)["enrolled"] is False


def test_name_and_facts_stay_as_issued(home):
    criteria()
    diploma = diplomas.diploma_evaluate(institution=home["institution"], year=YEAR)
    institution = home["institution"]
    institution.name = "Solstua helsehus"
    institution.save(update_fields=["name"])
    issue(home["ola"], "course:9", individual="10")

    diploma.refresh_from_db()
    assert diploma.institution_name == "Solstua sykehjem"
    assert diploma.facts["hours_total"] == "6.00"
    assert diplomas.diploma_evaluate(institution=institution, year=YEAR).pk == diploma.pk


def test_a_new_certificate_that_tips_the_threshold_issues_the_diploma_after_commit(
    home, django_capture_on_commit_callbacks
):
    criteria(hours="8")
    assert diplomas.diploma_evaluate(institution=home["institution"], year=YEAR) is None

    with django_capture_on_commit_callbacks(execute=True):
        issue(home["ola"], "course:2", individual="2")

    diploma = InstitutionDiploma.objects.get()
    assert diploma.institution == home["institution"]
    assert diploma.facts["hours_total"] == "8.00"
    # The PDF was made after commit too, once, with its fingerprint.
    assert diploma.pdf_sha256 == hashlib.sha256(diploma.pdf.read()).hexdigest()


def test_a_member_confirmed_with_hours_of_their_own_tips_the_threshold(
    home, django_capture_on_commit_callbacks
):
    criteria(hours="8", share=40)  # 2 of 5 members will have met the group minimum
    newcomer = factories.learner("Nina Ny")
    issue(newcomer, "course:4", individual="2")
    membership = membership_request(user=newcomer, institution=home["institution"])
    assert diplomas.diploma_evaluate(institution=home["institution"], year=YEAR) is None

    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(membership=membership, by=home["contact"], accept=True)

    assert InstitutionDiploma.objects.get().facts["hours_total"] == "8.00"


def test_a_certificate_of_a_learner_without_institution_issues_nothing(
    target, django_capture_on_commit_callbacks
):
    criteria(sessions=0, hours="0", share=0)
    with django_capture_on_commit_callbacks(execute=True):
        issue(factories.learner("Alene"), "course:3", individual="5")
    assert not InstitutionDiploma.objects.exists()


def test_the_command_evaluates_every_enrolled_institution(target):
    home = make_home()
    behind = factories.institution(name="Fjordheim")
    criteria()

    out = io.StringIO()
    call_command("evaluate_diplomas", "--year", str(YEAR), stdout=out)

    assert list(InstitutionDiploma.objects.values_list("institution", flat=True)) == [
        home["institution"].pk
    ]
    assert "Solstua sykehjem" in out.getvalue()
    assert not behind.diplomas.exists()
    call_command("evaluate_diplomas", "--year", str(YEAR), stdout=io.StringIO())
    assert InstitutionDiploma.objects.count() == 1


def test_the_command_says_when_a_year_has_no_criteria(target):
    out = io.StringIO()
    call_command("evaluate_diplomas", "--year", str(YEAR), stdout=out)
    assert "No diploma criteria" in out.getvalue()


def _issued(home):
    criteria()
    return diplomas.diploma_evaluate(institution=home["institution"], year=YEAR)


def test_the_pdf_names_the_institution_the_year_and_the_code(home):
    diploma = diplomas.diploma_pdf_store(diploma=_issued(home))

    content = diploma.pdf.read()
    assert diploma.pdf_sha256 == hashlib.sha256(content).hexdigest()
    assert diploma.pdf.name == f"diplomas/{YEAR}/{diploma.uuid}.pdf"
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Solstua sykehjem" in text
    assert diploma.code_formatted in text
    assert str(YEAR) in text
    assert f"/v/{diploma.code_formatted}/" in text
    # Archival and tagged like a certificate, the QR code opens the verification page, and both
    # images (logo, QR code) carry alternative text.
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert root["/MarkInfo"]["/Marked"]
    url = diplomas.diploma_verification_url(diploma)
    assert qr_codes_on(content) == [url]
    figures = [el for el in structure_elements(root["/StructTreeRoot"]) if el["/S"] == "/Figure"]
    alts = [str(figure.get("/Alt", "")) for figure in figures]
    assert len(alts) == 2 and any(url in alt for alt in alts)
    # Stored once: asked again, nothing is rendered and the fingerprint stays.
    again = diplomas.diploma_pdf_store(diploma=diploma)
    assert again.pdf_sha256 == diploma.pdf_sha256


def test_the_verification_page_says_valid_for_the_programme_year(client, home, settings):
    settings.CERTIFICATE_VERIFY_MISS_LIMIT = 1
    diploma = _issued(home)

    for _attempt in range(3):  # a diploma found is never counted as a miss
        response = client.get(f"/en/v/{diploma.code_formatted}/")
        assert response.status_code == 200
    text = response.content.decode()
    assert f"valid for the programme year {YEAR}" in text
    assert "Solstua sykehjem" in text
    assert 'data-status="valid"' in text
    assert diploma.code_formatted in text
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in text
    # Typed in lower case without hyphens, it is still found.
    assert client.get(f"/en/v/{diploma.code.lower()}/").status_code == 200
    data = client.get(f"/v/{diploma.code_formatted}.json").json()
    assert data["status"] == "valid" and data["programme_year"] == YEAR
    assert data["institution_name"] == "Solstua sykehjem"
    form = client.get("/v/", {"code": diploma.code})
    assert form.status_code == 302 and form["Location"] == f"/v/{diploma.code_formatted}/"


def test_a_revoked_diploma_says_so_and_leaves_the_public_list(client, target):
    home = make_home(list_publicly=True)
    diploma = _issued(home)
    diplomas.diploma_revoke(diploma=diploma, reason="Feil i tallene", by=None)

    text = client.get(f"/en/v/{diploma.code_formatted}/").content.decode()
    assert 'data-status="revoked"' in text and "Feil i tallene" in text
    assert "Solstua sykehjem" not in client.get(f"/diplom/{YEAR}/").content.decode()
    # Revoked stays revoked: no second diploma for the year.
    assert diplomas.diploma_evaluate(institution=home["institution"], year=YEAR).pk == diploma.pk


def test_the_public_list_names_only_institutions_that_agreed(client, target):
    agreed = make_home("Solstua sykehjem", list_publicly=True)
    private = make_home("Fjordheim bo- og behandlingssenter")
    criteria()
    criteria(year=YEAR - 1)
    for home in (agreed, private):
        assert diplomas.diploma_evaluate(institution=home["institution"], year=YEAR)

    response = client.get(reverse("institutions:diplomas_public", args=[YEAR]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Solstua sykehjem" in text
    assert "Fjordheim" not in text
    # The year selector links every year with criteria; the shown one is marked current.
    assert f'href="/diplom/{YEAR - 1}/"' in text
    assert 'aria-current="page"' in text
    assert client.get("/diplom/").status_code == 302
    assert client.get(f"/diplom/{YEAR - 1}/").status_code == 200
    assert client.get("/diplom/1800/").status_code == 404


def test_only_the_contact_person_and_programme_admins_get_the_pdf(client, home, django_user_model):
    diploma = diplomas.diploma_pdf_store(diploma=_issued(home))
    url = reverse("institutions:diploma_pdf", args=[home["institution"].pk, YEAR])

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(home["per"])
    assert client.get(url).status_code == 404
    client.force_login(home["contact"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == diploma.pdf.open("rb").read()
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    assert client.get(url).status_code == 200
    no_year = reverse("institutions:diploma_pdf", args=[home["institution"].pk, YEAR - 1])
    assert client.get(no_year).status_code == 404


def test_before_the_pdf_is_made_the_contact_person_is_asked_to_wait(client, home):
    _issued(home)
    client.force_login(home["contact"])
    response = client.get(reverse("institutions:diploma_pdf", args=[home["institution"].pk, YEAR]))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_the_status_for_the_contact_page(home):
    criteria()
    status = diplomas.diploma_status(home["institution"], YEAR)
    assert status["met"] is True and status["diploma"] is None and status["enrolled"]
    assert [(check.key, check.met) for check in status["checks"]] == [
        ("group_sessions", True),
        ("total_hours", True),
        ("share_group_minimum", True),
    ]
    diploma = diplomas.diploma_evaluate(institution=home["institution"], year=YEAR)
    assert diplomas.diploma_status(home["institution"], YEAR)["diploma"] == diploma


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    return client


def test_programme_admins_set_the_criteria_as_a_snippet(
    admin_client, home, django_capture_on_commit_callbacks
):
    add_url = reverse("wagtailsnippets_institutions_diplomacriteria:add")
    form = admin_client.get(add_url)
    assert form.status_code == 200
    with translation.override("nb"):  # the admin speaks the site's language
        help_text = gettext(
            "Percent (0–100) of the active members whose hours done together reached the "
            "year's group minimum (the yearly targets). 0: no minimum. All three criteria "
            "must hold."
        )
    assert escape(help_text) in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            add_url,
            {"year": YEAR, "min_group_sessions": 1, "min_total_hours": "6",
             "min_share_group_minimum": 50},
        )  # fmt: skip

    assert response.status_code == 302
    assert diplomas.diploma_criteria_for(YEAR).min_total_hours == Decimal(6)
    # The institutions that already meet them get their diploma without waiting.
    assert InstitutionDiploma.objects.get().institution == home["institution"]
    listing = admin_client.get(reverse("wagtailsnippets_institutions_diplomacriteria:list"))
    assert str(YEAR) in listing.content.decode()


def test_programme_admins_list_and_revoke_diplomas(admin_client, home, client):
    diploma = _issued(home)
    listing = admin_client.get(reverse("institution_diplomas:index"))
    assert listing.status_code == 200
    assert "Solstua sykehjem" in listing.content.decode()
    inspect_url = reverse("institution_diplomas:inspect", args=[diploma.pk])
    assert f'href="{inspect_url}"' in listing.content.decode()
    found = admin_client.get(reverse("institution_diplomas:index"), {"q": diploma.code.lower()})
    assert diploma.code_formatted in found.content.decode()
    inspect = admin_client.get(reverse("institution_diplomas:inspect", args=[diploma.pk]))
    assert inspect.status_code == 200
    revoke_url = reverse("institution_diplomas_admin:revoke", args=[diploma.pk])

    empty = admin_client.post(revoke_url, {"reason": ""})
    assert empty.status_code == 400
    assert admin_client.post(revoke_url, {"reason": "Tallene var feil"}).status_code == 302

    diploma.refresh_from_db()
    assert diploma.is_revoked and diploma.revoked_reason == "Tallene var feil"
    # Nothing to add, edit or delete: a diploma is issued, never made by hand.
    assert admin_client.get(f"/admin/institutions/diplomas/edit/{diploma.pk}/").status_code == 404


def test_a_learner_cannot_revoke(client, home):
    diploma = _issued(home)
    client.force_login(home["contact"])
    revoke_url = reverse("institution_diplomas_admin:revoke", args=[diploma.pk])
    assert client.post(revoke_url, {"reason": "Nei"}).status_code in (302, 403)
    diploma.refresh_from_db()
    assert not diploma.is_revoked


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_diploma_pages_pass_axe_and_the_csp_in_chromium(page, live_server):
    YearTarget.objects.create(year=YEAR, together_min=Decimal("1.5"))
    home = make_home(list_publicly=True)
    diploma = _issued(home)
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    for path in (f"/v/{diploma.code_formatted}/", f"/diplom/{YEAR}/"):
        assert page.goto(live_server.url + path).status == 200
        page.evaluate(AXE.read_text())
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], path
    assert errors == []
    assert str(YEAR) in page.get_by_role("heading", level=1).inner_text()
