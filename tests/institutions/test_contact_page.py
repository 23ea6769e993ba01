"""The contact person's page: what it shows for a year, and that nobody else sees it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from institutions.models import (
    CertificateExport,
    DiplomaCriteria,
    InstitutionEvent,
    Membership,
    MembershipStatus,
)
from tests.institutions import factories
from tests.institutions.test_participation import YEAR, home  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def url(name, *args, **kwargs):
    # English pages: the assertions read the source strings, whatever catalogues are compiled.
    with translation.override("en"):
        return reverse(f"institutions:{name}", args=args, kwargs=kwargs)


def page(client, user, institution, **params):
    client.force_login(user)
    return client.get(url("contact_page", institution.pk), params)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def programme_admin(perm="view_institution"):
    user = get_user_model().objects.create_user("admin", email="admin@example.org", is_staff=True)
    if perm:
        user.user_permissions.add(Permission.objects.get(codename=perm))
    return user


def test_the_contact_person_sees_the_years_participation(client, home):  # noqa: F811
    response = page(client, home["contact"], home["institution"])
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)

    assert "Solstua sykehjem" in text
    assert f"Participation in the programme year {YEAR}" in text
    # Members, by name, with profession and certificates; the group session marked together.
    row = re.search(r"<tr>\s*<th scope=\"row\">Per Pleier.*?</tr>", html, re.S).group(0)
    assert "Sykepleier" in row
    assert "Smittevern" in row and "Intervju om antibiotikastyring" in row
    assert row.count("institution__tag--together") == 1
    assert "Trukket kurs" not in html and "I fjor" not in html
    assert "Lars Sluttet" not in html and "Olga Annen" not in html
    anne = re.search(r"<tr>\s*<th scope=\"row\">Anne Assistent.*?</tr>", html, re.S).group(0)
    assert "Not yet" in anne
    assert "Met" in row
    # The figures of the year.
    assert "Active members 3" in text
    assert "8 (5 individual, 3 together)" in text
    assert "2 of 3 (66.7 %)" in text
    # The group session with its attendees among the members.
    sessions = re.search(r'id="sessions-caption".*?</table>', html, re.S).group(0)
    assert "Intervju om antibiotikastyring" in sessions
    assert "Kari Kontakt, Per Pleier" in sessions
    # Tables are captioned and their headers scoped.
    assert html.count("<caption") >= 3
    assert '<th scope="col">' in html
    # Exports for the year.
    assert url("participation_csv", home["institution"].pk, YEAR) in html
    assert url("participation_xlsx", home["institution"].pk, YEAR) in html
    assert url("certificate_export_start", home["institution"].pk, YEAR) in html
    # No inline script or style (the CSP forbids them).
    assert "<script>" not in html and "style=" not in html


def test_pending_requests_are_confirmed_from_the_page(client, home):  # noqa: F811
    html = page(client, home["contact"], home["institution"]).content.decode()
    request = Membership.objects.get(user=home["asking"])
    assert "Siri Søker" in html
    action = url("membership_decide", request.pk)
    assert html.count(f'action="{action}"') == 2  # confirm and decline

    contact = home["contact"]
    EmailAddress.objects.create(user=contact, email=contact.email, verified=True, primary=True)
    response = client.post(action, {"accept": "1"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == MembershipStatus.ACTIVE
    html = page(client, home["contact"], home["institution"]).content.decode()
    assert re.search(r"<th scope=\"row\">Siri Søker", html)
    assert url("membership_end", request.pk) in html


def test_earlier_years_are_linked_and_shown(client, home):  # noqa: F811
    home["institution"].enrolments.update(starts_on=f"{YEAR - 1}-01-01")
    html = page(client, home["contact"], home["institution"]).content.decode()
    assert f'href="?year={YEAR - 1}"' in html
    assert f'href="?year={YEAR}" aria-current="page"' in html

    last_year = page(client, home["contact"], home["institution"], year=YEAR - 1)
    assert last_year.status_code == 200
    assert "I fjor" in last_year.content.decode()
    assert "Smittevern" not in last_year.content.decode()


@pytest.mark.parametrize("year", ["abc", "1999", "99999", "２０２６", str(YEAR + 5)])
def test_a_year_that_is_not_a_programme_year_is_a_404(client, home, year):  # noqa: F811
    assert page(client, home["contact"], home["institution"], year=year).status_code == 404


def test_reading_the_page_writes_nothing(client, home):  # noqa: F811
    events, exports = InstitutionEvent.objects.count(), CertificateExport.objects.count()
    page(client, home["contact"], home["institution"])
    assert (InstitutionEvent.objects.count(), CertificateExport.objects.count()) == (
        events,
        exports,
    )


def test_the_diploma_status_is_shown(client, home):  # noqa: F811
    DiplomaCriteria.objects.create(year=YEAR, min_group_sessions=2)
    text = text_of(page(client, home["contact"], home["institution"]))
    assert f"Diploma {YEAR}" in text
    assert "Not earned yet" in text


def test_an_earned_diploma_is_linked(client, home):  # noqa: F811
    from institutions.diplomas import diploma_evaluate

    DiplomaCriteria.objects.create(year=YEAR, min_group_sessions=1, min_total_hours=8)
    diploma = diploma_evaluate(institution=home["institution"], year=YEAR)
    assert diploma is not None
    html = page(client, home["contact"], home["institution"]).content.decode()
    assert f"The institution has earned the diploma for {YEAR}." in html
    assert diploma.code_formatted in html
    assert url("diploma_pdf", home["institution"].pk, YEAR) in html


def _all_addresses(institution, export):
    pk = institution.pk
    return [
        ("get", url("contact_page", pk)),
        ("get", url("participation_csv", pk, YEAR)),
        ("get", url("participation_xlsx", pk, YEAR)),
        ("post", url("certificate_export_start", pk, YEAR)),
        ("get", url("export_progress", pk, export.uuid)),
        ("get", url("export_status", pk, export.uuid)),
        ("get", url("export_download", pk, export.uuid)),
    ]


@pytest.mark.parametrize("who", ["other_contact", "member", "asking", "outsider", "staff"])
def test_nobody_else_sees_the_page_or_its_exports(client, home, who):  # noqa: F811
    export = CertificateExport.objects.create(
        institution=home["institution"], year=YEAR, requested_by=home["contact"], total=1
    )
    user = {
        "other_contact": home["other"].contact_person,
        "member": home["per"],
        "asking": home["asking"],
        "outsider": home["outsider"],
        "staff": programme_admin(perm=None),
    }[who]
    client.force_login(user)
    for method, address in _all_addresses(home["institution"], export):
        assert getattr(client, method)(address).status_code == 404, address
    assert CertificateExport.objects.count() == 1


def test_an_export_of_another_institution_is_not_found_under_ones_own(client, home):  # noqa: F811
    theirs = CertificateExport.objects.create(institution=home["other"], year=YEAR, total=1)
    client.force_login(home["contact"])
    mine = home["institution"].pk
    assert client.get(url("export_progress", mine, theirs.uuid)).status_code == 404
    assert client.get(url("export_download", mine, theirs.uuid)).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, home):  # noqa: F811
    response = client.get(url("contact_page", home["institution"].pk))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_programme_admin_sees_every_institution(client, home):  # noqa: F811
    admin = programme_admin()
    for institution in (home["institution"], home["other"]):
        response = page(client, admin, institution)
        assert response.status_code == 200
    assert "Olga Annen" in response.content.decode()
    client.force_login(admin)
    assert client.get(url("participation_csv", home["other"].pk, YEAR)).status_code == 200
    # Viewing only: no forms that the services would refuse.
    html = page(client, admin, home["institution"]).content.decode()
    assert "Siri Søker" in html
    assert url("membership_decide", Membership.objects.get(user=home["asking"]).pk) not in html
    assert url("edit", home["institution"].pk) not in html
    assert "End membership" not in html


def test_the_contact_person_has_the_forms(client, home):  # noqa: F811
    html = page(client, home["contact"], home["institution"]).content.decode()
    assert url("edit", home["institution"].pk) in html
    assert html.count("End membership") == 2  # Per and Anne, not the contact person herself


def test_a_new_institution_page_explains_the_empty_state(client):
    contact = factories.learner("Eva Ensom")
    institution = factories.institution(contact)
    text = text_of(page(client, contact, institution))
    assert "Eva Ensom" in text
    assert f"No attested group session with members in {YEAR} yet." in text


def test_the_page_reads_in_the_same_number_of_queries_for_more_members(client, home, monkeypatch):  # noqa: F811, E501
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.institutions.test_participation import issue, member_of

    client.force_login(home["contact"])
    address = url("contact_page", home["institution"].pk)
    # Sessions, site and settings warmed as earlier pages would; the content version held, so
    # no change made by another process of the suite empties the layout caches in between.
    from cms import contentversion

    version = contentversion.current()
    monkeypatch.setattr(contentversion, "current", lambda: version)
    client.get(address)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    for n in range(5):
        user = member_of(home["institution"], f"Ny medarbeider {n}")
        issue(user, "course:1", individual="1")
        member_of(home["other"], f"Annen {n}")
    with CaptureQueriesContext(connection) as many:
        assert "Ny medarbeider 4" in client.get(address).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
