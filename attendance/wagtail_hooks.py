"""Wagtail wiring for group sessions: the admin's "Group sessions" menu (sessions, contested
claims), the Min side section and the "Start a group session" action of present mode (both
written in ``attendance.sections``)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.my_page import MY_PAGE_SECTION_HOOK
from attendance import admin_views, sections
from attendance.models import GroupSession
from videos.present_actions import PRESENT_ACTION_HOOK

# Sessions for programme admins: read-only evidence, never added, edited or deleted here.
register_permission_policy(
    GroupSession, admin_views.GroupSessionPermissionPolicy(GroupSession), exact_class=True
)


@hooks.register("register_admin_viewset")
def register_group_sessions_menu():
    return admin_views.GroupSessionsMenu()


hooks.register(MY_PAGE_SECTION_HOOK, sections.my_group_sessions_section)
hooks.register(PRESENT_ACTION_HOOK, sections.group_session_present_action)
