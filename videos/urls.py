"""Public video URLs: /videos/<id>/ and the files its player loads."""

from django.urls import path, re_path

from videos import views

app_name = "videos"

urlpatterns = [
    path("<int:video_id>/", views.detail, name="detail"),
    path("<int:video_id>/present/", views.present, name="present"),
    path("<int:video_id>/progress", views.progress, name="progress"),
    path("<int:video_id>/poster.jpg", views.poster, name="poster"),
    # [0-9], not \d: \d also matches other scripts' digits, which int() accepts as an id.
    re_path(
        r"^(?P<video_id>[0-9]+)/(?P<name>[0-9]{3,4}p)\.mp4$", views.rendition, name="rendition"
    ),
    path("<int:video_id>/hls/<path:path>", views.hls, name="hls"),
    path("<int:video_id>/captions/<str:language>.vtt", views.captions, name="captions"),
    path("<int:video_id>/chapters.vtt", views.chapters, name="chapters"),
    path("<int:video_id>/transcript/<str:language>.txt", views.transcript, name="transcript"),
]
