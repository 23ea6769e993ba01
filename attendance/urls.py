"""Group-session URLs: the phone's (/gruppe/...), the shared screen's and the facilitator's
(/gruppe/okt/<uuid>/...), and the colleague's emailed confirmation link."""

from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("gruppe/", views.join, name="join"),
    # Before gruppe/<code>/: "start" and "okt" are never join codes (they hold an O or are short).
    path("gruppe/start/", views.start, name="start"),
    path("gruppe/bekreft/<str:token>/", views.colleague_confirm, name="colleague_confirm"),
    path("gruppe/okt/<uuid:uuid>/", views.session_detail, name="session"),
    path("gruppe/okt/<uuid:uuid>/vis/<int:video_id>/", views.present, name="present"),
    path("gruppe/okt/<uuid:uuid>/status.json", views.status, name="status"),
    path("gruppe/okt/<uuid:uuid>/pause/", views.pause_open, name="pause_open"),
    path(
        "gruppe/okt/<uuid:uuid>/pause/<int:codeword_id>/lukk/",
        views.pause_close,
        name="pause_close",
    ),
    path("gruppe/okt/<uuid:uuid>/slutt/", views.end, name="end"),
    path("gruppe/okt/<uuid:uuid>/qr.svg", views.qr, name="qr"),
    path("gruppe/okt/<uuid:uuid>/liste.pdf", views.sheet, name="sheet"),
    path("gruppe/okt/<uuid:uuid>/krav/<int:claim_id>/fjern/", views.remove, name="remove"),
    path("gruppe/okt/<uuid:uuid>/krav/<int:claim_id>/godkjenn/", views.approve, name="approve"),
    path("gruppe/okt/<uuid:uuid>/kollega/", views.add_colleague, name="add_colleague"),
    path("gruppe/okt/<uuid:uuid>/attester/", views.attest, name="attest"),
    path("gruppe/<str:code>/", views.claim, name="claim"),
    path("gruppe/<str:code>/ord/", views.codeword, name="codeword"),
]
