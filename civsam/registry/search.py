"""Swedish-aware text normalisation for the directory search. Pure Python, no database.

Both databases index the same thing: the Snowball Swedish stems of the words, case-folded
with å, ä and ö kept as letters of their own. Queries go through the same function and match
as prefixes, so "idrottsför" finds "Idrottsföreningen" and "föreningar" finds "förening".
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[0-9a-zà-öø-ÿ]+", re.IGNORECASE)
_stemmer = snowballstemmer.stemmer("swedish")
_ORGNR_IN_TEXT = re.compile(r"\b(?:16)?(\d{6})[-+ ]?(\d{4})\b")
MAX_QUERY_TERMS = 8

# Swedish writes compounds as one word ("idrottsföreningen"). The index also stores the head of a
# compound when it is one of these common ones, so that "förening" finds "Idrottsföreningen".
# They are Snowball stems.
COMPOUND_HEADS = (
    "förening",
    "klubb",
    "sällskap",
    "förbund",
    "församling",
    "kyrk",
    "stiftels",
    "kör",
    "lag",
    "råd",
    "grupp",
    "centr",
    "kooperativ",
    "företag",
    "skol",
    "gård",
    "fond",
    "park",
    "jour",
    "kår",
)


# Club abbreviations as Swedish clubs write them ("Glada Ekeby IF"): indexed with the words they
# stand for, so that "idrottsförening" or "idrott" finds them (ADR 0088).
ABBREVIATIONS = {
    "if": ("idrottsförening",),
    "ik": ("idrottsklubb",),
    "bk": ("bollklubb",),
    "ff": ("fotbollsförening",),
    "fk": ("fotbollsklubb",),
    "sk": ("sportklubb",),
    "hk": ("handbollsklubb",),
    "ibk": ("innebandyklubb",),
    "ifk": ("idrottsförening", "kamraterna"),
    "aik": ("allmänna", "idrottsklubb"),
    "gif": ("gymnastik", "idrottsförening"),
    "goif": ("gymnastik", "idrottsförening"),
}
# Words inside compounds: a record whose word contains one of these stems (not at its start,
# where a prefix query finds it already) is indexed under it too ("friidrottsklubb" under
# "idrott"); a sport is indexed under "idrott" as well ("Handbollsföreningen" for "idrott").
SPORTS = (
    "idrott",
    "fotboll",
    "handboll",
    "innebandy",
    "bandy",
    "basket",
    "volleyboll",
    "hockey",
    "tennis",
    "golf",
    "gymnastik",
    "brottning",
    "boxning",
    "orientering",
    "skytt",
    "kanot",
    "bowling",
    "sport",
)
INNER_WORDS = (*SPORTS, "boll", "musik", "teater", "scout", "hembygd", "pensionär", "kultur", "natur", "konst", "dans")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    stemmed: str = _stemmer.stemWord(word)
    return stemmed


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").casefold())


@lru_cache(maxsize=200_000)
def index_terms(word: str) -> tuple[str, ...]:
    """The stem of a word, the head of the compound it ends with, the known words inside it
    ("idrott" in "friidrottsklubb", and "idrott" for any sport); an abbreviation with the terms
    of the words it stands for."""
    if word in ABBREVIATIONS:
        terms: dict[str, None] = {word: None}
        for full in ABBREVIATIONS[word]:
            terms.update(dict.fromkeys(index_terms(full)))
        return tuple(terms)
    stemmed = stem(word)
    terms = {stemmed: None}
    for head in COMPOUND_HEADS:
        if len(stemmed) > len(head) + 2 and stemmed.endswith(head):
            terms[head] = None
            break
    for inner in INNER_WORDS:
        at = stemmed.find(inner)
        if at > 0 or (at == 0 and inner in SPORTS and len(stemmed) > len(inner)):
            if at > 0:
                terms[inner] = None
            if inner in SPORTS:
                terms["idrott"] = None
    return tuple(terms)


def document(*parts: str) -> str:
    """The indexed form of a record: distinct terms in first-seen order, space separated."""
    seen: dict[str, None] = {}
    for part in parts:
        for word in words(part):
            for term in index_terms(word):
                seen.setdefault(term, None)
    return " ".join(seen)


def query_terms(query: str) -> list[str]:
    """Stems of the words a user typed, deduplicated, at most MAX_QUERY_TERMS.

    An organisationsnummer typed with a hyphen ("802000-1234") is searched as one number.
    """
    seen: dict[str, None] = {}
    for word in words(_ORGNR_IN_TEXT.sub(r"\1\2", query or "")):
        seen.setdefault(stem(word), None)
    return list(seen)[:MAX_QUERY_TERMS]


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term as a quoted prefix, all required."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery(terms: list[str]) -> str:
    """A PostgreSQL to_tsquery('simple', ...) expression: every term as a prefix, all required."""
    return " & ".join(f"{term}:*" for term in terms)
