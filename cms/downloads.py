"""Delivery of downloadable documents: a presigned redirect on S3, a streamed file locally.

This replaces Wagtail's document serve view (which sends a bogus ``Content-Encoding: None`` and
redirects to S3 without cache headers) but keeps its contract: the file name in the URL must
match, the ``before_serve_document`` hooks (collection view restrictions) run first, and the
``document_served`` signal is sent. Documents are small files; video never goes through here.
"""

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents.models import document_served

from cms.models import ResourceDocument


def _presigned_redirect(document: ResourceDocument) -> HttpResponse:
    storage = document.file.storage
    if not storage.exists(document.file.name):
        raise Http404("The file for this document is missing.")
    url = storage.url(
        document.file.name,
        parameters={
            "ResponseContentDisposition": document.content_disposition,
            "ResponseContentType": document.content_type,
        },
    )
    response = HttpResponseRedirect(url)
    # The URL inside expires within minutes: no cache may keep the redirect longer.
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _local_file(request: HttpRequest, document: ResourceDocument) -> HttpResponse:
    storage = document.file.storage
    try:
        modified = storage.get_modified_time(document.file.name)
        handle = storage.open(document.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("The file for this document is missing.") from exc
    etag = f'"{document.file_hash}"' if document.file_hash else None
    last_modified = int(modified.timestamp())
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        handle.close()
        return conditional
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=document.filename,
    )
    # FileResponse writes its own disposition; ours keeps the name in ASCII and UTF-8 forms.
    response["Content-Disposition"] = document.content_disposition
    if etag:
        response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=3600)
    return response


def document_response(request: HttpRequest, document: ResourceDocument) -> HttpResponse:
    """The response that delivers ``document`` to a visitor already allowed to see it."""
    if isinstance(document.file.storage, FileSystemStorage):
        response = _local_file(request, document)
    else:
        response = _presigned_redirect(document)
    # A downloaded file is never run as a page, whatever its content claims to be.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def serve(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponse:
    """The public download URL of a document: ``/documents/<id>/<filename>``."""
    document = get_object_or_404(ResourceDocument, pk=document_id)
    if document.filename != document_filename:
        raise Http404("This document does not match the given file name.")
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    document_served.send(sender=ResourceDocument, instance=document, request=request)
    return document_response(request, document)
