"""Fixtures of the woodpecker tests: a small catalogue (社区晨报 and 新泾社区报, September and
October 2022), a frozen clock in Shanghai, helpers to submit and judge reports.

The shared cast (tests/conftest.py) gives the personas: `editor`, `secretary`, `worker_in`,
`admin`, and the anonymous `client`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from jinlin.woodpecker import services
from jinlin.woodpecker.models import Article, Issue, Page, Publication, Report, Round

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Friday 21 October 2022, 10:00 in Shanghai: October's round is open, September's closed.
NOW = datetime(2022, 10, 21, 10, 0, tzinfo=SHANGHAI)

OCTOBER_POEM = (
    "十月红\n"
    "惊回首，离天三尺三。\n"
    "快马加鞭未下鞍。\n"
    "山，倒海翻江卷巨澜。\n"
    "绿园八村的志愿者们在重阳节前走进独居老人家中，送去了热腾腾的重阳糕。"
)
SEPTEMBER_STORY = (
    "九月九日上午，新泾镇绿八居民区在社区活动中心举办“邻里一家亲”中秋联欢会。"
    "八十多位居民参加了活动，居委会主任沈建华为大家介绍了今年的垃圾分类工作。"
    "活动最后，居民们一起包了饺子，现场气氛热烈。"
)


@dataclass
class Catalogue:
    morning: Publication  # 社区晨报
    xinjing: Publication  # 新泾社区报
    october: Issue  # 社区晨报 第120期, 2022-10-12
    october_page: Page  # its page 3
    poem: Article  # 《十月红》 on page 3
    september: Issue  # 新泾社区报 第256期, 2022-09-14
    september_page: Page
    story: Article  # 《邻里一家亲》
    october_round: Round
    september_round: Round


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty local cache (rate-limit counters are database rows and
    go with each test's transaction)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    """The clock at NOW (ticking), for tests that do not move it themselves."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def catalogue(db, editor) -> Catalogue:
    morning = services.publication_save(actor=editor, name="社区晨报")
    xinjing = services.publication_save(actor=editor, name="新泾社区报")
    october = services.issue_save(
        actor=editor, publication=morning, number=120, published_on=date(2022, 10, 12)
    )
    for number, name in ((1, "要闻"), (2, "社区"), (3, "副刊"), (4, "生活")):
        page = services.page_save(actor=editor, issue=october, number=number, name=name)
    october_page = Page.objects.get(issue=october, number=3)
    poem = services.article_save(
        actor=editor,
        page=october_page,
        title="十月红",
        author="林晓",
        section="诗苑",
        text=OCTOBER_POEM,
    )
    services.article_save(
        actor=editor, page=october_page, title="重阳糕里的邻里情", text="重阳节那天，楼组长王阿姨……"
    )
    september = services.issue_save(
        actor=editor, publication=xinjing, number=256, published_on=date(2022, 9, 14)
    )
    september_page = services.page_save(actor=editor, issue=september, number=2, name="社区")
    story = services.article_save(
        actor=editor, page=september_page, title="邻里一家亲", text=SEPTEMBER_STORY
    )
    del page
    return Catalogue(
        morning=morning,
        xinjing=xinjing,
        october=october,
        october_page=october_page,
        poem=poem,
        september=september,
        september_page=september_page,
        story=story,
        october_round=october.round,
        september_round=september.round,
    )


def report_input(catalogue: Catalogue, **overrides) -> services.ReportInput:
    """A well-formed report on 《十月红》, changed by `overrides`."""
    fields = {
        "issue_id": catalogue.october.pk,
        "page_number": 3,
        "article_id": catalogue.poem.pk,
        "quoted": "快马加鞭下鞍",
        "correction": "快马加鞭未下鞍",
        "explanation": "少了一个“未”字",
        "reader_name": "小飞",
        "is_nickname": False,
        "contact": "13812345678",
    }
    fields.update(overrides)
    return services.ReportInput(**fields)


def submit(catalogue: Catalogue, *, at: datetime | None = None, **overrides) -> Report:
    return services.report_submit(data=report_input(catalogue, **overrides), now=at or NOW)


def in_september(catalogue: Catalogue, minutes: int, **overrides) -> Report:
    """A report on the September story, `minutes` after 15 September 08:00 (the round open)."""
    at = datetime(2022, 9, 15, 8, 0, tzinfo=SHANGHAI) + timedelta(minutes=minutes)
    fields = {
        "issue_id": catalogue.september.pk,
        "page_number": 2,
        "article_id": catalogue.story.pk,
        "quoted": "八十多位居民",
        "correction": "八十余位居民",
    }
    fields.update(overrides)
    return services.report_submit(data=report_input(catalogue, **fields), now=at)
