"""What a completed, credit-bearing activity hands to certificate issuing: one typed shape.

A pure leaf module. Completions (a course, a video activity, later a group session) build a
``CompletedActivity``; tasks carry it as JSON (``to_task_args`` / ``from_task_args``).
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

KINDS = ("course", "video", "clips", "group")


@dataclass(frozen=True)
class CompletedActivity:
    """One activity a learner completed, as its certificate states it.

    ``key`` names the activity edition ("course:<page id>", "video-activity:<id>",
    "group-session:<id>"); a learner gets one certificate per key.
    """

    key: str
    kind: str
    title: str
    edition_year: int
    hours_individual: Decimal
    hours_together: Decimal
    completed_on: date
    content_revision: str
    url: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown activity kind: {self.kind!r}")
        if not self.key:
            raise ValueError("An activity needs a key.")
        # Accept ints, strings and Decimals alike; the certificate stores Decimals.
        object.__setattr__(self, "hours_individual", Decimal(str(self.hours_individual)))
        object.__setattr__(self, "hours_together", Decimal(str(self.hours_together)))
        if self.hours_individual < 0 or self.hours_together < 0:
            raise ValueError("Hours of credit cannot be negative.")

    @property
    def hours_total(self) -> Decimal:
        return self.hours_individual + self.hours_together

    def to_task_args(self) -> dict:
        """The activity as JSON values, for a task's arguments."""
        values = asdict(self)
        values["hours_individual"] = str(self.hours_individual)
        values["hours_together"] = str(self.hours_together)
        values["completed_on"] = self.completed_on.isoformat()
        return values

    @classmethod
    def from_task_args(cls, values: dict) -> "CompletedActivity":
        """Read back what ``to_task_args`` wrote."""
        return cls(
            key=values["key"],
            kind=values["kind"],
            title=values["title"],
            edition_year=int(values["edition_year"]),
            hours_individual=Decimal(values["hours_individual"]),
            hours_together=Decimal(values["hours_together"]),
            completed_on=date.fromisoformat(values["completed_on"]),
            content_revision=values["content_revision"],
            url=values["url"],
        )
