"""Reads that the video views, pages and publishing checks share."""

from django.conf import settings
from django.db.models import BigIntegerField, CharField, FloatField, IntegerField, Value
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Page, ReferenceIndex

from cms import layoutcache
from videos.captions import Chapter, Cue, parse_captions
from videos.models import Video, VideoCaption, VideoChapter, VideoRendition


def video_visible_to(video: Video, request: HttpRequest) -> bool:
    """A playable video in a collection whose view restrictions (if any) this request passes.

    A video whose new source is being processed keeps playing its previous files.
    """
    if not video.is_playable:
        return False
    return all(
        restriction.accept_request(request)
        for restriction in video.collection.get_view_restrictions()
    )


def video_is_restricted(video: Video) -> bool:
    return video.collection.get_view_restrictions().exists()


def caption_for_language(
    video: Video, language: str | None = None, *, captions: list[VideoCaption] | None = None
) -> VideoCaption | None:
    """Captions in ``language`` (default: the active one), else Bokmål, else any.

    ``captions``, when the caller has them already, saves reading them again.
    """
    if captions is None:
        captions = list(video.captions.all())
    captions = {caption.language: caption for caption in captions}
    for code in (language or get_language(), settings.LANGUAGE_CODE):
        if code in captions:
            return captions[code]
    return next(iter(captions.values()), None)


def transcript_cues(caption: VideoCaption | None) -> list[Cue]:
    """The cues of stored (already clean) captions, for the transcript under the player."""
    if caption is None:
        return []
    return list(parse_captions(caption.webvtt).cues)


def videos_on_page(page: Page) -> list[Video]:
    """Every video a page shows, found through Wagtail's reference extraction (any StreamField)."""
    video_type = ReferenceIndex._get_base_content_type(Video).pk
    video_ids = {
        int(object_id)
        for type_id, object_id, _model_path, _content_path in (
            ReferenceIndex._extract_references_from_object(page)
        )
        if type_id == video_type
    }
    return list(Video.objects.filter(pk__in=video_ids).prefetch_related("captions"))


def publish_blockers(page: Page) -> list[str]:
    """Why ``page`` may not be published: videos not ready or lacking captions in its language.

    WCAG 1.2.2 (captions for prerecorded video) is a legal requirement for public bodies.
    """
    from django.utils.translation import gettext as _

    language = page.locale.language_code
    problems = []
    for video in videos_on_page(page):
        if not video.is_playable:
            problems.append(
                _("The video “%(title)s” is not ready yet (%(status)s).")
                % {"title": video.title, "status": video.get_status_display()}
            )
        if language not in video.caption_languages():
            problems.append(
                _("The video “%(title)s” has no captions in %(language)s.")
                % {"title": video.title, "language": _language_name(language)}
            )
    return problems


def _language_name(code: str) -> str:
    from django.utils.translation import gettext as _

    return str(dict(settings.LANGUAGES).get(code, code)) if code else _("the page's language")


def _chapters_ending(video: Video, rows: list[tuple[str, float]]) -> list[Chapter]:
    """(title, start) rows in order as chapters, each ending where the next starts."""
    chapters = []
    for index, (title, start) in enumerate(rows):
        end = rows[index + 1][1] if index + 1 < len(rows) else video.duration
        chapters.append(Chapter(title=title, start=start, end=end))
    return chapters


def video_chapters(video: Video) -> list[Chapter]:
    """The chapters in order, each ending where the next starts (the last at the end)."""
    rows = list(video.chapters.order_by("start", "sort_order").values_list("title", "start"))
    return _chapters_ending(video, rows)


def _renditions_and_chapters(video: Video) -> tuple[list[VideoRendition], list[Chapter]]:
    """The renditions (shortest first) and chapters of ``video`` in one query (a UNION)."""
    # One row shape for both: (kind, id, name/title, file, width/sort order, height, size, start)
    renditions = VideoRendition.objects.filter(video=video).values_list(
        Value(0, IntegerField()), "pk", "name", "file", "width", "height", "size",
        Value(0.0, FloatField()),
    )  # fmt: skip
    chapters = VideoChapter.objects.filter(video=video).values_list(
        Value(1, IntegerField()), "pk", "title", Value("", CharField()), "sort_order",
        Value(0, IntegerField()), Value(0, BigIntegerField()), "start",
    )  # fmt: skip
    found_renditions, found_chapters = [], []
    for kind, pk, text, file, number, height, size, start in renditions.union(chapters, all=True):
        if kind == 0:
            rendition = VideoRendition(pk=pk, video=video, name=text, file=file, size=size)
            rendition.width, rendition.height = number, height
            found_renditions.append(rendition)
        else:
            found_chapters.append((start, number if number is not None else 0, text))
    found_renditions.sort(key=lambda rendition: rendition.height)
    found_chapters.sort()
    rows = [(title, start) for start, _order, title in found_chapters]
    return found_renditions, _chapters_ending(video, rows)


def _player_media(video: Video, language: str) -> dict:
    renditions, chapters = _renditions_and_chapters(video)
    captions = list(video.captions.all())
    caption = caption_for_language(video, language, captions=captions)
    return {
        "renditions": renditions,
        "captions": captions,
        "default_caption": caption,
        "chapters": chapters,
        "transcript": transcript_cues(caption),
    }


def player_context(request: HttpRequest, video: Video) -> dict:
    """What the player needs: renditions, captions, chapters, transcript, whether to track.

    The media part is the same for every visitor: two queries (captions; renditions with
    chapters), then kept in ``cms.layoutcache`` per video and language until content changes.
    """
    language = get_language() or settings.LANGUAGE_CODE
    media = layoutcache.cached(
        "video-player", (video.pk, language), lambda: _player_media(video, language)
    )
    return {**media, "video": video, "track_progress": request.user.is_authenticated}
