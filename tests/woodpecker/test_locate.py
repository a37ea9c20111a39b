import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.woodpecker.locate import (
    locate_passage,
    overlap_ratio,
    overlapping_groups,
    passages_overlap,
)

ARTICLE = (
    "十月红\n"
    "山，快马加鞭未下鞍。惊回首，离天三尺三。\n"
    "重阳节前夕，新泾镇绿八居民区的志愿者们走进２０２２年度“银龄课堂”，"
    "为８０岁以上的独居老人送去了重阳糕。居委会主任叶玲珠说：“我们每个月都会上门走访，"
    "今年已经走访了 126 户。”\n"
    "活动当天，社区晨报的记者也来到了现场。"
)


def highlighted(passage: str, article: str = ARTICLE) -> str | None:
    located = locate_passage(article, passage)
    return None if located is None else article[located.start : located.end]


def test_passage_copied_exactly_is_found_where_it_is() -> None:
    located = locate_passage(ARTICLE, "惊回首，离天三尺三")

    assert located is not None
    assert located.quality == "exact"
    assert located.start == ARTICLE.index("惊回首")


def test_reader_punctuation_and_quotes_do_not_matter() -> None:
    located = locate_passage(ARTICLE, "“山快马加鞭、未下鞍！”")

    assert located is not None
    assert located.quality == "normalised"
    assert highlighted("“山快马加鞭、未下鞍！”") == "山，快马加鞭未下鞍"


def test_half_width_digits_find_full_width_ones_in_the_article() -> None:
    assert highlighted("2022年度银龄课堂") == "２０２２年度“银龄课堂"
    assert highlighted("为80岁以上的独居老人") == "为８０岁以上的独居老人"


def test_spaces_and_line_breaks_typed_by_the_reader_are_ignored() -> None:
    assert highlighted("今年已经走访了126户") == "今年已经走访了 126 户"
    assert highlighted("十 月 红 山") == "十月红\n山"


def test_a_typo_in_the_readers_quote_is_found_approximately() -> None:
    located = locate_passage(ARTICLE, "重阳节前夕，新泾镇绿八居民去的志愿者们")

    assert located is not None
    assert located.quality == "approximate"
    assert located.edits == 1
    assert (
        highlighted("重阳节前夕，新泾镇绿八居民去的志愿者们")
        == "重阳节前夕，新泾镇绿八居民区的志愿者们"
    )


def test_a_character_the_reader_left_out_stays_inside_the_highlight() -> None:
    assert highlighted("居委会主任叶珠说") == "居委会主任叶玲珠说"


def test_a_character_the_reader_added_is_tolerated() -> None:
    assert highlighted("社区晨报的记者们也来到了现场") == "社区晨报的记者也来到了现场"


def test_a_passage_that_is_not_in_the_article_is_not_found() -> None:
    assert locate_passage(ARTICLE, "垃圾分类新规从下月起实施") is None


def test_too_many_differences_are_not_a_match() -> None:
    # 8 significant characters allow 1 edit; this has 3 changed.
    assert locate_passage(ARTICLE, "惊回头，离地三丈三") is None


def test_a_very_short_passage_must_match_without_edits() -> None:
    assert highlighted("鞍") == "鞍"
    assert locate_passage(ARTICLE, "天马") is None


@pytest.mark.parametrize("passage", ["", "   ", "，。！", "“”"])
def test_an_empty_or_punctuation_only_passage_is_not_located(passage: str) -> None:
    assert locate_passage(ARTICLE, passage) is None


def test_a_ten_thousand_character_article_is_searched_quickly() -> None:
    paragraphs = [
        f"第{n}段：绿八居民区第{n}号楼的居民在楼组长带领下开展了第{n * 7}次环境整治，"
        f"清理楼道堆物{n * 3}处，更换灯泡{n % 9}个。"
        for n in range(1, 400)
    ]
    article = "".join(paragraphs)[:10_000]
    passage = "第120号楼的居民在楼组长代领下开展了第840次环境整治"  # 带 typed as 代

    started = time.perf_counter()
    located = locate_passage(article, passage)
    elapsed = time.perf_counter() - started

    assert located is not None
    assert article[located.start : located.end] == passage.replace("代", "带")
    assert elapsed < 0.5


def test_spans_that_share_a_character_overlap_and_touching_ones_do_not() -> None:
    assert passages_overlap((0, 10), (9, 20))
    assert not passages_overlap((0, 10), (10, 20))
    assert not passages_overlap((5, 5), (0, 10))


def test_overlap_ratio_is_one_when_one_span_contains_the_other() -> None:
    assert overlap_ratio((0, 100), (10, 20)) == 1.0
    assert overlap_ratio((0, 10), (5, 15)) == 0.5
    assert overlap_ratio((0, 10), (20, 30)) == 0.0


def test_reports_whose_spans_overlap_are_grouped_as_likely_duplicates() -> None:
    spans = {
        101: (40, 50),  # 101 and 104 share 45..50
        102: (0, 10),
        103: (5, 12),  # 102, 103 and 105 chain together
        104: (45, 60),
        105: (11, 20),
        106: (70, 80),  # alone
    }

    assert overlapping_groups(spans) == [[101, 104], [102, 103, 105]]


@settings(max_examples=200, deadline=None)
@given(article=st.text(max_size=300), data=st.data())
def test_any_piece_of_the_article_is_located_exactly(article: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(article)))
    end = data.draw(st.integers(min_value=start, max_value=len(article)))
    piece = article[start:end]

    located = locate_passage(article, piece)

    if not piece.strip():
        assert located is None
    else:
        assert located is not None
        assert located.quality == "exact"
        assert article[located.start : located.end] == piece.strip()


_distinct_hanzi = st.lists(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    min_size=12,
    max_size=200,
    unique=True,
)


@settings(max_examples=120, deadline=None)
@given(characters=_distinct_hanzi, data=st.data())
def test_a_piece_with_one_character_removed_added_or_changed_is_located_over_the_original(
    characters: list[str], data: st.DataObject
) -> None:
    article = "".join(characters)
    start = data.draw(st.integers(min_value=0, max_value=len(article) - 8))
    end = data.draw(st.integers(min_value=start + 8, max_value=min(len(article), start + 60)))
    piece = article[start:end]
    at = data.draw(st.integers(min_value=0, max_value=len(piece) - 1))
    other = data.draw(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5))
    edited = data.draw(
        st.sampled_from(
            [
                piece[:at] + piece[at + 1 :],
                piece[:at] + other + piece[at:],
                piece[:at] + other + piece[at + 1 :],
            ]
        )
    )

    located = locate_passage(article, edited)

    assert located is not None
    assert passages_overlap(located.span, (start, end))


@settings(max_examples=300, deadline=None)
@given(article=st.text(max_size=200), passage=st.text(max_size=60))
def test_any_input_gives_a_span_inside_the_article_or_none(article: str, passage: str) -> None:
    located = locate_passage(article, passage)

    if located is not None:
        assert 0 <= located.start < located.end <= len(article)
