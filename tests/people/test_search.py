"""One search box: name, pinyin, initials, phone tail, ID, address; exact first; access kept."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.core.idnumber import make_id_number
from jinlin.core.models import AuditEvent, Role
from jinlin.people import searchkeys
from jinlin.people.models import Resident
from jinlin.people.search import search_residents
from jinlin.people.searchkeys import classify_query, name_pinyin
from jinlin.places.models import Building
from tests.factories import HouseholdFactory, ResidentFactory, UserFactory


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("5678", "phone_tail"),
        ("13812345678", "phone"),
        ("31010519500302123x", "id"),
        ("310105195003021234", "id"),
        ("310105", "id_prefix"),
        ("3101051950", "partial_number"),
        ("1381234567", "partial_number"),
        ("12345678", "partial_number"),
        ("12号楼301", "address"),
        ("12-301", "address"),
        ("十二号楼三〇一", "address"),
        ("绿园八村12号301室", "address"),
        ("zhangsan", "pinyin"),
        ("ZS", "pinyin"),
        ("张三", "name"),
        ("建国", "name"),
        ("  ", "empty"),
    ],
)
def test_what_kind_of_key_was_typed(query, kind):
    assert classify_query(query)[0] == kind


def test_pinyin_and_initials_read_surnames_as_surnames():
    assert name_pinyin("张三") == ("zhangsan", "zs")
    assert name_pinyin("曾志伟") == ("zengzhiwei", "zzw")
    assert name_pinyin("吕布") == ("lvbu", "lb")
    assert name_pinyin("欧阳娜娜")[1] == "oynn"


@pytest.fixture
def people(world):
    household = world.household_a
    return {
        "zhangsan": ResidentFactory(household=household, name="张三", phone="13700001234"),
        "zhangsanfeng": ResidentFactory(household=household, name="张三丰", phone="13700005555"),
        "wangfang": ResidentFactory(household=household, name="王芳", gender="F", phone=""),
        "ouyang": ResidentFactory(household=household, name="欧阳建国", phone=""),
    }


def names(user, query):
    return [r.name for r in search_residents(user, query)]


def test_by_name_exact_before_partial(secretary, people, world):
    assert names(secretary, "张三")[:2] == ["张三", "张三丰"]
    assert names(secretary, "王芳") == ["王芳"]  # a two-character name


def test_by_given_name_without_the_surname(secretary, people, world):
    assert names(secretary, "建国") == ["张建国", "欧阳建国"]
    assert "张建国" in names(secretary, "张建")


def test_by_pinyin_and_initials(secretary, people):
    assert names(secretary, "zhangsan")[:2] == ["张三", "张三丰"]
    assert names(secretary, "zs")[0] == "张三"
    assert names(secretary, "zsf") == ["张三丰"]
    assert names(secretary, "zhangj") == ["张建国"]


def test_by_phone_tail_full_phone_and_id(secretary, people, world):
    assert names(secretary, "5555") == ["张三丰"]
    assert names(secretary, "13700001234") == ["张三"]
    number = world.resident.id_number
    assert names(secretary, number.lower()) == ["张建国"]
    assert "张建国" in names(secretary, number[:6])


@pytest.mark.parametrize(
    "query", ["12号楼301", "12-301", "12幢301室", "十二号楼301", "绿园八村12号301"]
)
def test_by_address(secretary, people, query):
    assert set(names(secretary, query)) == {"张建国", "张三", "张三丰", "王芳", "欧阳建国"}


def test_address_with_a_stairwell(secretary, world):
    building = Building.objects.create(compound=world.compound_a, number="5", stairwell="2")
    ResidentFactory(household=HouseholdFactory(building=building, room="101"), name="赵敏")
    assert names(secretary, "5号楼2单元101") == ["赵敏"]


def test_current_residents_before_those_who_left(secretary, world):
    gone = ResidentFactory(household=world.household_a, name="张建国", birth_date=date(1940, 1, 1))
    Resident.objects.filter(pk=gone.pk).update(status="moved_out", status_date=date(2020, 1, 1))
    results = search_residents(secretary, "张建国")
    assert [r.pk for r in results] == [world.resident.pk, gone.pk]


def test_only_within_what_the_user_may_see(worker_in, worker_out, editor, admin, world, people):
    assert "张建国" in names(worker_in, "张建国")
    assert names(worker_out, "张建国") == []
    assert names(worker_out, "13812345678") == []
    assert names(worker_out, "12号楼301") == []
    assert names(worker_out, "李秀英") == ["李秀英"]
    assert names(editor, "张建国") == []
    assert names(admin, "zjg") == []
    assert names(worker_in, "王小明") == []  # another area


@pytest.mark.parametrize(
    ("query", "queries"), [("zs", 3), ("张三", 3), ("5555", 1), ("12号楼301", 1)]
)
def test_search_runs_a_bounded_number_of_queries(
    secretary, people, django_assert_max_num_queries, query, queries
):
    secretary.patch_compounds.count()  # the scope itself is computed once per user
    with django_assert_max_num_queries(queries):
        assert search_residents(secretary, query)


@pytest.mark.parametrize("field", ["name", "given_name", "name_pinyin", "name_initials"])
def test_a_prefix_key_is_read_in_order_from_its_index(db, field):
    """The first 20 holders of a common key come from the index in the search's own order:
    no database sorts every holder (PostgreSQL: migration people 0011; SQLite: its indexes
    end with the rowid)."""
    from django.db import connection

    from jinlin.people.search import _prefix_rows

    rows = _prefix_rows(Resident.objects.all(), field, "zh").values_list("pk", flat=True)[:20]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Whatever a tiny test table's statistics suggest, a plan with no sort must exist.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
        plan = rows.explain()
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


def test_many_holders_elsewhere_do_not_crowd_out_the_users_own(secretary, world, people):
    """Each key's first 20 are chosen inside what the user may see, not cut city-wide first."""
    elsewhere = world.other_resident.household
    for _ in range(25):
        ResidentFactory(household=elsewhere, name="张三")
        ResidentFactory(household=elsewhere, name="张三丰")
    assert names(secretary, "张三") == ["张三", "张三丰"]
    assert names(secretary, "zs") == ["张三", "张三丰"]


def test_more_partial_than_the_limit_keeps_the_exact_first(secretary, world, people):
    for _ in range(25):
        ResidentFactory(household=world.household_a, name="张三丰")
    found = names(secretary, "张三")
    assert len(found) == 20
    assert found[0] == "张三" and set(found[1:]) == {"张三丰"}


def test_search_page_and_api(as_user, secretary, worker_out, world):
    page = as_user(secretary).get("/search/", {"q": "zjg"})
    assert "张建国" in page.content.decode()
    assert "张建国" not in as_user(worker_out).get("/search/", {"q": "zjg"}).content.decode()
    api = as_user(worker_out).get("/api/v1/residents", {"q": "张建国"})
    assert api.status_code == 200 and api.json() == []


# --- any text typed in the box ------------------------------------------------------------------

KINDS = {
    "empty",
    "phone_tail",
    "phone",
    "id",
    "id_prefix",
    "partial_number",
    "address",
    "pinyin",
    "name",
}


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(
            st.sampled_from(list("0123456789十二三〇号楼幢单元室-/ 绿园村张Xx٣\x00\u3000")),
            max_size=16,
        ).map("".join),
    )
)
def test_any_query_is_read_as_one_kind_of_key(query):
    kind, text = classify_query(query)
    assert kind in KINDS
    assert len(text) <= 50
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)
    if kind == "address":
        assert searchkeys.ADDRESS_PATTERN.match(text)
    name, initials = name_pinyin(query)
    assert len(name) <= 200 and len(initials) <= 20


@given(st.text(min_size=1, max_size=4), st.text(max_size=4))
def test_a_prefix_range_holds_every_text_that_starts_with_the_prefix(prefix, tail):
    end = searchkeys.prefix_end(prefix)
    if end is None:
        assert set(prefix) == {"\U0010ffff"}
        return
    assert prefix < end and prefix + tail < end
    end.encode()  # a string both databases can store


@pytest.mark.parametrize(
    "query",
    ["张\x00建国", "\U0010ffff", "张\U0010ffff", "建\ud7ff", "\ud800", "%", "_", "'--", "x" * 5000],
)
def test_hostile_queries_are_answered_without_error(secretary, people, query):
    """NUL was an error on PostgreSQL; U+10FFFF made the prefix range itself fail."""
    found = search_residents(secretary, query)
    assert all(resident.area_id == secretary.area_id for resident in found)


def test_a_nul_in_the_search_box_is_ignored(secretary, people, as_user):
    assert names(secretary, "张\x00三")[:1] == ["张三"]
    assert as_user(secretary).get("/search/", {"q": "张\x00三"}).status_code == 200


# --- no search discriminates on a hidden part of a number (docs/security.md) ----------------


@pytest.fixture
def branch_secretary(world):
    """Sees compound A's residents with ID numbers masked and no right to unmask them."""
    user = UserFactory(username="zhibu", role=Role.BRANCH_SECRETARY, area=world.area)
    user.patch_compounds.set([world.compound_a])
    return user


def test_an_id_number_cannot_be_rebuilt_digit_by_digit(as_user, branch_secretary, world):
    """The probe: 310110<d> for d = 0…9, then the next digit; 80 requests rebuilt a number."""
    client = as_user(branch_secretary)
    number = world.resident.id_number
    for known in range(6, 17):
        for digit in "0123456789":
            answer = client.get("/api/v1/residents", {"q": number[:known] + digit, "limit": 500})
            assert answer.status_code == 422
            assert answer.json()["detail"] == [
                {"field": "q", "message": searchkeys.MSG_PARTIAL_NUMBER}
            ]
        if known == 7:
            break  # every length is refused the same way; two suffice for the runtime


@pytest.mark.parametrize("length", [5, 6, 7, 8, 9, 10])
def test_a_phone_is_found_by_its_last_four_digits_or_whole_only(
    as_user, branch_secretary, world, length
):
    client = as_user(branch_secretary)
    phone = world.resident.phone  # 13812345678: 138****5678 to this role
    answer = client.get("/api/v1/residents", {"q": phone[-length:]})
    assert answer.status_code == (422 if length > 6 else 200)
    assert "张建国" not in answer.content.decode()
    for visible in (phone[-4:], phone):
        assert [r["name"] for r in client.get("/api/v1/residents", {"q": visible}).json()] == [
            "张建国"
        ]


def test_partial_numbers_are_refused_on_the_search_page_too(as_user, worker_in, world):
    client = as_user(worker_in)
    page = client.get("/search/", {"q": world.resident.id_number[:12]})
    assert page.status_code == 200
    text = page.content.decode()
    assert searchkeys.MSG_PARTIAL_NUMBER in text and "张建国" not in text
    concern = client.get("/concerns/new/", {"q": world.resident.id_number[:9]})
    assert searchkeys.MSG_PARTIAL_NUMBER in concern.content.decode()


def test_a_whole_id_number_finds_its_holder_and_is_audited(as_user, branch_secretary, world):
    number = world.resident.id_number
    found = as_user(branch_secretary).get("/api/v1/residents", {"q": number}).json()
    assert [r["name"] for r in found] == ["张建国"]
    assert found[0]["id_number"] != number  # still masked in the answer
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOOKUP)
    assert (event.actor, event.object_id, event.fields) == (
        branch_secretary,
        str(world.resident.pk),
        ["id_number"],
    )
    assert event.area_id == world.area.pk
    assert number not in event.reason and number[-4:] not in event.reason


def test_a_whole_phone_lookup_is_audited_even_when_nothing_is_found(as_user, worker_out, world):
    client = as_user(worker_out)
    assert client.get("/search/", {"q": world.resident.phone}).status_code == 200
    assert "张建国" not in client.get("/search/", {"q": world.resident.phone}).content.decode()
    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOOKUP, actor=worker_out)
    assert events.count() == 2
    assert {(e.object_id, tuple(e.fields)) for e in events} == {("", ("phone",))}


def test_names_and_tails_are_not_audited_as_lookups(secretary, people):
    names(secretary, "张三")
    names(secretary, "5555")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOOKUP).exists()


def test_region_prefix_results_are_in_name_order_not_in_the_hidden_digits(secretary, world):
    """Key order would rank residents of one region by their hidden birth dates."""
    region = world.resident.id_number[:6]
    household = world.household_a
    ResidentFactory(
        household=household,
        name="赵一",
        birth_date=date(1930, 1, 1),
        id_number=make_id_number(region, date(1930, 1, 1), 11, "M"),
    )
    ResidentFactory(
        household=household,
        name="阿二",
        birth_date=date(1990, 1, 1),
        id_number=make_id_number(region, date(1990, 1, 1), 12, "M"),
    )
    found = [r.name for r in search_residents(secretary, region) if r.name in {"赵一", "阿二"}]
    assert found == sorted(["赵一", "阿二"])
