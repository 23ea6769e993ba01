"""Verification codes: 16 Crockford base32 characters (80 bits from ``secrets``).

A pure leaf module. Codes are stored normalised (upper case, no hyphens) and printed in groups of
four; what a person types is read forgivingly: case, spaces and hyphens do not matter, and the
letters that look like digits (O, I, L) are read as those digits.
"""

import secrets

# Crockford's base32: digits and letters without I, L, O and U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
BITS = LENGTH * 5  # 80
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014\u2212\t\n\r")


def code_new() -> str:
    """Return a fresh random code of ``LENGTH`` alphabet characters (``BITS`` bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def code_normalise(text: str | None) -> str | None:
    """Read a typed code; the stored form, or None when it cannot be one."""
    if not isinstance(text, str) or len(text) > 4 * LENGTH:
        return None
    code = text.translate(_IGNORED).upper().translate(_LOOKALIKES)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def code_format(code: str) -> str:
    """Print a stored code in groups of four: ``XXXX-XXXX-XXXX-XXXX``."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))
