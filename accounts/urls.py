"""Learners' own pages: Min side (/min-side/) and deleting the account."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("min-side/", views.my_page, name="my_page"),
    path("min-side/slett/", views.delete_account, name="delete_account"),
]
