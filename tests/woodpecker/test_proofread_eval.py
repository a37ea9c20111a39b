"""Precision and recall of the proofreading pass on tests/data/proofread/articles.json: short
community-news articles with real-style and planted errors (gold annotations) and clean ones.

A flag is right when it overlaps a gold error; an error is found when a flag overlaps it. The
figures are recorded in docs/performance.md (`python bench/proofread.py`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinlin.woodpecker import proofread
from jinlin.woodpecker.proofread import Confusion

DATA = Path(__file__).resolve().parents[1] / "data" / "proofread" / "articles.json"

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.75


@dataclass
class Score:
    articles: int
    errors: int
    flags: int
    right_flags: int
    found: int
    false_flags: list[tuple[str, str]]
    missed: list[tuple[str, str]]

    @property
    def precision(self) -> float:
        return self.right_flags / self.flags if self.flags else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.errors if self.errors else 1.0


def load_articles() -> list[dict]:
    return json.loads(DATA.read_text("utf-8"))["articles"]


def gold_spans(article: dict) -> list[tuple[int, int, dict]]:
    spans = []
    for error in article["errors"]:
        context = error.get("context") or error["text"]
        start = article["text"].index(context) + context.index(error["text"])
        spans.append((start, start + len(error["text"]), error))
    return spans


def evaluate(confusions: Sequence[Confusion] = (), *, part: str = "") -> Score:
    """The figures over the whole set, or over one part of it: "development" (the articles the
    rules were tuned on) or "held-out" (written afterwards and scored once, as they came)."""
    articles = [a for a in load_articles() if not part or a["set"] == part]
    score = Score(len(articles), 0, 0, 0, 0, [], [])
    for article in articles:
        flags = proofread.proofread(
            article["text"],
            confusions=confusions,
            issue_date=date.fromisoformat(article["issue_date"]),
        )
        gold = gold_spans(article)
        score.errors += len(gold)
        score.flags += len(flags)
        hit: set[int] = set()
        for flag in flags:
            matched = [n for n, (s, e, _) in enumerate(gold) if flag.start < e and s < flag.end]
            if matched:
                score.right_flags += 1
                hit.update(matched)
            else:
                score.false_flags.append((article["id"], f"{flag.text}→{flag.suggestion}"))
        score.found += len(hit)
        score.missed += [
            (article["id"], error["text"]) for n, (_, _, error) in enumerate(gold) if n not in hit
        ]
    return score


def test_the_data_set_is_well_formed():
    articles = load_articles()
    assert len(articles) >= 30
    assert {a["set"] for a in articles} == {"development", "held-out"}
    assert sum(1 for a in articles if not a["errors"]) >= 10  # clean ones
    for article in articles:
        for start, end, error in gold_spans(article):
            assert article["text"][start:end] == error["text"]


def figures(score: Score, label: str) -> str:
    return (
        f"{label}: {score.articles} articles, {score.errors} errors, {score.flags} flags; "
        f"precision {score.precision:.3f}, recall {score.recall:.3f}"
    )


def test_precision_and_recall_on_the_data_set_stay_above_their_floors():
    score = evaluate()
    print()
    for part in ("development", "held-out"):
        print(figures(evaluate(part=part), part))
    print(figures(score, "all"))
    assert score.precision >= PRECISION_FLOOR, score.false_flags
    assert score.recall >= RECALL_FLOOR, score.missed


def test_a_confirmed_report_raises_recall_on_articles_that_repeat_its_mistake():
    before = evaluate()
    lesson = proofread.learn_confusion("大家参于热情很高", "大家参与热情很高")
    assert lesson is not None
    after = evaluate([lesson])
    assert after.found == before.found + 1
    assert after.precision >= before.precision
