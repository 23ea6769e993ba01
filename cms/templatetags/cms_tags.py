"""Template tags for the site layout: the language switcher and the main navigation."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per site language: the page's own translation when it exists.

    Without a translation the link keeps the same path under the other language's prefix, where
    the interface is translated and the content falls back to Bokmål.
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    # A path that starts with "//" is a scheme-relative URL to another host in an href
    # ("//evil.example/" would link there): keep exactly one leading slash. An error page has
    # no path worth keeping, so its links go to each language's front page.
    path = "/" if context.get("error_page") else "/" + request.path.lstrip("/")
    translations = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    links = []
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        else:
            url = translate_url(path, code)
        # Each language is named in itself, so a reader finds their own whatever the current one.
        name_local = get_language_info(code)["name_local"]
        links.append({"code": code, "name": name_local, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    """The home page and its live children marked "show in menus", in the visitor's language."""
    request = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return []
    home = site.root_page.localized
    return [home, *home.get_children().live().in_menu().specific()]
