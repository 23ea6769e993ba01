"""Delivery of a video's files to players: ranges, HLS, captions, visibility, and S3 redirects."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from tests.videos.factories import ready_video
from videos import services
from videos.captions import Chapter
from videos.media import make_test_source
from videos.models import Video

pytestmark = pytest.mark.django_db

DIRTY_CAPTIONS = """WEBVTT

NOTE intern merknad som ikke skal vises

00:00:00.500 --> 00:00:02.000 align:start foo:bar
<font color="red">Velkommen</font> til <b onclick="go()">fem på fem</b> &amp; <script>x()</script>

00:00:02.200 --> 00:00:03.800
Når bør vi vente med antibiotika?
"""

CHAPTERS = (("Hvorfor antibiotikastyring?", 0.0), ("Når bør vi vente?", 2.0))


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """One small source clip for the whole module; each test transcodes it into its own media."""
    folder = tmp_path_factory.mktemp("delivery")
    return make_test_source(folder / "s.mp4", seconds=4, width=640, height=360)


@pytest.fixture
def root_collection(db):
    return Collection.get_first_root_node()


@pytest.fixture
def video(tmp_path, clip, root_collection):
    return ready_video(tmp_path, source=clip, captions=DIRTY_CAPTIONS, chapters=CHAPTERS)


def stored_bytes(key: str) -> bytes:
    with default_storage.open(key, "rb") as handle:
        return handle.read()


def rendition_url(video: Video, name: str = "360p") -> str:
    return reverse("videos:rendition", args=[video.pk, name])


def hls_url(video: Video, path: str) -> str:
    return reverse("videos:hls", args=[video.pk, "master.m3u8"]).removesuffix("master.m3u8") + path


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def variant_uris(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


# --- Local storage: MP4 renditions with ranges -------------------------------------------------


def test_rendition_is_streamed_whole_with_range_support(client, video):
    rendition = video.renditions.get(name="360p")
    expected = stored_bytes(rendition.file)

    response = client.get(rendition_url(video))

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["ETag"].startswith('"')
    assert response["Content-Length"] == str(len(expected))
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 1  # sent in pieces, never read into memory whole
    assert b"".join(chunks) == expected
    assert len(expected) == rendition.size


def test_range_request_gets_exactly_those_bytes(client, video):
    expected = stored_bytes(video.renditions.get(name="360p").file)

    response = client.get(rendition_url(video), HTTP_RANGE="bytes=0-99")

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{len(expected)}"
    assert response["Content-Length"] == "100"
    assert body(response) == expected[:100]

    tail = client.get(rendition_url(video), HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206
    assert body(tail) == expected[-50:]


def test_range_past_the_end_is_416(client, video):
    size = video.renditions.get(name="360p").size

    response = client.get(rendition_url(video), HTTP_RANGE=f"bytes={size}-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_if_range_honours_the_range_only_for_the_current_etag(client, video):
    expected = stored_bytes(video.renditions.get(name="360p").file)
    etag = client.head(rendition_url(video))["ETag"]

    same = client.get(rendition_url(video), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=etag)
    other = client.get(
        rendition_url(video), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE='"an-older-file"'
    )

    assert same.status_code == 206
    assert body(same) == expected[:100]
    assert other.status_code == 200
    assert body(other) == expected


def test_head_sends_the_headers_without_a_body(client, video):
    size = video.renditions.get(name="360p").size

    response = client.head(rendition_url(video))

    assert response.status_code == 200
    assert response["Content-Length"] == str(size)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == b""


def test_unknown_rendition_and_other_methods_are_refused(client, video):
    assert client.get(rendition_url(video, "1080p")).status_code == 404  # not upscaled
    assert client.post(rendition_url(video)).status_code == 405


def test_poster_is_a_jpeg(client, video):
    response = client.get(reverse("videos:poster", args=[video.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response)[:2] == b"\xff\xd8"


# --- Local storage: HLS -------------------------------------------------------------------------


def test_hls_master_playlist_lists_variants_that_load(client, video):
    response = client.get(hls_url(video, "master.m3u8"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    playlist = response.content.decode()
    assert playlist.startswith("#EXTM3U")
    uris = variant_uris(playlist)
    assert uris == ["360p/index.m3u8"]  # relative: they come back through this view
    for uri in uris:
        variant = client.get(hls_url(video, uri))
        assert variant.status_code == 200
        assert variant["Content-Type"] == "application/vnd.apple.mpegurl"


def test_hls_variant_playlist_init_file_and_segments_load(client, video):
    master = stored_bytes(video.hls_master).decode()
    (variant_uri,) = variant_uris(master)
    folder = variant_uri.rsplit("/", 1)[0]

    variant = client.get(hls_url(video, variant_uri))

    assert variant.status_code == 200
    assert variant["Content-Type"] == "application/vnd.apple.mpegurl"
    playlist = variant.content.decode()
    assert '#EXT-X-MAP:URI="init.mp4"' in playlist
    segments = variant_uris(playlist)
    assert segments and all("://" not in uri for uri in segments)

    init = client.get(hls_url(video, f"{folder}/init.mp4"))
    assert init.status_code == 200
    assert init["Content-Type"] == "video/mp4"
    assert body(init)[4:8] == b"ftyp"

    segment = client.get(hls_url(video, f"{folder}/{segments[0]}"))
    assert segment.status_code == 200
    segment_bytes = body(segment)
    assert segment_bytes[4:8] in (b"styp", b"moof", b"sidx")

    part = client.get(hls_url(video, f"{folder}/{segments[0]}"), HTTP_RANGE="bytes=0-7")
    assert part.status_code == 206
    assert body(part) == segment_bytes[:8]


def test_hls_path_traversal_is_404(client, video):
    # Real files outside the HLS folder: the MP4 rendition and the uploaded source.
    to_rendition = "360p/../../360p.mp4"
    to_source = f"360p/../../../../../{video.source.name}"
    assert default_storage.exists(video.source.name)
    for path in (
        "../../source",
        "%2e%2e/%2e%2e/source",
        to_rendition,
        to_rendition.replace("..", "%2e%2e"),
        to_source,
        to_source.replace("..", "%2e%2e"),
        "/etc/passwd",
    ):
        response = client.get(hls_url(video, path))
        assert response.status_code == 404, path


# --- Captions, chapters, transcript -------------------------------------------------------------


def test_captions_are_served_cleaned(client, video):
    response = client.get(reverse("videos:captions", args=[video.pk, "nb"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("WEBVTT\n")
    assert "Velkommen til <b>fem på fem</b> &amp; x()" in text
    assert "Når bør vi vente med antibiotika?" in text
    for removed in ("<script", "<font", "onclick", "foo:bar", "intern merknad"):
        assert removed not in text
    assert client.get(reverse("videos:captions", args=[video.pk, "nn"])).status_code == 404


def test_chapters_file_lists_the_chapter_titles(client, video):
    response = client.get(reverse("videos:chapters", args=[video.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:02.000\nHvorfor antibiotikastyring?" in text
    assert "Når bør vi vente?" in text


def test_transcript_downloads_as_plain_text(client, video):
    response = client.get(reverse("videos:transcript", args=[video.pk, "nb"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.startswith(video.title)
    assert "Velkommen til fem på fem & x()" in text
    assert "Når bør vi vente med antibiotika?" in text
    assert "<b>" not in text and "-->" not in text


# --- Who may see what ---------------------------------------------------------------------------


def all_urls(video: Video) -> list[str]:
    pk = video.pk
    return [
        reverse("videos:detail", args=[pk]),
        reverse("videos:present", args=[pk]),
        reverse("videos:progress", args=[pk]),
        reverse("videos:poster", args=[pk]),
        rendition_url(video),
        hls_url(video, "master.m3u8"),
        hls_url(video, "360p/index.m3u8"),
        hls_url(video, "360p/init.mp4"),
        reverse("videos:captions", args=[pk, "nb"]),
        reverse("videos:chapters", args=[pk]),
        reverse("videos:transcript", args=[pk, "nb"]),
    ]


def _captioned(video: Video) -> Video:
    services.video_captions_set(
        video=video, language="nb", data=DIRTY_CAPTIONS.encode(), filename="nb.vtt"
    )
    services.video_chapters_set(video=video, chapters=[Chapter("Innledning", 0.0, 4.0)])
    return video


@pytest.mark.parametrize("status", ["uploaded", "processing", "failed"])
def test_video_that_is_not_ready_is_404_everywhere(client, clip, status, root_collection):
    if status == "failed":
        broken = ContentFile(b"this is not a video", name="broken.mp4")
        video = services.video_create(title="Ødelagt opptak", source=broken, enqueue=False)
        services.video_transcode(video_id=video.pk)
    else:
        with open(clip, "rb") as handle:
            video = services.video_create(
                title="Under arbeid", source=File(handle, name="s.mp4"), enqueue=False
            )
        Video.objects.filter(pk=video.pk).update(status=status, progress=40)
    video.refresh_from_db()
    assert video.status == status
    _captioned(video)

    for url in all_urls(video):
        assert client.get(url).status_code == 404, url


def _password_protected(video: Video, root: Collection) -> CollectionViewRestriction:
    private = root.add_child(name="Interne videoer")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type="password", password="hemmelig"
    )
    video.collection = private
    video.save(update_fields=["collection"])
    return restriction


def _pass_password(client, restriction: CollectionViewRestriction) -> None:
    response = client.post(
        reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk]),
        {"password": "hemmelig", "return_url": "/"},
    )
    assert response.status_code == 302


def test_password_protected_video_is_404_for_an_anonymous_visitor(client, video, root_collection):
    restriction = _password_protected(video, root_collection)

    for url in all_urls(video):
        assert client.get(url).status_code == 404, url

    _pass_password(client, restriction)
    response = client.get(rendition_url(video), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert client.get(reverse("videos:captions", args=[video.pk, "nb"])).status_code == 200


def test_password_protected_captions_are_not_publicly_cacheable(client, video, root_collection):
    _pass_password(client, _password_protected(video, root_collection))

    for url in (
        reverse("videos:captions", args=[video.pk, "nb"]),
        reverse("videos:chapters", args=[video.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" not in response["Cache-Control"], url


def test_missing_files_are_404_not_500(client, video):
    master = stored_bytes(video.hls_master).decode()
    (variant_uri,) = variant_uris(master)
    base = video.hls_master.rsplit("/", 1)[0]
    default_storage.delete(video.renditions.get(name="360p").file)
    default_storage.delete(video.poster)
    default_storage.delete(f"{base}/{variant_uri}")
    default_storage.delete(f"{base}/360p/init.mp4")

    assert client.get(rendition_url(video)).status_code == 404
    assert client.get(reverse("videos:poster", args=[video.pk])).status_code == 404
    assert client.get(hls_url(video, variant_uri)).status_code == 404
    assert client.get(hls_url(video, "360p/init.mp4")).status_code == 404


# --- S3: presigned redirects --------------------------------------------------------------------


def fetch(url: str, headers: dict | None = None):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10)


def refused_status(url: str) -> int:
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(url).close()
    return refused.value.code


def object_bytes(s3_storage, key: str) -> bytes:
    client = s3_storage.server.client()
    found = client.get_object(Bucket=s3_storage.server.bucket, Key=f"{s3_storage.prefix}/{key}")
    return found["Body"].read()


@pytest.fixture
def s3_video(s3_storage, tmp_path, clip, root_collection):
    return ready_video(tmp_path, source=clip, chapters=CHAPTERS)


@pytest.mark.s3
def test_s3_rendition_redirects_to_a_short_lived_presigned_url(client, s3_storage, s3_video):
    key = s3_video.renditions.get(name="360p").file
    expected = object_bytes(s3_storage, key)

    response = client.get(rendition_url(s3_video))

    assert response.status_code == 302
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "must-revalidate"):
        assert directive in cache_control
    assert "private" in cache_control or "max-age=0" in cache_control
    location = response["Location"]
    assert location.startswith(s3_storage.server.endpoint_url + "/")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    assert 0 < int(query["X-Amz-Expires"][0]) <= 3600
    assert query["X-Amz-Signature"][0]

    with fetch(location, {"Range": "bytes=0-99"}) as part:
        assert part.status == 206
        assert part.headers["Content-Range"] == f"bytes 0-99/{len(expected)}"
        assert part.headers["Content-Type"] == "video/mp4"
        assert part.read() == expected[:100]

    server = s3_storage.server
    unsigned = f"{server.endpoint_url}/{server.bucket}/{s3_storage.prefix}/{key}"
    assert refused_status(unsigned) == 403


@pytest.mark.s3
def test_s3_hls_master_playlist_comes_from_our_view(client, s3_storage, s3_video):
    response = client.get(hls_url(s3_video, "master.m3u8"))

    assert response.status_code == 200  # not a redirect: the playlist is rewritten here
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert variant_uris(response.content.decode()) == ["360p/index.m3u8"]


@pytest.mark.s3
def test_s3_variant_playlist_presigns_init_file_and_segments(client, s3_storage, s3_video):
    endpoint = s3_storage.server.endpoint_url + "/"

    response = client.get(hls_url(s3_video, "360p/index.m3u8"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    playlist = response.content.decode()
    (map_line,) = [line for line in playlist.splitlines() if line.startswith("#EXT-X-MAP:")]
    init_url = map_line.split('URI="', 1)[1].rstrip('"')
    segments = variant_uris(playlist)
    assert segments
    for url in (init_url, *segments):
        assert url.startswith(endpoint)
        assert "X-Amz-Signature=" in url

    with fetch(init_url) as init:
        assert init.status == 200
        assert init.read(8)[4:8] == b"ftyp"
    with fetch(segments[0]) as segment:
        assert segment.status == 200
        assert segment.read(8)[4:8] in (b"styp", b"moof", b"sidx")

    query = urllib.parse.parse_qs(urllib.parse.urlsplit(segments[0]).query)
    signature = query["X-Amz-Signature"][0]
    forged = "0" if signature[-1] != "0" else "1"
    tampered = segments[0].replace(signature, signature[:-1] + forged)
    assert refused_status(tampered) == 403
