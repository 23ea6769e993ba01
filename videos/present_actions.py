"""Actions other apps offer on the shared-screen page ("Start a group session for credit").

Videos sits below the apps that give credit for watching together (attendance), so it must not
import them. Each of those apps adds its action through the Wagtail hook
``register_present_mode_action``: a function ``(request, video) -> PresentAction | None``
registered in the app's ``wagtail_hooks.py``. The present page includes each action's template,
with ``action`` in its context, in ``order``.
"""

from dataclasses import dataclass, field

from wagtail import hooks

PRESENT_ACTION_HOOK = "register_present_mode_action"


@dataclass(frozen=True)
class PresentAction:
    """One thing the person at the shared screen can do: a template included with ``action``."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def present_actions(request, video) -> list[PresentAction]:
    """The actions other apps offer for ``video`` to the visitor of ``request``, in order."""
    actions = [hook(request, video) for hook in hooks.get_hooks(PRESENT_ACTION_HOOK)]
    actions = [action for action in actions if action is not None]
    return sorted(actions, key=lambda action: action.order)
