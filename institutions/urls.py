"""Addresses of the institutions app (namespace "institutions"), at the site root inside the
language prefix: Min side's institution page, self-service, membership decisions (here), the
contact person's page and exports (``institutions.contact_views``) and the diploma
(``institutions.diploma_views``)."""

from django.urls import include, path

from institutions import views

app_name = "institutions"

urlpatterns = [
    path("min-side/institusjon/", views.my_institution, name="my_institution"),
    path("min-side/institusjon/ny/", views.register, name="register"),
    path("min-side/institusjon/bli-medlem/", views.membership_request, name="membership_request"),
    path("institusjon/<int:pk>/endre/", views.edit, name="edit"),
    path(
        "institusjon/medlemskap/<int:pk>/avgjor/",
        views.membership_decide,
        name="membership_decide",
    ),
    path("institusjon/medlemskap/<int:pk>/avslutt/", views.membership_end, name="membership_end"),
    path("", include("institutions.contact_views")),
    path("", include("institutions.diploma_views")),
]
