"""Reads that pages and views share."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from wagtail.models import Site

from cms.models.documents import ResourceCategory, ResourceDocument
from cms.models.site_settings import ProgrammeSettings


@dataclass(frozen=True)
class ResourceGroup:
    """One category on the resources page and its documents, in title order."""

    category: str
    label: str
    documents: list[ResourceDocument]


def public_resources() -> QuerySet[ResourceDocument]:
    """Categorised documents an anonymous visitor may download (no collection restriction)."""
    return (
        ResourceDocument.objects.exclude(category="")
        .filter(collection__view_restrictions__isnull=True)
        .order_by("title", "pk")
    )


def resource_groups(*, category: str = "") -> list[ResourceGroup]:
    """Public resources grouped by category in the categories' own order, in one query.

    An unknown ``category`` is ignored rather than giving an empty page.
    """
    documents = public_resources()
    if category in ResourceCategory.values:
        documents = documents.filter(category=category)
    by_category: dict[str, list[ResourceDocument]] = {}
    for document in documents:
        by_category.setdefault(document.category, []).append(document)
    return [
        ResourceGroup(category=value, label=str(label), documents=by_category[value])
        for value, label in ResourceCategory.choices
        if value in by_category
    ]


def programme_name(request=None) -> str:
    """The programme's name from the site's settings, or the site name when none is set.

    Accounts names the programme in its mail through ``settings.ACCOUNTS_PROGRAMME_NAME``,
    which points here, so the accounts app never imports ``cms``.
    """
    site = Site.find_for_request(request) if request is not None else None
    settings_rows = ProgrammeSettings.objects.all()
    if site is not None:
        settings_rows = settings_rows.filter(site=site)
    name = settings_rows.order_by("pk").values_list("programme_name", flat=True).first()
    return name or settings.WAGTAIL_SITE_NAME


def certificate_issuer() -> str:
    """Who issues the programme's certificates: the issuer set in the site's settings, else the
    programme's name. Certificates read it through ``settings.CERTIFICATE_ISSUER``."""
    row = ProgrammeSettings.objects.order_by("pk").values("certificate_issuer").first()
    return (row or {}).get("certificate_issuer") or programme_name()
