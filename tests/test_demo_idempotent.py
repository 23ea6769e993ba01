"""Restarting ``make run`` keeps editors' work: ``load_demo`` creates only what never existed.

``make run`` runs load_demo, ensure_admin and ensure_demo_learner on every start. An editor's
published changes to demo pages, quizzes, videos, documents and settings, and an admin's own
password, must all survive that, live and in the latest revision; a deleted demo page stays
deleted. Only ``reset_demo --yes`` puts the original back.
"""

import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Site

from cms.demo.models import DemoObject
from cms.models import HomePage, ProgrammeSettings, ResourceDocument, ResourceIndexPage
from courses.models import ModulePage
from quizzes.models import Quiz
from videos.models import Video

pytestmark = pytest.mark.django_db

NEW_CLIP = "5 RASKe om hudinfeksjoner"
ADMIN_PASSWORD = "Redaktørens-eget-passord-42"  # noqa: S105 - a test password


def _make_run_setup(*, videos: bool = True) -> str:
    """What ``make run`` runs before it starts the site."""
    out = io.StringIO()
    call_command("load_demo", *([] if videos else ["--no-videos"]), stdout=out)
    call_command("ensure_admin", stdout=out)
    call_command("ensure_demo_learner", stdout=out)
    return out.getvalue()


def _clip_titles(activities) -> list[str]:
    block = next(block for block in activities if block.block_type == "clips")
    return [clip["title"] for clip in block.value["clips"]]


def _editor_changes(editor) -> dict:
    """An editor's work in the admin's terms: publish revisions, save snippets and documents."""
    home = HomePage.objects.get()
    data = list(home.activities.get_prep_value())
    clips = next(block for block in data if block["type"] == "clips")
    clips["value"]["clips"].append(
        {
            "type": "item",
            "id": str(uuid.uuid4()),
            "value": {"title": NEW_CLIP, "video": None, "questions": ["Når er et sår infisert?"]},
        }
    )
    home.activities = data
    home.save_revision(user=editor).publish()

    quiz = Quiz.objects.order_by("pk").first()
    quiz.pass_mark = 60
    quiz.title = "Quiz om retningslinjene (revidert)"
    quiz.save_revision(user=editor).publish()

    module = ModulePage.objects.order_by("path").first()
    module.title = "Retningslinjene, revidert av redaksjonen"
    module.save_revision(user=editor).publish()

    document = ResourceDocument.objects.order_by("pk").first()
    document.title = "Lommekort (ny utgave)"
    document.save()

    video = Video.objects.order_by("pk").first()
    video.title = "Intervju med ny tittel"
    video.save()

    programme = ProgrammeSettings.for_site(Site.objects.get(is_default_site=True))
    programme.tagline = "Redaksjonens egen undertittel"
    programme.save()

    ResourceIndexPage.objects.get().delete()
    return {"quiz": quiz.pk, "module": module.pk, "document": document.pk, "video": video.pk}


def test_make_run_again_keeps_every_editor_change(client):
    _make_run_setup()
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(ADMIN_PASSWORD)
    admin.save()
    changed = _editor_changes(admin)
    counts = (Quiz.objects.count(), ModulePage.objects.count(), Video.objects.count())

    output = _make_run_setup()

    home = HomePage.objects.get()
    assert NEW_CLIP in _clip_titles(home.activities)
    assert NEW_CLIP in _clip_titles(home.latest_revision.as_object().activities)
    assert home.live and not home.has_unpublished_changes
    assert NEW_CLIP in client.get("/").content.decode()

    quiz = Quiz.objects.get(pk=changed["quiz"])
    assert (quiz.pass_mark, quiz.title) == (60, "Quiz om retningslinjene (revidert)")
    assert quiz.latest_revision.as_object().pass_mark == 60
    assert quiz.live and not quiz.has_unpublished_changes

    module = ModulePage.objects.get(pk=changed["module"])
    assert module.title == "Retningslinjene, revidert av redaksjonen"
    assert module.latest_revision.as_object().title == module.title
    assert module.live and not module.has_unpublished_changes
    assert module.title in client.get(module.url).content.decode()

    assert ResourceDocument.objects.get(pk=changed["document"]).title == "Lommekort (ny utgave)"
    assert Video.objects.get(pk=changed["video"]).title == "Intervju med ny tittel"
    programme = ProgrammeSettings.for_site(Site.objects.get(is_default_site=True))
    assert programme.tagline == "Redaksjonens egen undertittel"
    # Renamed objects are still the demo's own: nothing was made a second time.
    assert (Quiz.objects.count(), ModulePage.objects.count(), Video.objects.count()) == counts
    # What an editor deleted stays deleted.
    assert not ResourceIndexPage.objects.exists()
    assert "left out resources page" in output

    admin.refresh_from_db()
    assert admin.check_password(ADMIN_PASSWORD)


def test_a_database_loaded_before_records_keeps_its_changes():
    _make_run_setup(videos=False)
    module = ModulePage.objects.order_by("path").first()
    module.title = "Endret før demoen førte register"
    module.save_revision().publish()
    DemoObject.objects.all().delete()  # as a database from before this record existed
    pages = ModulePage.objects.count()

    output = _make_run_setup(videos=False)

    module.refresh_from_db()
    assert module.title == "Endret før demoen førte register"
    assert ModulePage.objects.count() == pages
    assert "already up to date" in output


def test_reset_demo_needs_yes_then_restores_the_original():
    _make_run_setup(videos=False)
    admin = get_user_model().objects.get(username="admin")
    changed = _editor_changes_without_videos(admin)

    with pytest.raises(CommandError, match="--yes"):
        call_command("reset_demo", "--no-videos")
    assert Quiz.objects.get(pk=changed["quiz"]).pass_mark == 60

    call_command("reset_demo", "--yes", "--no-videos", stdout=io.StringIO())
    quiz = Quiz.objects.get(pk=changed["quiz"])
    assert quiz.pass_mark == 80
    assert quiz.latest_revision.as_object().pass_mark == 80
    module = ModulePage.objects.get(pk=changed["module"])
    assert module.title == "Gjeldende retningslinjer for antibiotikabruk i sykehjem"
    assert NEW_CLIP not in _clip_titles(HomePage.objects.get().activities)
    assert ResourceIndexPage.objects.live().exists()
    # The editor's version stays in the history, one revision back.
    assert module.revisions.count() >= 3


def _editor_changes_without_videos(editor) -> dict:
    # The same edits, for a demo loaded without its videos.
    Video.objects.create(title="placeholder for the video edit")
    return _editor_changes(editor)


@pytest.mark.s3
def test_on_s3_a_second_load_keeps_edits_and_writes_no_object(s3_storage):
    call_command("load_demo", "--no-videos", stdout=io.StringIO())
    document = ResourceDocument.objects.order_by("pk").first()
    document.title = "Lommekort (ny utgave)"
    document.save()
    keys = sorted(s3_storage.server.keys(s3_storage.prefix))

    call_command("load_demo", "--no-videos", stdout=io.StringIO())

    assert ResourceDocument.objects.get(pk=document.pk).title == "Lommekort (ny utgave)"
    assert sorted(s3_storage.server.keys(s3_storage.prefix)) == keys


def test_demo_learner_keeps_a_changed_password_and_profile():
    from accounts.models import LearnerProfile

    first = _make_run_setup(videos=False)
    assert "laerer@example.org / Sykehjem-demo-2026" in first
    learner = get_user_model().objects.get(email="laerer@example.org")
    learner.set_password("Mitt-eget-passord-2026")
    learner.save()
    LearnerProfile.objects.filter(user=learner).update(workplace="Fjellheimen sykehjem")

    again = _make_run_setup(videos=False)

    learner.refresh_from_db()
    assert learner.check_password("Mitt-eget-passord-2026")
    assert LearnerProfile.objects.get(user=learner).workplace == "Fjellheimen sykehjem"
    assert "Sykehjem-demo-2026" not in again
