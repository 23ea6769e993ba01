"""What a rendered quiz form carries, so that its first submission can create the attempt.

Rendering a quiz writes nothing. Instead the form gets a signed ticket: the quiz, the revision
the page showed, the learner, the order questions were shown in, and the learner's latest attempt
at that moment. Its submission is scored against that revision (the version the learner saw,
even if the quiz was republished since), and the attempt's token is derived from the ticket, so
the same form submitted twice (double click, two tabs opened before submitting, a replay) names
the same attempt and the unique token records one result. Once a result is recorded, the next
rendering names a new attempt.

Pure module: signing only, no models.
"""

import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from quizzes.scoring import SubmissionError

_SALT = "quizzes.tickets"


@dataclass(frozen=True)
class Ticket:
    """The version of a quiz one form showed, to whom (``user_id`` ``None``: a visitor)."""

    quiz_id: int
    revision_id: int
    user_id: int | None
    # pk of the learner's latest attempt at this quiz when the form was rendered (0: none).
    after: int = 0
    layout: list = field(default_factory=list)

    @property
    def token(self) -> uuid.UUID | None:
        """The token of the attempt this form creates; ``None`` for visitors (nothing stored)."""
        if self.user_id is None:
            return None
        message = f"{self.user_id}:{self.quiz_id}:{self.revision_id}:{self.after}"
        digest = salted_hmac(_SALT, message, algorithm="sha256").digest()
        return uuid.UUID(bytes=digest[:16], version=4)


def ticket_sign(ticket: Ticket) -> str:
    """The ticket as a tamper-proof string for a hidden form field."""
    data = {"q": ticket.quiz_id, "r": ticket.revision_id, "u": ticket.user_id,
            "a": ticket.after, "l": ticket.layout}  # fmt: skip
    return signing.dumps(data, salt=_SALT, compress=True)


def ticket_read(value: str, *, quiz_id: int, user_id: int | None) -> Ticket:
    """The ticket in ``value`` if it was signed here for this quiz and this user.

    Raises ``SubmissionError`` for anything else: forged, for another quiz, another learner's.
    """
    try:
        data = signing.loads(value, salt=_SALT)
        ticket = Ticket(quiz_id=int(data["q"]), revision_id=int(data["r"]),
                        user_id=None if data["u"] is None else int(data["u"]),
                        after=int(data["a"]), layout=list(data["l"]))  # fmt: skip
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise SubmissionError(_("This attempt does not exist or is not yours.")) from exc
    if ticket.quiz_id != quiz_id or ticket.user_id != user_id:
        raise SubmissionError(_("This attempt does not exist or is not yours."))
    return ticket
