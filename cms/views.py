"""Site-wide views: health check and error pages."""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms.health import run_checks


def _is_staff(request: HttpRequest) -> bool:
    try:
        return bool(request.user.is_staff)
    except Exception:  # noqa: BLE001 - a session store that fails means "not known to be staff"
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON state of the database, storage and task queue: 200 when all are fine, else 503.

    Anyone sees ok or not per check; the details (backends, timings, errors) are for staff, or
    for everyone when ``HEALTHZ_DETAILS`` is on (a monitor that cannot sign in).
    """
    results = run_checks()
    healthy = all(result.ok for result in results.values())
    # Looking up the user reads the session from the database: not when that is what failed.
    details = settings.HEALTHZ_DETAILS or (results["database"].ok and _is_staff(request))
    body = {
        "status": "ok" if healthy else "error",
        "checks": {name: result.as_dict(details=details) for name, result in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


def page_not_found(request: HttpRequest, exception: Exception):
    """The 404 page; its language links go to each language's front page, not the bad path."""
    return render(request, "404.html", {"error_page": True}, status=404)


def server_error(request: HttpRequest):
    """The 500 page, rendered without the database so it works when the database does not."""
    return render(request, "500.html", status=500)
