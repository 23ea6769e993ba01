"""``manage.py evaluate_diplomas --year 2026``: evaluate the annual diploma of every institution
enrolled that year, without a worker. Safe to run any number of times (a diploma is issued once);
useful after programme admins set or change a year's criteria."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from institutions.diplomas import diploma_criteria_for, diplomas_evaluate_year


class Command(BaseCommand):
    help = "Issue the annual diploma to every enrolled institution that meets the year's criteria."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="The programme year (default: this year).",
        )

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise CommandError(f"Not a programme year: {year}.")
        if diploma_criteria_for(year) is None:
            self.stdout.write(f"No diploma criteria for {year}: no diploma issued.")
            return
        diplomas = diplomas_evaluate_year(year=year)
        self.stdout.write(f"{year}: {len(diplomas)} institution(s) hold the diploma.")
        for diploma in diplomas:
            self.stdout.write(f"  {diploma.institution_name}: {diploma.code_formatted}")
