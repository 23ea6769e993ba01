"""Who a facilitator may add to a session from a member list (colleagues without a phone).

Attendance sits below institutions and must not import it. Apps that know a facilitator's
colleagues (institutions: the members of the facilitator's institution) register a function
``(session, facilitator) -> iterable of users`` under the Wagtail hook
``register_group_session_colleagues`` in their ``wagtail_hooks.py``.
"""

from wagtail import hooks

COLLEAGUE_SOURCE_HOOK = "register_group_session_colleagues"


def colleagues_for(session, facilitator) -> list:
    """Every hook's colleagues of ``facilitator``, once each, without those who already have a
    claim in ``session`` (the facilitator among them), sorted by name."""
    claimed = set(session.claims.values_list("user_id", flat=True))
    found = {}
    for hook in hooks.get_hooks(COLLEAGUE_SOURCE_HOOK):
        for user in hook(session, facilitator) or ():
            if user.pk not in claimed and user.pk != facilitator.pk:
                found.setdefault(user.pk, user)
    return sorted(found.values(), key=lambda user: user.get_full_name() or user.get_username())
