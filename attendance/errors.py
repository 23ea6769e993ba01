"""Why a group-session action was refused: one exception with a code and a sentence.

Views show ``message`` (already translated) with a 4xx status; tests and other apps look at
``code``, one of the constants below.
"""

ACTIVITY_CLOSED = "activity_closed"
NOT_FACILITATOR = "not_facilitator"
SESSION_ENDED = "session_ended"
SESSION_NOT_ENDED = "session_not_ended"
SESSION_EXPIRED = "session_expired"
CLAIMS_CLOSED = "claims_closed"
ALREADY_CLAIMED = "already_claimed"
CODEWORD_WRONG = "codeword_wrong"
CODEWORD_EXPIRED = "codeword_expired"
TOO_MANY_TRIES = "too_many_tries"
CLAIM_REMOVED = "claim_removed"
CLAIM_CREDITED = "claim_credited"
NOT_A_COLLEAGUE = "not_a_colleague"
NOT_YOUR_CLAIM = "not_your_claim"
NOT_ALLOWED = "not_allowed"
REASON_REQUIRED = "reason_required"
WRONG_SESSION = "wrong_session"

CODES = (
    ACTIVITY_CLOSED,
    NOT_FACILITATOR,
    SESSION_ENDED,
    SESSION_NOT_ENDED,
    SESSION_EXPIRED,
    CLAIMS_CLOSED,
    ALREADY_CLAIMED,
    CODEWORD_WRONG,
    CODEWORD_EXPIRED,
    TOO_MANY_TRIES,
    CLAIM_REMOVED,
    CLAIM_CREDITED,
    NOT_A_COLLEAGUE,
    NOT_YOUR_CLAIM,
    NOT_ALLOWED,
    REASON_REQUIRED,
    WRONG_SESSION,
)


class AttendanceRefused(Exception):
    """A group-session action that is not allowed now; nothing was written."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = str(message)

    def __str__(self) -> str:
        return self.message
