"""转交 (issue 12): a leaving worker's open cases, concerns, actions and patch go to another
worker — by the area secretary, with a reason, all or nothing, audited, on the new owner's 今日."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jinlin.core.models import AuditEvent, Role
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.handover import services
from jinlin.fieldwork.models import Case, CaseAction, CaseEvent, Concern, Reassignment
from jinlin.overview.services import open_area
from tests.factories import UserFactory
from tests.fieldwork.conftest import TODAY

API = "/api/v1"
REASON = "陆佳怡调离，工作交王敏接手"


def post_json(client, path, payload):
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


def _planned(case, actor, owner):
    case_services.case_set_root_cause(case=case, actor=actor, root_cause="子女在外地，夜间无人照应")
    return case_services.case_record_plan(
        case=case,
        actor=actor,
        actions=[
            case_services.ActionInput(
                description="安装一键呼叫器", owner_id=owner.pk, due_on=TODAY + timedelta(days=3)
            )
        ],
    )[0]


def _closed_case(world, worker):
    closed = case_services.case_open(
        actor=worker,
        data=case_services.CaseInput(
            title="楼道灯坏了",
            scope="community",
            subcategory="facilities",
            compound_id=world.compound_a.pk,
        ),
    )
    action = _planned(closed, worker, worker)
    case_services.case_complete_action(action=action, actor=worker)
    case_services.case_close(case=closed, actor=worker, outcome="已修好", feedback="satisfied")
    return closed


@pytest.fixture
def wang(world):
    """The worker who takes over: another worker of the area, with no patch yet."""
    return UserFactory(username="wangmin", display_name="王敏", role=Role.WORKER, area=world.area)


def _state(*cases_and_concerns):
    return [
        (type(item).__name__, item.pk, type(item).objects.get(pk=item.pk).owner_id)
        for item in cases_and_concerns
    ]


# --- the whole handover of a leaving worker --------------------------------------------------


def test_leaving_worker_hands_open_work_and_patch_closed_cases_stay(
    world, secretary, worker_in, wang, case, concern
):
    action = _planned(case, worker_in, worker_in)
    closed = _closed_case(world, worker_in)

    done = services.handover_worker(
        actor=secretary, from_user_id=worker_in.pk, to_user_id=wang.pk, reason=REASON
    )

    case.refresh_from_db()
    action.refresh_from_db()
    closed.refresh_from_db()
    assert case.owner == wang
    assert action.owner == wang
    assert Concern.objects.get(pk=concern.pk).owner == wang
    assert closed.owner == worker_in  # closed ones keep their owner
    assert list(wang.patch_compounds.all()) == [world.compound_a]
    assert not worker_in.patch_compounds.exists()
    assert done.actions_moved == 1
    assert done.patch_places == ["绿园八村"]
    event = case.events.get(kind=CaseEvent.Kind.REASSIGNED)
    assert REASON in event.text and "王敏" in event.text
    assert not closed.events.filter(kind=CaseEvent.Kind.REASSIGNED).exists()
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.REASSIGN)
    assert {(e.object_type, e.object_id) for e in audited} == {
        ("case", str(case.pk)),
        ("concern", str(concern.pk)),
        ("user", str(worker_in.pk)),
    }
    # The patch moved under the secretary's name, not anonymously.
    patch_events = AuditEvent.objects.filter(
        action=AuditEvent.Action.ROLE_CHANGE, actor=secretary
    ).values_list("object_id", flat=True)
    assert set(patch_events) == {str(wang.pk), str(worker_in.pk)}


def test_her_open_action_in_a_colleagues_case_changes_hands_too(
    world, secretary, worker_in, worker_out, wang, concern
):
    theirs = case_services.case_open(
        actor=worker_out,
        data=case_services.CaseInput(
            title="九村停车纠纷",
            scope="community",
            subcategory="parking",
            compound_id=world.compound_b.pk,
        ),
    )
    action = _planned(theirs, worker_out, worker_in)

    services.handover_worker(
        actor=secretary, from_user_id=worker_in.pk, to_user_id=wang.pk, reason=REASON
    )

    action.refresh_from_db()
    theirs.refresh_from_db()
    assert action.owner == wang
    assert theirs.owner == worker_out  # the case stays its owner's
    assert theirs.events.filter(kind=CaseEvent.Kind.REASSIGNED, text__contains="王敏").exists()


@pytest.mark.parametrize(
    ("target", "reason", "message"),
    [
        ("inactive", REASON, services.MSG_TARGET_INVALID),
        ("other_area", REASON, services.MSG_TARGET_INVALID),
        ("secretary", REASON, services.MSG_TARGET_INVALID),
        ("leaving", REASON, services.MSG_TARGET_SAME),
        ("wang", "   ", services.MSG_REASON_NEEDED),
        ("wang", "很" * 201, services.MSG_REASON_TOO_LONG),
    ],
)
def test_refused_handover_changes_nothing(
    world, secretary, worker_in, wang, case, concern, target, reason, message
):
    _planned(case, worker_in, worker_in)
    targets = {
        "inactive": UserFactory(role=Role.WORKER, area=world.area, is_active=False),
        "other_area": UserFactory(role=Role.WORKER, area=world.other_area),
        "secretary": secretary,
        "leaving": worker_in,
        "wang": wang,
    }
    before = _state(case, concern)
    with pytest.raises(ValidationError) as refused:
        services.handover_worker(
            actor=secretary,
            from_user_id=worker_in.pk,
            to_user_id=targets[target].pk,
            reason=reason,
        )
    assert message in " ".join(refused.value.messages)
    assert _state(case, concern) == before
    assert CaseAction.objects.get().owner == worker_in
    assert list(worker_in.patch_compounds.all()) == [world.compound_a]
    assert not Reassignment.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REASSIGN).exists()
    assert not case.events.filter(kind=CaseEvent.Kind.REASSIGNED).exists()


def test_a_worker_of_another_area_cannot_be_handed_over_by_this_secretary(world, secretary, wang):
    stranger = UserFactory(role=Role.WORKER, area=world.other_area)
    with pytest.raises(ValidationError) as refused:
        services.handover_worker(
            actor=secretary, from_user_id=stranger.pk, to_user_id=wang.pk, reason=REASON
        )
    assert services.MSG_FROM_INVALID in refused.value.messages


def test_a_worker_with_nothing_open_is_told_so(world, secretary, wang):
    idle = UserFactory(role=Role.WORKER, area=world.area, display_name="赵静")
    with pytest.raises(ValidationError) as refused:
        services.handover_worker(
            actor=secretary, from_user_id=idle.pk, to_user_id=wang.pk, reason=REASON
        )
    assert "赵静没有未结的个案" in " ".join(refused.value.messages)


def test_the_patch_can_stay(world, secretary, worker_in, wang, case):
    services.handover_worker(
        actor=secretary,
        from_user_id=worker_in.pk,
        to_user_id=wang.pk,
        reason=REASON,
        include_patch=False,
    )
    assert Case.objects.get(pk=case.pk).owner == wang
    assert list(worker_in.patch_compounds.all()) == [world.compound_a]
    assert not wang.patch_compounds.exists()


def test_a_worker_may_not_hand_over(worker_in, worker_out, case):
    with pytest.raises(PermissionDenied):
        services.handover_worker(
            actor=worker_in, from_user_id=worker_in.pk, to_user_id=worker_out.pk, reason=REASON
        )
    with pytest.raises(PermissionDenied):
        services.case_reassign(case=case, actor=worker_in, to_user_id=worker_out.pk, reason=REASON)
    assert Case.objects.get(pk=case.pk).owner == worker_in


def test_subdistrict_admin_hands_over_only_an_area_it_opened(world, admin, worker_in, wang, case):
    with pytest.raises(PermissionDenied):
        services.handover_worker(
            actor=admin, from_user_id=worker_in.pk, to_user_id=wang.pk, reason=REASON
        )
    open_area(admin, world.area, "社工调离，协助转交")
    services.handover_worker(
        actor=admin, from_user_id=worker_in.pk, to_user_id=wang.pk, reason=REASON
    )
    assert Case.objects.get(pk=case.pk).owner == wang


# --- single items and lists -------------------------------------------------------------------


def test_items_all_or_nothing_a_closed_case_refuses_the_whole(
    world, secretary, worker_in, wang, case, concern
):
    closed = _closed_case(world, worker_in)
    with pytest.raises(ValidationError) as refused:
        services.handover_items(
            actor=secretary,
            to_user_id=wang.pk,
            reason=REASON,
            case_ids=[case.pk, closed.pk],
            concern_ids=[concern.pk],
        )
    assert f"个案 #{closed.pk} 已结案或已合并" in " ".join(refused.value.messages)
    assert _state(case, closed, concern) == [
        ("Case", case.pk, worker_in.pk),
        ("Case", closed.pk, worker_in.pk),
        ("Concern", concern.pk, worker_in.pk),
    ]
    assert not Reassignment.objects.exists()


def test_items_of_another_area_are_unknown_to_the_secretary(world, secretary, wang, case):
    stranger = UserFactory(role=Role.WORKER, area=world.other_area)
    elsewhere = concern_services.concern_record(
        actor=UserFactory(role=Role.AREA_SECRETARY, area=world.other_area),
        data=concern_services.ConcernInput(
            channel="office",
            scope="community",
            subcategory="other",
            words="路灯不亮",
            household_id=world.other_resident.household_id,
        ),
    )
    with pytest.raises(ValidationError) as refused:
        services.handover_items(
            actor=secretary,
            to_user_id=wang.pk,
            reason=REASON,
            case_ids=[case.pk],
            concern_ids=[elsewhere.pk],
        )
    assert f"没有找到诉求 #{elsewhere.pk}" in refused.value.messages
    assert stranger.pk  # the other area's worker is untouched
    assert Case.objects.get(pk=case.pk).owner_id != wang.pk


def test_reassigning_a_case_moves_its_owners_open_actions_and_says_so(
    secretary, worker_in, worker_out, case
):
    action = _planned(case, worker_in, worker_in)
    services.case_reassign(case=case, actor=secretary, to_user_id=worker_out.pk, reason="包片调整")
    action.refresh_from_db()
    assert action.owner == worker_out
    event = case.events.get(kind=CaseEvent.Kind.REASSIGNED)
    assert "1 项未完成措施随之转交" in event.text and "包片调整" in event.text


def test_reassigning_to_the_owner_is_refused(secretary, worker_in, case):
    with pytest.raises(ValidationError) as refused:
        services.case_reassign(case=case, actor=secretary, to_user_id=worker_in.pk, reason="x")
    assert f"已是 #{case.pk} 的负责人" in " ".join(refused.value.messages)


# --- the new owner at once ---------------------------------------------------------------------


def test_new_owner_sees_the_moved_cases_on_today_even_outside_its_patch(
    world, secretary, worker_in, worker_out, case, concern, as_user
):
    client = as_user(worker_out)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/concerns/{concern.pk}/").status_code == 404
    services.handover_worker(
        actor=secretary,
        from_user_id=worker_in.pk,
        to_user_id=worker_out.pk,
        reason=REASON,
        include_patch=False,
    )
    page = client.get("/today/").content.decode()
    assert 'id="handed-to-me"' in page
    assert case.title in page
    assert concern.real_need in page
    assert REASON in page
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get(f"/concerns/{concern.pk}/").status_code == 200
    # The leaver's today no longer lists them.
    assert 'id="handed-to-me"' not in as_user(worker_in).get("/today/").content.decode()


def test_concern_page_shows_its_handover_history(
    secretary, worker_in, worker_out, concern, as_user
):
    services.concern_reassign(
        concern=concern, actor=secretary, to_user_id=worker_out.pk, reason="跟进人休假"
    )
    page = as_user(secretary).get(f"/concerns/{concern.pk}/").content.decode()
    assert 'id="handovers"' in page and "跟进人休假" in page


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["worker_in", "worker_out", "editor", "admin"])
def test_handover_pages_are_404_to_all_but_the_secretary(
    request, world, case, concern, persona, as_user
):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(f"/areas/{world.area.pk}/handover/").status_code == 404
    assert client.get(f"/cases/{case.pk}/reassign/").status_code == 404
    assert client.get(f"/concerns/{concern.pk}/reassign/").status_code == 404


def test_bulk_page_shows_counts_and_patch_then_a_summary(
    world, secretary, worker_in, wang, case, concern, as_user
):
    client = as_user(secretary)
    page = client.get(f"/areas/{world.area.pk}/handover/?from={worker_in.pk}").content.decode()
    assert '<h3 id="count-cases">1</h3>' in page
    assert '<h3 id="count-concerns">1</h3>' in page
    assert "绿园八村（整个小区）" in page
    response = client.post(
        f"/areas/{world.area.pk}/handover/?from={worker_in.pk}",
        {"from_user": worker_in.pk, "to_user": wang.pk, "include_patch": "on", "reason": REASON},
    )
    assert response.status_code == 302
    summary = client.get(response["Location"]).content.decode()
    assert '<h3 id="moved-cases">1</h3>' in summary and "绿园八村" in summary


def test_bulk_page_without_a_reason_says_so_and_changes_nothing(
    world, secretary, worker_in, wang, case, as_user
):
    response = as_user(secretary).post(
        f"/areas/{world.area.pk}/handover/?from={worker_in.pk}",
        {"from_user": worker_in.pk, "to_user": wang.pk, "reason": ""},
    )
    assert response.status_code == 200
    assert services.MSG_REASON_NEEDED in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner == worker_in


def test_case_page_offers_reassign_to_the_secretary_only(secretary, worker_in, case, as_user):
    assert (
        f"/cases/{case.pk}/reassign/"
        in as_user(secretary).get(f"/cases/{case.pk}/").content.decode()
    )
    assert (
        f"/cases/{case.pk}/reassign/"
        not in as_user(worker_in).get(f"/cases/{case.pk}/").content.decode()
    )


def test_case_reassign_page_refuses_a_worker_of_another_area(world, secretary, case, as_user):
    stranger = UserFactory(role=Role.WORKER, area=world.other_area)
    response = as_user(secretary).post(
        f"/cases/{case.pk}/reassign/", {"to_user": stranger.pk, "reason": REASON}
    )
    assert response.status_code == 200
    assert (
        "选择一个有效的选项" in response.content.decode()
        or services.MSG_TARGET_INVALID in response.content.decode()
    )
    assert Case.objects.get(pk=case.pk).owner_id != stranger.pk


# --- API --------------------------------------------------------------------------------------


def test_api_worker_is_refused_403_and_outside_scope_404(worker_in, worker_out, case, as_user):
    payload = {"to_user_id": worker_out.pk, "reason": REASON}
    assert post_json(as_user(worker_in), f"/cases/{case.pk}/reassign", payload).status_code == 403
    assert post_json(as_user(worker_out), f"/cases/{case.pk}/reassign", payload).status_code == 404
    assert Case.objects.get(pk=case.pk).owner == worker_in


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to_user_id": 0, "reason": REASON}, "to_user_id"),
        ({"to_user_id": 2**63, "reason": REASON}, "to_user_id"),
        ({"to_user_id": "王敏", "reason": REASON}, "to_user_id"),
        ({"to_user_id": 1}, "reason"),
    ],
)
def test_api_bad_input_is_422_with_the_field(secretary, case, as_user, payload, field):
    response = post_json(as_user(secretary), f"/cases/{case.pk}/reassign", payload)
    assert response.status_code == 422
    assert field in [item["field"] for item in response.json()["detail"]]
    assert not Reassignment.objects.exists()


def test_api_reassigns_a_case_and_a_whole_worker(
    world, secretary, worker_in, wang, case, concern, as_user
):
    client = as_user(secretary)
    response = post_json(
        client, f"/cases/{case.pk}/reassign", {"to_user_id": wang.pk, "reason": REASON}
    )
    assert response.status_code == 201
    assert response.json()["case_ids"] == [case.pk]
    holding = client.get(f"{API}/handover/workers/{worker_in.pk}").json()
    assert (holding["open_cases"], holding["open_concerns"]) == (0, 1)
    response = post_json(
        client,
        "/handover/worker",
        {"from_user_id": worker_in.pk, "to_user_id": wang.pk, "reason": REASON},
    )
    assert response.status_code == 201
    assert response.json()["concern_ids"] == [concern.pk]
    assert response.json()["patch_places"] == ["绿园八村"]


def test_api_items_refused_whole_with_a_message(world, secretary, worker_in, wang, case, as_user):
    closed = _closed_case(world, worker_in)
    response = post_json(
        as_user(secretary),
        "/handover/items",
        {"to_user_id": wang.pk, "reason": REASON, "case_ids": [case.pk, closed.pk]},
    )
    assert response.status_code == 422
    assert f"个案 #{closed.pk} 已结案或已合并，不再转交" in response.json()["detail"][0]["message"]
    assert Case.objects.get(pk=case.pk).owner == worker_in


def test_handover_keeps_times_aware(secretary, worker_in, wang, case):
    done = services.case_reassign(case=case, actor=secretary, to_user_id=wang.pk, reason=REASON)
    assert timezone.is_aware(done.at)
