"""What attendance adds to other apps' pages: a Min side section and the shared-screen action.

Accounts and videos sit below attendance and do not know it; ``attendance/wagtail_hooks.py``
registers these two functions under their hooks (``accounts.my_page.MY_PAGE_SECTION_HOOK`` and
``videos.present_actions.PRESENT_ACTION_HOOK``).
"""

from accounts.my_page import MyPageSection
from attendance.selectors import learner_sessions
from videos.models import VideoActivity
from videos.present_actions import PresentAction


def my_group_sessions_section(request) -> MyPageSection | None:
    """Sessions the learner led (links to their lists) and attended (with the claim's status);
    nothing for a learner who has neither."""
    sessions = learner_sessions(request.user)
    if not sessions["facilitated"] and not sessions["attended"]:
        return None
    return MyPageSection(
        template="attendance/my_sessions.html",
        context=sessions,
        order=30,
        stylesheets=("attendance/attendance.css",),
    )


def group_session_present_action(request, video) -> PresentAction | None:
    """ "Start a group session for credit", for a signed-in user on a video of a live activity."""
    if not request.user.is_authenticated:
        return None
    activities = list(
        VideoActivity.objects.filter(live=True, items__video=video)
        .distinct()
        .order_by("-edition_year", "title")
    )
    if not activities:
        return None
    return PresentAction(
        template="attendance/present_action.html",
        context={"activities": activities, "video": video},
        order=10,
    )
