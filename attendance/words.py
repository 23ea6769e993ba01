"""Codewords shown on the shared screen at the chapter pauses: short, everyday Bokmål words.

A pure leaf module. Words are upper case, 3 to 7 letters, easy to read from across a room and to
type on a phone; none is rude, none differs from another only by Æ, Ø or Å (so a phone without
those keys still tells them apart), and none looks like a join code.
"""

import secrets

WORDS = (
    "ALLE", "ANKER", "APPEL", "BAKE", "BALL", "BANAN", "BAND", "BANK", "BARN", "BART",
    "BENK", "BERG", "BIL", "BJØRK", "BLÅ", "BLOMST", "BOK", "BOLLE", "BORD", "BRØD",
    "BRO", "BUSS", "DAL", "DANS", "DEIG", "DIKT", "DOKTOR", "DUE", "DYNE", "EGG",
    "EIK", "ELG", "ELV", "ENG", "EPLE", "ERT", "FERGE", "FIOL", "FISK", "FJELL",
    "FJORD", "FLAGG", "FLY", "FOLK", "FOT", "FRUKT", "FUGL", "GAFFEL", "GATE", "GEIT",
    "GLASS", "GLEDE", "GRAN", "GRØT", "GUL", "GÅRD", "HAGE", "HAV", "HEST", "HIMMEL",
    "HJEM", "HUS", "HYTTE", "HØST", "IS", "JAKKE", "JORD", "JUL", "KAFFE", "KAKE",
    "KANO", "KATT", "KIRKE", "KLOKKE", "KNAPP", "KOPP", "KORN", "KRONE", "KU", "KURV",
    "LAKS", "LAMPE", "LAND", "LERRET", "LIND", "LYS", "LØV", "MAT", "MELK", "MOSE",
    "MÅNE", "NATT", "NESE", "NØTT", "ODDE", "OST", "PANNE", "PARK", "PIL", "PLOMME",
    "POTET", "PUTE", "RAMME", "REGN", "REV", "RIS", "ROSE", "RUND", "SAFT", "SAKS",
    "SAND", "SEIL", "SKAP", "SKI", "SKOG", "SKY", "SLOTT", "SNØ", "SOL", "SOMMER",
    "SPOR", "STEIN", "STJERNE", "STOL", "STRAND", "SUPPE", "SVANE", "SYKKEL", "SØSTER", "TAK",
    "TOG", "TRE", "TROLL", "TUNFISK", "TÅKE", "UGLE", "UKE", "VAFFEL", "VANN", "VARM",
    "VEI", "VENN", "VIND", "VINTER", "VÅR", "ØRRET", "ØY", "ÅKER", "ÅRE",
)  # fmt: skip


def word_draw(exclude=()) -> str:
    """A random word not in ``exclude``; when every word is taken, a word with a number."""
    taken = set(exclude)
    free = [word for word in WORDS if word not in taken]
    if free:
        return secrets.choice(free)
    while True:
        word = f"{secrets.choice(WORDS)}{secrets.randbelow(90) + 10}"
        if word not in taken:
            return word


def word_normalise(text: str | None) -> str:
    """What a person typed, in the stored form: upper case, no spaces."""
    if not isinstance(text, str):
        return ""
    return "".join(text.split()).upper()[:32]
