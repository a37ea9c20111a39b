"""合并个案 (issue 12): two cases about the same problem become one; the other closes as 已合并
with a link both ways, in both timelines, audited; refusals change nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from jinlin.core.models import AuditEvent, Role
from jinlin.fieldwork.cases import services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.models import Case, CaseEvent, CaseEvidence, CaseStatus
from tests.factories import UserFactory
from tests.fieldwork.conftest import TODAY


def _open(actor, title, evidence=(), compound=None):
    return services.case_open(
        actor=actor,
        data=services.CaseInput(
            title=title,
            scope="family",
            subcategory="elderly_care",
            compound_id=compound.pk if compound else None,
        ),
        evidence=list(evidence),
    )


def _second_concern(world, worker):
    return concern_services.concern_record(
        actor=worker,
        data=concern_services.ConcernInput(
            channel="phone",
            scope="family",
            subcategory="elderly_care",
            words="女儿打电话来说老人晚上没人照应",
            resident_id=world.resident.pk,
        ),
    )


@pytest.fixture
def duplicate(world, worker_in, concern):
    """A second case about the same fall, opened from another call plus the same concern."""
    other = _second_concern(world, worker_in)
    dup = _open(worker_in, "张建国夜间跌倒（女儿来电）", [other, concern])
    services.case_set_root_cause(case=dup, actor=worker_in, root_cause="子女在外地，夜间无人照应")
    services.case_record_plan(
        case=dup,
        actor=worker_in,
        actions=[
            services.ActionInput(
                description="联系女儿商量安装呼叫器",
                owner_id=worker_in.pk,
                due_on=TODAY + timedelta(days=2),
            )
        ],
    )
    return dup


def test_merge_moves_evidence_and_actions_and_closes_the_other_as_merged(
    world, worker_in, case, duplicate, concern
):
    survivor = services.case_merge(
        case=duplicate, actor=worker_in, into_id=case.pk, reason="同一次跌倒"
    )

    duplicate.refresh_from_db()
    assert survivor.pk == case.pk
    assert duplicate.status == CaseStatus.MERGED
    assert duplicate.get_status_display() == "已合并"
    assert duplicate.closed_at is not None and duplicate.merged_into_id == case.pk
    assert list(case.merged_cases.all()) == [duplicate]
    # Both calls are evidence of the survivor, the shared one once; the plan came along.
    assert case.evidence.count() == 2
    assert CaseEvidence.objects.filter(concern=concern).count() == 1
    assert not duplicate.evidence.exists()
    assert [a.description for a in case.actions.all()] == ["联系女儿商量安装呼叫器"]
    # The survivor had no root cause: it takes the merged one's, so its plan is not without one.
    survivor.refresh_from_db()
    assert survivor.root_cause == "子女在外地，夜间无人照应"
    assert survivor.status == CaseStatus.ACTING
    assert survivor.events.filter(
        kind=CaseEvent.Kind.MERGED, text__contains=f"#{duplicate.pk}"
    ).exists()
    assert duplicate.events.filter(
        kind=CaseEvent.Kind.MERGED, text__contains=f"#{case.pk}"
    ).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.MERGE)
    assert (event.object_id, event.fields, event.reason) == (
        str(duplicate.pk),
        [f"into:{case.pk}"],
        "同一次跌倒",
    )


def _snapshot():
    return [
        (c.pk, c.status, c.closed_at, c.merged_into_id, c.evidence.count(), c.actions.count())
        for c in Case.objects.order_by("pk")
    ]


def test_merging_a_case_into_itself_is_refused(worker_in, case):
    with pytest.raises(ValidationError) as refused:
        services.case_merge(case=case, actor=worker_in, into_id=case.pk)
    assert services.MSG_MERGE_SELF in refused.value.messages


def test_merging_across_areas_is_refused_and_changes_nothing(world, case):
    root = UserFactory(username="root", is_superuser=True, role=Role.AREA_SECRETARY)
    elsewhere = services.case_open(
        actor=root,
        data=services.CaseInput(
            title="天山路灯",
            scope="community",
            subcategory="facilities",
            household_id=world.other_resident.household_id,
        ),
    )
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        services.case_merge(case=case, actor=root, into_id=elsewhere.pk)
    assert services.MSG_MERGE_OTHER_AREA in refused.value.messages
    assert _snapshot() == before


def test_a_secretary_cannot_reach_a_case_of_another_area(world, secretary, case):
    with pytest.raises(ValidationError) as refused:
        services.case_merge(case=case, actor=secretary, into_id=10**9)
    assert services.MSG_MERGE_TARGET_UNKNOWN in refused.value.messages


def test_merging_closed_or_merged_cases_is_refused(world, worker_in, case, duplicate):
    services.case_merge(case=duplicate, actor=worker_in, into_id=case.pk)
    third = _open(worker_in, "同一件事第三次登记", compound=world.compound_a)
    before = _snapshot()
    with pytest.raises(ValidationError) as refused:
        services.case_merge(case=third, actor=worker_in, into_id=duplicate.pk)
    assert services.MSG_MERGE_TARGET_CLOSED in refused.value.messages
    with pytest.raises(ValidationError) as refused:
        services.case_merge(case=duplicate, actor=worker_in, into_id=third.pk)
    assert services.MSG_MERGE_CLOSED in refused.value.messages
    assert _snapshot() == before


def test_a_merged_case_is_not_reopened(worker_in, case, duplicate):
    services.case_merge(case=duplicate, actor=worker_in, into_id=case.pk)
    with pytest.raises(ValidationError) as refused:
        services.case_reopen(case=duplicate, actor=worker_in, reason="想再看看")
    assert f"已合并到个案 #{case.pk}" in " ".join(refused.value.messages)


def test_worker_outside_the_patch_cannot_merge(worker_out, case, duplicate):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.case_merge(case=duplicate, actor=worker_out, into_id=case.pk)
    assert Case.objects.get(pk=duplicate.pk).merged_into_id is None


def test_case_page_merges_and_links_both_ways(worker_in, case, duplicate, as_user):
    client = as_user(worker_in)
    page = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert 'id="merge"' in page and f"#{case.pk} {case.title}" in page
    response = client.post(
        f"/cases/{duplicate.pk}/",
        {"form": "merge", "merge-into": case.pk, "merge-reason": "同一问题"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    survivor = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="merged-from"' in survivor and f"/cases/{duplicate.pk}/" in survivor
    merged = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert 'id="merged-into"' in merged and "已合并" in merged
    assert 'name="form" value="reopen"' not in merged


def test_case_page_refuses_merging_into_an_unknown_case_with_a_message(worker_in, case, as_user):
    response = as_user(worker_in).post(
        f"/cases/{case.pk}/", {"form": "merge", "merge-into": case.pk}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert Case.objects.get(pk=case.pk).merged_into_id is None


def test_api_merge_and_its_refusal(worker_in, case, duplicate, as_user):
    client = as_user(worker_in)
    refused = client.post(
        f"/api/v1/cases/{case.pk}/merge",
        data=json.dumps({"into_case_id": case.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["message"] == services.MSG_MERGE_SELF
    response = client.post(
        f"/api/v1/cases/{duplicate.pk}/merge",
        data=json.dumps({"into_case_id": case.pk, "reason": "同一问题"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["id"] == case.pk
    assert response.json()["merged_from_ids"] == [duplicate.pk]
    assert client.get(f"/api/v1/cases/{duplicate.pk}").json()["status"] == "merged"
