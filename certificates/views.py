"""The owner's certificate PDF download."""

from django.http import Http404


def certificate_pdf(request, uuid):
    """Serve a stored certificate PDF to its owner (not yet built)."""
    raise Http404
