"""What the video listing, the video chooser and yes/no listing columns show an editor."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from videos.models import Video, VideoActivity, VideoCaption, VideoStatus

pytestmark = pytest.mark.django_db


def _editor(client, user, language: str):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return client


def _video(title: str, *, languages: list[str], duration: float = 95.0) -> Video:
    # A row as a finished transcode leaves it; the listing never reads the files.
    video = Video.objects.create(
        title=title, collection=Collection.get_first_root_node(), source="videos/source/x/a.mp4",
        status=VideoStatus.READY, duration=duration, media_prefix=f"videos/{title}/1",
        poster=f"videos/{title}/1/poster.jpg",
    )  # fmt: skip
    for language in languages:
        VideoCaption.objects.create(video=video, language=language, webvtt="WEBVTT\n")
    return video


def _row(html: str, title: str) -> str:
    rows = re.findall(r"<tr\b.*?</tr>", html, flags=re.S)
    return next(row for row in rows if title in row)


def test_the_video_listing_shows_each_videos_caption_languages(admin_client, admin_user):
    editor = _editor(admin_client, admin_user, "en")
    _video("Tekstet video", languages=["nb", "en"])
    _video("Utekstet video", languages=[])

    html = editor.get(reverse("videos_admin:index")).content.decode()

    assert "English, Norwegian Bokmål" in _row(html, "Tekstet video")
    assert "No captions" in _row(html, "Utekstet video")
    assert "No captions" not in _row(html, "Tekstet video")


def test_the_video_chooser_shows_poster_duration_and_captions(admin_client, admin_user):
    editor = _editor(admin_client, admin_user, "en")
    captioned = _video("Tekstet video", languages=["nb"], duration=65.0)
    _video("Utekstet video", languages=[], duration=5.0)

    html = editor.get(reverse("video_chooser:choose")).json()["html"]

    row = _row(html, "Tekstet video")
    assert reverse("videos:poster", args=[captioned.pk]) in row
    assert "1:05" in row
    assert "Norwegian Bokmål" in row
    other = _row(html, "Utekstet video")
    assert "0:05" in other and "No captions" in other
    headings = [
        re.sub(r"<[^>]+>|\s+", " ", th).strip() for th in re.findall(r"<th\b.*?</th>", html, re.S)
    ]
    assert {"Poster", "Duration", "Captions"} <= set(headings)


@pytest.mark.parametrize(("language", "yes", "no"), [("nb", "Ja", "Nei"), ("en", "Yes", "No")])
def test_yes_no_columns_show_words_not_true_and_false(admin_client, admin_user, language, yes, no):
    editor = _editor(admin_client, admin_user, language)
    VideoActivity.objects.create(title="Gir poeng", edition_year=2026, hours=1, live=True)
    VideoActivity.objects.create(title="Stengt", edition_year=2026, hours=1, live=False)

    html = editor.get(reverse("wagtailsnippets_videos_videoactivity:list")).content.decode()

    def cells(title: str) -> list[str]:
        return re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", _row(html, title), re.S)

    assert yes in cells("Gir poeng") and no in cells("Stengt")
    assert "True" not in html and "False" not in html
