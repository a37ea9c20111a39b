"""The digest's words (reminders/digest_text.py): what leaves the building is masked."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from jinlin.reminders.digest_text import (
    Digest,
    Section,
    email_body,
    mask_name,
    page_title,
    wecom_markdown,
)

DIGEST = Digest(
    on=date(2026, 9, 30),
    user_name="李社工",
    sections=(
        Section(
            "待走访", 2, "户", "/today/", overdue=1, items=("绿园八村12号楼301室 张** · 逾期 1 天",)
        ),
        Section("个案措施", 0, "项", "/cases/"),
        Section("待确认的服务认领", 3, "项", "/areas/1/needs/"),
    ),
)


def test_names_keep_only_the_surname():
    assert mask_name("张建国") == "张**"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王五") == "王*"
    assert mask_name("") == ""


@given(st.text(min_size=1, max_size=8).filter(lambda name: name.strip()))
def test_a_masked_name_never_shows_more_than_its_first_character(name):
    masked = mask_name(name)
    assert masked[0] == name.strip()[0] and set(masked[1:]) == {"*"}


def test_the_page_gets_one_line_of_counts_without_empty_sections():
    assert page_title(DIGEST) == (
        "每日提醒 9月30日：待走访 2 户（其中逾期 1 户）；待确认的服务认领 3 项"
    )


def test_email_and_wecom_carry_counts_links_and_masked_items():
    body = email_body(DIGEST, "https://jinlin.example.cn")
    assert "https://jinlin.example.cn/today/" in body and "张**" in body
    assert "个案措施" not in body  # nothing due there
    markdown = wecom_markdown(DIGEST, "")
    assert markdown.startswith("**每日提醒 09-30 · 李社工**")
    assert "[待走访 2 户（其中逾期 1 户）](/today/)" in markdown


def test_an_empty_digest_says_so():
    assert Digest(on=date(2026, 9, 30), user_name="x", sections=(DIGEST.sections[1],)).is_empty
