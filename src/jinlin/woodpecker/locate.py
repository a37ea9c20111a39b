"""Find the passage a reader quoted in an article's text, so editors see it highlighted.

SPEC 纠错有奖: "editors see each report beside the article text with the quoted passage located in it".
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

Quality = Literal["exact", "normalised", "approximate"]
Span = tuple[int, int]
Key = TypeVar("Key", bound=Hashable)

# Below this many significant characters one edit would match almost anywhere.
MIN_APPROXIMATE_LENGTH = 4
# A quote longer than this is not a quote; it is still matched exactly or normalised.
MAX_APPROXIMATE_LENGTH = 1000


@dataclass(frozen=True)
class Located:
    """Where a passage sits in the article: [start, end) of the original text."""

    start: int
    end: int
    quality: Quality
    edits: int  # edits between passage and span, after normalisation; 0 unless approximate

    @property
    def span(self) -> Span:
        return (self.start, self.end)


def allowed_edits(length: int) -> int:
    """Edits an approximate match may need, for a passage of `length` significant characters."""
    return max(1, length // 5)


def normalise_for_matching(text: str) -> tuple[str, list[int]]:
    """Text folded for comparison, and for each of its characters the index it came from.

    NFKC (full-width to half-width, compatibility forms), case-folded; punctuation,
    whitespace, control and format characters dropped, since readers retype those freely.
    """
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _significant(char):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


@functools.lru_cache(maxsize=8192)
def _significant(char: str) -> str:
    return "".join(
        piece
        for piece in unicodedata.normalize("NFKC", char).casefold()
        if unicodedata.category(piece)[0] not in "PZC"
    )


def locate_passage(article: str, passage: str) -> Located | None:
    """The best span of `article` for the reader's `passage`, or None if nothing plausible.

    Tried in order: the passage verbatim (trimmed); the passage after normalisation
    (punctuation, width, case, whitespace ignored); then a match with at most
    allowed_edits() insertions, deletions or substitutions. The earliest best match wins.
    """
    trimmed = passage.strip()
    if not trimmed:
        return None
    position = article.find(trimmed)
    if position >= 0:
        return Located(position, position + len(trimmed), "exact", 0)

    folded_article, origin = normalise_for_matching(article)
    folded_passage, _ = normalise_for_matching(trimmed)
    if not folded_passage or not folded_article:
        return None
    position = folded_article.find(folded_passage)
    if position >= 0:
        return _to_original(origin, position, position + len(folded_passage), "normalised", 0)

    length = len(folded_passage)
    if not MIN_APPROXIMATE_LENGTH <= length <= MAX_APPROXIMATE_LENGTH:
        return None
    found = _approximate(folded_article, folded_passage, allowed_edits(length))
    if found is None:
        return None
    start, end, edits = found
    return _to_original(origin, start, end, "approximate", edits)


def passages_overlap(span_a: Span, span_b: Span) -> bool:
    """Whether two non-empty spans share at least one character."""
    (start_a, end_a), (start_b, end_b) = span_a, span_b
    if start_a >= end_a or start_b >= end_b:
        return False
    return start_a < end_b and start_b < end_a


def overlap_ratio(span_a: Span, span_b: Span) -> float:
    """Shared characters as a share of the shorter span: 1.0 when one contains the other."""
    if not passages_overlap(span_a, span_b):
        return 0.0
    shared = min(span_a[1], span_b[1]) - max(span_a[0], span_b[0])
    shorter = min(span_a[1] - span_a[0], span_b[1] - span_b[0])
    return shared / shorter


def overlapping_groups(spans: Mapping[Key, Span]) -> list[list[Key]]:
    """Reports of one article whose located spans overlap, chained: likely duplicates.

    Each group has at least two keys, in the mapping's order (pass reports oldest first and
    the first key of a group is the report that would earn the credit).
    """
    order = {key: position for position, key in enumerate(spans)}
    by_start = sorted(
        (key for key, (start, end) in spans.items() if start < end), key=lambda k: spans[k]
    )
    groups: list[list[Key]] = []
    current: list[Key] = []
    reach = -1
    for key in by_start:
        start, end = spans[key]
        if current and start < reach:
            current.append(key)
            reach = max(reach, end)
            continue
        if len(current) > 1:
            groups.append(current)
        current, reach = [key], end
    if len(current) > 1:
        groups.append(current)
    ordered = [sorted(group, key=order.__getitem__) for group in groups]
    return sorted(ordered, key=lambda group: order[group[0]])


def _to_original(
    origin: Sequence[int], start: int, end: int, quality: Quality, edits: int
) -> Located:
    return Located(origin[start], origin[end - 1] + 1, quality, edits)


def _approximate(text: str, pattern: str, max_edits: int) -> tuple[int, int, int] | None:
    """[start, end) of text and the edits of the best approximate occurrence of pattern.

    Ends come from one pass of Myers' bit-parallel algorithm over the text (O(n) big-int
    steps); each candidate end gets its start from the same algorithm run backwards over a
    window just long enough to hold the pattern. Among equally good spans the longest wins,
    so a printed character the reader left out stays inside the highlight.

    By hand rather than rapidfuzz or the regex module's fuzzy matching: the rule modules stay
    pure Python, and the algorithm is short.
    """
    scores = _end_scores(text, pattern, anchored=False)
    best = min(scores)
    if best > max_edits:
        return None
    first_end = scores.index(best)
    candidates: list[tuple[int, int]] = []
    for end_index in range(first_end, min(len(scores), first_end + 2 * max_edits + 1)):
        if scores[end_index] != best:
            continue
        end = end_index + 1
        window_start = max(0, end - len(pattern) - max_edits)
        backwards = _end_scores(text[window_start:end][::-1], pattern[::-1], anchored=True)
        length = max(taken + 1 for taken, score in enumerate(backwards) if score == best)
        candidates.append((end - length, end))
    start, end = max(candidates, key=lambda span: (span[1] - span[0], -span[0]))
    return start, end, best


def _end_scores(text: str, pattern: str, *, anchored: bool) -> list[int]:
    """For each text position i, the edit distance of pattern to the best text[s:i+1].

    anchored=False lets s be anything (search); anchored=True fixes s at 0 (prefix distance).
    Myers 1999 / Hyyrö 2001 bit-vector recurrence; the pattern's columns are bits of an int.
    """
    length = len(pattern)
    full = (1 << length) - 1
    top = 1 << (length - 1)
    masks: dict[str, int] = {}
    for bit, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << bit)
    plus_vertical, minus_vertical, score = full, 0, length
    carry = 1 if anchored else 0
    scores: list[int] = []
    for char in text:
        equal = masks.get(char, 0)
        cross_vertical = equal | minus_vertical
        cross_horizontal = (
            (((equal & plus_vertical) + plus_vertical) & full) ^ plus_vertical
        ) | equal
        plus_horizontal = minus_vertical | (~(cross_horizontal | plus_vertical) & full)
        minus_horizontal = plus_vertical & cross_horizontal
        if plus_horizontal & top:
            score += 1
        elif minus_horizontal & top:
            score -= 1
        plus_horizontal = ((plus_horizontal << 1) | carry) & full
        minus_horizontal = (minus_horizontal << 1) & full
        plus_vertical = minus_horizontal | (~(cross_vertical | plus_horizontal) & full)
        minus_vertical = plus_horizontal & cross_vertical
        scores.append(score)
    return scores
