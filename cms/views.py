"""Site-wide views: health check and error pages."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms.health import run_checks


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON state of the database, storage and task queue: 200 when all are fine, else 503."""
    results = run_checks()
    healthy = all(result.ok for result in results.values())
    body = {
        "status": "ok" if healthy else "error",
        "checks": {name: result.as_dict() for name, result in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


def server_error(request: HttpRequest):
    """The 500 page, rendered without the database so it works when the database does not."""
    return render(request, "500.html", status=500)
