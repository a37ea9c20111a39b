import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.woodpecker.freetext import (
    MAX_MESSAGE_CHARS,
    ParsedReport,
    chinese_number,
    parse_report_text,
)

PUBLICATIONS = ["新泾社区报", "社区晨报"]


def read(message: str, publications: list[str] = PUBLICATIONS) -> dict[str, object]:
    parsed = parse_report_text(message, publications)
    return {name: getattr(parsed, name) for name in parsed.found}


def assert_read(message: str, expected: dict[str, object]) -> None:
    """Every expected field is read as given, and nothing else is made up (the explanation,
    being the rest of the message, is only checked when expected names it)."""
    found = read(message)
    if "explanation" not in expected:
        found.pop("explanation", None)
    assert found == expected


def test_the_programmes_own_example_is_understood() -> None:
    assert_read(
        "10月12日社区晨报第3版《十月红》第二句‘快马加鞭下鞍’少了一个‘未’字 —— 小飞",
        {
            "publication": "社区晨报",
            "issue_month": 10,
            "issue_day": 12,
            "page": 3,
            "title": "十月红",
            "quoted": "快马加鞭下鞍",
            "correction_hint": "少了一个‘未’字",
            "explanation": "第二句",
            "signature": "小飞",
        },
    )


def test_a_full_date_a_quoted_title_and_a_correction_with_its_reason() -> None:
    assert_read(
        "社区晨报2022年10月12日第三版“十月红”一文中，“快马加鞭下鞍”应为“快马加鞭未下鞍”，"
        "原诗是毛主席的《十六字令》。——小飞 13812345678",
        {
            "publication": "社区晨报",
            "issue_year": 2022,
            "issue_month": 10,
            "issue_day": 12,
            "page": 3,
            "title": "十月红",
            "quoted": "快马加鞭下鞍",
            "correction": "快马加鞭未下鞍",
            "explanation": "原诗是毛主席的《十六字令》",
            "signature": "小飞",
            "contact": "13812345678",
            "contact_kind": "phone",
        },
    )


def test_publication_in_book_marks_an_issue_number_and_written_wrong() -> None:
    assert_read(
        "编辑老师您好！《新泾社区报》第256期3版《重阳敬老》里把“九九”写成了“久久”。"
        "署名：风行天下（昵称） 微信号：abbill2022",
        {
            "publication": "新泾社区报",
            "issue_number": 256,
            "page": 3,
            "title": "重阳敬老",
            "quoted": "久久",
            "correction": "九九",
            "signature": "风行天下",
            "signature_is_nickname": True,
            "contact": "abbill2022",
            "contact_kind": "wechat",
        },
    )


def test_short_names_dotted_dates_labels_and_a_signature_on_its_own_line() -> None:
    assert_read(
        "晨报10.12 第2版 标题：垃圾分类新规 原文：居民要按时投放,应为：居民须按时投放\n叶玲珠\n13912345678",
        {
            "publication": "社区晨报",
            "issue_month": 10,
            "issue_day": 12,
            "page": 2,
            "title": "垃圾分类新规",
            "quoted": "居民要按时投放",
            "correction": "居民须按时投放",
            "signature": "叶玲珠",
            "contact": "13912345678",
            "contact_kind": "phone",
        },
    )


def test_a_month_alone_the_front_page_and_a_name_before_an_email() -> None:
    assert_read(
        "新泾报 十月份 头版 ‘长宁区新泾镇’应为‘长宁区新泾镇人民政府’ 严志彬 abc@QQ.com",
        {
            "publication": "新泾社区报",
            "issue_month": 10,
            "page": 1,
            "quoted": "长宁区新泾镇",
            "correction": "长宁区新泾镇人民政府",
            "signature": "严志彬",
            "contact": "abc@QQ.com",
            "contact_kind": "email",
        },
    )


def test_full_width_digits_and_punctuation_are_read_like_half_width() -> None:
    assert_read(
        "晨报１０月１２日第３版《十月红》“山快马加鞭”应为“山，快马加鞭”。署名：陈霖源 邮箱：Chen.LY@163.com",
        {
            "publication": "社区晨报",
            "issue_month": 10,
            "issue_day": 12,
            "page": 3,
            "title": "十月红",
            "quoted": "山快马加鞭",
            "correction": "山，快马加鞭",
            "signature": "陈霖源",
            "contact": "Chen.LY@163.com",
            "contact_kind": "email",
        },
    )


def test_chinese_numerals_and_a_nickname_after_a_single_dash() -> None:
    assert_read(
        "《社区晨报》十月十二日 第二版《秋游共康》里把“共康公园”写成了“共唐公园” —风行天下（昵称）",
        {
            "publication": "社区晨报",
            "issue_month": 10,
            "issue_day": 12,
            "page": 2,
            "title": "秋游共康",
            "quoted": "共唐公园",
            "correction": "共康公园",
            "signature": "风行天下",
            "signature_is_nickname": True,
        },
    )


def test_issue_number_in_chinese_digits_and_a_name_after_the_phone() -> None:
    assert_read(
        "新泾报第二五六期头版《敬老月》：‘新泾镇有80岁以上老人3000人’，应为‘8000人’，数字有误。"
        "电话 138-1234-5678 严志彬",
        {
            "publication": "新泾社区报",
            "issue_number": 256,
            "page": 1,
            "title": "敬老月",
            "quoted": "新泾镇有80岁以上老人3000人",
            "correction": "8000人",
            "explanation": "数字有误",
            "signature": "严志彬",
            "contact": "138-1234-5678",
            "contact_kind": "phone",
        },
    )


def test_a_message_missing_most_parts_still_gives_what_it_has() -> None:
    assert_read(
        "第3版‘快马加鞭下鞍’多了个‘下’字？",
        {"page": 3, "quoted": "快马加鞭下鞍", "correction_hint": "多了个‘下’字"},
    )


def test_values_after_a_colon_run_to_the_end_of_the_sentence() -> None:
    assert_read(
        "社区晨报 10/12 第三版 「十月红」 原文：惊回首离天三尺三 应该是：惊回首，离天三尺三。"
        "少了个逗号\n--abbill(昵称)\n微信号：abbill_2022",
        {
            "publication": "社区晨报",
            "issue_month": 10,
            "issue_day": 12,
            "page": 3,
            "title": "十月红",
            "quoted": "惊回首离天三尺三",
            "correction": "惊回首，离天三尺三",
            "correction_hint": "少了个逗号",
            "signature": "abbill",
            "signature_is_nickname": True,
            "contact": "abbill_2022",
            "contact_kind": "wechat",
        },
    )


def test_mistaken_for_gives_the_printed_text_after_it() -> None:
    assert_read(
        "编辑您好！社区晨报10月12日第2版《垃圾分类》中“可回收物”误为“可回收垃圾”，特此指出。\n小飞",
        {
            "publication": "社区晨报",
            "issue_month": 10,
            "issue_day": 12,
            "page": 2,
            "title": "垃圾分类",
            "quoted": "可回收垃圾",
            "correction": "可回收物",
            "explanation": "特此指出",
            "signature": "小飞",
        },
    )


def test_a_quote_right_after_the_page_is_the_error_when_the_correction_follows_it() -> None:
    assert_read(
        "2022-10-12社区晨报第3版‘快马加鞭下鞍’应为‘快马加鞭未下鞍’",
        {
            "publication": "社区晨报",
            "issue_year": 2022,
            "issue_month": 10,
            "issue_day": 12,
            "page": 3,
            "quoted": "快马加鞭下鞍",
            "correction": "快马加鞭未下鞍",
        },
    )


def test_dates_and_pages_inside_quotes_are_not_the_issue() -> None:
    assert_read(
        "《重阳敬老》一文‘10月4日是第3版重阳节’应为‘10月4日是重阳节’",
        {"title": "重阳敬老", "quoted": "10月4日是第3版重阳节", "correction": "10月4日是重阳节"},
    )


def test_nothing_is_invented_from_an_unquoted_title() -> None:
    # "十月红" is a title, not October; without quotes it cannot be told from the error.
    assert_read(
        "社区晨报第3版 十月红 快马加鞭下鞍 应为 快马加鞭未下鞍",
        {"publication": "社区晨报", "page": 3, "correction": "快马加鞭未下鞍"},
    )


def test_a_short_name_that_could_mean_two_publications_is_not_guessed() -> None:
    publications = ["新泾社区报", "江川社区报"]

    assert "publication" not in read("社区报第3版‘快马加鞭下鞍’", publications)
    assert read("新泾报第3版‘快马加鞭下鞍’", publications)["publication"] == "新泾社区报"


def test_a_monthly_issue_is_read_from_year_and_month() -> None:
    found = read("2022年9月社区晨报第4版“鞍”应为“安”")

    assert (found["issue_year"], found["issue_month"], found.get("issue_day")) == (2022, 9, None)


def test_asking_which_page_is_not_a_page_number() -> None:
    found = read("我发现10.12那期报纸有个错别字，不知道在哪一版。")

    assert "page" not in found
    assert (found["issue_month"], found["issue_day"]) == (10, 12)


@pytest.mark.parametrize("message", ["", "   ", "\n\n", "😀😀😀", "\x00\x1f\u200b"])
def test_an_empty_or_meaningless_message_yields_nothing(message: str) -> None:
    assert parse_report_text(message, PUBLICATIONS) == ParsedReport()


def test_a_huge_message_is_read_only_up_to_the_limit_and_quickly() -> None:
    message = "把" * 50_000 + "第3版"

    started = time.perf_counter()
    parsed = parse_report_text(message, PUBLICATIONS)

    assert time.perf_counter() - started < 2
    assert parsed.page is None
    assert parse_report_text("把" * (MAX_MESSAGE_CHARS - 3) + "第3版").page == 3


@pytest.mark.parametrize(
    ("written", "value"),
    [("12", 12), ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("一百零三", 103),
     ("二五六", 256), ("二〇二二", 2022), ("两", 2), ("三x", None), ("", None)],
)  # fmt: skip
def test_chinese_numerals_are_read(written: str, value: int | None) -> None:
    assert chinese_number(written) == value


_fragments = st.sampled_from(
    [
        "‘", "’", "“", "”", '"', "《", "》", "「", "」", "『", "』", "应为", "应该是：", "把",
        "将", "写成了", "误为", "少了一个", "多了", "字", "第", "版", "期", "月", "日", "年",
        "10", "3", "十", "二", "〇", "——", "--", "~", "署名：", "昵称", "(昵称)", "（昵称）",
        "微信号：", "13812345678", "+86 138 1234 5678", "a@b.cc", "\n", " ", "，", "。", "：",
        "晨报", "社区", "原文：", "标题：", "一文", "小飞", "快马加鞭", "😀", "\x00", "\u200b",
        "１", "﹏", "A", ".", "/", "-", "头版", "哪一版",
    ]
)  # fmt: skip
_messages = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_fragments, st.text(max_size=3)), max_size=60).map("".join),
)
_CUT_FROM_THE_MESSAGE = ("title", "quoted", "correction", "correction_hint", "signature", "contact")


@settings(max_examples=300, deadline=None)
@given(message=_messages, publications=st.lists(st.text(max_size=8), max_size=3))
def test_any_message_is_read_without_error_and_values_come_from_it(
    message: str, publications: list[str]
) -> None:
    parsed = parse_report_text(message, [*publications, *PUBLICATIONS])

    for name in _CUT_FROM_THE_MESSAGE:
        value = getattr(parsed, name)
        assert value is None or (value and value in message)
    assert parsed.publication is None or parsed.publication in [*publications, *PUBLICATIONS]
    assert all(getattr(parsed, name) is not None for name in parsed.found)


@settings(max_examples=300, deadline=None)
@given(message=_messages)
def test_numbers_read_from_any_message_are_ones_a_report_can_hold(message: str) -> None:
    """Whatever the message, what comes out fits the report form: a page 1–99, a real date,
    an issue number, and a contact of the kind it says it is."""
    parsed = parse_report_text(message, PUBLICATIONS)

    assert parsed.page is None or 1 <= parsed.page <= 99
    assert parsed.issue_number is None or 1 <= parsed.issue_number < 10**9
    assert parsed.issue_month is None or 1 <= parsed.issue_month <= 12
    assert parsed.issue_year is None or 1949 <= parsed.issue_year <= 2100
    if parsed.issue_day is not None:
        assert parsed.issue_month is not None and 1 <= parsed.issue_day <= 31
    assert (parsed.contact is None) == (parsed.contact_kind is None)
    if parsed.contact_kind == "phone":
        assert sum(char.isdigit() for char in parsed.contact) == 11  # type: ignore[union-attr]
    if parsed.contact_kind == "email":
        assert "@" in parsed.contact  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_chinese_number_is_an_int_or_none_for_any_text(text: str) -> None:
    value = chinese_number(text)
    assert value is None or (isinstance(value, int) and value >= 0)
