"""The proofreading rules (woodpecker.proofread): hand-worked examples of each kind of flag and
hypothesis properties of the guarantees (clean text stays clean, a planted error is found)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jinlin.woodpecker import proofread
from jinlin.woodpecker.proofread import ArticleText, Confusion, learn_confusion


@pytest.fixture(scope="module")
def dictionary() -> proofread.Dictionary:
    return proofread.default_dictionary()


def flags_of(text: str, **kwargs) -> list[tuple[str, str, str]]:
    return [(f.text, f.suggestion, f.kind) for f in proofread.proofread(text, **kwargs)]


# --- hand-worked examples -----------------------------------------------------------------------


def test_a_same_sounding_character_in_an_idiom_is_flagged_with_the_idiom():
    [flag] = proofread.proofread("志愿者们一如即往地坚持巡查。")
    assert (flag.start, flag.text, flag.suggestion, flag.kind) == (
        4,
        "一如即往",
        "一如既往",
        "expression",
    )
    assert "既" in flag.reason and "即" in flag.reason


def test_a_papers_own_term_with_a_similar_sounding_character_is_flagged():
    # jing/jing: 泾 and 径 sound alike; the paper prints 新泾镇 in every issue.
    assert flags_of("新径镇召开垃圾分类推进会。") == [("新径镇", "新泾镇", "term")]


def test_shanghai_confusions_count_as_similar_sounds():
    assert proofread.sounds_alike("是", "四")  # shi / si
    assert proofread.sounds_alike("老", "脑")  # lao / nao
    assert proofread.sounds_alike("针", "征")  # zhen / zheng
    assert not proofread.sounds_alike("是", "大")


def test_missing_doubled_and_swapped_characters_of_a_fixed_expression():
    assert flags_of("大家忙得不亦乐，") == [("不亦乐", "不亦乐乎", "expression")]
    assert flags_of("大家迫不不及待地来了。") == [("迫不不及待", "迫不及待", "expression")]
    assert flags_of("大家都说这是一两举得的事。") == [("一两举得", "一举两得", "expression")]


def test_a_right_expression_is_not_taken_for_a_broken_one():
    # 心协力 is inside 齐心协力, not 同心协力 missing a character.
    assert flags_of("大家齐心协力，不辞辛劳。") == []


def test_de_before_a_verb_after_an_adverb_should_be_di():
    assert flags_of("党员们默默的清理楼道。") == [("的", "地", "particle")]
    assert flags_of("孩子们高高兴兴的提着灯笼。") == [("的", "地", "particle")]
    assert flags_of("大家认真的听着。") == [("的", "地", "particle")]


def test_de_before_a_degree_complement_should_be_de2():
    assert flags_of("楼道打扫的非常干净。") == [("的", "得", "particle")]
    assert flags_of("大家忙的不亦乐乎。") == [("的", "得", "particle")]


@pytest.mark.parametrize(
    "text",
    [
        "他们做的很多工作得到了肯定。",  # 的 of a relative clause before 很多
        "这次活动的目的很明确。",
        "居民受到了热情的接待。",  # 热情 without an aspect marker: could be a noun phrase
        "心里暖暖的。",
        "留下了深深的印象。",
        "真的很好。",
        "他特地很早就来了。",
    ],
)
def test_de_di_de_in_right_use_is_left_alone(text):
    assert [f for f in flags_of(text) if f[2] == "particle"] == []


def test_unbalanced_quotes_and_brackets_are_flagged_where_they_stand():
    [flag] = proofread.proofread("李医生说：“老年人冬季要注意保暖。")
    assert (flag.text, flag.kind, flag.start) == ("“", "punctuation", 5)
    assert [f.text for f in proofread.proofread("大家好）。")] == ["）"]


def test_a_long_paragraph_without_a_full_stop_at_its_end_is_flagged_at_its_last_character():
    text = "社区活动中心举办迎新春书画展，展出居民作品六十余幅，引人入胜\n欢迎参观。"
    [flag] = proofread.proofread(text)
    assert (flag.text, flag.suggestion, flag.start) == ("胜", "胜。", text.index("胜"))


def test_a_short_heading_needs_no_full_stop():
    assert flags_of("十月红\n惊回首，离天三尺三。") == []


def test_half_width_marks_in_chinese_text_and_doubled_marks():
    assert flags_of("老人们说,这是好事。") == [(",", "，", "punctuation")]
    assert flags_of("欢迎大家参加，，") == [("，，", "，", "punctuation")]
    assert flags_of("联系家庭医生(或拨打120)。") == [
        ("(", "（", "punctuation"),
        (")", "）", "punctuation"),
    ]


def test_decimal_points_and_latin_text_are_not_punctuation_errors():
    assert flags_of("每天饮水1.5升为宜。APP名称为Jinlin,v2.0。") == []


def test_a_weekday_that_contradicts_the_date_is_flagged_with_the_right_one():
    [flag] = proofread.proofread("11月5日（星期四），举办竞赛。", issue_date=date(2025, 11, 12))
    assert (flag.text, flag.suggestion, flag.kind) == ("四", "三", "consistency")
    assert "2025年11月5日是星期三" in flag.reason


def test_a_december_date_in_a_january_issue_is_last_years():
    assert flags_of("12月28日（星期日）举行。", issue_date=date(2026, 1, 14)) == []
    assert flags_of("12月28日（星期一）举行。", issue_date=date(2026, 1, 14)) == [
        ("一", "日", "consistency")
    ]


def test_an_impossible_date_is_flagged_without_an_issue_date():
    assert flags_of("9月31日举行签约仪式。") == [("9月31日", "", "consistency")]
    assert flags_of("13月1日举行。")[0][2] == "consistency"


def test_editorial_remarks_and_placeholders_left_in_the_text():
    assert flags_of("投放时间调整为早上七点（待确认）。") == [("（待确认）", "", "draft")]
    assert flags_of("菜价每份X元起。") == [("X", "", "draft")]
    assert flags_of("办结率达到百分之九十五？？") == [("？？", "", "draft")]
    assert flags_of("活动圆满结束。（此处配图两张）")[0][2] == "draft"


def test_a_name_printed_differently_in_one_issue_is_flagged_where_it_is_rarer():
    found = proofread.proofread_issue(
        [
            ArticleText(1, "居委会主任沈建华介绍了情况。沈建华表示将继续努力。"),
            ArticleText(2, "社工沈建化说，居民十分支持。"),
        ]
    )
    assert found[1] == []
    [flag] = found[2]
    assert (flag.text, flag.suggestion, flag.kind) == ("沈建化", "沈建华", "consistency")


def test_two_people_whose_names_do_not_sound_alike_are_both_left_alone():
    found = proofread.proofread_issue(
        [ArticleText(1, "主任沈建华说。沈建华表示。"), ArticleText(2, "社工沈建国说。")]
    )
    assert found == {1: [], 2: []}


def test_a_curated_common_misprint_is_flagged_wherever_it_stands():
    [flag] = proofread.proofread("他是名符其实的热心人。")
    assert (flag.text, flag.suggestion, flag.kind) == ("名符其实", "名副其实", "confusion")


def test_a_learned_confusion_is_flagged_with_its_reason():
    lesson = Confusion("参于", "参与", "读者纠错已确认")
    [flag] = proofread.proofread("居民参于热情很高。", confusions=[lesson])
    assert (flag.start, flag.text, flag.suggestion, flag.reason) == (
        2,
        "参于",
        "参与",
        "读者纠错已确认",
    )


def test_flags_never_overlap_and_the_most_specific_kind_wins():
    # 迫不急待 is both a curated misprint and a same-sounding idiom error: one flag.
    flags = proofread.proofread("大家迫不急待地来了。")
    assert [(f.text, f.kind) for f in flags] == [("迫不急待", "confusion")]


# --- learning from a confirmed report ------------------------------------------------------------


@pytest.mark.parametrize(
    ("quoted", "correction", "wrong", "right"),
    [
        ("迫不急待", "迫不及待", "迫不急待", "迫不及待"),
        ("大家迫不急待地来到", "大家迫不及待地来到", "迫不急待", "迫不及待"),
        ("天气干躁", "天气干燥", "干躁", "干燥"),
        ("用于楼道的日常维户", "维护", "维户", "维护"),  # only the corrected words were written
        ("居民参于热情很高", "居民参与热情很高", "参于", "参与"),
    ],
)
def test_a_report_teaches_the_smallest_wrong_form_that_is_a_word_when_corrected(
    quoted, correction, wrong, right
):
    lesson = learn_confusion(quoted, correction)
    assert lesson is not None
    assert (lesson.wrong, lesson.right) == (wrong, right)


def test_a_lesson_that_would_flag_a_right_word_keeps_more_context():
    # 多为 ("mostly") is a word of its own: the lesson must not flag every 多为.
    lesson = learn_confusion("八十多为居民", "八十多位居民")
    assert lesson is not None and lesson.wrong != "多为" and "多为" in lesson.wrong
    assert flags_of("参加者多为老人。", confusions=[lesson]) == []


@pytest.mark.parametrize(
    ("quoted", "correction"),
    [
        ("9月31日", "9月30日（9月没有31日）"),  # a date is a fact of one article
        ("现场气氛热烈，", "现场气氛热烈。"),  # punctuation only
        ("相同", "相同"),
        ("", "补上"),
    ],
)
def test_a_report_that_teaches_nothing_reusable_is_not_learned(quoted, correction):
    assert learn_confusion(quoted, correction) is None


# --- properties ----------------------------------------------------------------------------------


def _curated(name: str) -> list[str]:
    return sorted(line.strip() for line in proofread._data_lines(name))


EXPRESSIONS = _curated("expressions.txt")
TERMS = _curated("terms.txt")
FOUR_CHARACTER = [e for e in EXPRESSIONS if len(e) == 4]
PHRASES = st.lists(st.sampled_from(EXPRESSIONS + TERMS), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PHRASES)
def test_clean_text_built_only_from_dictionary_phrases_yields_no_flags(phrases):
    text = "，".join(phrases) + "。"
    assert proofread.proofread(text) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(st.sampled_from(EXPRESSIONS + TERMS), max_size=3),
    idiom=st.sampled_from(FOUR_CHARACTER),
    position=st.integers(0, 2),
    after=st.lists(st.sampled_from(EXPRESSIONS + TERMS), max_size=3),
)
def test_a_planted_swap_in_a_known_idiom_is_always_found_at_its_offset(
    dictionary, before, idiom, position, after
):
    swapped = idiom[:position] + idiom[position + 1] + idiom[position] + idiom[position + 2 :]
    assume(swapped != idiom and swapped not in dictionary.loose_expressions)
    assume(not dictionary.is_common_word(swapped))
    prefix = "".join(phrase + "，" for phrase in before)
    text = prefix + swapped + "".join("，" + phrase for phrase in after) + "。"
    flags = proofread.proofread(text)
    assert any(f.start == len(prefix) and f.length == 4 and f.suggestion == idiom for f in flags), (
        flags
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet="的地得很说默默认真，。“”（）() ,.X待核实一如既往即新泾径镇9月31日\n", max_size=60
    )
)
def test_every_flag_lies_in_the_text_and_none_overlap(text):
    flags = proofread.proofread(text, issue_date=date(2026, 1, 1))
    for flag in flags:
        assert text[flag.start : flag.end] == flag.text
        assert flag.reason
    for first, second in zip(flags, flags[1:], strict=False):
        assert first.end <= second.start


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    idiom=st.sampled_from(FOUR_CHARACTER),
    position=st.integers(0, 3),
    replacement=st.sampled_from("甲乙丙丁戊己庚辛"),
)
def test_a_learned_report_flags_the_same_mistake_in_a_later_text(idiom, position, replacement):
    printed = idiom[:position] + replacement + idiom[position + 1 :]
    assume(printed != idiom)
    lesson = learn_confusion(printed, idiom)
    assume(lesson is not None)
    later = "社区居民说，" + printed + "。"
    flags = proofread.proofread(later, confusions=[lesson])
    assert any(f.text == lesson.wrong and f.suggestion == lesson.right for f in flags)
