"""The signed link a colleague added by the facilitator confirms their attendance with.

``colleague_add`` (attendance.services) emails
``reverse("attendance:colleague_confirm", args=[colleague_confirm_token(claim)])``; the
confirmation page reads it back with ``colleague_claim_from_token``. The token names the claim
and its person, signed with the site's secret (django.core.signing) under a salt of its own, so
it cannot be forged, altered or used for another claim; it expires after
``COLLEAGUE_TOKEN_MAX_AGE``. Holding the link is not enough: the page also asks the colleague to
be signed in as that person.
"""

from datetime import timedelta

from django.core import signing

from attendance.models import Claim

_SALT = "attendance.colleague-confirm"
# Long enough for someone back from a few days off; the claim window is checked by the service.
COLLEAGUE_TOKEN_MAX_AGE = timedelta(days=14)


def colleague_confirm_token(claim: Claim) -> str:
    """A URL-safe signed token for ``claim`` (its id and its person's id)."""
    return signing.dumps({"c": claim.pk, "u": claim.user_id}, salt=_SALT, compress=False)


def colleague_claim_from_token(token: str) -> Claim | None:
    """The claim a token names, or None for a forged, altered, expired or stale token."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=COLLEAGUE_TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    claim_id, user_id = data.get("c"), data.get("u")
    if not isinstance(claim_id, int) or not isinstance(user_id, int):
        return None
    return (
        Claim.objects.select_related("session__activity", "user")
        .filter(pk=claim_id, user_id=user_id)
        .first()
    )
