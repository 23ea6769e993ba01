"""Group sessions in the Wagtail admin: programme admins list, search, inspect and export them
and decide contested claims; staff without the permissions are refused; nothing is editable."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from openpyxl import load_workbook

from attendance import services
from attendance.models import ClaimStatus, GroupSession
from tests.attendance.factories import activity_make, session_make, user_make

pytestmark = pytest.mark.django_db

LISTING = "/admin/group-sessions/"
CONTESTED = "/admin/group-sessions/contested/"


def _staff(username: str, *codenames: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.no", "x")
    user.is_staff = True
    user.save()
    group = Group.objects.create(name=f"group {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    return user


@pytest.fixture
def programme_admin():
    return _staff("programadmin", "view_groupsession", "change_claim")


@pytest.fixture
def editor():
    return _staff("redaktor")


@pytest.fixture
def ended_session():
    """An ended session with one present claim and one contested claim (no codewords)."""
    facilitator = user_make("fasilitator", "Frida Fasilitator")
    session = session_make(activity_make(hours="1", title="Legemiddelsamtalen"), facilitator,
                           started_minutes_ago=45)  # fmt: skip
    present = services.session_claim(session=session, user=user_make("per", "Per Tilstede"))
    for index in range(session.required_codewords):
        codeword = services.codeword_open(
            session=session, by=facilitator, video=session.activity.items.first().video,
            chapter_index=index,
        )  # fmt: skip
        services.codeword_confirm(claim=present, word=codeword.word)
    services.session_claim(session=session, user=user_make("ola", "Ola Omstridt"))
    return services.group_session_end(session=session, by=facilitator)


def _contested(session):
    return session.claims.get(user__username="ola")


def test_programme_admin_lists_and_searches_sessions(client, programme_admin, ended_session):
    client.force_login(programme_admin)
    response = client.get(LISTING)
    assert response.status_code == 200
    assert "Legemiddelsamtalen" in response.text
    assert ended_session.join_code_formatted in response.text

    code = ended_session.join_code
    typed = f"{code[:3].lower()}-{code[3:]}"
    assert "Legemiddelsamtalen" in client.get(LISTING, {"q": typed}).text
    assert "Legemiddelsamtalen" in client.get(LISTING, {"q": "Fasilitator"}).text
    assert "Legemiddelsamtalen" not in client.get(LISTING, {"q": "Ingen slik"}).text


def test_year_filter(client, programme_admin, ended_session):
    year = ended_session.started_at.year
    GroupSession.objects.filter(pk=ended_session.pk).update(
        started_at=ended_session.started_at - timedelta(days=800)
    )
    other = session_make(activity_make(title="Fem på fem"), user_make("annen"))
    client.force_login(programme_admin)
    this_year = client.get(LISTING, {"year": other.started_at.year}).text
    assert "Fem på fem" in this_year and "Legemiddelsamtalen" not in this_year
    assert year  # the old session is listed under its own year
    old_year = (ended_session.started_at - timedelta(days=800)).year
    assert "Legemiddelsamtalen" in client.get(LISTING, {"year": old_year}).text


def test_inspect_shows_claims_and_the_log(client, programme_admin, ended_session):
    client.force_login(programme_admin)
    response = client.get(f"{LISTING}inspect/{ended_session.pk}/")
    assert response.status_code == 200
    text = response.text
    assert "Per Tilstede" in text and "Ola Omstridt" in text
    assert "3 of 3" in text or "3 av 3" in text
    for event in ended_session.events.all():
        assert event.note in text


def test_export_csv_and_xlsx(client, programme_admin, ended_session):
    client.force_login(programme_admin)
    year = ended_session.started_at.year
    response = client.get(LISTING, {"export": "csv", "year": year})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert ended_session.join_code_formatted in rows[1]
    assert "Legemiddelsamtalen" in rows[1]
    assert str(ended_session.hours_credit) in rows[1]

    response = client.get(LISTING, {"export": "xlsx", "year": year})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 2 and "Legemiddelsamtalen" in values[1]


def test_no_add_edit_or_delete(client, programme_admin, ended_session):
    client.force_login(programme_admin)
    for url in (f"{LISTING}add/", f"{LISTING}edit/{ended_session.pk}/",
                f"{LISTING}delete/{ended_session.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404


def test_staff_without_the_permissions_are_refused(client, editor, ended_session):
    client.force_login(editor)
    claim = _contested(ended_session)
    for url in (LISTING, f"{LISTING}inspect/{ended_session.pk}/", CONTESTED,
                f"{CONTESTED}{claim.pk}/reject/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert "group-sessions" not in response["Location"]
    response = client.post(f"{CONTESTED}{claim.pk}/approve/")
    assert response.status_code in (302, 403)
    claim.refresh_from_db()
    assert claim.approved_at is None


def test_a_viewer_without_change_claim_cannot_decide(client, ended_session):
    viewer = _staff("leser", "view_groupsession")
    client.force_login(viewer)
    assert client.get(LISTING).status_code == 200
    assert client.get(CONTESTED).status_code in (302, 403)


def test_contested_claims_approve_credits_an_attested_session(
    client, programme_admin, ended_session, django_capture_on_commit_callbacks
):
    services.session_attest(session=ended_session, by=ended_session.facilitator)
    claim = _contested(ended_session)
    client.force_login(programme_admin)
    response = client.get(CONTESTED)
    assert response.status_code == 200
    assert "Ola Omstridt" in response.text and "Per Tilstede" not in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CONTESTED}{claim.pk}/approve/")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.approved_by == programme_admin
    assert claim.status == ClaimStatus.CREDITED
    assert f"{claim.pk}/approve/" not in client.get(CONTESTED).text


def test_contested_claims_reject_needs_a_reason(client, programme_admin, ended_session):
    claim = _contested(ended_session)
    client.force_login(programme_admin)
    assert client.get(f"{CONTESTED}{claim.pk}/reject/").status_code == 200
    response = client.post(f"{CONTESTED}{claim.pk}/reject/", {"reason": ""})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.rejected_at is None
    response = client.post(f"{CONTESTED}{claim.pk}/reject/", {"reason": "Gikk etter ti minutter"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert claim.rejected_reason == "Gikk etter ti minutter"
    assert claim.rejected_by == programme_admin


def test_a_running_session_has_no_contested_claims(client, programme_admin):
    session = session_make(activity_make(), user_make("f"))
    claim = services.session_claim(session=session, user=user_make("a"), now=timezone.now())
    client.force_login(programme_admin)
    response = client.get(CONTESTED)
    assert response.status_code == 200
    assert f"{claim.pk}/approve/" not in response.text


def test_the_menu_shows_group_sessions_to_programme_admins_only(client, programme_admin, editor):
    client.force_login(programme_admin)
    menu = client.get("/admin/").text
    assert LISTING in menu and CONTESTED in menu
    client.force_login(editor)
    menu = client.get("/admin/").text
    assert LISTING not in menu and CONTESTED not in menu


def test_attested_filter(client, programme_admin, ended_session):
    other = session_make(activity_make(title="Fem på fem"), user_make("annen"))
    services.session_attest(session=ended_session, by=ended_session.facilitator)
    client.force_login(programme_admin)
    attested = client.get(LISTING, {"attested": "true"}).text
    assert "Legemiddelsamtalen" in attested and "Fem på fem" not in attested
    waiting = client.get(LISTING, {"attested": "false"}).text
    assert "Fem på fem" in waiting and "Legemiddelsamtalen" not in waiting
    assert other.attested_at is None
