"""Public video views: the player page, present mode, and delivery of every video file.

Video bytes never go through Django on S3: the view checks that the video may be seen and
redirects (302, never cached) to a presigned URL that expires within the hour. With local files,
``stored_file_response`` answers Range requests (206/416, ETag, If-Range) in chunks. With the
file store down, visitors get a 503 with ``Retry-After``, not a server error.
"""

import mimetypes
import posixpath
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from videos import progress as progress_parser
from videos import selectors, services
from videos.captions import chapters_to_webvtt
from videos.models import Video
from videos.present_actions import present_actions
from videos.ranges import content_disposition, stored_file_response
from videos.storeerrors import is_store_unavailable, store_unavailable_response

# Path segments of our own HLS output: no empty, dot-leading or traversal segments.
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$")


def _visible_video(request: HttpRequest, video_id: int) -> Video:
    video = get_object_or_404(Video.objects.select_related("collection"), pk=video_id)
    if not selectors.video_visible_to(video, request):
        raise Http404("No such video.")
    return video


def _is_local() -> bool:
    return isinstance(storages["default"], FileSystemStorage)


def _deliver(request: HttpRequest, video: Video, key: str) -> HttpResponse:
    """Hand out one stored file of a video: presigned redirect on S3, ranged response locally."""
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    restricted = selectors.video_is_restricted(video)
    storage = default_storage
    if not _is_local():
        url = storage.url(key, expire=settings.VIDEO_URL_EXPIRY,
                          parameters={"ResponseContentType": content_type})  # fmt: skip
        response = HttpResponseRedirect(url)
        add_never_cache_headers(response)
        return response
    try:
        return stored_file_response(
            request, storage, key, content_type=content_type, private=restricted,
            max_age=86400,
        )  # fmt: skip
    except Exception as exc:
        if not is_store_unavailable(exc):
            raise
        return store_unavailable_response(request)


@require_safe
def rendition(request: HttpRequest, video_id: int, name: str) -> HttpResponse:
    video = _visible_video(request, video_id)
    found = video.renditions.filter(name=name).first()
    if found is None:
        raise Http404("No such rendition.")
    return _deliver(request, video, found.file)


@require_safe
def poster(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _visible_video(request, video_id)
    if not video.poster:
        raise Http404("No poster.")
    return _deliver(request, video, video.poster)


@require_safe
def hls(request: HttpRequest, video_id: int, path: str) -> HttpResponse:
    """The HLS ladder. Playlists are read and, on S3, their media URIs are presigned."""
    video = _visible_video(request, video_id)
    if not video.hls_master or not _SAFE_PATH.match(path) or ".." in path:
        raise Http404("No such file.")
    base = posixpath.dirname(video.hls_master)
    key = f"{base}/{path}"
    if not path.endswith(".m3u8"):
        return _deliver(request, video, key)
    try:
        with default_storage.open(key, "rb") as handle:
            playlist = handle.read().decode()
    except FileNotFoundError as exc:
        raise Http404("No such playlist.") from exc
    except Exception as exc:
        if not is_store_unavailable(exc):
            raise
        return store_unavailable_response(request)
    if not _is_local():
        playlist = _presign_playlist(playlist, posixpath.dirname(key))
    response = HttpResponse(playlist, content_type="application/vnd.apple.mpegurl")
    # Presigned URLs inside expire: a cached playlist must not outlive them.
    patch_cache_control(response, private=True, max_age=60)
    return response


def _presign_playlist(playlist: str, folder: str) -> str:
    def sign(uri: str) -> str:
        if uri.endswith(".m3u8") or "://" in uri:
            return uri  # variant playlists come back through this view to be signed in turn
        key = posixpath.normpath(f"{folder}/{uri}")
        return default_storage.url(key, expire=settings.VIDEO_URL_EXPIRY)

    lines = []
    for line in playlist.splitlines():
        if line.startswith("#EXT-X-MAP:"):
            line = re.sub(r'URI="([^"]+)"', lambda m: f'URI="{sign(m[1])}"', line)
        elif line and not line.startswith("#"):
            line = sign(line)
        lines.append(line)
    return "\n".join(lines) + "\n"


@require_safe
def captions(request: HttpRequest, video_id: int, language: str) -> HttpResponse:
    video = _visible_video(request, video_id)
    caption = video.captions.filter(language=language).first()
    if caption is None:
        raise Http404("No captions in that language.")
    response = HttpResponse(caption.webvtt, content_type="text/vtt; charset=utf-8")
    _cache_small_file(response, video)
    return response


def _cache_small_file(response: HttpResponse, video: Video) -> None:
    # A restricted video's captions must not be handed to others by a shared cache.
    if selectors.video_is_restricted(video):
        patch_cache_control(response, private=True, max_age=300)
    else:
        patch_cache_control(response, public=True, max_age=300)


@require_safe
def chapters(request: HttpRequest, video_id: int) -> HttpResponse:
    video = _visible_video(request, video_id)
    items = selectors.video_chapters(video)
    if not items:
        raise Http404("No chapters.")
    response = HttpResponse(chapters_to_webvtt(items), content_type="text/vtt; charset=utf-8")
    _cache_small_file(response, video)
    return response


@require_safe
def transcript(request: HttpRequest, video_id: int, language: str) -> HttpResponse:
    """The captions as plain text, to read or print."""
    video = _visible_video(request, video_id)
    caption = video.captions.filter(language=language).first()
    if caption is None:
        raise Http404("No transcript in that language.")
    text = "\n\n".join(cue.plain_text for cue in selectors.transcript_cues(caption))
    response = HttpResponse(f"{video.title}\n\n{text}\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition(
        f"{video.pk}-{language}.txt", attachment=True
    )
    return response


@require_safe
def detail(request: HttpRequest, video_id: int) -> HttpResponse:
    """The public page of one video: player, chapters, transcript, reflection questions."""
    video = _visible_video(request, video_id)
    return render(request, "videos/detail.html", selectors.player_context(request, video))


@require_safe
def present(request: HttpRequest, video_id: int) -> HttpResponse:
    """Shared-screen mode for a TV or projector, operated by keyboard or presentation remote."""
    video = _visible_video(request, video_id)
    context = selectors.player_context(request, video)
    # What other apps offer here (a group session for credit): videos does not know them.
    context["present_actions"] = present_actions(request, video)
    return render(request, "videos/present.html", context)


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, video_id: int) -> JsonResponse:
    """Where a logged-in learner is in a video (GET), and what they have played (POST).

    POST takes JSON ``{"intervals": [[start, end], ...], "position": seconds}``; the server
    merges the intervals into the union already played.
    """
    video = _visible_video(request, video_id)
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in to have your progress saved.")}, status=403)
    if request.method == "GET":
        record = video.watch_progress.filter(user=request.user).first()
        return JsonResponse(_progress_body(video, record))
    if _declared_length(request) > progress_parser.MAX_BODY_BYTES:
        # Refused before the body is read: a report is a few hundred bytes.
        return JsonResponse({"error": _("The progress report is too large.")}, status=413)
    try:
        report = progress_parser.parse_progress_body(request.body, duration=video.duration)
        record = services.watch_progress_record(
            user=request.user, video=video, intervals=report.intervals, position=report.position
        )
    except progress_parser.ProgressError as exc:
        return JsonResponse({"error": str(exc.message)}, status=400)
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    return JsonResponse(_progress_body(video, record))


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _progress_body(video: Video, record) -> dict:
    if record is None:
        return {"position": 0, "seconds_watched": 0, "watched": False}
    return {
        "position": record.position,
        "seconds_watched": round(record.seconds_watched, 1),
        "watched": record.completed_at is not None,
    }
