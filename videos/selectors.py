"""Reads that the video views, pages and publishing checks share."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.models import Page, ReferenceIndex

from videos.captions import Chapter, Cue, parse_captions
from videos.models import Video, VideoCaption


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


def caption_for_language(video: Video, language: str | None = None) -> VideoCaption | None:
    """Captions in ``language`` (default: the active one), else Bokmål, else any."""
    captions = {caption.language: caption for caption in video.captions.all()}
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


def video_chapters(video: Video) -> list[Chapter]:
    """The chapters in order, each ending where the next starts (the last at the end)."""
    rows = list(video.chapters.order_by("start", "sort_order"))
    chapters = []
    for index, row in enumerate(rows):
        end = rows[index + 1].start if index + 1 < len(rows) else video.duration
        chapters.append(Chapter(title=row.title, start=row.start, end=end))
    return chapters


def player_context(request: HttpRequest, video: Video) -> dict:
    """What the player needs: renditions, captions, chapters, transcript, whether to track."""
    caption = caption_for_language(video)
    return {
        "video": video,
        "renditions": list(video.renditions.order_by("height")),
        "captions": list(video.captions.all()),
        "default_caption": caption,
        "chapters": video_chapters(video),
        "transcript": transcript_cues(caption),
        "track_progress": request.user.is_authenticated,
    }
