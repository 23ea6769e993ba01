"""Template tags for the site layout: the language switcher, the main navigation and the
programme page's activities, each kept in ``cms.layoutcache`` between content changes."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.functional import empty
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site

from cms import layoutcache

register = template.Library()

# Stands in for the request's CSRF token in a cached fragment (see ``activities``).
_STAND_IN = "\x00csrf-token\x00"


def _site_pk(request) -> int | None:
    site = Site.find_for_request(request)
    return site.pk if site is not None else None


def _is_preview(request) -> bool:
    # A preview renders a draft: never from, nor into, the caches of the live pages.
    return bool(getattr(request, "is_preview", False))


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
    is_page = isinstance(page, Page) and page.pk is not None

    def build() -> list[tuple[str, str, str]]:
        translations = {}
        if is_page:
            for translation in (
                page.get_translations(inclusive=True).live().select_related("locale")
            ):
                translations[translation.locale.language_code] = translation
        links = []
        for code, _name in settings.LANGUAGES:
            if code in translations:
                url = translations[code].get_url(request)
            else:
                url = translate_url(path, code)
            # Each language is named in itself, so a reader finds theirs whatever the current one.
            links.append((code, get_language_info(code)["name_local"], url))
        return links

    if _is_preview(request):
        links = build()
    else:
        page_key = (page.pk, page.live_revision_id) if is_page else (None, None)
        key = (_site_pk(request), *page_key, current, path)
        links = layoutcache.cached("language-links", key, build)
    return [
        {"code": code, "name": name, "url": url, "current": code == current}
        for code, name, url in links
    ]


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The home page and its live children marked "show in menus", in the visitor's language:
    each as its ``pk``, ``title`` and ``url``."""
    request = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return []

    def build() -> list[dict]:
        home = site.root_page.localized
        pages = [home, *home.get_children().live().in_menu().specific()]
        return [{"pk": p.pk, "title": p.title, "url": p.get_url(request)} for p in pages]

    if _is_preview(request):
        return build()
    return layoutcache.cached("main-menu", (site.pk, get_language()), build)


@register.simple_tag(takes_context=True)
def activities(context, page) -> str:
    """The programme page's activities, rendered once per page revision, language and content
    version (the videos, documents and pages they show raise the version when they change).

    What a block shows may depend on whether the visitor is signed in (the player then tracks
    progress and carries the CSRF token) and on nothing else about them: the two variants are
    kept apart, and the token is put back for each request, so no visitor gets another's.
    """
    request = context["request"]
    fragment = context.template.engine.get_template("cms/includes/activities.html")

    def build() -> str:
        html = fragment.render(context)
        token = context.get("csrf_token")
        # Only a token this request has used can be in the text. Reading one it has not used
        # would set the CSRF cookie, and the page cache never stores a page that does.
        if token is not None and getattr(token, "_wrapped", empty) is not empty:
            html = html.replace(str(token), _STAND_IN)
        return html

    if _is_preview(request) or page.pk is None:
        return fragment.render(context)
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    key = (_site_pk(request), page.pk, page.live_revision_id, get_language(), signed_in)
    html = layoutcache.cached("activities", key, build)
    if _STAND_IN in html:
        html = html.replace(_STAND_IN, str(context.get("csrf_token")))
    return mark_safe(html)  # noqa: S308 - rendered by the block templates, which escape


@register.simple_tag(takes_context=True)
def editor_userbar(context, position: str = "bottom-right") -> str:
    """Wagtail's user bar for those who may use the admin, without a permission query per page
    (``cms.userbar`` keeps the answer in the session)."""
    from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

    from cms.userbar import admin_access

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not admin_access(request, user):
        return ""
    return wagtailuserbar(context, position)
