"""Proofreading before print: precision and recall on tests/data/proofread, and the pass's speed.

Precision = flags that overlap a gold error / all flags; recall = gold errors overlapped by a
flag / all gold errors. Figures for the development part (the rules were tuned on it), the
held-out part (written afterwards, scored as it came) and all; then after one confirmed report
(参于 → 参与) is learned. Speed: the pass over every article (dictionary already loaded), and
the one-off dictionary load. Baseline, in the same run: jieba's own segmentation of the same
texts (`jieba.lcut`), the cheapest thing any Chinese text tool does with them.

    python bench/proofread.py            # (--quick is the same; the set is small)
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.parse_args()

    started = time.perf_counter()
    from jinlin.woodpecker import proofread

    proofread.default_dictionary()
    load_ms = (time.perf_counter() - started) * 1000

    from tests.woodpecker.test_proofread_eval import evaluate, figures, load_articles

    for part in ("development", "held-out", ""):
        score = evaluate(part=part)
        print(figures(score, part or "all"))
        for article_id, error in score.missed:
            print(f"    missed {article_id}: {error}")
        for article_id, flag in score.false_flags:
            print(f"    false flag {article_id}: {flag}")
    lesson = proofread.learn_confusion("大家参于热情很高", "大家参与热情很高")
    print(figures(evaluate([lesson] if lesson else []), "all, after one confirmed report"))

    articles = load_articles()
    proofread.proofread("预热。")  # the indexes of the fixed expressions, built once
    characters = sum(len(article["text"]) for article in articles)
    started = time.perf_counter()
    for article in articles:
        proofread.proofread(article["text"], issue_date=date.fromisoformat(article["issue_date"]))
    pass_ms = (time.perf_counter() - started) * 1000

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    started = time.perf_counter()
    for article in articles:
        jieba.lcut(article["text"])
    baseline_ms = (time.perf_counter() - started) * 1000
    print(
        f"pass: {len(articles)} articles, {characters} characters in {pass_ms:.0f} ms "
        f"({pass_ms / characters * 1000:.0f} ms per 1,000 characters); "
        f"baseline jieba.lcut {baseline_ms:.0f} ms; ratio {pass_ms / baseline_ms:.1f}×; "
        f"dictionary load {load_ms:.0f} ms once per process"
    )


if __name__ == "__main__":
    main()
