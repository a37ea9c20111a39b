"""Reads of the proofreading pass: the confusion set learned from confirmed reports and accepted
flags, and each article's flags with the editors' earlier decisions applied (dismissed ones
stay away, accepted ones are marked)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from jinlin.woodpecker import proofread
from jinlin.woodpecker.models import (
    Article,
    Issue,
    ProofreadDecision,
    ProofreadVerdict,
    Report,
    ReportStatus,
)
from jinlin.woodpecker.proofread import ArticleText, Confusion, Flag

# Accepted flags of these kinds are word-level lessons; punctuation, dates and drafts are not.
LEARNABLE_KINDS = ("confusion", "expression", "term")
# A pasted text's key in the pass (it has no article).
PASTED = "pasted"

DecisionKey = tuple[str, str, str]


@dataclass(frozen=True)
class ShownFlag:
    flag: Flag
    context: str
    verdict: str  # "" while undecided, else ProofreadVerdict.ACCEPTED
    number: int


@dataclass(frozen=True)
class Segment:
    text: str
    shown: ShownFlag | None = None


@dataclass(frozen=True)
class ProofreadArticle:
    article: Article | None
    text: str
    flags: list[ShownFlag]
    segments: list[Segment]
    dismissed: int

    @property
    def open_count(self) -> int:
        return sum(1 for shown in self.flags if not shown.verdict)


def learned_confusions() -> list[Confusion]:
    """What confirmed reports (有效) and accepted flags teach: each report's wrong and right text
    of its passage, the latest lesson first for one wrong form."""
    lessons: dict[str, Confusion] = {}
    reports = (
        Report.objects.filter(status=ReportStatus.VALID)
        .order_by("-judged_at", "-id")
        .values_list("receipt", "quoted", "correction")
    )
    for receipt, quoted, correction in reports:
        learned = proofread.learn_confusion(quoted, correction)
        if learned is not None and learned.wrong not in lessons:
            lessons[learned.wrong] = replace(
                learned, reason=f"读者纠错（{receipt}）已确认：应为“{learned.right}”"
            )
    accepted = ProofreadDecision.objects.filter(
        verdict=ProofreadVerdict.ACCEPTED, kind__in=LEARNABLE_KINDS
    ).values_list("wrong", "suggestion")
    dictionary = proofread.default_dictionary()
    for wrong, suggestion in accepted:
        if (
            wrong not in lessons
            and len(wrong) >= 2
            and suggestion
            and not dictionary.is_common_word(wrong)
        ):
            lessons[wrong] = Confusion(
                wrong, suggestion, f"编辑曾采纳的校对意见：应为“{suggestion}”"
            )
    return list(lessons.values())


def _decisions(articles: list[Article] | None) -> dict[int | None, dict[DecisionKey, str]]:
    if articles is None:
        rows = ProofreadDecision.objects.filter(article__isnull=True)
    else:
        rows = ProofreadDecision.objects.filter(article__in=articles)
    found: dict[int | None, dict[DecisionKey, str]] = {}
    for article_id, context, wrong, suggestion, verdict in rows.order_by("decided_at").values_list(
        "article_id", "context", "wrong", "suggestion", "verdict"
    ):
        found.setdefault(article_id, {})[(context, wrong, suggestion)] = verdict
    return found


def _shown(
    article: Article | None, text: str, flags: list[Flag], decisions: dict[DecisionKey, str]
) -> ProofreadArticle:
    shown: list[ShownFlag] = []
    dismissed = 0
    for flag in flags:
        context = proofread.flag_context(text, flag)
        verdict = decisions.get((context, flag.text, flag.suggestion), "")
        if verdict == ProofreadVerdict.DISMISSED:
            dismissed += 1
            continue
        shown.append(ShownFlag(flag, context, verdict, len(shown) + 1))
    return ProofreadArticle(article, text, shown, segments(text, shown), dismissed)


def segments(text: str, flags: list[ShownFlag]) -> list[Segment]:
    """The text cut into plain runs and flagged runs, for marking the flags inline."""
    parts: list[Segment] = []
    position = 0
    for shown in sorted(flags, key=lambda s: s.flag.start):
        if shown.flag.start < position:
            continue
        if shown.flag.start > position:
            parts.append(Segment(text[position : shown.flag.start]))
        parts.append(Segment(text[shown.flag.start : shown.flag.end], shown))
        position = shown.flag.end
    if position < len(text):
        parts.append(Segment(text[position:]))
    return parts


def proofread_pasted(text: str, *, issue_date: date | None = None) -> ProofreadArticle:
    """A pasted or uploaded text, against the lessons learned so far."""
    flags = proofread.proofread(text, confusions=learned_confusions(), issue_date=issue_date)
    return _shown(None, text, flags, _decisions(None).get(None, {}))


def proofread_articles(issue: Issue, articles: list[Article]) -> list[ProofreadArticle]:
    """The pass over articles of one issue (names compared across them), in the given order."""
    found = proofread.proofread_issue(
        [ArticleText(article.pk, article.text) for article in articles],
        confusions=learned_confusions(),
        issue_date=issue.published_on,
    )
    decisions = _decisions(articles)
    return [
        _shown(article, article.text, found[article.pk], decisions.get(article.pk, {}))
        for article in articles
    ]


def proofread_issue(issue: Issue) -> list[ProofreadArticle]:
    """Every catalogued article of an issue, in page order."""
    articles = list(
        Article.objects.filter(page__issue=issue)
        .select_related("page")
        .order_by("page__number", "id")
    )
    return proofread_articles(issue, articles)


def proofread_article(article: Article) -> ProofreadArticle:
    """One article in the pass over its whole issue (so that names are compared across it)."""
    issue = article.page.issue
    for result in proofread_issue(issue):
        if result.article is not None and result.article.pk == article.pk:
            return result
    return proofread_articles(issue, [article])[0]


def issues_numbered(number: int, publication: str = "") -> list[Issue]:
    """Issues with this number (期号), of the publications whose name holds `publication`."""
    issues = Issue.objects.select_related("publication").filter(number=number)
    if publication:
        issues = issues.filter(publication__name__contains=publication)
    return list(issues.order_by("publication__name")[:5])
