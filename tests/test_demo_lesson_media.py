"""The demo course's lessons show what a real module looks like: a figure and a video clip."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.images import get_image_model

from courses.models.pages import ModulePage

pytestmark = pytest.mark.django_db


def _load(*args: str) -> None:
    call_command("load_demo", *args, stdout=io.StringIO())


def _learner(client):
    user = get_user_model().objects.create_user(
        username="lesson-reader", email="lesson-reader@example.org", password="x"
    )
    client.force_login(user)


def _section_html(client, module: ModulePage, number: int) -> str:
    response = client.get(f"{module.url}{number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_demo_lesson_shows_a_figure_with_its_alt_text(client):
    _load("--no-videos")
    module = ModulePage.objects.get(slug="riktig-diagnostikk")
    _learner(client)
    html = _section_html(client, module, 2)
    image = get_image_model().objects.get(title__startswith="Asymptomatisk bakteriuri")
    assert image.width == 1120 and image.height == 630
    assert image.file_hash  # as an upload through the admin would have it
    rendition = image.get_rendition("fill-600x338")
    assert f'src="{rendition.url}"' in html
    assert 'alt="Figur med 100 prikker for 100 sykehjemsbeboere.' in html


def test_a_demo_lesson_shows_the_clip_when_the_demo_has_videos(client, tmp_path):
    # The demo's clip stands in as a small ready video (transcoding the real one takes a minute);
    # the course is then built as load_demo builds it when it has its videos.
    from cms.demo.course import ensure_demo_course
    from cms.demo.records import LoadReport
    from cms.models import HomePage
    from tests.videos.factories import ready_video

    _load("--no-videos")
    clip = ready_video(tmp_path, title="5 RASKe om urinveisinfeksjon", seconds=2)
    ensure_demo_course(LoadReport(reset=True), HomePage.objects.get(), (None, clip))
    module = ModulePage.objects.get(slug="riktig-diagnostikk")
    _learner(client)
    html = _section_html(client, module, 1)
    assert "lesson-block--video" in html
    assert "Se klippet: 5 RASKe om urinveisinfeksjon" in html


def test_without_videos_the_lesson_has_no_empty_video_block(client):
    _load("--no-videos")
    module = ModulePage.objects.get(slug="riktig-diagnostikk")
    _learner(client)
    assert "lesson-block--video" not in _section_html(client, module, 1)


def test_loading_again_keeps_one_figure_and_its_file():
    _load("--no-videos")
    image = get_image_model().objects.get()
    _load("--no-videos")
    again = get_image_model().objects.get()
    assert (again.pk, again.file.name) == (image.pk, image.file.name)
    assert again.file.storage.exists(again.file.name)


def test_a_reset_puts_the_figure_back_and_leaves_no_old_file(django_capture_on_commit_callbacks):
    _load("--no-videos")
    image = get_image_model().objects.get()
    image.title = "Edited by an editor"
    image.save()
    old_file, storage = image.file.name, image.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reset_demo", "--no-videos", "--yes", stdout=io.StringIO())
    again = get_image_model().objects.get()
    assert again.pk == image.pk
    assert again.title.startswith("Asymptomatisk bakteriuri")
    assert storage.exists(again.file.name)
    assert again.file.name != old_file and not storage.exists(old_file)
