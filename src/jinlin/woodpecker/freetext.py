"""Understand an error report written as free text, the way readers write WeChat messages.

SPEC 纠错有奖: "the system extracts newspaper, page, title and error from the text where it can".
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Literal

ContactKind = Literal["phone", "email", "wechat"]
_Span = tuple[int, int]

# A WeChat message is short; past this the text is not read (bounds the work on hostile input).
MAX_MESSAGE_CHARS = 4000


@dataclass
class ParsedReport:
    """What could be read from a message; every field is None when the message does not say."""

    publication: str | None = None  # one of the known names, as catalogued
    issue_year: int | None = None
    issue_month: int | None = None
    issue_day: int | None = None
    issue_number: int | None = None
    page: int | None = None
    title: str | None = None
    quoted: str | None = None  # the text as printed
    correction: str | None = None  # what it should read
    correction_hint: str | None = None  # the fix described instead: "少了一个‘未’字"
    explanation: str | None = None  # the rest of the message
    signature: str | None = None
    signature_is_nickname: bool | None = None  # True for (昵称) or 昵称：, False for 姓名：
    contact: str | None = None
    contact_kind: ContactKind | None = None

    @property
    def found(self) -> tuple[str, ...]:
        """Names of the fields that hold a value, in field order."""
        return tuple(field.name for field in fields(self) if getattr(self, field.name) is not None)


def parse_report_text(text: str, publications: Iterable[str] = ()) -> ParsedReport:
    """Read a reader's message. Never raises; reads at most MAX_MESSAGE_CHARS characters.

    `publications` are the catalogued names; a shortened form ("晨报") counts when it can
    only mean one of them. Values are cut from the message as the reader typed them, except
    numbers (Chinese numerals are read) and the publication (its catalogued name).
    """
    scan = _Scan(text[:MAX_MESSAGE_CHARS])
    report = ParsedReport()
    names = _publication_variants(publications)
    _read_title(scan, names, report)
    _read_error(scan, report)
    contact_spans = _read_contact(scan, report)
    _read_publication(scan, names, report)
    _read_issue_and_page(scan, report)
    _read_date(scan, report)
    _read_signature(scan, report, contact_spans)
    report.explanation = _read_rest(scan)
    return report


def chinese_number(text: str) -> int | None:
    """The value of ASCII digits or Chinese numerals: "12", "十二", "二十", "一百零三", "二〇二二".

    By hand rather than cn2an: pages, days and issue numbers need a dozen lines, not a dependency.
    """
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= 9 else None
    if all(char in _NUMERAL_DIGITS for char in text):
        return int("".join(str(_NUMERAL_DIGITS[char]) for char in text)) if len(text) <= 9 else None
    total = 0
    current: int | None = None
    for char in text:
        if char in _NUMERAL_DIGITS:
            current = _NUMERAL_DIGITS[char]
        elif char in _NUMERAL_UNITS:
            total += (1 if current is None else current) * _NUMERAL_UNITS[char]
            current = None
        else:
            return None
    return total + (current or 0)


_NUMERAL_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_NUMERAL_UNITS = {"十": 10, "百": 100}

# Consumed parts of the message are overwritten with this in the working copy. The working
# copy turns every control character into a space, so it never comes from the reader.
_GONE = "\x1f"


class _Scan:
    """The message and a working copy of equal length: full-width ASCII folded to half-width,
    spaces and control characters made plain spaces, consumed parts blanked out. Patterns run
    on the copy; values are cut from the original at the same positions."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.work = "".join(_fold(char) for char in text)

    def cut(self, start: int, end: int) -> str:
        return self.original[start:end].strip()

    def consume(self, start: int, end: int) -> None:
        self.work = self.work[:start] + _GONE * (end - start) + self.work[end:]


def _fold(char: str) -> str:
    code = ord(char)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if char == "\n":
        return char
    if unicodedata.category(char)[0] in "CZ":
        return " "
    return char


def _folded(text: str) -> str:
    return "".join(_fold(char) for char in text).casefold()


def _alternatives(words: str) -> str:
    """A regex alternation, longest first, so "写成了" wins over "写成"."""
    return "|".join(sorted(words.split(), key=len, reverse=True))


# Building blocks. Every repetition is bounded, so no pattern can backtrack for long.
_STOP = r"\s\x1f,，.。;；:：!！?？、“”\"‘’「」『』《》()—~"
_BARE = rf"[^{_STOP}]{{1,40}}"
_NAME_CHAR = rf"[^{_STOP}\-·@]"
_NAME = rf"{_NAME_CHAR}{{1,16}}(?: {_NAME_CHAR}{{1,16}}){{0,2}}"
_FILL = r"[^“”\"‘’「」『』《》\n\x1f。；;!！?？]{0,8}?"
_COLON = r"\s*[:：]?\s*"
_NAME_MARK = r"(?:[\s\x1f]*\((?P<mark>昵称|网名|真名|实名)\))?"
_TRAILING = r"[\s\x1f,，.。!！~]*$"


def _quoted(name: str) -> str:
    return (
        rf"(?P<{name}_q>[“”\"][^“”\"\n\x1f]{{1,200}}[“”\"]|[‘’][^‘’\n\x1f]{{1,200}}[‘’]"
        rf"|「[^「」\n\x1f]{{1,200}}」|『[^『』\n\x1f]{{1,200}}』)"
    )


def _value(name: str) -> str:
    """A value after its cue word: quoted; or after a colon, up to the end of the sentence or
    the next cue ("原文：惊回首，离天三尺三 应为：…"); or bare, up to any punctuation."""
    return (
        rf"(?:\s*(?:[:：]\s*)?{_quoted(name)}"
        rf"|\s*[:：]\s*(?P<{name}_c>{_AFTER_COLON})"
        rf"|\s*(?P<{name}_b>{_BARE}))"
    )


_WRONG_AS = _alternatives(
    "错写成 误写成 错写为 误写为 错打成 误打成 错印成 误印成 错印为 误印为 写成了 写成 "
    "打成了 打成 印成了 印成 错成 误作 误为 错为"
)
_SHOULD_BE = _alternatives(
    "应更正为 应改为 应该改为 应该是 应该为 应当是 应当为 应为 应是 应作 更正为 改为 改成 "
    "正确的是 正确的应是 正确为 正确是 当为 实为"
)
_VALUE_TAIL = " ,，、:："  # left by a reader before the next cue: "原文：…，应为：…"
_AFTER_COLON = (
    rf"(?:(?!{_SHOULD_BE}|{_WRONG_AS}|原文|原句|电话|手机|微信|邮箱|署名|1[3-9][0-9]{{9}})"
    r"[^。；;!！?？\n\x1f“”\"‘’「」『』《》—~]){1,80}"
)
_MISSING_OR_EXTRA = (
    r"(?:少了|漏了|缺了|掉了|多了|多出了?|(?:少|漏|缺|多)(?=[一两几个‘’“”\"「字词标点逗句顿]))"
)
_HINT_END = rf"(?=[，。,.;；!！?？\n\x1f—~]|{_SHOULD_BE}|$)"

_BOOK_TITLE = re.compile(r"《(?P<inner>[^《》\n\x1f]{1,80})》")
_TITLE_LABELLED = re.compile(
    rf"(?:标题|题目|题为|篇名|文章)(?:是|为|叫)?{_COLON}{_quoted('title')}"
    rf"|(?:标题|题目)\s*(?:是|为|叫|[:：])\s*[:：]?\s*(?P<title_b>{_BARE})"
)
_TITLE_BEFORE_ARTICLE_WORD = re.compile(rf"{_quoted('title')}\s*(?:一文|这篇|文章|一篇|文中|栏目)")
_TITLE_AFTER_PAGE = re.compile(rf"(?:版|期|报)\s*[:：,，]?\s*(?={_quoted('title')})")
_ANY_QUOTED = re.compile(_quoted("any"))
_ERROR_CUE = re.compile(
    rf"{_quoted('cue')}|原文|原句|{_SHOULD_BE}|{_WRONG_AS}|{_MISSING_OR_EXTRA}|错别字|错字"
)

# 把‘未’写成了‘末’; unquoted ("将未误为末") only right after 把/将, or any phrase would do.
_WRITTEN_WRONG = re.compile(
    rf"(?:(?:把|将)\s*)?(?:{_quoted('right')}\s*{_FILL}|(?<=[把将])(?P<right_b>{_BARE})\s*)"
    rf"(?:{_WRONG_AS}){_value('printed')}"
)
_SHOULD_READ = re.compile(rf"{_quoted('printed')}\s*{_FILL}(?:{_SHOULD_BE}){_value('fix')}")
_DESCRIBED_FIX = re.compile(
    rf"{_quoted('printed')}\s*{_FILL}"
    rf"(?P<hint>{_MISSING_OR_EXTRA}[^，。,.;；!！?？\n\x1f—~]{{0,12}}?){_HINT_END}"
)
_AS_PRINTED = re.compile(
    rf"(?:(?:原文|原句|原稿|报上|报纸上)(?:是|为|写的?是|写着|作)?|{_WRONG_AS})"
    rf"{_value('printed')}"
)
_FIX_ALONE = re.compile(rf"(?:{_SHOULD_BE}){_value('fix')}")
_HINT_ALONE = re.compile(
    rf"(?:少了|漏了|缺了|多了|多出了?)\s*(?:一个|两个|个|一)?\s*(?:{_quoted('char')})?"
    r"\s*(?:字|词|标点符号|标点|逗号|句号|顿号|引号)"
)

_CONTACTS: tuple[tuple[ContactKind, re.Pattern[str]], ...] = (
    (
        "wechat",
        re.compile(
            r"(?:微信号|微信|wx|vx|wechat)\s*(?:是|为|号)?\s*[:：]?\s*"
            r"(?P<value>1[3-9][0-9]{9}(?![0-9])|[A-Za-z][-_A-Za-z0-9]{5,19}(?![-_A-Za-z0-9]))",
            re.IGNORECASE,
        ),
    ),
    (
        "phone",
        re.compile(
            r"(?:(?:联系电话|电话号码|手机号码|手机号|联系方式|手机|电话|tel)\s*[:：]?\s*)?"
            r"(?<![0-9])(?:\+?86[\s-]?)?"
            r"(?P<value>1[3-9][0-9][\s-]?[0-9]{4}[\s-]?[0-9]{4})(?![0-9])",
            re.IGNORECASE,
        ),
    ),
    (
        "email",
        re.compile(
            r"(?:(?:邮箱|电子邮件|电邮|e-?mail)\s*[:：]?\s*)?"
            r"(?P<value>[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,4}"
            r"\.[A-Za-z]{2,24})(?![A-Za-z0-9.-])",
            re.IGNORECASE,
        ),
    ),
)
_CONTACT_PREFERENCE: tuple[ContactKind, ...] = ("phone", "email", "wechat")

_CN_SMALL = r"[一二三四五六七八九十两]{1,3}"
_ISSUE = re.compile(
    r"总?第\s*(?P<number>[0-9]{1,5}|[〇零一二三四五六七八九十百两]{1,6})\s*期"
    r"|(?<![0-9])(?P<digits>[0-9]{1,5})\s*期(?!间|待|望|限|盼)"
)
_PAGE = re.compile(
    rf"头版|第\s*[A-Da-d]?(?P<number>[0-9]{{1,2}}|{_CN_SMALL})\s*(?:版面?|页)"
    rf"|(?<![0-9A-Za-z哪每某几])[A-Da-d]?(?P<bare>[0-9]{{1,2}}|{_CN_SMALL})\s*(?:版|页)(?!本|权|式|税|次)"
)
_DATE_WRITTEN = re.compile(
    r"(?:(?P<year>[0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*)?"
    r"(?<![0-9])(?P<month>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月份?"
    r"(?:\s*(?P<day>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])?"
)
_DATE_NUMERIC = re.compile(
    r"(?<![0-9.])(?:(?P<year>[0-9]{4})(?P<sep>[./-])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
    r"|(?P<short_month>[0-9]{1,2})[./](?P<short_day>[0-9]{1,2}))(?![0-9%万元亿倍米]|\.[0-9])"
)

_SIGNED_WITH_LABEL = re.compile(
    r"(?P<label>署名|落款|签名|联系人|昵称|网名|微信名|真实姓名|姓名|真名|名字)\s*(?:是|为)?\s*[:：]\s*"
    rf"(?P<name>{_NAME}){_NAME_MARK}"
)
_SIGNED_AFTER_DASH = re.compile(
    rf"(?:—{{1,3}}|–{{1,3}}|-{{2,4}}|~{{1,3}})[\s\x1f]*(?P<name>{_NAME}){_NAME_MARK}{_TRAILING}"
)
# Unlabelled signatures: nothing consumed may sit inside their line or between them and the contact.
_SIGNED_ALONE = re.compile(rf"\s*(?P<name>{_NAME}){_NAME_MARK}[\s,，.。!！~]*")
_SIGNED_BEFORE_CONTACT = re.compile(
    rf"(?:^|[\s\x1f,，.。;；!！?？])(?P<name>{_NAME}){_NAME_MARK}[\s:：,，]*$"
)
_MAX_LOOSE_SIGNATURE_CHARS = 12
_NOT_A_NAME = re.compile(r"(?:谢谢|感谢|多谢|辛苦|您好|你好|此致|敬礼|麻烦|祝).*")
_NICKNAME_WORDS = {"昵称", "网名", "微信名"}
_REAL_NAME_WORDS = {"真实姓名", "姓名", "真名", "实名"}

_PIECE = re.compile(r"[^\x1f\n]+")
_PIECE_EDGES = " \t\r\u3000,，.。;；:：!！?？、—-－~～"
_FILLER = re.compile(
    r"(?:在|我|我们)?(?:发现|看到)?"
    r"(?:一文中?|文中|这篇文章中?|文章中?|篇中|中的?|里的?|的|有一?[个处]?(?:错别字|错字|错误|错)"
    r"|错别字|错误|原文|原句|一句|这句话?|你好|您好|编辑(?:老师)?(?:你好|您好)?|谢谢|感谢){1,3}"
)
_MAX_FILLER_CHARS = 12


def _span_of(match: re.Match[str], name: str) -> _Span | None:
    """The inner span of a value captured by _quoted() or _value() under `name`."""
    groups = match.groupdict()
    if groups.get(f"{name}_q") is not None:
        start, end = match.span(f"{name}_q")
        return start + 1, end - 1
    for kind in ("c", "b"):
        if groups.get(f"{name}_{kind}") is not None:
            start, end = match.span(f"{name}_{kind}")
            while end > start and match.string[end - 1] in _VALUE_TAIL:
                end -= 1
            return start, end
    return None


def _take(scan: _Scan, match: re.Match[str], name: str) -> str | None:
    span = _span_of(match, name)
    if span is None:
        return None
    return scan.cut(*span) or None


def _publication_variants(publications: Iterable[str]) -> list[tuple[str, str]]:
    """(how a reader may write it, catalogued name), longest first, unambiguous ones only.

    A name stands for itself; a name ending in 报 or 刊 also for its endings of two or more
    characters ("社区晨报" → "晨报") and for itself without "社区" ("新泾社区报" → "新泾报").
    """
    meanings: dict[str, set[str]] = {}
    exact: dict[str, str] = {}
    for catalogued in publications:
        name = _folded(catalogued.strip())
        if not name:
            continue
        exact.setdefault(name, catalogued)
        forms = {name}
        if name[-1] in "报刊":
            forms |= {name[start:] for start in range(len(name) - 1)}
            if len(name.replace("社区", "")) >= 2:
                forms.add(name.replace("社区", ""))
        for form in forms:
            meanings.setdefault(form, set()).add(catalogued)
    variants = [
        (form, exact[form] if form in exact else next(iter(names)))
        for form, names in meanings.items()
        if form in exact or len(names) == 1
    ]
    return sorted(variants, key=lambda pair: (-len(pair[0]), pair[0]))


def _read_title(scan: _Scan, names: Sequence[tuple[str, str]], report: ParsedReport) -> None:
    """《》 naming a publication is the publication. The title is the earliest of: the first
    other 《》, a labelled quote (标题“…”), a quote followed by 一文/文章; failing those, a
    quote right after the page or issue when the error is given later."""
    candidates: list[tuple[_Span, _Span]] = []  # (what to consume, the title's own span)
    for book in list(_BOOK_TITLE.finditer(scan.work)):
        inner = _folded(scan.cut(*book.span("inner")))
        publication = next((name for form, name in names if form == inner), None)
        if publication and report.publication is None:
            report.publication = publication
            scan.consume(*book.span())
        elif not candidates:
            candidates.append((book.span(), book.span("inner")))
    for pattern in (_TITLE_LABELLED, _TITLE_BEFORE_ARTICLE_WORD):
        match = pattern.search(scan.work)
        if match and (value := _span_of(match, "title")):
            candidates.append((match.span(), value))
    if not candidates and (quote := _quote_after_page(scan.work)):
        candidates.append((quote.span(), (quote.start() + 1, quote.end() - 1)))
    for whole, value in sorted(candidates):
        if title := scan.cut(*value):
            report.title = title
            scan.consume(*whole)
            return


def _quote_after_page(work: str) -> re.Match[str] | None:
    """A quote right after 版/期/报 that does not start the error, with the error given later."""
    for after in _TITLE_AFTER_PAGE.finditer(work):
        quote = _ANY_QUOTED.match(work, after.end())
        if (
            quote is not None
            and not _starts_an_error(work, quote.start())
            and _ERROR_CUE.search(work, quote.end()) is not None
        ):
            return quote
    return None


def _starts_an_error(work: str, position: int) -> bool:
    return any(
        pattern.match(work, position) is not None
        for pattern in (_WRITTEN_WRONG, _SHOULD_READ, _DESCRIBED_FIX)
    )


def _read_error(scan: _Scan, report: ParsedReport) -> None:
    """The printed text, the correction and a described fix, from the usual phrasings."""
    if match := _WRITTEN_WRONG.search(scan.work):
        report.quoted = _take(scan, match, "printed")
        report.correction = _take(scan, match, "right")
        scan.consume(*match.span())
    if report.quoted is None and (match := _SHOULD_READ.search(scan.work)):
        report.quoted = _take(scan, match, "printed")
        report.correction = report.correction or _take(scan, match, "fix")
        scan.consume(*match.span())
    if report.quoted is None and (match := _DESCRIBED_FIX.search(scan.work)):
        report.quoted = _take(scan, match, "printed")
        report.correction_hint = scan.cut(*match.span("hint")) or None
        scan.consume(*match.span())
    if report.quoted is None and (match := _AS_PRINTED.search(scan.work)):
        report.quoted = _take(scan, match, "printed")
        scan.consume(*match.span())
    if report.correction is None and (match := _FIX_ALONE.search(scan.work)):
        report.correction = _take(scan, match, "fix")
        scan.consume(*match.span())
    if report.correction_hint is None and (match := _HINT_ALONE.search(scan.work)):
        report.correction_hint = scan.cut(*match.span()) or None
        scan.consume(*match.span())
    if report.quoted is None and (match := _ANY_QUOTED.search(scan.work)):
        report.quoted = _take(scan, match, "any")
        scan.consume(*match.span())


def _read_contact(scan: _Scan, report: ParsedReport) -> list[_Span]:
    """Every contact is taken out of the text; the first phone, else email, else WeChat ID is
    kept. Returns where they all were, for a signature written next to one."""
    found: dict[ContactKind, str] = {}
    spans: list[_Span] = []
    for kind, pattern in _CONTACTS:
        for match in list(pattern.finditer(scan.work)):
            found.setdefault(kind, scan.cut(*match.span("value")))
            spans.append(match.span())
            scan.consume(*match.span())
    for kind in _CONTACT_PREFERENCE:
        if kind in found:
            report.contact, report.contact_kind = found[kind], kind
            break
    return spans


def _read_publication(scan: _Scan, names: Sequence[tuple[str, str]], report: ParsedReport) -> None:
    if report.publication is not None:
        return
    quoted = _quoted_spans(scan.work)
    for form, name in names:
        for match in re.finditer(re.escape(form), scan.work, re.IGNORECASE):
            if _outside(match, quoted):
                report.publication = name
                scan.consume(*match.span())
                return


def _quoted_spans(work: str) -> list[_Span]:
    return [match.span() for match in (*_ANY_QUOTED.finditer(work), *_BOOK_TITLE.finditer(work))]


def _outside(match: re.Match[str], spans: Sequence[_Span]) -> bool:
    return all(match.end() <= start or end <= match.start() for start, end in spans)


def _read_issue_and_page(scan: _Scan, report: ParsedReport) -> None:
    """Issue number (第256期) and page (第3版, 三版, 头版), never from inside quotes."""
    quoted = _quoted_spans(scan.work)
    for issue in _ISSUE.finditer(scan.work):
        number = chinese_number(issue.group("number") or issue.group("digits"))
        if number and _outside(issue, quoted):
            report.issue_number = number
            scan.consume(*issue.span())
            break
    for page in _PAGE.finditer(scan.work):
        digits = page.group("number") or page.group("bare")
        number = 1 if digits is None else chinese_number(digits)  # 头版 is page 1
        if number is not None and 1 <= number <= 99 and _outside(page, quoted):
            report.page = number
            scan.consume(*page.span())
            return


def _read_date(scan: _Scan, report: ParsedReport) -> None:
    """The first date outside quotes: 2022年10月12日, 十月十二日, 10.12, 10/12, 2022-10-12.

    A month alone counts (a monthly issue) with a year, with 份, or in digits: "2022年10月",
    "十月份", "10月"; a bare "十月" is too often part of a title ("十月红").
    """
    quoted = _quoted_spans(scan.work)
    candidates: list[tuple[re.Match[str], str | None, str, str | None]] = []
    for match in _DATE_WRITTEN.finditer(scan.work):
        month = match.group("month")
        if match.group("day") or match.group("year") or month.isascii() or "份" in match.group():
            candidates.append((match, match.group("year"), month, match.group("day")))
    for match in _DATE_NUMERIC.finditer(scan.work):
        month = match.group("month") or match.group("short_month")
        candidates.append(
            (match, match.group("year"), month, match.group("day") or match.group("short_day"))
        )
    for match, year_text, month_text, day_text in sorted(candidates, key=lambda c: c[0].start()):
        year = chinese_number(year_text) if year_text else None
        month = chinese_number(month_text)
        day = chinese_number(day_text) if day_text else None
        if _is_date(year, month, day) and _outside(match, quoted):
            report.issue_year, report.issue_month, report.issue_day = year, month, day
            scan.consume(*match.span())
            return


def _is_date(year: int | None, month: int | None, day: int | None) -> bool:
    if year is not None and not 1949 <= year <= 2100:
        return False
    if month is None or not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _read_signature(scan: _Scan, report: ParsedReport, contact_spans: Sequence[_Span]) -> None:
    """Signed as 署名：X / 昵称：X, after a dash at the end (—— X), or, short and unlabelled,
    next to a contact at the end (小飞 138…, 138… 小飞) or alone on the last line."""
    work = scan.work
    for start, end in contact_spans:
        work = work[:start] + " " * (end - start) + work[end:]
    work = work.rstrip()
    match = _SIGNED_WITH_LABEL.search(work) or _SIGNED_AFTER_DASH.search(work.rstrip(_GONE))
    if match is None and any(end >= len(work) for _, end in contact_spans):
        match = _loose(_SIGNED_BEFORE_CONTACT.search(work))
    for _, end in contact_spans if match is None else ():
        if end < len(work) and (match := _loose(_SIGNED_ALONE.fullmatch(work, end))):
            break
    if match is None and "\n" in work.strip():
        last_line = work.rfind("\n") + 1
        match = _loose(_SIGNED_ALONE.fullmatch(work, last_line))
    if match is None:
        return
    name = scan.cut(*match.span("name"))
    if name.startswith("读者") and len(name) > 2:
        name = name[2:].strip()
    if not any(char.isalpha() for char in name) or _NOT_A_NAME.fullmatch(name):
        return
    report.signature = name
    mark = match.group("mark") or match.groupdict().get("label")
    if mark in _NICKNAME_WORDS:
        report.signature_is_nickname = True
    elif mark in _REAL_NAME_WORDS:
        report.signature_is_nickname = False
    scan.consume(*match.span())


def _loose(match: re.Match[str] | None) -> re.Match[str] | None:
    """A signature found without a label or dash must be short to be believed."""
    if match is None or len(match.group("name")) > _MAX_LOOSE_SIGNATURE_CHARS:
        return None
    return match


def _read_rest(scan: _Scan) -> str | None:
    """What nobody claimed, minus greetings and connecting words, pieces joined by "，"."""
    pieces: list[str] = []
    for match in _PIECE.finditer(scan.work):
        piece = scan.original[match.start() : match.end()].strip(_PIECE_EDGES)
        if sum(char.isalnum() for char in piece) < 2:
            continue
        if len(piece) <= _MAX_FILLER_CHARS and _FILLER.fullmatch(piece):
            continue
        pieces.append(piece)
    return "，".join(pieces) or None
