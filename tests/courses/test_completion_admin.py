"""Course completions for programme admins: found by learner or course, filtered by year,
exported as CSV and XLSX; viewing only, and nobody without the permission sees them."""

import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from accounts.services import learner_profile_update
from courses.models import CourseCompletion
from tests.courses.course_factories import make_course

pytestmark = pytest.mark.django_db

LISTING = "/admin/course-completions/"


def _learner(username, full_name):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.no")
    learner_profile_update(user=user, full_name=full_name, profession=None, workplace="")
    return user


def _staff(username, *codenames):
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
def completions(demo):
    course = make_course(demo.home, modules=1)
    kari, ola = _learner("kari", "Kari Nordmann"), _learner("ola", "Ola Sæther")
    first = CourseCompletion.objects.create(user=kari, course=course, credit_hours=2)
    second = CourseCompletion.objects.create(user=ola, course=course, credit_hours=2)
    CourseCompletion.objects.filter(pk=first.pk).update(
        completed_at=datetime(2025, 11, 3, 12, tzinfo=UTC)
    )
    CourseCompletion.objects.filter(pk=second.pk).update(
        completed_at=datetime(2026, 2, 9, 12, tzinfo=UTC)
    )
    return course


def test_programme_admins_filter_completions_by_year_and_export_them(client, completions):
    client.force_login(_staff("programadmin", "view_coursecompletion"))

    listing = client.get(LISTING).content.decode()
    assert "Kari Nordmann" in listing and "Ola Sæther" in listing
    only_2026 = client.get(LISTING, {"year": "2026"}).content.decode()
    assert "Ola Sæther" in only_2026 and "Kari Nordmann" not in only_2026
    found = client.get(LISTING, {"q": "Kari"}).content.decode()
    assert "Kari Nordmann" in found and "Ola Sæther" not in found

    csv = client.get(LISTING, {"year": "2026", "export": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "Ola Sæther" in text and "ola@example.no" in text and "Kari" not in text
    assert completions.title in text

    xlsx = client.get(LISTING, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    ours = [row for row in rows[1:] if row[1].endswith("@example.no")]  # not the demo's
    assert len(rows) == CourseCompletion.objects.count() + 1
    assert {(row[0], row[3]) for row in ours} == {("Kari Nordmann", 2025), ("Ola Sæther", 2026)}


def test_completions_are_refused_without_the_permission_and_never_editable(client, completions):
    client.force_login(_staff("editor", "change_page"))
    response = client.get(LISTING)
    assert response.status_code == 403 or response["Location"] == "/admin/"

    client.force_login(_staff("programadmin", "view_coursecompletion"))
    completion = CourseCompletion.objects.first()
    before = CourseCompletion.objects.count()
    assert client.get(f"{LISTING}edit/{completion.pk}/").status_code == 404
    assert client.post(f"{LISTING}delete/{completion.pk}/").status_code == 404
    assert CourseCompletion.objects.count() == before
