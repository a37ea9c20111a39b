from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jinlin.woodpecker.ranking import (
    Awards,
    ScoredReport,
    Standing,
    announcement,
    decide_awards,
    normalise_contact,
    rank_readers,
    standing_order,
)

SEPTEMBER = datetime(2022, 9, 1, 9, 0, tzinfo=UTC)
_next_id = iter(range(1, 1_000_000))


def report(
    contact: str,
    name: str,
    *,
    day: int = 1,
    hour: int = 9,
    verdict: str = "valid",
    severity: str | None = "minor",
    error_key: str | None = None,
    is_nickname: bool = False,
    report_id: int | None = None,
) -> ScoredReport:
    return ScoredReport(
        report_id=report_id if report_id is not None else next(_next_id),
        contact=contact,
        display_name=name,
        is_nickname=is_nickname,
        submitted_at=SEPTEMBER + timedelta(days=day - 1, hours=hour - 9),
        verdict=verdict,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        error_key=error_key,
    )


def points_by_name(standings: list[Standing]) -> dict[str, int]:
    return {standing.display_name: standing.points for standing in standings}


def test_september_2022_announcement_is_printed_in_the_newspapers_form() -> None:
    reports = [
        # 小飞: 3 + 3 + 2 + 2 = 10
        report("13800000001", "小飞", day=2, severity="major", error_key="a"),
        report("13800000001", "小飞", day=3, severity="major", error_key="b"),
        report("13800000001", "小飞", day=4, severity="moderate", error_key="c"),
        report("13800000001", "小飞", day=5, severity="moderate", error_key="d"),
        # 叶玲珠: 3 + 3 = 6, and a later report of 小飞's error that scores nothing
        report("13800000002", "叶玲珠", day=2, severity="major", error_key="e"),
        report("13800000002", "叶玲珠", day=6, severity="major", error_key="f"),
        report("13800000002", "叶玲珠", day=7, severity="major", error_key="a"),
        # 陈霖源 and 严志彬: 5 each; 陈霖源 completed them first
        report("chen@example.com", "陈霖源", day=8, severity="major", error_key="g"),
        report("chen@example.com", "陈霖源", day=9, severity="moderate", error_key="h"),
        report("13800000004", "严志彬", day=3, severity="major", error_key="i"),
        report("13800000004", "严志彬", day=10, severity="moderate", error_key="j"),
        # 风行天下 (昵称): 3, partly under an older nickname
        report("wx_fengxing", "风吹过", day=4, severity="moderate", is_nickname=True),
        report("WX_FENGXING", "风行天下", day=11, severity="minor", is_nickname=True),
        # abbill (昵称): 2
        report("13800000006", "abbill", day=12, severity="moderate", is_nickname=True),
        # judged invalid: nothing
        report("13800000007", "王阿姨", day=1, verdict="invalid", severity=None),
    ]

    awards = decide_awards(rank_readers(reports), excellent_count=10)

    assert announcement(2022, 9, awards) == (
        "2022年9月优秀“啄木鸟”:叶玲珠、陈霖源、严志彬、风行天下(昵称)、abbill(昵称)\n"
        "2022年9月最佳“啄木鸟”:小飞"
    )


def test_the_first_valid_report_of_an_error_earns_it_and_later_ones_earn_nothing() -> None:
    first = report("13800000001", "小飞", day=1, severity="major", error_key="10-12/3/未")
    later = report("13800000002", "叶玲珠", day=2, severity="major", error_key="10-12/3/未")

    standings = rank_readers([later, first])

    assert points_by_name(standings) == {"小飞": 3}


def test_a_later_report_marked_duplicate_is_ignored_even_when_the_first_was_judged_invalid() -> (
    None
):
    invalid_first = report("13800000001", "小飞", day=1, verdict="invalid", error_key="x")
    valid_later = report("13800000002", "叶玲珠", day=2, severity="minor", error_key="x")
    duplicate = report("13800000003", "陈霖源", day=3, verdict="duplicate", error_key="x")

    standings = rank_readers([invalid_first, valid_later, duplicate])

    assert points_by_name(standings) == {"叶玲珠": 1}


def test_points_follow_the_severity_setting() -> None:
    reports = [
        report("13800000001", "小飞", severity="minor"),
        report("13800000001", "小飞", severity="major"),
        report("13800000002", "叶玲珠", severity="moderate"),
    ]

    standings = rank_readers(reports, {"minor": 1, "moderate": 5, "major": 10})

    assert points_by_name(standings) == {"小飞": 11, "叶玲珠": 5}


def test_an_ungraded_valid_report_scores_nothing_until_graded() -> None:
    standings = rank_readers([report("13800000001", "小飞", severity=None)])

    assert standings == []


def test_a_severity_without_points_is_refused() -> None:
    with pytest.raises(ValueError, match="minor"):
        rank_readers([report("13800000001", "小飞", severity="minor")], {"major": 3})


def test_one_reader_with_two_nicknames_is_ranked_once_under_the_latest_name() -> None:
    reports = [
        report("138 0000 0001", "飞飞", day=1, is_nickname=True),
        report("+86 13800000001", "小飞", day=3, is_nickname=True),
        report("13800000001", "飞哥", day=2, is_nickname=True),
    ]

    standings = rank_readers(reports)

    assert [(s.display_name, s.is_nickname, s.points) for s in standings] == [("小飞", True, 3)]


def test_a_reader_who_gives_a_real_name_at_last_is_announced_without_nickname_mark() -> None:
    reports = [
        report("a@qq.com", "风行天下", day=1, is_nickname=True),
        report("A@QQ.COM", "叶玲珠", day=2, verdict="invalid", severity=None),
    ]

    awards = decide_awards(rank_readers(reports))

    assert announcement(2022, 9, awards) == "2022年9月最佳“啄木鸟”:叶玲珠"


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (" Xiao.Fei@QQ.com ", "xiao.fei@qq.com"),
        ("WXID_Fly", "wxid_fly"),
    ],
)
def test_a_contact_typed_differently_is_the_same_reader(typed: str, same_as: str) -> None:
    assert normalise_contact(typed) == normalise_contact(same_as)


def test_different_phones_are_different_readers() -> None:
    assert normalise_contact("13812345678") != normalise_contact("13812345679")


def test_on_equal_points_the_reader_who_completed_them_earlier_ranks_first() -> None:
    reports = [
        report("13800000001", "早到", day=1, hour=9, severity="minor"),
        report("13800000001", "早到", day=5, hour=9, severity="minor"),
        report("13800000002", "晚到", day=2, hour=9, severity="minor"),
        report("13800000002", "晚到", day=5, hour=10, severity="minor"),
    ]

    standings = rank_readers(reports)

    assert [s.display_name for s in standings] == ["早到", "晚到"]
    assert decide_awards(standings, excellent_count=1).best[0].display_name == "早到"


def test_on_equal_points_and_time_the_report_received_first_wins() -> None:
    reports = [
        report("13800000002", "后收", report_id=902),
        report("13800000001", "先收", report_id=901),
    ]

    assert [s.display_name for s in rank_readers(reports)] == ["先收", "后收"]


def test_readers_without_points_get_nothing() -> None:
    zero = Standing("13800000009", "零分", False, 0, SEPTEMBER, 1, ())
    scorer = Standing("13800000001", "小飞", False, 1, SEPTEMBER, 2, (2,))

    awards = decide_awards([zero, scorer], excellent_count=10)

    assert awards.best == (scorer,)
    assert awards.excellent == ()


def test_award_counts_and_amounts_are_settings() -> None:
    standings = rank_readers(
        [report(f"1380000000{n}", f"读者{n}", day=n, severity="minor") for n in range(1, 7)]
    )

    awards = decide_awards(
        standings, best_count=2, excellent_count=3, cash_yuan=200, souvenir="保温杯"
    )

    assert [s.display_name for s in awards.best] == ["读者1", "读者2"]
    assert [s.display_name for s in awards.excellent] == ["读者3", "读者4", "读者5"]
    assert (awards.cash_yuan, awards.souvenir) == (200, "保温杯")


def test_announcement_has_no_excellent_line_when_only_the_best_won() -> None:
    awards = decide_awards(rank_readers([report("13800000001", "abbill", is_nickname=True)]))

    assert announcement(2022, 10, awards) == "2022年10月最佳“啄木鸟”:abbill(昵称)"


def test_announcement_is_empty_when_nobody_won() -> None:
    assert announcement(2022, 10, Awards((), (), 100, "纪念品")) == ""


def test_negative_award_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        decide_awards([], excellent_count=-1)


# Properties. Few contacts, names, keys and times, so that merges, duplicates and ties happen.
_contacts = st.sampled_from(
    ["13800000001", "138 0000 0001", "13800000002", "a@qq.com", "A@QQ.com", "wx_fly", ""]
)
_report_fields = st.tuples(
    _contacts,
    st.sampled_from(["小飞", "叶玲珠", "abbill", "风行天下"]),
    st.booleans(),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["valid", "valid", "invalid", "duplicate"]),
    st.sampled_from(["minor", "moderate", "major", None]),
    st.sampled_from(["a", "b", "c", "d", None]),
)
_reports = st.lists(_report_fields, max_size=25).map(
    lambda rows: [
        ScoredReport(
            report_id=index,
            contact=contact,
            display_name=name,
            is_nickname=nickname,
            submitted_at=SEPTEMBER + timedelta(hours=hour),
            verdict=verdict,
            severity=severity,
            error_key=key,
        )
        for index, (contact, name, nickname, hour, verdict, severity, key) in enumerate(rows)
    ]
)
_counts = st.integers(min_value=0, max_value=4)


@settings(max_examples=100, deadline=None)
@given(reports=_reports, data=st.data())
def test_ranking_does_not_depend_on_the_order_reports_arrive_in(
    reports: list[ScoredReport], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(reports))

    assert rank_readers(shuffled) == rank_readers(reports)


@settings(max_examples=100, deadline=None)
@given(reports=_reports, best_count=_counts, excellent_count=_counts)
def test_winners_come_in_ranking_order_and_counts(
    reports: list[ScoredReport], best_count: int, excellent_count: int
) -> None:
    standings = rank_readers(reports)

    awards = decide_awards(standings, best_count=best_count, excellent_count=excellent_count)

    winners = awards.best + awards.excellent
    others = [standing for standing in standings if standing not in winners]
    assert len(awards.best) == min(best_count, len(standings))
    assert len(awards.excellent) == min(excellent_count, len(standings) - len(awards.best))
    assert all(w.points >= o.points for w in winners for o in others)
    assert all(
        standing_order(best) < standing_order(excellent)
        for best in awards.best
        for excellent in awards.excellent
    )
    assert all(standing.points > 0 for standing in winners)


@settings(max_examples=100, deadline=None)
@given(reports=_reports, data=st.data())
def test_a_later_report_of_an_error_already_credited_changes_nobodys_points(
    reports: list[ScoredReport], data: st.DataObject
) -> None:
    credited_keys = sorted(
        {r.error_key for r in reports if r.verdict == "valid" and r.error_key is not None}
    )
    assume(credited_keys)
    late = ScoredReport(
        report_id=len(reports),
        contact=data.draw(_contacts),
        display_name="迟到",
        is_nickname=False,
        submitted_at=SEPTEMBER + timedelta(days=1),
        verdict="valid",
        severity="major",
        error_key=data.draw(st.sampled_from(credited_keys)),
    )

    before = {s.reader_key: s.points for s in rank_readers(reports)}
    after = {s.reader_key: s.points for s in rank_readers([*reports, late])}

    assert after == before
