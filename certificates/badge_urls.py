"""The Open Badges documents a verifier fetches, at addresses that never change with the language
(included in cms/urls.py outside i18n_patterns): the issuer, its key, the revocation list."""

from django.urls import path

from certificates import badge_views

app_name = "badges"

urlpatterns = [
    path("badges/issuer.json", badge_views.issuer_json, name="issuer"),
    path("badges/key.json", badge_views.key_json, name="key"),
    path("badges/status/1.json", badge_views.status_list_json, name="status_list"),
]
