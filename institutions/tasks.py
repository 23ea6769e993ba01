"""Background tasks for institutions; each one calls a service and holds no logic of its own."""

from django_tasks import task

from institutions import exports


@task()
def build_certificate_export(export_id: int) -> None:
    """Pack an institution's certificates of a year into a ZIP (see
    ``exports.certificate_export_build``)."""
    exports.certificate_export_build(export_id=export_id)


@task()
def evaluate_diplomas(user_id: int, year: int) -> None:
    """Evaluate the annual diploma of the user's institutions for ``year`` after a new
    certificate (see ``diplomas.diplomas_evaluate_for_member``)."""
    from institutions import diplomas

    diplomas.diplomas_evaluate_for_member(user_id=user_id, year=year)


@task()
def render_diploma(diploma_id: int) -> None:
    """Make and store an issued diploma's PDF (see ``diplomas.diploma_pdf_store``)."""
    from institutions import diplomas
    from institutions.models import InstitutionDiploma

    diplomas.diploma_pdf_store(diploma=InstitutionDiploma.objects.get(pk=diploma_id))


@task()
def evaluate_diplomas_year(year: int) -> None:
    """Evaluate the annual diploma of every institution enrolled in ``year`` (see
    ``diplomas.diplomas_evaluate_year``); asked for when a year's criteria are saved."""
    from institutions import diplomas

    diplomas.diplomas_evaluate_year(year=year)
