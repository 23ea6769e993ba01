"""URL configuration: admin, documents, health check, then per language: videos, accounts,
Min side and the Wagtail pages."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents.views import serve as wagtaildocs_serve

from cms import downloads, routing, views

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path(
        "documents/<int:document_id>/<str:document_filename>",
        downloads.serve,
        name="document_download",
    ),
    # Wagtail's own document URLs, except that ids are ASCII digits only: its patterns use \d,
    # which also matches Arabic-Indic or fullwidth digits, and int() then reads those as a real
    # id ("/documents/١/x.pdf" served document 1, around our download view). Its serve view is
    # not routed at all: every download goes through ours.
    path(
        "documents/<int:document_id>/<path:document_filename>",
        downloads.serve,
        name="wagtaildocs_serve",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        wagtaildocs_serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("healthz", views.healthz, name="healthz"),
    # Open Badges issuer, key and status list: stable addresses, outside the language prefix.
    path("", include("certificates.badge_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Bokmål, the default, has no prefix; other languages live under /en/, /sv/ and so on.
urlpatterns += i18n_patterns(
    path("videos/", include("videos.urls")),
    # Accounts (django-allauth: sign in, sign up, email, password) and the learner's own pages.
    path("konto/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("certificates.urls")),
    path("", include("attendance.urls")),
    path("", include("institutions.urls")),
    # A module's quiz submissions, routed in one query and then served by Wagtail's serve view.
    path("", include("courses.urls")),
    # Wagtail's front-end login and password forms (/_util/...), then its pages: its serve
    # view, with each address's route kept in memory (cms.routing).
    path("", include([p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"])),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
