"""Join codes of group sessions: 6 Crockford base32 characters (30 bits from ``secrets``).

A pure leaf module, like ``certificates.codes``. Stored normalised (upper case), shown in two
groups of three ("K7P 4QX") on the shared screen; what a person types is read forgivingly:
case, spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1.
"""

import secrets

from certificates.codes import ALPHABET

LENGTH = 6
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -_.\u00a0\u2010\u2011\u2012\u2013\u2014\u2212\t\n\r")


def join_code_new() -> str:
    """A fresh random join code of ``LENGTH`` alphabet characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def join_code_normalise(text: str | None) -> str | None:
    """Read a typed join code: the stored form, or None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 4 * LENGTH:
        return None
    code = text.translate(_IGNORED).upper().translate(_LOOKALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def join_code_format(code: str) -> str:
    """Print a stored join code in two groups of three: ``K7P 4QX``."""
    return f"{code[:3]} {code[3:]}" if code else ""
