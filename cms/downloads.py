"""Delivery of downloadable documents: a presigned redirect on S3, a ranged file locally.

This replaces Wagtail's document serve view (which sends a bogus ``Content-Encoding: None``,
answers no Range request and redirects to S3 without cache headers) but keeps its contract: the
file name in the URL must match, the ``before_serve_document`` hooks (collection view
restrictions) run first, and the ``document_served`` signal is sent. Local files go through the
project's one stored-file response (``videos.ranges.stored_file_response``), the same as video
files, so a download that broke off can resume with a Range request.
"""

from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents.models import document_served

from cms.models import ResourceDocument
from videos.ranges import presigned_file_redirect, stored_file_response
from videos.storeerrors import is_store_unavailable, store_unavailable_response

# A downloaded file is never run as a page, whatever its content claims to be.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
# Restricted documents (a collection with a password or login) must stay out of shared caches.
RESTRICTED_CACHE_CONTROL = "private, no-store"


def _is_restricted(document: ResourceDocument) -> bool:
    return document.collection.get_view_restrictions().exists()


def _presigned_redirect(document: ResourceDocument) -> HttpResponse:
    return presigned_file_redirect(
        document.file.storage, document.file.name, content_type=document.content_type,
        filename=document.filename, csp=DOWNLOAD_CSP,
    )  # fmt: skip


def _local_file(request: HttpRequest, document: ResourceDocument) -> HttpResponse:
    restricted = _is_restricted(document)
    return stored_file_response(
        request, document.file.storage, document.file.name,
        content_type=document.content_type, etag=document.file_hash,
        filename=document.filename, attachment=True, csp=DOWNLOAD_CSP,
        cache_control=RESTRICTED_CACHE_CONTROL if restricted else None, max_age=3600,
    )  # fmt: skip


def document_response(request: HttpRequest, document: ResourceDocument) -> HttpResponse:
    """The response that delivers ``document`` to a visitor already allowed to see it.

    With the file store down the visitor gets a 503 with ``Retry-After`` and a short page
    saying so, not a server error.
    """
    try:
        if isinstance(document.file.storage, FileSystemStorage):
            return _local_file(request, document)
        return _presigned_redirect(document)
    except Exception as exc:
        if not is_store_unavailable(exc):
            raise
        return store_unavailable_response(request)


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
