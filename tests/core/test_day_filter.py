"""Dates and truncated texts on the pages. Dates: 12月17日 this year, with the year otherwise
(issue 12: on 12月4日 a bare 12月17日 read as the future when it meant last year)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.template import Context, Template
from django.utils.text import Truncator
from hypothesis import given
from hypothesis import strategies as st

from jinlin.core.templatetags.jinlin import day, truncate_chars

SHANGHAI = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI))
def test_a_day_of_another_year_shows_its_year():
    assert day(date(2026, 12, 17)) == "12月17日"
    assert day(date(2025, 12, 17)) == "2025年12月17日"
    assert day(date(2027, 1, 3)) == "2027年1月3日"
    assert day(None) == ""


@time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI))
def test_a_moment_is_shown_in_shanghai_time_with_its_time_when_asked():
    # 2025-12-31 17:30 UTC is 2026-01-01 01:30 in Shanghai: this year there.
    moment = datetime(2025, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
    assert day(moment) == "1月1日"
    assert day(moment, "H:i") == "1月1日 01:30"


@time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI))
def test_every_template_has_the_filter():
    rendered = Template("{{ when|day }}").render(Context({"when": date(2025, 12, 17)}))
    assert rendered == "2025年12月17日"


def test_the_year_turns_at_midnight_in_shanghai_not_later():
    """The year is worked out once a year (this_year): a day shown just after midnight on
    1 January must already count the new year, and just before it the old one."""
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI), tick=False):
        assert day(date(2026, 3, 1)) == "3月1日"
        assert day(date(2027, 3, 1)) == "2027年3月1日"
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert day(date(2026, 3, 1)) == "2026年3月1日"
        assert day(date(2027, 3, 1)) == "3月1日"
    with time_machine.travel(datetime(2026, 6, 1, 12, 0, tzinfo=SHANGHAI), tick=False):
        assert day(date(2027, 3, 1)) == "2027年3月1日"  # travelling back is seen too


@given(
    st.text(alphabet=st.sampled_from("居民楼道灯坏了 ab\u0301\u0308é…\n"), max_size=60),
    st.integers(min_value=-2, max_value=50),
)
def test_truncation_gives_what_djangos_truncator_gives(text, length):
    """`|truncatechars` and rows.py's truncate_chars: Django's results (combining accents,
    texts of exactly the length, lengths of 0 and below), faster for a short text."""
    assert truncate_chars(text, length) == Truncator(text).chars(length)
    rendered = Template("{{ text|truncatechars:length }}").render(
        Context({"text": text, "length": length}, autoescape=False)
    )
    assert rendered == Truncator(text).chars(length)


def test_the_truncation_filter_escapes_and_tolerates_a_bad_length():
    template = Template("{{ text|truncatechars:5 }}|{{ text|truncatechars:'x' }}")
    shortened = Truncator("<b>居民楼道灯</b>").chars(5)  # its ellipsis in the language
    assert template.render(Context({"text": "<b>居民楼道灯</b>"})) == (
        shortened.replace("<", "&lt;") + "|&lt;b&gt;居民楼道灯&lt;/b&gt;"
    )
    assert len(shortened) == 5
