"""Certificate URLs: the owner's PDF download, verification, Open Badges and the ledger."""

from django.urls import path

from certificates import badge_views, ledger_views, verify_views, views

app_name = "certificates"

urlpatterns = [
    path("kursbevis/<uuid:uuid>/pdf/", views.certificate_pdf, name="pdf"),
    # Public verification (certificates.verify_views): the form, the page, JSON, the hash check.
    path("v/", verify_views.verify_form, name="verify_form"),
    path("v/<str:code>.json", verify_views.verify_json, name="verify_json"),
    path("v/<str:code>/", verify_views.verify_page, name="verify"),
    path("v/<str:code>/sjekk/", verify_views.verify_check, name="verify_check"),
    # Open Badges 3.0 credential: the holder's download, and the verification page's.
    path("kursbevis/<uuid:uuid>/badge.json", badge_views.certificate_badge, name="badge"),
    path("v/<str:code>/badge.json", badge_views.verified_badge, name="verify_badge"),
    # The learner's yearly ledger (Min side's certificates section).
    path("min-side/kursbevis/<int:year>.csv", ledger_views.ledger_csv, name="ledger_csv"),
    path(
        "min-side/kursbevis/<int:year>/historikk/", ledger_views.history_make, name="history_make"
    ),
    path(
        "min-side/kursbevis/historikk/<uuid:uuid>.pdf",
        ledger_views.history_pdf,
        name="history_pdf",
    ),
    path("min-side/kursbevis/eksterne/ny/", ledger_views.external_add, name="external_add"),
    path(
        "min-side/kursbevis/eksterne/<int:activity_id>/slett/",
        ledger_views.external_delete,
        name="external_delete",
    ),
    path(
        "min-side/kursbevis/eksterne/<int:activity_id>/bevis/",
        ledger_views.external_evidence,
        name="external_evidence",
    ),
]
