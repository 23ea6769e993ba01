"""Certificate URLs: the owner's PDF download, verification, Open Badges and the ledger."""

from django.urls import path

from certificates import badge_views, ledger_views, views

app_name = "certificates"

urlpatterns = [
    path("kursbevis/<uuid:uuid>/pdf/", views.certificate_pdf, name="pdf"),
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
