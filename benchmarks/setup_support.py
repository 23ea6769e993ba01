"""What the Django side of the benchmarks shares: the command loop of a ``<name>_setup.py``, and
learners with a verified address and a logged-in session each.

A setup script runs as ``python benchmarks/<name>_setup.py`` with DJANGO_SETTINGS_MODULE set,
started by its benchmark through ``support.DjangoChild``: it answers one JSON command a line on
stdin (``{"command": "setup", ...}``) with one ``BENCH-REPLY {json}`` line on stdout, and keeps
its state between commands. Only the standard library is imported here at module level (Django
inside the functions), so support.py can import ``REPLY`` from here without setting Django up.
Part of the benchmarks, not of the project: nothing in the project imports it.
"""

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPLY = "BENCH-REPLY "
ROOT = Path(__file__).resolve().parent.parent


def expect(condition: bool, message: object) -> None:
    """Stop the command with ``message`` unless ``condition`` holds (reported as an error)."""
    if not condition:
        raise RuntimeError(str(message))


def serve(commands: Callable[[], object]) -> int:
    """Set Django up, make the commands object, then run each command line on stdin as its
    method of that name; a failing command replies its traceback as ``error``."""
    sys.path.insert(0, str(ROOT))  # the project, for Django
    import django

    django.setup()
    handler = commands()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = getattr(handler, request.pop("command"))(**request)
        except Exception:  # noqa: BLE001 - reported to the benchmark, which stops with it
            reply = {"error": traceback.format_exc()}
        print(REPLY + json.dumps(reply), flush=True)
    return 0


def password_hash(password: str) -> str:
    """``password`` hashed once (Argon2 is slow on purpose): every benchmark user gets a copy."""
    from django.contrib.auth import get_user_model

    probe = get_user_model()(username="probe")
    probe.set_password(password)
    return probe.password


def user_make(*, email: str, password: str, **names: str):
    """A user with ``email`` as username and verified primary address; ``password`` is a hash."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username=email, email=email, password=password, **names)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def session_login(user) -> str:
    """The key of a saved session logged in as ``user`` (instead of a login through the form),
    made for the site's own authentication backend (the first of AUTHENTICATION_BACKENDS)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def session_settings() -> dict[str, Any]:
    """What the benchmark needs to send those sessions: the engine (to print), cookie names."""
    from django.conf import settings

    return {
        "session_engine": settings.SESSION_ENGINE,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
