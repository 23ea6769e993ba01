"""Range, If-Range and conditional requests answered by videos.ranges (no database needed)."""

import http.client
import threading
from datetime import UTC, datetime, timedelta
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils.http import http_date

from videos.ranges import ranged_file_response

DATA = bytes(range(256)) * 4096  # 1 MiB of a known pattern.
SIZE = len(DATA)
ETAG = '"v1-abc"'
MODIFIED = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)

rf = RequestFactory()


@pytest.fixture(autouse=True)
def _keep_connections_alone():
    # Closing a response sends request_finished; like Django's test client, keep that from
    # touching database connections in these database-free tests.
    request_finished.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)


class CountingFile:
    """Wraps a real file to record every read size and whether it was closed."""

    def __init__(self, path):
        self.file = open(path, "rb")  # noqa: SIM115 - closed by the response under test.
        self.reads: list[int] = []

    def seek(self, offset, whence=0):
        return self.file.seek(offset, whence)

    def read(self, size=-1):
        self.reads.append(size)
        return self.file.read(size)

    def close(self):
        self.file.close()

    @property
    def closed(self):
        return self.file.closed


@pytest.fixture
def video(tmp_path):
    path = tmp_path / "video.mp4"
    path.write_bytes(DATA)
    return path


def respond(request, path, **options):
    """ranged_file_response with this module's defaults; options override them."""
    options = {"size": SIZE, "content_type": "video/mp4", "etag": ETAG, **options}
    return ranged_file_response(request, open_file=lambda: open(path, "rb"), **options)


def serve(path, method="get", size=SIZE, opts=None, **headers):
    """Answer a request with the given HTTP_* headers, with Last-Modified and extra options."""
    request = getattr(rf, method)("/video.mp4", **headers)
    return respond(request, path, size=size, last_modified=MODIFIED, **(opts or {}))


def body(response) -> bytes:
    content = b"".join(response.streaming_content)
    response.close()
    return content


def assert_full(response):
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert response["Content-Length"] == str(SIZE)
    assert body(response) == DATA


def assert_partial(response, start, end):
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == DATA[start : end + 1]


def test_full_get_has_all_headers(video):
    response = serve(video, opts={"filename": "Håndvask del 1.mp4", "max_age": 60})
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == ETAG
    assert response["Last-Modified"] == "Sat, 01 Mar 2025 12:00:00 GMT"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"] == (
        "inline; filename=\"Hndvask del 1.mp4\"; filename*=UTF-8''H%C3%A5ndvask%20del%201.mp4"
    )
    assert response.streaming
    assert_full(response)


def test_raw_etag_is_quoted_and_private_cache(video):
    response = respond(rf.get("/"), video, etag="raw-tag", private=True)
    assert response["ETag"] == '"raw-tag"'
    assert response["Cache-Control"] == "private, max-age=3600"
    assert "Last-Modified" not in response
    assert "Content-Disposition" not in response
    assert body(response) == DATA


def test_head_has_get_headers_and_no_body(video):
    def no_open():
        raise AssertionError("HEAD must not open the file")

    request = rf.head("/", HTTP_RANGE="bytes=0-99")
    response = ranged_file_response(
        request, open_file=no_open, size=SIZE, content_type="video/mp4", etag=ETAG
    )
    assert response.status_code == 206
    assert response["Content-Length"] == "100"
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == b""

    full = serve(video, method="head")
    assert full.status_code == 200
    assert full["Content-Length"] == str(SIZE)
    assert full["ETag"] == ETAG
    assert full.content == b""


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),
        (f"bytes=1000-{SIZE * 2}", 1000, SIZE - 1),  # End clamped to the last byte.
        (f"bytes=-{SIZE * 2}", 0, SIZE - 1),  # Suffix longer than the file: all of it.
        (f"bytes={SIZE - 1}-{SIZE - 1}", SIZE - 1, SIZE - 1),
        ("BYTES = 5-9 ", 5, 9),  # Unit is case-insensitive, whitespace tolerated.
    ],
)
def test_single_range_is_206_with_exact_slice(video, header, start, end):
    assert_partial(serve(video, HTTP_RANGE=header), start, end)


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_unsatisfiable_range_is_416(video, header):
    response = serve(video, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header", ["bytes=abc", "items=0-1", "bytes=5-2", "bytes=-", "bytes=", "0-99", "bytes=1-2-3"]
)
def test_invalid_range_is_ignored(video, header):
    assert_full(serve(video, HTTP_RANGE=header))


def test_multiple_ranges_get_the_full_representation(video):
    assert_full(serve(video, HTTP_RANGE="bytes=0-1,5-6"))


@pytest.mark.parametrize(
    ("if_range", "honoured"),
    [
        (ETAG, True),
        ('"other"', False),
        (f"W/{ETAG}", False),  # If-Range needs a strong comparison.
        (http_date(MODIFIED.timestamp()), True),
        (http_date((MODIFIED - timedelta(days=1)).timestamp()), False),
        (http_date((MODIFIED + timedelta(days=1)).timestamp()), False),  # Must be equal.
        ("not a date", False),
    ],
)
def test_if_range(video, if_range, honoured):
    response = serve(video, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=if_range)
    if honoured:
        assert_partial(response, 0, 99)
    else:
        assert_full(response)


def test_if_range_date_without_last_modified_is_ignored(video):
    request = rf.get("/", HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=http_date(MODIFIED.timestamp()))
    assert_full(respond(request, video))


@pytest.mark.parametrize("if_none_match", [ETAG, f'"x", W/{ETAG}', "*"])
def test_if_none_match_is_304(video, if_none_match):
    response = serve(video, HTTP_IF_NONE_MATCH=if_none_match, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 304
    assert response["ETag"] == ETAG
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "Content-Type" not in response
    assert response.content == b""


def test_if_none_match_other_tag_is_200(video):
    assert_full(serve(video, HTTP_IF_NONE_MATCH='"other"'))


def test_if_modified_since(video):
    not_modified = serve(video, HTTP_IF_MODIFIED_SINCE=http_date(MODIFIED.timestamp()))
    assert not_modified.status_code == 304
    older = http_date((MODIFIED - timedelta(hours=1)).timestamp())
    assert_full(serve(video, HTTP_IF_MODIFIED_SINCE=older))
    # If-None-Match takes precedence: a non-matching tag means a full answer.
    current = http_date(MODIFIED.timestamp())
    assert_full(serve(video, HTTP_IF_MODIFIED_SINCE=current, HTTP_IF_NONE_MATCH='"old"'))


def test_if_match(video):
    response = serve(video, HTTP_IF_MATCH='"other"')
    assert response.status_code == 412
    assert response.content == b""
    assert serve(video, HTTP_IF_MATCH=f"W/{ETAG}").status_code == 412  # Strong comparison.
    assert_partial(serve(video, HTTP_IF_MATCH=f'"x", {ETAG}', HTTP_RANGE="bytes=0-9"), 0, 9)
    assert_full(serve(video, HTTP_IF_MATCH="*"))


def test_if_unmodified_since(video):
    older = http_date((MODIFIED - timedelta(hours=1)).timestamp())
    assert serve(video, HTTP_IF_UNMODIFIED_SINCE=older).status_code == 412
    assert_full(serve(video, HTTP_IF_UNMODIFIED_SINCE=http_date(MODIFIED.timestamp())))


def test_weak_etag_is_refused(video):
    with pytest.raises(ValueError, match="strong"):
        ranged_file_response(
            rf.get("/"), open_file=lambda: None, size=1, content_type="x/y", etag='W/"a"'
        )


def test_empty_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    response = serve(path, size=0)
    assert response.status_code == 200
    assert response["Content-Length"] == "0"
    assert body(response) == b""
    for header in ["bytes=0-", "bytes=0-0", "bytes=-1", "bytes=-0"]:
        ranged = serve(path, size=0, HTTP_RANGE=header)
        assert ranged.status_code == 416
        assert ranged["Content-Range"] == "bytes */0"


def test_reads_at_most_chunk_size_and_closes_after_consuming(video):
    opened = []

    def open_file():
        opened.append(CountingFile(video))
        return opened[-1]

    request = rf.get("/", HTTP_RANGE="bytes=10-10009")
    response = ranged_file_response(
        request,
        open_file=open_file,
        size=SIZE,
        content_type="video/mp4",
        etag=ETAG,
        chunk_size=4096,
    )
    chunks = list(response.streaming_content)
    assert b"".join(chunks) == DATA[10:10010]
    assert [len(chunk) for chunk in chunks] == [4096, 4096, 1808]
    assert opened[0].reads == [4096, 4096, 1808]
    assert opened[0].closed


def test_closed_when_response_closed_without_consuming(video):
    opened = []

    def open_file():
        opened.append(CountingFile(video))
        return opened[-1]

    response = ranged_file_response(
        rf.get("/"), open_file=open_file, size=SIZE, content_type="video/mp4", etag=ETAG
    )
    assert not opened[0].closed
    response.close()
    assert opened[0].closed
    assert opened[0].reads == []


def test_closed_when_client_disconnects_mid_stream(video):
    opened = []

    def open_file():
        opened.append(CountingFile(video))
        return opened[-1]

    response = ranged_file_response(
        rf.get("/"), open_file=open_file, size=SIZE, content_type="video/mp4", etag=ETAG
    )
    iterator = iter(response)
    assert next(iterator) == DATA[: 64 * 1024]
    response.close()  # What a WSGI server does when the client goes away.
    assert opened[0].closed
    assert opened[0].reads == [64 * 1024]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass  # Keep test output clean of access log lines.


def test_over_the_wire(video):
    def app(environ, start_response):
        response = respond(WSGIRequest(environ), video)
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        return response

    server = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        port = server.server_address[1]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/video.mp4", headers={"Range": "bytes=1000-1999"})
        reply = connection.getresponse()
        assert reply.status == 206
        assert reply.getheader("Content-Range") == f"bytes 1000-1999/{SIZE}"
        assert reply.getheader("Content-Length") == "1000"
        assert reply.read() == DATA[1000:2000]
        connection.close()

        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/video.mp4", headers={"Range": f"bytes={SIZE}-"})
        reply = connection.getresponse()
        assert reply.status == 416
        assert reply.getheader("Content-Range") == f"bytes */{SIZE}"
        reply.read()
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.parametrize(
    ("filename", "attachment", "expected"),
    [
        (
            "sjekkliste.pdf",
            True,
            "attachment; filename=\"sjekkliste.pdf\"; filename*=UTF-8''sjekkliste.pdf",
        ),
        (
            'sa "nei".txt',
            False,
            "inline; filename=\"sa nei.txt\"; filename*=UTF-8''sa%20%22nei%22.txt",
        ),
        ("æøå", True, "attachment; filename=\"download\"; filename*=UTF-8''%C3%A6%C3%B8%C3%A5"),
    ],
)
def test_content_disposition_names_the_file_in_ascii_and_utf8(filename, attachment, expected):
    from videos.ranges import content_disposition

    assert content_disposition(filename, attachment=attachment) == expected
