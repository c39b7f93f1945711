"""Similar-name detection for the register. Pure Python, no database.

Names are compared after folding case, dropping punctuation and words that say only what kind of
organisation it is ("förening", "ideell", "IF"...). Two folded names are similar when difflib's
ratio reaches the threshold.

Comparing every pair is quadratic, so candidates come from prefix filtering on letter pairs
(bigrams): a ratio of at least t bounds the edit distance, the edit distance bounds how many
bigrams two names must share, and two names sharing that many must share one of their rarest few.
The filter never drops a pair that would pass, so the result is the same as comparing all pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher
from itertools import islice

NOISE_WORDS = frozenset(
    {
        "ideell",
        "ideella",
        "förening",
        "föreningen",
        "forening",
        "ekonomisk",
        "ekonomiska",
        "ek",
        "för",
        "i",
        "och",
        "av",
        "the",
        "if",
        "ik",
        "bk",
        "fk",
        "sk",
        "ab",
        "upa",
        "ef",
        "stiftelsen",
        "stiftelse",
        "samfällighetsförening",
        "samfällighetsföreningen",
    }
)
THRESHOLD = 0.88
# Two names that differ only in their kind words ("Glada Ekeby IF" and "Glada Ekeby IK": an
# idrottsförening and an idrottsklubb) may well be two clubs, so they are flagged but never shown
# as a 100 % match.
KIND_DIFFERS = 0.95
_TOKEN = re.compile(r"[0-9a-zà-öø-ÿ]+")
# Guards float rounding in the bounds below; they only ever get looser by it.
_EPSILON = 1e-9


def fold(name: str) -> str:
    tokens = [t for t in _TOKEN.findall((name or "").casefold()) if t not in NOISE_WORDS]
    return " ".join(tokens)


def full_fold(name: str) -> str:
    """The name folded like fold() but keeping the kind words: tells "IF" from "IK"."""
    return " ".join(_TOKEN.findall((name or "").casefold()))


def similarity(a: str, b: str) -> float:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0 if full_fold(a) == full_fold(b) else KIND_DIFFERS
    return SequenceMatcher(None, fa, fb).ratio()


def bigrams(folded: str) -> list[str]:
    """The padded bigrams of a folded name, repeated ones numbered so that a set acts as a multiset."""
    padded = f"^{folded}$"  # fold() never yields ^ or $
    seen: dict[str, int] = {}
    grams = []
    for i in range(len(padded) - 1):
        gram = padded[i : i + 2]
        count = seen.get(gram, 0)
        seen[gram] = count + 1
        grams.append(gram if count == 0 else f"{gram}{count}")
    return grams


def max_edits(total_length: int, threshold: float) -> int:
    """The most insertions and deletions two names of this total length can differ by and still reach the threshold.

    ratio = 2M / total and M never exceeds the longest common subsequence (LCS), so
    edits = total - 2 * LCS <= (1 - threshold) * total.
    """
    return math.floor((1 - threshold) * total_length + _EPSILON)


def shared_bigrams_needed(len_a: int, len_b: int, threshold: float) -> int:
    """Padded bigrams two names must share (the q-gram lemma: one edit destroys at most two bigrams)."""
    return max(len_a, len_b) + 1 - 2 * max_edits(len_a + len_b, threshold)


def probe_prefix_length(length: int, threshold: float) -> int:
    """How many of its rarest bigrams a name probes with, against partners no longer than itself.

    Prefix filtering: names sharing at least n bigrams share one among the first (count - n + 1) of
    each, under one global order. Against a partner of length p <= length, n is
    length + 1 - 2 * max_edits(p + length), weakest when p == length.
    """
    needed = length + 1 - 2 * max_edits(2 * length, threshold)
    grams = length + 1
    return grams if needed <= 0 else grams - needed + 1


def index_prefix_length(length: int, threshold: float) -> int:
    """How many of its rarest bigrams a name is indexed under, for partners no shorter than itself.

    The partner's length p runs up to length * (2 - t) / t (the length filter) and the bound steps
    with the rounding of max_edits, so take the largest prefix over every such p.
    """
    grams = length + 1
    longest = math.floor(length * (2 - threshold) / threshold + _EPSILON)
    size = 1
    for partner in range(length, longest + 1):
        needed = shared_bigrams_needed(length, partner, threshold)
        if needed <= 0:
            return grams
        size = max(size, grams - needed + 1)
    return min(grams, size)


def char_masks(a: str) -> dict[str, int]:
    masks: dict[str, int] = {}
    for i, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << i)
    return masks


def lcs_length(a: str, b: str, masks: dict[str, int] | None = None) -> int:
    """Length of the longest common subsequence, bit-parallel (Allison and Dix; Hyyrö).

    masks, if given, are char_masks(a), for comparing one string with many.
    """
    masks = char_masks(a) if masks is None else masks
    full = (1 << len(a)) - 1
    v = full
    get = masks.get
    for char in b:
        u = v & get(char, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def similar_pairs(
    items: Iterable[tuple[int, str]], *, only_ids: set[int] | None = None, threshold: float = THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs (low id, high id, similarity) at or above the threshold.

    With only_ids, a pair is kept only if one side is among them (new or changed records).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    full: dict[int, str] = {}
    for pk, name in items:
        folded = fold(name)
        if folded:
            groups[folded].append(pk)
            full[pk] = full_fold(name)

    def wanted(a: int, b: int) -> bool:
        return only_ids is None or a in only_ids or b in only_ids

    pairs: list[tuple[int, int, float]] = []
    # Identical folded names: every pair of their ids, without comparing anything.
    for members in groups.values():
        for i, pk_a in enumerate(members):
            for pk_b in members[i + 1 :]:
                if wanted(pk_a, pk_b):
                    score = 1.0 if full[pk_a] == full[pk_b] else KIND_DIFFERS
                    pairs.append((min(pk_a, pk_b), max(pk_a, pk_b), score))

    strings = sorted(groups, key=lambda s: (len(s), s))
    if len(strings) > 1:
        pairs.extend(_distinct_pairs(strings, groups, only_ids, threshold, wanted))
    return sorted(pairs)


def _ranked_bigrams(strings: list[str]) -> list[list[int]]:
    """Each string's bigrams as ranks, rarest first. Any fixed total order is correct; rarest first
    keeps the candidate lists short. The counts are freed on return, before the join on big registers."""
    gram_lists = [bigrams(s) for s in strings]
    frequency = Counter(g for grams in gram_lists for g in grams)
    rank = {g: r for r, g in enumerate(sorted(frequency, key=lambda g: (frequency[g], g)))}
    return [sorted(rank[g] for g in grams) for grams in gram_lists]


def _distinct_pairs(
    strings: list[str],
    groups: dict[str, list[int]],
    only_ids: set[int] | None,
    threshold: float,
    wanted: Callable[[int, int], bool],
) -> list[tuple[int, int, float]]:
    """Similar pairs among distinct folded names, shortest first: an all-pairs self-join on bigram prefixes.

    Each string probes the prefixes of the strings before it (no longer than itself) and is then indexed.
    Candidates pass three filters that never reject a similar pair before difflib decides:
    length, the number of shared bigrams, and the LCS bound on the ratio.
    """
    ranked = _ranked_bigrams(strings)
    lengths = [len(s) for s in strings]

    needed_side = [only_ids is None or any(pk in only_ids for pk in groups[s]) for s in strings]
    # With only_ids, a string outside them probes only the strings inside them.
    index_all: dict[int, list[int]] = defaultdict(list)
    index_needed: dict[int, list[int]] = defaultdict(list)
    # Strings are indexed shortest first and the minimum partner length only grows, so entries that
    # became too short are skipped for good by moving a start offset per list.
    start_all: dict[int, int] = defaultdict(int)
    start_needed: dict[int, int] = defaultdict(int)
    found: list[tuple[int, int, float]] = []
    matcher = SequenceMatcher(None, "", "")
    current_length = -1
    need_by_length: dict[int, int] = {}
    min_length = 0
    for i, text in enumerate(strings):
        length = lengths[i]
        if length != current_length:
            current_length = length
            # The length filter: 2 * shorter / total >= threshold.
            min_length = math.ceil(length * threshold / (2 - threshold) - _EPSILON)
            need_by_length = {
                other: shared_bigrams_needed(other, length, threshold) for other in range(min_length, length + 1)
            }
            probe_size = probe_prefix_length(length, threshold)
            index_size = index_prefix_length(length, threshold)
        prefix = ranked[i][:probe_size]
        if needed_side[i]:
            index, starts = index_all, start_all
        else:
            index, starts = index_needed, start_needed
        candidates: set[int] = set()
        for gram in prefix:
            postings = index.get(gram)
            if not postings:
                continue
            begin = starts[gram]
            while begin < len(postings) and lengths[postings[begin]] < min_length:
                begin += 1
            starts[gram] = begin
            candidates.update(islice(postings, begin, None))
        if candidates:
            own = set(ranked[i])
            masks = char_masks(text)
            matcher.set_seq2(text)
            for j in candidates:
                if len(own.intersection(ranked[j])) < need_by_length[lengths[j]]:
                    continue
                other = strings[j]
                total = lengths[j] + length
                if 2 * lcs_length(text, other, masks) < threshold * total - _EPSILON:
                    continue
                matcher.set_seq1(other)
                score = matcher.ratio()
                if score >= threshold:
                    score = round(score, 3)
                    for pk_a in groups[other]:
                        for pk_b in groups[text]:
                            if wanted(pk_a, pk_b):
                                found.append((min(pk_a, pk_b), max(pk_a, pk_b), score))
        for gram in ranked[i][:index_size]:
            index_all[gram].append(i)
            if only_ids is not None and needed_side[i]:
                index_needed[gram].append(i)
    return found
