"""Background tasks for group sessions; each one calls a service and holds no logic of its own."""

from django_tasks import task

from attendance import services
from attendance.models import GroupSession


@task()
def credit_session(session_id: int) -> None:
    """Issue the certificates of an attested session (see ``services.session_credit``)."""
    services.session_credit(session=GroupSession.objects.get(pk=session_id))
