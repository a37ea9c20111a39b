"""The secretary keeps a compound's building adjacency: by hand, or from building numbers."""

from __future__ import annotations

import pytest

from jinlin.core.models import AuditEvent
from jinlin.places.models import BuildingAdjacency
from tests.conftest import login
from tests.factories import BuildingFactory


@pytest.fixture
def row(world):
    """绿园八村: 12号楼 (the world's) plus 1–5号楼 and 6号楼 with two stairwells."""
    compound = world.compound_a
    buildings = {str(n): BuildingFactory(compound=compound, number=str(n)) for n in range(1, 6)}
    buildings["12"] = world.building_a
    buildings["6/1"] = BuildingFactory(compound=compound, number="6", stairwell="1")
    buildings["6/2"] = BuildingFactory(compound=compound, number="6", stairwell="2")
    return buildings


def edges(compound) -> set[tuple[str, str]]:
    """The compound's pairs of neighbours by label, each pair in label order."""
    return {
        tuple(sorted([edge.first.label, edge.second.label]))
        for edge in BuildingAdjacency.objects.filter(first__compound=compound).select_related(
            "first", "second"
        )
    }


def url(world, tail=""):
    return f"/compounds/{world.compound_a.pk}/adjacency/{tail}"


def test_the_secretary_previews_a_proposal_from_numbers_and_applies_it(world, secretary, row):
    client = login(secretary)
    page = client.get(url(world), {"propose": "1", "row_length": "3"})
    html = page.content.decode()
    assert page.status_code == 200
    # Rows of three in number order: 1 2 3 / 4 5 6 / 12.
    assert "每排 3 幢" in html
    assert "新增 9 对，取消 0 对" in html
    assert "1号楼—2号楼" in html and "6号楼1门洞—6号楼2门洞" in html
    assert BuildingAdjacency.objects.count() == 0  # a preview writes nothing
    fingerprint = page.context["proposal"]["fingerprint"]
    answer = client.post(url(world, "apply/"), {"row_length": "3", "fingerprint": fingerprint})
    assert answer.status_code == 302
    assert edges(world.compound_a) == {
        ("1号楼", "2号楼"),
        ("2号楼", "3号楼"),
        ("4号楼", "5号楼"),
        ("5号楼", "6号楼1门洞"),
        ("6号楼1门洞", "6号楼2门洞"),
        ("1号楼", "4号楼"),
        ("2号楼", "5号楼"),
        ("3号楼", "6号楼1门洞"),
        ("12号楼", "4号楼"),
    }
    event = AuditEvent.objects.get(action=AuditEvent.Action.ADJACENCY)
    assert event.actor == secretary and event.area_id == world.area.pk
    assert "新增 9" in event.reason
    # Applying the same proposal again changes nothing.
    again = client.get(url(world), {"propose": "1", "row_length": "3"}).content.decode()
    assert "现有相邻关系与该方案一致" in again


def test_a_proposal_read_before_someone_changed_the_adjacency_is_refused(world, secretary, row):
    client = login(secretary)
    fingerprint = client.get(url(world), {"propose": "1"}).context["proposal"]["fingerprint"]
    client.post(url(world, "add/"), {"first": row["1"].pk, "second": row["12"].pk})
    answer = client.post(url(world, "apply/"), {"row_length": "", "fingerprint": fingerprint})
    assert answer.status_code == 409
    assert "已被修改" in answer.content.decode()
    assert edges(world.compound_a) == {("12号楼", "1号楼")}


def test_pairs_are_added_and_removed_by_hand_and_audited(world, secretary, row):
    client = login(secretary)
    assert (
        client.post(url(world, "add/"), {"first": row["3"].pk, "second": row["12"].pk}).status_code
        == 302
    )
    assert edges(world.compound_a) == {("12号楼", "3号楼")}
    html = client.get(url(world)).content.decode()
    assert "取消 3号楼 与 12号楼 相邻" in html and "取消 12号楼 与 3号楼 相邻" in html
    assert (
        client.post(
            url(world, "remove/"), {"first": row["12"].pk, "second": row["3"].pk}
        ).status_code
        == 302
    )
    assert edges(world.compound_a) == set()
    reasons = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.ADJACENCY).values_list(
            "reason", flat=True
        )
    )
    # Named by the lower id first: 12号楼 is the world's, older than 3号楼.
    assert sorted(reasons) == ["取消相邻：12号楼—3号楼", "设置相邻：12号楼—3号楼"]


@pytest.mark.parametrize(
    ("tail", "data", "message"),
    [
        ("add/", {"first": "A", "second": ""}, "请选择本小区的楼组"),
        ("add/", {"first": "same", "second": "same"}, "请选择两个不同的楼组"),
        ("add/", {"first": "1", "second": "other"}, "请选择本小区的楼组"),
        ("remove/", {"first": "1", "second": "2"}, "这两个楼组原本就不相邻"),
        ("apply/", {"row_length": "0", "fingerprint": "x"}, "每排楼数应为 1 到 40 之间的整数"),
        ("apply/", {"row_length": "三", "fingerprint": "x"}, "每排楼数应为 1 到 40 之间的整数"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    world, secretary, row, tail, data, message
):
    values = {
        key: {
            "same": row["1"].pk,
            "1": row["1"].pk,
            "2": row["2"].pk,
            "other": world.building_b.pk,  # 绿园九村: another compound
        }.get(value, value)
        for key, value in data.items()
    }
    client = login(secretary)
    answer = client.post(url(world, tail), values)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert BuildingAdjacency.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ADJACENCY).exists()


def test_only_the_areas_secretary_has_the_page(world, worker_in, admin, editor, secretary, row):
    for user in (worker_in, admin, editor):
        client = login(user)
        assert client.get(url(world)).status_code == 404
        assert (
            client.post(
                url(world, "add/"), {"first": row["1"].pk, "second": row["2"].pk}
            ).status_code
            == 404
        )
    assert BuildingAdjacency.objects.count() == 0
    compound_page = login(secretary).get(f"/compounds/{world.compound_a.pk}/").content.decode()
    assert url(world) in compound_page
    assert (
        url(world)
        not in login(worker_in).get(f"/compounds/{world.compound_a.pk}/").content.decode()
    )


# --- API -------------------------------------------------------------------------------------


def test_api_reads_proposes_applies_and_removes(world, secretary, row):
    client = login(secretary)
    base = f"/api/v1/compounds/{world.compound_a.pk}/adjacency"
    current = client.get(base).json()
    assert current["edges"] == [] and len(current["buildings"]) == 8
    proposal = client.get(f"{base}/proposal", {"row_length": 10}).json()
    assert proposal["rows"] == [["1", "2", "3", "4", "5", "6", "12"]]
    assert len(proposal["added"]) == 7 and proposal["removed"] == []
    stale = client.post(
        f"{base}/proposal",
        {"row_length": 10, "fingerprint": "0" * 16},
        content_type="application/json",
    )
    assert stale.status_code == 409
    applied = client.post(
        f"{base}/proposal",
        {"row_length": 10, "fingerprint": proposal["fingerprint"]},
        content_type="application/json",
    )
    assert applied.json() == {"added": 7, "removed": 0, "kept": 0}
    first, second = client.get(base).json()["edges"][0]
    assert client.delete(f"/api/v1/adjacency/{first}/{second}").status_code == 204
    assert client.delete(f"/api/v1/adjacency/{first}/{second}").status_code == 404
    assert len(client.get(base).json()["edges"]) == 6


def test_api_refuses_bad_row_lengths_and_other_roles(world, secretary, worker_in, worker_out, row):
    base = f"/api/v1/compounds/{world.compound_a.pk}/adjacency"
    assert login(secretary).get(f"{base}/proposal", {"row_length": 0}).status_code == 422
    assert login(worker_in).get(base).status_code == 403
    assert login(worker_out).get(base).status_code == 404
    answer = login(worker_in).delete(f"/api/v1/adjacency/{row['1'].pk}/{row['2'].pk}")
    assert answer.status_code == 403


# --- command line --------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = StringIO(), StringIO()
    try:
        call_command("adjacency", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()


def test_command_proposes_for_compounds_without_adjacency_and_applies_on_request(world, row):
    import json

    status, out, _ = run("--area", "lv8", "--row-length", "10")
    assert status == 0
    assert "绿园八村：每排 10 幢，新增 7 对" in out and "尚未写入" in out
    assert "绿园九村：每排 10 幢，新增 0 对" in out  # one building: nothing to join
    assert BuildingAdjacency.objects.count() == 0
    status, out, _ = run("--area", "lv8", "--row-length", "10", "--apply", "--json")
    document = json.loads(out)
    assert document["applied"] is True
    by_name = {c["compound"]: c for c in document["compounds"]}
    assert by_name["绿园八村"]["rows"] == [["1", "2", "3", "4", "5", "6", "12"]]
    assert by_name["绿园八村"]["added"][0] == ["1号楼", "2号楼"]
    assert BuildingAdjacency.objects.count() == 7
    event = AuditEvent.objects.get(action=AuditEvent.Action.ADJACENCY)
    assert event.actor_name == "命令行 jinlin adjacency"
    # 绿园八村 now has adjacency: left alone unless --all.
    _, out, _ = run("--area", "lv8", "--compound", "绿园八村", "--row-length", "3")
    assert "没有需要处理的小区" in out
    _, out, _ = run("--area", "lv8", "--compound", "绿园八村", "--row-length", "3", "--all")
    assert "新增 4 对，取消 2 对，保留 5 对" in out
    assert BuildingAdjacency.objects.count() == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--area", "nowhere"), "没有找到居民区“nowhere”"),
        (("--area", "lv8", "--row-length", "0"), "每排楼数应为 1 到 40 之间的整数"),
        (("--area", "lv8", "--compound", "绿园十村"), "绿八居民区没有小区“绿园十村”"),
    ],
)
def test_command_refuses_bad_arguments(world, args, message):
    status, _, error = run(*args)
    assert status != 0 and message in error
    assert BuildingAdjacency.objects.count() == 0


# --- compounds of an area (joint Party branches) -----------------------------------------------


def area_url(world, tail=""):
    return f"/areas/{world.area.pk}/adjacency/{tail}"


def test_the_secretary_sets_and_removes_compound_neighbours(world, secretary):
    from jinlin.places.models import CompoundAdjacency

    client = login(secretary)
    assert area_url(world) in client.get(f"/areas/{world.area.pk}/").content.decode()
    html = client.get(area_url(world)).content.decode()
    assert "无相邻小区" in html
    pair = {"first": world.compound_b.pk, "second": world.compound_a.pk}
    assert client.post(area_url(world, "add/"), pair).status_code == 302
    assert CompoundAdjacency.objects.filter(
        first=world.compound_a, second=world.compound_b
    ).exists()
    html = client.get(area_url(world)).content.decode()
    assert "取消 绿园八村 与 绿园九村 相邻" in html and "无相邻小区" not in html
    assert client.post(area_url(world, "remove/"), pair).status_code == 302
    assert not CompoundAdjacency.objects.exists()
    reasons = sorted(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.ADJACENCY, object_type="area"
        ).values_list("reason", flat=True)
    )
    assert reasons == ["取消小区相邻：绿园八村—绿园九村", "设置小区相邻：绿园八村—绿园九村"]


@pytest.mark.parametrize(
    ("tail", "pair", "message"),
    [
        ("add/", ("a", "a"), "请选择两个不同的小区"),
        ("add/", ("a", "other"), "请选择本居民区的小区"),
        ("add/", ("a", ""), "请选择本居民区的小区"),
        ("remove/", ("a", "b"), "这两个小区原本就不相邻"),
    ],
)
def test_bad_compound_pairs_are_refused(world, secretary, tail, pair, message):
    from jinlin.places.models import Compound, CompoundAdjacency

    ids = {
        "a": world.compound_a.pk,
        "b": world.compound_b.pk,
        "other": Compound.objects.get(area=world.other_area).pk,
        "": "",
    }
    answer = login(secretary).post(
        area_url(world, tail), {"first": ids[pair[0]], "second": ids[pair[1]]}
    )
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not CompoundAdjacency.objects.exists()


def test_compound_adjacency_is_the_secretarys_in_pages_and_api(world, secretary, worker_in, admin):
    for user in (worker_in, admin):
        assert login(user).get(area_url(world)).status_code == 404
    api = f"/api/v1/areas/{world.area.pk}/adjacency"
    assert login(worker_in).get(api).status_code == 403
    client = login(secretary)
    body = {"first_id": world.compound_a.pk, "second_id": world.compound_b.pk}
    assert client.post(api, body, content_type="application/json").status_code == 201
    assert client.get(api).json()["edges"] == [sorted([world.compound_a.pk, world.compound_b.pk])]
    other = world.other_resident.compound_id
    refused = client.post(
        api, {"first_id": world.compound_a.pk, "second_id": other}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"field": "second_id", "message": "该小区不属于本居民区"}]
    first, second = sorted([world.compound_a.pk, world.compound_b.pk])
    assert client.delete(f"{api}/{first}/{second}").status_code == 204
    assert client.delete(f"{api}/{first}/{second}").status_code == 404


def test_a_large_estate_is_regenerated_in_one_apply(world, secretary):
    """1,200 号楼 from rows of 39 to rows of 40: over a thousand pairs removed at once."""
    from jinlin.places import services
    from jinlin.places.models import Building

    compound = world.compound_b
    Building.objects.bulk_create(
        Building(compound=compound, number=str(n), sort_key=n) for n in range(4, 1204)
    )
    total = Building.objects.filter(compound=compound).count()
    for row_length in (39, 40):
        proposal = services.adjacency_proposal(compound, row_length)
        change = services.adjacency_apply(
            compound=compound,
            row_length=row_length,
            fingerprint=proposal.fingerprint,
            actor=secretary,
        )
        stored = services.compound_edges(compound)
        assert stored == set(proposal.layout.edges)
    assert len(change.removed) > 1000
    # 1,201 号楼: 30 full rows of 40 and one more below the first.
    assert total == 1201 and len(stored) == 30 * 39 + 29 * 40 + 1
