"""The "Institution" filter of the certificates listing in the admin, added through
``certificates.admin_views.CERTIFICATE_FILTER_HOOK`` (certificates does not know institutions).

A certificate belongs to an institution when its holder is or was a member of it (an active or
ended membership): a programme admin looking up last year's certificates of a nursing home still
finds those of staff who have since left.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from certificates.admin_views import CERTIFICATE_FILTER_HOOK
from institutions.models import Institution, MembershipStatus

_COUNTED = (MembershipStatus.ACTIVE, MembershipStatus.ENDED)


def _of_institution(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(
        holder__institution_memberships__institution=value,
        holder__institution_memberships__status__in=_COUNTED,
    ).distinct()


@hooks.register(CERTIFICATE_FILTER_HOOK)
def institution_filter() -> dict:
    return {
        "institution": django_filters.ModelChoiceFilter(
            label=_("Institution"),
            queryset=Institution.objects.order_by("name"),
            method=_of_institution,
            empty_label=_("All"),
        )
    }
