"""Certificate URLs: the owner's PDF download, verification, Open Badges and the ledger."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("kursbevis/<uuid:uuid>/pdf/", views.certificate_pdf, name="pdf"),
]
