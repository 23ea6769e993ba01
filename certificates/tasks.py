"""Background tasks for certificates; each one calls a service and holds no logic of its own."""

from django.contrib.auth import get_user_model
from django_tasks import task

from certificates import services
from certificates.activities import CompletedActivity
from certificates.models import Certificate


@task()
def issue_certificate(user_id: int, activity: dict) -> None:
    """Issue the certificate for a new completion (see ``services.certificate_issue``)."""
    services.certificate_issue(
        user=get_user_model().objects.get(pk=user_id),
        activity=CompletedActivity.from_task_args(activity),
    )


@task()
def render_certificate(certificate_id: int) -> None:
    """Make and store an issued certificate's PDF (see ``services.certificate_pdf_store``)."""
    services.certificate_pdf_store(certificate=Certificate.objects.get(pk=certificate_id))
