"""The case 个案 lifecycle: evidence, root cause before plan, actions, closing, reopening, timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.models import Case, CaseAction, CaseEvent, CaseStatus, derive_case_status
from tests.factories import UserFactory


def plan(case, actor, *, days=7, owner=None, text="安装一键呼叫设备"):
    return case_services.case_record_plan(
        case=case,
        actor=actor,
        actions=[
            case_services.ActionInput(
                description=text,
                owner_id=(owner or actor).pk,
                due_on=timezone.localdate() + timedelta(days=days),
            )
        ],
    )


def status_of(case) -> str:
    return Case.objects.get(pk=case.pk).status


def test_case_opened_from_a_concern_takes_its_place_and_evidence(case, world, worker_in):
    assert case.household_id == world.household_a.pk
    assert case.compound_id == world.compound_a.pk
    assert case.owner == worker_in
    assert case.evidence.count() == 1
    assert case.status == CaseStatus.DIAGNOSING


def test_plan_before_root_cause_is_refused_and_nothing_changes(case, worker_in):
    with pytest.raises(ValidationError) as refused:
        plan(case, worker_in)
    assert refused.value.message_dict["root_cause"] == [case_services.MSG_PLAN_BEFORE_ROOT_CAUSE]
    assert CaseAction.objects.count() == 0
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.ACTION).exists()
    assert status_of(case) == CaseStatus.DIAGNOSING


def test_a_blank_or_token_root_cause_does_not_open_the_gate(case, worker_in):
    for text in ("", "   ", "无"):
        with pytest.raises(ValidationError):
            case_services.case_set_root_cause(case=case, actor=worker_in, root_cause=text)
    assert Case.objects.get(pk=case.pk).root_cause == ""
    with pytest.raises(ValidationError):
        plan(case, worker_in)


def test_full_lifecycle_status_follows_contents(case, worker_in):
    case_services.case_set_root_cause(
        case=case, actor=worker_in, root_cause="子女在外地，老人独居且无紧急呼叫手段"
    )
    assert status_of(case) == CaseStatus.PLANNING
    [action] = plan(case, worker_in)
    assert status_of(case) == CaseStatus.ACTING
    case_services.case_complete_action(action=action, actor=worker_in, note="已安装")
    assert status_of(case) == CaseStatus.CLOSING
    case_services.case_close(
        case=case, actor=worker_in, outcome="已安装一键呼叫，子女每晚电话", feedback="satisfied"
    )
    closed = Case.objects.get(pk=case.pk)
    assert closed.status == CaseStatus.CLOSED
    assert closed.feedback == "satisfied"


def test_adding_an_action_after_all_are_done_returns_the_case_to_acting(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    [action] = plan(case, worker_in)
    case_services.case_complete_action(action=action, actor=worker_in)
    plan(case, worker_in, text="联系子女")
    assert status_of(case) == CaseStatus.ACTING


def test_action_due_before_the_case_opened_is_refused(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    with pytest.raises(ValidationError) as refused:
        plan(case, worker_in, days=-1)
    assert "不能早于立案日期" in refused.value.message_dict["due_on"][0]
    assert CaseAction.objects.count() == 0


def test_action_due_on_the_opening_day_is_fine(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    [action] = plan(case, worker_in, days=0)
    assert action.due_on == timezone.localdate()


def test_a_plan_is_all_or_nothing(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    good = case_services.ActionInput(
        description="联系子女", owner_id=worker_in.pk, due_on=timezone.localdate()
    )
    bad = case_services.ActionInput(
        description="", owner_id=worker_in.pk, due_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        case_services.case_record_plan(case=case, actor=worker_in, actions=[good, bad])
    assert CaseAction.objects.count() == 0


def test_action_owner_must_be_staff_of_the_area(case, worker_in, world):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    stranger = UserFactory(role="worker", area=world.other_area)
    with pytest.raises(ValidationError) as refused:
        plan(case, worker_in, owner=stranger)
    assert refused.value.message_dict["owner_id"] == [case_services.MSG_OWNER_INVALID]


def test_cannot_close_with_open_actions_or_without_plan(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    with pytest.raises(ValidationError) as no_plan:
        case_services.case_close(case=case, actor=worker_in, outcome="好了", feedback="satisfied")
    assert no_plan.value.message_dict["actions"] == [case_services.MSG_CLOSE_NEEDS_PLAN]
    plan(case, worker_in)
    with pytest.raises(ValidationError) as open_actions:
        case_services.case_close(case=case, actor=worker_in, outcome="好了", feedback="satisfied")
    assert "1 项措施未完成" in open_actions.value.message_dict["actions"][0]
    assert Case.objects.get(pk=case.pk).closed_at is None


def test_closing_needs_outcome_and_feedback(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    [action] = plan(case, worker_in)
    case_services.case_complete_action(action=action, actor=worker_in)
    with pytest.raises(ValidationError):
        case_services.case_close(case=case, actor=worker_in, outcome="", feedback="satisfied")
    with pytest.raises(ValidationError) as refused:
        case_services.case_close(case=case, actor=worker_in, outcome="已解决", feedback="great")
    assert refused.value.message_dict["feedback"] == [case_services.MSG_FEEDBACK_NEEDED]


def closed_case(case, actor):
    case_services.case_set_root_cause(case=case, actor=actor, root_cause="无紧急呼叫手段")
    [action] = plan(case, actor)
    case_services.case_complete_action(action=action, actor=actor)
    return case_services.case_close(
        case=case, actor=actor, outcome="已安装呼叫器", feedback="partly"
    )


def test_reopening_keeps_the_earlier_outcome_in_the_timeline(case, worker_in):
    closed_case(case, worker_in)
    reopened = case_services.case_reopen(
        case=case, actor=worker_in, reason="呼叫器坏了，老人又摔了一次"
    )
    assert reopened.closed_at is None
    assert reopened.times_reopened == 1
    assert reopened.status == CaseStatus.CLOSING  # all earlier actions are done
    texts = list(case.events.values_list("kind", "text"))
    assert ("closed", "已安装呼叫器（居民反馈：基本满意）") in texts
    assert texts[-1] == ("reopened", "呼叫器坏了，老人又摔了一次")
    plan(case, worker_in, text="更换呼叫器")
    assert status_of(case) == CaseStatus.ACTING


def test_reopen_needs_a_closed_case_and_a_reason(case, worker_in):
    with pytest.raises(ValidationError):
        case_services.case_reopen(case=case, actor=worker_in, reason="再看看")
    closed_case(case, worker_in)
    with pytest.raises(ValidationError):
        case_services.case_reopen(case=case, actor=worker_in, reason=" ")


def test_a_closed_case_takes_no_more_plan_or_evidence(case, worker_in, world):
    closed_case(case, worker_in)
    with pytest.raises(ValidationError) as refused:
        plan(case, worker_in)
    assert refused.value.message_dict["case"] == [case_services.MSG_CASE_CLOSED]


def test_timeline_lists_every_step_in_order(case, worker_in):
    closed_case(case, worker_in)
    case_services.case_reopen(case=case, actor=worker_in, reason="复发")
    kinds = list(case.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        "opened",
        "evidence",
        "root_cause",
        "action",
        "action_done",
        "closed",
        "reopened",
    ]
    times = list(case.events.order_by("id").values_list("at", flat=True))
    assert times == sorted(times)


def test_evidence_joins_once_and_only_from_the_same_area(case, worker_in, world, secretary):
    other = concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="phone",
            scope="family",
            subcategory="elderly_care",
            words="又摔了",
            resident_id=world.resident.pk,
        ),
    )
    case_services.case_add_evidence(case=case, actor=worker_in, item=other)
    with pytest.raises(ValidationError) as twice:
        case_services.case_add_evidence(case=case, actor=worker_in, item=other)
    assert twice.value.message_dict["evidence"] == [case_services.MSG_EVIDENCE_TWICE]
    assert case.evidence.count() == 2


def test_status_is_always_what_contents_say(case, worker_in):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="无紧急呼叫手段")
    plan(case, worker_in)
    case.refresh_from_db()
    actions = case.actions.all()
    derived = derive_case_status(
        has_root_cause=bool(case.root_cause),
        actions=len(actions),
        open_actions=sum(1 for a in actions if a.done_at is None),
        is_closed=case.closed_at is not None,
    )
    assert case.status == derived


@pytest.mark.parametrize(
    ("root", "actions", "open_", "closed", "expected"),
    [
        (False, 0, 0, False, CaseStatus.DIAGNOSING),
        (True, 0, 0, False, CaseStatus.PLANNING),
        (True, 2, 1, False, CaseStatus.ACTING),
        (True, 2, 0, False, CaseStatus.CLOSING),
        (True, 2, 0, True, CaseStatus.CLOSED),
    ],
)
def test_derive_case_status(root, actions, open_, closed, expected):
    assert (
        derive_case_status(
            has_root_cause=root, actions=actions, open_actions=open_, is_closed=closed
        )
        == expected
    )


def test_subdistrict_admin_may_not_write(case, admin):
    with pytest.raises(PermissionDenied):
        case_services.case_set_root_cause(case=case, actor=admin, root_cause="无紧急呼叫手段")


def test_worker_outside_the_patch_may_not_work_on_the_case(case, worker_out):
    with pytest.raises(PermissionDenied):
        case_services.case_set_root_cause(case=case, actor=worker_out, root_cause="无紧急呼叫手段")


def test_talent_help_is_recorded_for_a_talent_only(case, worker_in, world):
    from tests.fieldwork.conftest import add_group

    with pytest.raises(ValidationError):
        case_services.case_record_talent_help(
            case=case,
            actor=worker_in,
            talent_id=world.resident_b.pk,
            skill="维修",
            description="修呼叫器",
            helped_on=timezone.localdate(),
        )
    add_group(
        world.resident_b, "talent", timezone.localdate() - timedelta(days=100), skills=["维修"]
    )
    case_services.case_record_talent_help(
        case=case,
        actor=worker_in,
        talent_id=world.resident_b.pk,
        skill="维修",
        description="修呼叫器",
        helped_on=timezone.localdate(),
    )
    assert case.talent_help.count() == 1
    assert case.events.filter(kind="talent_help").exists()
