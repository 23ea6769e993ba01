"""The demo's video activities and the demo learner's certificates: one from last year, one
from this year, issued through the real service with the PDF stored.

The words are in ``content/certificates.yaml``. Certificates are records, not content: once
made they are never changed or made again, not even by ``reset_demo`` (the issuing service
makes one per learner and activity, and nothing is ever deleted). The demo learner is made
here if ``ensure_demo_learner`` has not run yet, by the same function, so whichever runs first
the learner is the same and an existing one is left exactly as it is.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.services import demo_learner_ensure
from certificates import services as certificate_services
from certificates.activities import CompletedActivity
from certificates.models import Certificate
from cms.demo.records import LoadReport, demo_object_plan, demo_object_record
from cms.demo.texts import read
from videos.models import VideoActivity, VideoActivityItem


def _ensure_activity(report: LoadReport, name: str, spec: dict, videos: dict) -> VideoActivity:
    key = f"video-activity:{name}"
    label = f"video activity {spec['title']!r}"
    activity, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: VideoActivity.objects.filter(title=spec["title"]).order_by("pk").first(),
    )
    if activity is not None or not write:
        # An editor's activity (or one they deleted) is theirs.
        return activity
    activity = VideoActivity(
        title=spec["title"],
        edition_year=timezone.localdate().year - spec["years_ago"],
        kind=spec["kind"],
        hours=Decimal(spec["hours"]),
        live=spec["live"],
    )
    activity.full_clean()
    activity.save()
    video = videos.get(spec["video"])
    if video is not None:
        VideoActivityItem.objects.create(activity=activity, video=video, sort_order=0)
    demo_object_record(key=key, obj=activity)
    report.created.append(label)
    return activity


def _ensure_certificate(
    report: LoadReport, name: str, spec: dict, activity: VideoActivity | None, user
) -> Certificate | None:
    key = f"certificate:{name}"
    label = f"demo learner's certificate {name}"
    if activity is None:
        return None
    activity_key = f"video-activity:{activity.pk}"
    certificate, write = demo_object_plan(
        report,
        key=key,
        label=label,
        legacy=lambda: Certificate.objects.filter(holder=user, activity_key=activity_key).first(),
    )
    if certificate is not None or not write:
        # An issued certificate is a record: never changed, not even by a reset.
        return certificate
    first = activity.items.select_related("video").first()
    completed = CompletedActivity(
        key=activity_key,
        kind="clips" if activity.kind == "clips" else "video",
        title=activity.title,
        edition_year=activity.edition_year,
        hours_individual=activity.hours,
        hours_together=Decimal(0),
        completed_on=min(
            date(activity.edition_year, spec["completed"]["month"], spec["completed"]["day"]),
            timezone.localdate(),
        ),
        content_revision=activity.updated_at.isoformat(),
        url=first.video.get_absolute_url() if first else "",
    )
    certificate = certificate_services.certificate_issue(user=user, activity=completed)
    certificate_services.certificate_pdf_store(certificate=certificate)
    demo_object_record(key=key, obj=certificate)
    report.created.append(label)
    return certificate


def ensure_demo_certificates(report: LoadReport, videos) -> None:
    """The demo's two video activities, and the demo learner's certificate for each."""
    texts = read("certificates")
    interview, clip = videos if videos else (None, None)
    by_name = {"interview": interview, "clip": clip}
    activities = {
        name: _ensure_activity(report, name, spec, by_name)
        for name, spec in texts["activities"].items()
    }
    user = None
    for name, spec in texts["certificates"].items():
        if user is None:
            user, created = demo_learner_ensure()
            if created:
                report.created.append("demo learner")
        _ensure_certificate(report, name, spec, activities.get(spec["activity"]), user)
