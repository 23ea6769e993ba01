"""Whether a signed-in user may use the admin, noted in their session at sign-in.

Wagtail's user bar asks the database for the user's permissions on every page; for a learner,
who never sees the bar, that is two queries per request. The answer is noted in the session
when they sign in (every sign-in path sends ``user_logged_in``) as "<user id>:<0 or 1>", so it
never carries over to another user. A change of someone's admin access shows in the bar from
their next sign-in; the admin itself checks permissions on every request, as always.
"""

SESSION_KEY = "cms:admin_access"


def note_admin_access(request, user) -> str:
    """Note in ``request``'s session whether ``user`` may use the admin; "1" or "0"."""
    allowed = "1" if user.has_perm("wagtailadmin.access_admin") else "0"
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = f"{user.pk}:{allowed}"
    return allowed


def admin_access(request, user) -> bool:
    """Whether ``user`` may use the admin: from the session's note, noted first if missing."""
    session = getattr(request, "session", None)
    noted = session.get(SESSION_KEY) if session is not None else None
    user_id, _, allowed = (noted or "").partition(":")
    if user_id != str(user.pk) or allowed not in ("0", "1"):
        allowed = note_admin_access(request, user)
    return allowed == "1"


def signed_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: note the answer now, so no page has to write the session."""
    if request is not None:
        note_admin_access(request, user)
