"""Proofreading before print: flag likely errors in an article with a suggestion and a reason.

SPEC "The chain at work": "flags likely errors in an issue's articles with suggestion and reason,
learning from confirmed woodpecker reports; precision before recall". Every checker here prefers
silence to a guess: a flag is raised only where a rule is nearly always right.

Dictionaries: jieba's word list (words, frequencies, parts of speech; read once from the wheel),
pypinyin for sounds, and the paper's own lists in proofdata/ (成语 and poem lines, recurring
terms, common wrong forms). The confusion set grows from confirmed reports (learn_confusion).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Literal

from pypinyin import Style, pinyin

Kind = Literal["confusion", "expression", "term", "particle", "punctuation", "consistency", "draft"]

KIND_LABELS: dict[str, str] = {
    "confusion": "常见错字",
    "expression": "成语/固定搭配",
    "term": "本报常用词",
    "particle": "的地得",
    "punctuation": "标点",
    "consistency": "日期/人名",
    "draft": "编辑痕迹",
}

# When two flags overlap, the more specific one stays.
_PRIORITY: dict[str, int] = {
    "confusion": 0,
    "expression": 1,
    "term": 2,
    "draft": 3,
    "consistency": 4,
    "particle": 5,
    "punctuation": 6,
}

# A word of jieba's list at least this frequent is taken as correctly written (its list also
# holds common misprints, with small counts: 再接再励 3, 迫不急待 3).
COMMON_WORD_FREQUENCY = 30
# Idioms of jieba's list this frequent join the curated ones for substitution checks.
IDIOM_FREQUENCY = 30
# ... and this frequent for missing, doubled and swapped characters (which match more loosely).
IDIOM_FREQUENCY_LOOSE = 300


@dataclass(frozen=True)
class Flag:
    """A likely error: [start, start + length) of the text, what to print instead, and why."""

    start: int
    length: int
    text: str
    suggestion: str
    kind: str
    reason: str

    @property
    def end(self) -> int:
        return self.start + self.length

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Confusion:
    """A wrong form and its correction: curated, or learned from a confirmed report."""

    wrong: str
    right: str
    reason: str


@dataclass(frozen=True)
class Dictionary:
    """What the checkers know: word frequencies and tags, fixed expressions, the paper's terms."""

    words: Mapping[str, tuple[int, str]]
    expressions: frozenset[str]
    loose_expressions: frozenset[str]
    terms: frozenset[str]
    confusions: tuple[Confusion, ...]

    def frequency(self, word: str) -> int:
        found = self.words.get(word)
        return found[0] if found else 0

    def tag(self, word: str) -> str:
        found = self.words.get(word)
        return found[1] if found else ""

    def is_common_word(self, word: str) -> bool:
        return self.frequency(word) >= COMMON_WORD_FREQUENCY


@dataclass(frozen=True)
class ArticleText:
    """One article of an issue, for proofread_issue."""

    key: int | str
    text: str


@dataclass
class _Index:
    """Fixed expressions keyed for near matches: one character replaced by '\0', or dropped."""

    substituted: dict[str, list[str]] = field(default_factory=dict)
    dropped: dict[str, list[str]] = field(default_factory=dict)
    lengths: set[int] = field(default_factory=set)
    # Two characters an entry keeps whatever one character is replaced (a pair of neighbours, or
    # first and last of a three-character term as "a\0c"), with (length, offset) of the entry:
    # only windows around such a pair are compared, which keeps the pass fast.
    anchors: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    # Broken forms of the loosely matched entries: two neighbours swapped, or one doubled.
    swapped: dict[str, str] = field(default_factory=dict)
    doubled: dict[str, str] = field(default_factory=dict)


# --- dictionaries -------------------------------------------------------------------------------


def _data_lines(name: str) -> list[str]:
    text = (resources.files("jinlin.woodpecker") / "proofdata" / name).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def jieba_words() -> dict[str, tuple[int, str]]:
    """jieba's dict.txt (word, frequency, part of speech), read once from the installed wheel.

    Read directly rather than through jieba.initialize(): the checkers need the list, not the
    segmenter's prefix cache (which jieba would build and write to a temporary file).
    """
    text = (resources.files("jieba") / "dict.txt").read_text("utf-8")
    lines = text.splitlines()
    fields = text.split()
    if len(fields) == 3 * len(lines):
        # Every line is "word frequency tag": one split of the whole file is several times
        # faster than one per line (the list has 349,046 of them).
        return dict(
            zip(fields[0::3], zip(map(int, fields[1::3]), fields[2::3], strict=True), strict=True)
        )
    words: dict[str, tuple[int, str]] = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            words[parts[0]] = (int(parts[1]), parts[2])
    return words


@functools.lru_cache(maxsize=1)
def default_dictionary() -> Dictionary:
    words = jieba_words()
    curated = {line.strip() for line in _data_lines("expressions.txt")}
    idioms = {
        word
        for word, (frequency, tag) in words.items()
        if tag == "i" and len(word) == 4 and frequency >= IDIOM_FREQUENCY
    }
    loose = {word for word in idioms if words[word][0] >= IDIOM_FREQUENCY_LOOSE and _is_han(word)}
    confusions = []
    for line in _data_lines("confusions.txt"):
        wrong, right, reason = (line.split("\t") + ["", ""])[:3]
        confusions.append(Confusion(wrong.strip(), right.strip(), reason.strip()))
    return Dictionary(
        words=words,
        expressions=frozenset(idioms | curated),
        loose_expressions=frozenset(loose | curated),
        terms=frozenset(line.strip() for line in _data_lines("terms.txt")),
        confusions=tuple(confusions),
    )


@functools.lru_cache(maxsize=4)
def _index(entries: frozenset[str], loose: frozenset[str] = frozenset()) -> _Index:
    index = _Index()
    for entry in sorted(entries):
        index.lengths.add(len(entry))
        for position in range(len(entry)):
            key = entry[:position] + "\0" + entry[position + 1 :]
            index.substituted.setdefault(key, []).append(entry)
            index.dropped.setdefault(entry[:position] + entry[position + 1 :], []).append(entry)
        for position in range(len(entry) - 1):
            index.anchors.setdefault(entry[position : position + 2], set()).add(
                (len(entry), position)
            )
        if len(entry) == 3:
            index.anchors.setdefault(entry[0] + "\0" + entry[2], set()).add((3, 0))
    for entry in sorted(loose):
        for position in range(len(entry) - 1):
            if entry[position] != entry[position + 1]:
                swapped = (
                    entry[:position] + entry[position + 1] + entry[position] + entry[position + 2 :]
                )
                if swapped not in loose:
                    index.swapped.setdefault(swapped, entry)
        for position in range(len(entry)):
            doubled = entry[: position + 1] + entry[position:]
            if doubled[:-1] not in loose and doubled[1:] not in loose:
                index.doubled.setdefault(doubled, entry)
    return index


# --- sounds -------------------------------------------------------------------------------------

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("h", "f"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))


@functools.lru_cache(maxsize=20000)
def _sounds(char: str) -> frozenset[str]:
    """The syllables of a character, toneless, with Shanghai speakers' confusions folded."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    syllables = {syllable for readings in found for syllable in readings}
    return frozenset(_fold(syllable) for syllable in syllables if syllable.isalpha())


def _fold(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long) :]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            syllable = syllable[: -len(long)] + short
            break
    return syllable


def sounds_alike(first: str, second: str) -> bool:
    """Same or similar sound (z/zh, c/ch, s/sh, n/l, h/f, an/ang, en/eng, in/ing), tones ignored."""
    return bool(_sounds(first) & _sounds(second))


@functools.lru_cache(maxsize=65536)
def _is_han(text: str) -> bool:
    return bool(text) and all("\u4e00" <= char <= "\u9fff" for char in text)


# --- the checkers -------------------------------------------------------------------------------


def _check_confusions(text: str, confusions: Iterable[Confusion]) -> list[Flag]:
    flags = []
    for confusion in confusions:
        if not confusion.wrong or confusion.wrong == confusion.right:
            continue
        # A wrong form inside its own correction (凑和 in 凑和着? no; 截至 in 截止至) is no error.
        start = text.find(confusion.wrong)
        while start >= 0:
            if not _inside_right_form(text, start, confusion):
                flags.append(
                    Flag(
                        start,
                        len(confusion.wrong),
                        confusion.wrong,
                        confusion.right,
                        "confusion",
                        confusion.reason or f"常见错误：应为“{confusion.right}”",
                    )
                )
            start = text.find(confusion.wrong, start + 1)
    return flags


def _inside_right_form(text: str, start: int, confusion: Confusion) -> bool:
    """Whether the correction itself stands here (a wrong form contained in its right one)."""
    offset = confusion.right.find(confusion.wrong)
    if offset < 0:
        return False
    begin = start - offset
    return begin >= 0 and text[begin : begin + len(confusion.right)] == confusion.right


def _check_fixed(text: str, dictionary: Dictionary) -> list[Flag]:
    """成语, poem lines and the paper's terms: a same-sounding wrong character, or (for the
    curated and common ones) a missing, doubled or swapped character."""
    flags: list[Flag] = []
    loose = dictionary.loose_expressions
    expressions = _index(dictionary.expressions, loose)
    terms = _index(dictionary.terms)
    for kind, index, entries, reason_word in (
        ("expression", expressions, dictionary.expressions, "成语/固定搭配"),
        ("term", terms, dictionary.terms, "本报常用词"),
    ):
        for start, length in _anchored_windows(text, index):
            window = text[start : start + length]
            if len(window) < length or window in entries or not _is_han(window):
                continue
            flag = _substitution(window, start, index, dictionary, kind, reason_word)
            if flag is not None and not _stands_correct(text, start, flag.suggestion):
                flags.append(flag)
    variant_lengths = sorted({len(v) for v in (*expressions.swapped, *expressions.doubled)})
    for start in range(len(text)):
        for length in variant_lengths:
            window = text[start : start + length]
            if len(window) < length or dictionary.is_common_word(window):
                continue
            if window in expressions.swapped and window not in loose:
                entry = expressions.swapped[window]
                moved = next(n for n in range(length) if window[n] != entry[n])
                flags.append(
                    Flag(
                        start,
                        length,
                        window,
                        entry,
                        "expression",
                        f"成语/固定搭配“{entry}”中“{entry[moved]}{entry[moved + 1]}”两字颠倒",
                    )
                )
            elif window in expressions.doubled:
                entry = expressions.doubled[window]
                twice = next(n for n in range(length - 1) if window[n] == window[n + 1])
                flags.append(
                    Flag(
                        start,
                        length,
                        window,
                        entry,
                        "expression",
                        f"成语/固定搭配“{entry}”中“{window[twice]}”字重复",
                    )
                )
        for length in (3, 4, 6):
            window = text[start : start + length]
            if len(window) < length or not _is_han(window) or window in loose:
                continue
            for entry in expressions.dropped.get(window, []):
                if entry in loose and not dictionary.is_common_word(window):
                    if _inside_correct_expression(text, start, length, dictionary):
                        continue
                    flags.append(
                        Flag(start, length, window, entry, "expression", f"成语“{entry}”缺字")
                    )
                    break
    return flags


def _anchored_windows(text: str, index: _Index) -> list[tuple[int, int]]:
    """(start, length) of the windows that keep an anchor of some entry of that length."""
    found: set[tuple[int, int]] = set()
    for position in range(len(text) - 1):
        for key in (
            text[position : position + 2],
            text[position] + "\0" + text[position + 2 : position + 3],
        ):
            for length, offset in index.anchors.get(key, ()):
                if position - offset >= 0:
                    found.add((position - offset, length))
    return sorted(found)


def _stands_correct(text: str, start: int, entry: str) -> bool:
    """Whether `entry` is printed correctly over this position (a near match inside a right one)."""
    for begin in range(max(0, start - len(entry) + 1), start + len(entry)):
        if text[begin : begin + len(entry)] == entry:
            return True
    return False


def _inside_correct_expression(text: str, start: int, length: int, dictionary: Dictionary) -> bool:
    """Whether a correct expression or common word of four or more characters covers the window
    (心协力 inside 齐心协力 is no missing character of 同心协力)."""
    for begin in range(max(0, start - 4), start + 1):
        for size in range(max(4, start + length - begin), 8):
            word = text[begin : begin + size]
            if len(word) == size and (
                word in dictionary.expressions or dictionary.is_common_word(word)
            ):
                return True
    return False


def _substitution(
    window: str,
    start: int,
    index: _Index,
    dictionary: Dictionary,
    kind: str,
    reason_word: str,
) -> Flag | None:
    if dictionary.is_common_word(window):
        return None
    for position, printed in enumerate(window):
        key = window[:position] + "\0" + window[position + 1 :]
        for entry in index.substituted.get(key, []):
            right = entry[position]
            if right == printed or not sounds_alike(right, printed):
                continue
            return Flag(
                start,
                len(window),
                window,
                entry,
                kind,
                f"{reason_word}“{entry}”中的“{right}”误作同音或近音字“{printed}”",
            )
    return None


# 的/地/得: adverbial 地 before a verb, complement 得 after it.
_ADVERBS_ALWAYS = frozenset(
    [
        "默默",
        "悄悄",
        "渐渐",
        "纷纷",
        "不断",
        "不停",
        "紧紧",
        "匆匆",
        "连连",
        "频频",
        "逐渐",
        "默默地",
        "静静",
        "轻轻",
        "慢慢",
        "早早",
        "稳稳",
        "牢牢",
        "狠狠",
        "深深",
        "细细",
        "好好",
        "远远",
        "暗暗",
        "偷偷",
    ]
)
_ADVERBS_WITH_ASPECT = frozenset(
    [
        "认真",
        "仔细",
        "耐心",
        "积极",
        "主动",
        "热情",
        "亲切",
        "高兴",
        "愉快",
        "兴奋",
        "激动",
        "热烈",
        "努力",
        "细心",
        "用心",
        "飞快",
        "迅速",
        "安静",
        "开心",
        "熟练",
        "仔仔细细",
        "认认真真",
    ]
)
_ASPECT = ("了", "着", "过", "起来", "起")
_SAYING = ("说", "道", "讲", "表示", "回答", "问")
_WORDS_ENDING_IN_DE = frozenset(
    ["目的", "标的", "有的", "别的", "似的", "是的", "端的", "打的", "之的"]
)
# Idioms that after 得 describe how far an action went (忙得不亦乐乎, 听得津津有味).
_COMPLEMENT_EXPRESSIONS = tuple(
    [
        "不亦乐乎",
        "津津有味",
        "热火朝天",
        "干干净净",
        "井井有条",
        "满头大汗",
        "一塌糊涂",
        "眉开眼笑",
        "合不拢嘴",
        "团团转",
        "热泪盈眶",
        "清清楚楚",
        "整整齐齐",
        "明明白白",
        "有声有色",
        "满满当当",
        "红红火火",
        "笑逐颜开",
    ]
)
_DEGREE = ("非常", "十分", "特别", "格外", "极其", "越来越", "很", "真", "太", "更加", "极为")
_DEGREE_NOT_COMPLEMENT = ("很多", "很少", "太多", "更多", "真正", "真的", "特别是", "更加多")


def _word_after(text: str, start: int, dictionary: Dictionary) -> str:
    for length in (4, 3, 2, 1):
        word = text[start : start + length]
        if len(word) == length and dictionary.frequency(word) > 0:
            return word
    return ""


def _word_before(text: str, end: int, dictionary: Dictionary) -> str:
    for length in (4, 3, 2, 1):
        if end - length < 0:
            continue
        word = text[end - length : end]
        if dictionary.frequency(word) > 0:
            return word
    return ""


def _is_reduplicated(word: str) -> bool:
    if len(word) == 2:
        return word[0] == word[1] and _is_han(word)
    if len(word) == 4:
        return word[0] == word[1] and word[2] == word[3] and word[0] != word[2] and _is_han(word)
    return False


def _check_particles(text: str, dictionary: Dictionary) -> list[Flag]:
    flags: list[Flag] = []
    for position, char in enumerate(text):
        if char not in "的地":
            continue
        before = _word_before(text, position, dictionary)
        if not before or before.endswith(char):
            continue
        # 的 or 地 inside a word (目的, 的确, 场地, 地方) is no particle.
        if char == "的" and text[position - 1 : position + 1] in _WORDS_ENDING_IN_DE:
            continue
        if char == "地" and dictionary.is_common_word(text[position - 1 : position + 1]):
            continue
        following = text[position : position + 2]
        if dictionary.is_common_word(following) and dictionary.tag(following) not in ("uj", "ud"):
            continue
        after = _word_after(text, position + 1, dictionary)
        if char == "的" and after and _is_han(after):
            tail = text[position + 1 + len(after) :]
            tag = dictionary.tag(after)
            reduplicated = _is_reduplicated(text[position - 4 : position]) or _is_reduplicated(
                text[position - 2 : position]
            )
            adverbial = (
                (before in _ADVERBS_ALWAYS and tag in ("v", "vn", "a", "ad", "d"))
                or (reduplicated and tag == "v")
                or (before in _ADVERBS_WITH_ASPECT and tag == "v" and tail.startswith(_ASPECT))
                or (
                    before in _ADVERBS_ALWAYS | _ADVERBS_WITH_ASPECT
                    and after in _SAYING
                    and tail[:1] in ("：", "，", "道")
                )
            )
            if adverbial:
                flags.append(
                    Flag(
                        position,
                        1,
                        char,
                        "地",
                        "particle",
                        f"“{before}”修饰动词“{after}”，作状语应用“地”",
                    )
                )
                continue
        tail = text[position + 1 :]
        complement = (
            dictionary.tag(before) == "v"
            and len(before) <= 2
            and tail.startswith(_DEGREE)
            and not tail.startswith(_DEGREE_NOT_COMPLEMENT)
        ) or (dictionary.tag(before) in ("v", "a") and tail.startswith(_COMPLEMENT_EXPRESSIONS))
        if complement:
            flags.append(
                Flag(
                    position,
                    1,
                    char,
                    "得",
                    "particle",
                    f"动词“{before}”后接表示程度的补语，应用“得”",
                )
            )
    return flags


_OPENING = {"“": "”", "（": "）", "《": "》", "【": "】", "‘": "’", "「": "」"}
_CLOSING = {closing: opening for opening, closing in _OPENING.items()}
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_BRACKETS = re.compile(r"\([^()\n]*[\u4e00-\u9fff][^()\n]*\)|(?<=[\u4e00-\u9fff])\([^()\n]*\)")
_HAN_AROUND = re.compile(r"(?<=[\u4e00-\u9fff])[,;:?!()]|[,;:?!()](?=[\u4e00-\u9fff])")


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _check_punctuation(text: str) -> list[Flag]:
    flags: list[Flag] = []
    for offset, line in _paragraphs(text):
        flags.extend(_unbalanced(line, offset))
        stripped = line.rstrip()
        if (
            len(stripped) >= 20
            and any(mark in stripped for mark in "。，")
            and (_is_han(stripped[-1]) or stripped[-1] in "，、；")
        ):
            last = len(stripped) - 1
            suggestion = stripped[-1] + "。" if _is_han(stripped[-1]) else "。"
            flags.append(
                Flag(
                    offset + last,
                    1,
                    stripped[-1],
                    suggestion,
                    "punctuation",
                    "段落末尾缺少句号",
                )
            )
    for match in _HALF_BRACKETS.finditer(text):
        for offset, mark in ((match.start(), "("), (match.end() - 1, ")")):
            flags.append(
                Flag(
                    offset,
                    1,
                    mark,
                    _HALF_TO_FULL[mark],
                    "punctuation",
                    f"中文括号内外用了半角“{mark}”，应为全角“{_HALF_TO_FULL[mark]}”",
                )
            )
    for match in _HAN_AROUND.finditer(text):
        mark = match.group()
        flags.append(
            Flag(
                match.start(),
                1,
                mark,
                _HALF_TO_FULL[mark],
                "punctuation",
                f"中文句中用了半角“{mark}”，应为全角“{_HALF_TO_FULL[mark]}”",
            )
        )
    for match in re.finditer(r"([，。、；：！？])\1+", text):
        flags.append(
            Flag(
                match.start(),
                len(match.group()),
                match.group(),
                match.group(1),
                "punctuation",
                f"标点“{match.group(1)}”重复",
            )
        )
    return flags


def _unbalanced(line: str, offset: int) -> list[Flag]:
    """Quotes and brackets of one paragraph that have no partner."""
    stack: list[tuple[str, int]] = []
    flags: list[Flag] = []
    for position, char in enumerate(line):
        if char in _OPENING:
            stack.append((char, position))
        elif char in _CLOSING:
            if stack and stack[-1][0] == _CLOSING[char]:
                stack.pop()
            else:
                flags.append(
                    Flag(
                        offset + position,
                        1,
                        char,
                        _CLOSING[char] + char,
                        "punctuation",
                        f"“{char}”前面没有与之配对的“{_CLOSING[char]}”",
                    )
                )
    for char, position in stack:
        flags.append(
            Flag(
                offset + position,
                1,
                char,
                char + "…" + _OPENING[char],
                "punctuation",
                f"“{char}”在本段没有与之配对的“{_OPENING[char]}”",
            )
        )
    return flags


_DATE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:[（(]?(?:星期|周)([一二三四五六日天])[）)]?)?"
)
_WEEKDAYS = "一二三四五六日"


def _check_dates(text: str, issue_date: date | None) -> list[Flag]:
    flags: list[Flag] = []
    for match in _DATE.finditer(text):
        year_text, month_text, day_text, weekday_text = match.groups()
        month, day = int(month_text), int(day_text)
        if not 1 <= month <= 12:
            flags.append(
                Flag(
                    match.start(),
                    match.end() - match.start(),
                    match.group(),
                    "",
                    "consistency",
                    f"没有{month}月，请核对日期",
                )
            )
            continue
        year = int(year_text) if year_text else _nearest_year(month, day, issue_date)
        try:
            when = date(year if year else 2000, month, day)
        except ValueError:
            flags.append(
                Flag(
                    match.start(),
                    match.end() - match.start(),
                    match.group(),
                    "",
                    "consistency",
                    f"{month}月没有{day}日，请核对日期",
                )
            )
            continue
        if weekday_text and year:
            printed = "日" if weekday_text == "天" else weekday_text
            actual = _WEEKDAYS[when.weekday()]
            if printed != actual:
                where = match.group().rfind(weekday_text)
                flags.append(
                    Flag(
                        match.start() + where,
                        1,
                        weekday_text,
                        actual,
                        "consistency",
                        f"{when.year}年{month}月{day}日是星期{actual}，不是星期{weekday_text}",
                    )
                )
    return flags


def _nearest_year(month: int, day: int, issue_date: date | None) -> int | None:
    """The year that puts month/day nearest the issue's date (a December story in January's
    issue is last year's)."""
    if issue_date is None:
        return None
    best: tuple[int, int] | None = None
    for year in (issue_date.year - 1, issue_date.year, issue_date.year + 1):
        try:
            distance = abs((date(year, month, day) - issue_date).days)
        except ValueError:
            continue
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else issue_date.year


_DRAFT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"[（(【\[][^）)】\]\n]{0,8}(?:待|需|请)(?:核实|核对|补充|确认|定|查证|修改|删|改)"
            r"[^）)】\]\n]{0,12}[）)】\]]"
        ),
        "像是编辑批注，印刷前应删去或落实",
    ),
    (re.compile(r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])"), "写作时的待办记号留在了正文里"),
    (
        re.compile(r"(?<![A-Za-z])[XxＸｘ×]{1,3}(?=[年月日时号人名位户元岁])|[XxＸｘ×]{2,}"),
        "占位符“X”还没有换成实际内容",
    ),
    (re.compile(r"[?？]{2,}"), "连续问号像是编辑存疑的记号"),
    (re.compile(r"此处(?:插图|配图|待|补|加)[^，。\n]{0,10}"), "像是排版说明，印刷前应删去"),
)


def _check_drafts(text: str) -> list[Flag]:
    flags = []
    for pattern, reason in _DRAFT_PATTERNS:
        for match in pattern.finditer(text):
            flags.append(
                Flag(
                    match.start(),
                    match.end() - match.start(),
                    match.group(),
                    "",
                    "draft",
                    reason,
                )
            )
    return flags


_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
_TITLES = (
    "书记",
    "主任",
    "社工",
    "委员",
    "老师",
    "志愿者",
    "记者",
    "通讯员",
    "楼组长",
    "党员",
    "居民",
    "医生",
    "民警",
    "经理",
    "组长",
    "队长",
)
_TITLED_NAME = re.compile(
    "(?:" + "|".join(_TITLES) + ")([" + "".join(sorted(_SURNAMES)) + r"][\u4e00-\u9fff]{2})"
)


def _check_names(texts: Sequence[str]) -> list[list[Flag]]:
    """A full name after a title (主任沈建华) that differs by one like-sounding character from a
    name printed more often in the same issue: the rarer form is likely the misprint."""
    whole = "\n".join(texts)
    candidates = {match.group(1) for text in texts for match in _TITLED_NAME.finditer(text)}
    counts = Counter({name: whole.count(name) for name in candidates})
    flags: list[list[Flag]] = [[] for _ in texts]
    for rare in candidates:
        for common in candidates:
            if rare == common or rare[0] != common[0] or counts[common] <= counts[rare]:
                continue
            differing = [i for i in range(3) if rare[i] != common[i]]
            if len(differing) != 1 or not sounds_alike(rare[differing[0]], common[differing[0]]):
                continue
            for number, text in enumerate(texts):
                for match in re.finditer(re.escape(rare), text):
                    flags[number].append(
                        Flag(
                            match.start(),
                            3,
                            rare,
                            common,
                            "consistency",
                            f"同一期中人名作“{common}”（{counts[common]}处），此处作“{rare}”",
                        )
                    )
    return flags


# --- the pass -----------------------------------------------------------------------------------


def proofread(
    text: str,
    *,
    confusions: Sequence[Confusion] = (),
    issue_date: date | None = None,
    dictionary: Dictionary | None = None,
) -> list[Flag]:
    """Flags of one text, ordered by position, none overlapping (the most specific kept)."""
    return proofread_issue(
        [ArticleText(0, text)], confusions=confusions, issue_date=issue_date, dictionary=dictionary
    )[0]


def proofread_issue(
    articles: Sequence[ArticleText],
    *,
    confusions: Sequence[Confusion] = (),
    issue_date: date | None = None,
    dictionary: Dictionary | None = None,
) -> dict[int | str, list[Flag]]:
    """Flags per article key; names are compared across the whole issue."""
    dictionary = dictionary or default_dictionary()
    known = (*confusions, *dictionary.confusions)
    names = _check_names([article.text for article in articles])
    result: dict[int | str, list[Flag]] = {}
    for article, name_flags in zip(articles, names, strict=True):
        text = article.text
        flags = [
            *_check_confusions(text, known),
            *_check_fixed(text, dictionary),
            *_check_particles(text, dictionary),
            *_check_punctuation(text),
            *_check_dates(text, issue_date),
            *_check_drafts(text),
            *name_flags,
        ]
        result[article.key] = _without_overlaps(flags)
    return result


def _without_overlaps(flags: list[Flag]) -> list[Flag]:
    kept: list[Flag] = []
    for flag in sorted(flags, key=lambda f: (_PRIORITY.get(f.kind, 9), f.start, -f.length)):
        if any(flag.start < other.end and other.start < flag.end for other in kept):
            continue
        kept.append(flag)
    return sorted(kept, key=lambda f: (f.start, f.length))


def flag_context(text: str, flag: Flag, width: int = 6) -> str:
    """The flagged text with a few characters either side: how a decision recognises the same
    flag after the article has been edited elsewhere."""
    return text[max(0, flag.start - width) : flag.end + width]


# --- learning from reports ----------------------------------------------------------------------


def learn_confusion(
    quoted: str, correction: str, *, reason: str = "", dictionary: Dictionary | None = None
) -> Confusion | None:
    """The wrong form and its correction from a confirmed report's passage, or None.

    The smallest differing part is widened to the dictionary word of the correction that covers
    it (迫不急待地 → 迫不及待地 teaches 迫不急待 → 迫不及待), else to two characters either side,
    so that the lesson is neither one bare character (which would match everywhere) nor the whole
    sentence (which would never recur). Punctuation-only and one-character lessons are refused.
    """
    quoted, correction = quoted.strip(), correction.strip()
    if not quoted or not correction or quoted == correction:
        return None
    quoted = _part_corrected(quoted, correction)
    prefix = 0
    while prefix < min(len(quoted), len(correction)) and quoted[prefix] == correction[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(quoted), len(correction)) - prefix
        and quoted[-1 - suffix] == correction[-1 - suffix]
    ):
        suffix += 1
    wrong_part = quoted[prefix : len(quoted) - suffix]
    right_part = correction[prefix : len(correction) - suffix]
    if not any(_is_han(char) for char in wrong_part + right_part):
        return None
    if any(char.isdigit() for char in quoted + correction) or len(correction) > 2 * len(quoted) + 4:
        # Dates and numbers are facts of one article, and a long correction is an explanation:
        # neither recurs as the same misprint.
        return None
    dictionary = dictionary or default_dictionary()
    left, right_edge = _widen(correction, prefix, len(correction) - suffix, dictionary)
    before = prefix - left
    after = right_edge - (len(correction) - suffix)
    wrong = quoted[prefix - before : len(quoted) - suffix + after]
    right = correction[left:right_edge]
    if dictionary.is_common_word(wrong) or (
        len(wrong) <= 2 and any(char in _FUNCTION_CHARACTERS for char in wrong_part)
    ):
        # 多为 → 多位 would flag every right 多为 (mostly): keep two characters of context more.
        wrong = quoted[max(0, prefix - before - 2) : len(quoted) - suffix + after + 2]
        right = correction[max(0, left - 2) : right_edge + 2]
    if len(wrong) < 2 or wrong == right or dictionary.is_common_word(wrong):
        return None
    return Confusion(wrong, right, reason or f"读者纠错已确认：应为“{right}”")


# Characters so common on their own that a two-character wrong form holding one of them may be
# right elsewhere (多为 "mostly", 是否); such a lesson keeps more context.
_FUNCTION_CHARACTERS = frozenset(
    "为是在有的地得了着过和与及也都就而之其以把被让给向从对到会能要可不"
)


def _part_corrected(quoted: str, correction: str) -> str:
    """The part of a long quote that a short correction replaces (readers quote a sentence and
    write only the corrected words: 用于楼道的日常维户 → 维护), else the whole quote."""
    size = len(correction)
    if size >= len(quoted):
        return quoted
    best: tuple[int, int] | None = None
    for start in range(len(quoted) - size + 1):
        distance = sum(
            1 for a, b in zip(quoted[start : start + size], correction, strict=True) if a != b
        )
        if best is None or distance < best[0]:
            best = (distance, start)
    if best is not None and best[0] <= max(1, size // 3):
        return quoted[best[1] : best[1] + size]
    return quoted


def _widen(text: str, start: int, end: int, dictionary: Dictionary) -> tuple[int, int]:
    best: tuple[int, int] | None = None
    for begin in range(max(0, start - 6), start + 1):
        for finish in range(max(end, begin + 2), min(len(text), begin + 8) + 1):
            if (
                begin > start
                or finish < end
                or (begin == start and finish == end and end - start < 2)
            ):
                continue
            word = text[begin:finish]
            longer = best is None or finish - begin > best[1] - best[0]
            if longer and _is_han(word) and dictionary.is_common_word(word):
                best = (begin, finish)
    if best is not None:
        return best
    return max(0, start - 2), min(len(text), end + 2)
