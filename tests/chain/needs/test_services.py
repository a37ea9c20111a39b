"""The needs services: publishing, claiming, confirming, completing — every refusal, in Chinese."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.chain.needs import selectors, services
from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim
from jinlin.core.models import AuditEvent
from tests.chain.needs.conftest import (
    TODAY_15,
    TOMORROW_9,
    confirmed,
    done_claim,
    need_on,
    network_member,
    publish,
)
from tests.party.conftest import SHANGHAI


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# --- publishing --------------------------------------------------------------------------------


def test_secretary_and_worker_publish_and_it_is_audited(organised, secretary, worker_out):
    area = organised.world.area
    need = publish(secretary, area)
    assert (need.title, need.hours, need.people_needed, need.created_by) == (
        "陪同独居老人就医",
        Decimal("2.0"),
        2,
        secretary,
    )
    assert publish(worker_out, area, title="楼道清理").created_by == worker_out
    assert AuditEvent.objects.filter(object_type="need").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "  "}, "title", services.MSG_TITLE_REQUIRED),
        ({"title": "长" * 61}, "title", services.MSG_TITLE_LONG),
        ({"description": "长" * 501}, "description", services.MSG_DESCRIPTION_LONG),
        ({"place": ""}, "place", services.MSG_PLACE_REQUIRED),
        ({"place": "长" * 61}, "place", services.MSG_PLACE_LONG),
        ({"starts_at": None}, "starts_at", services.MSG_STARTS_REQUIRED),
        (
            {"starts_at": datetime(2026, 11, 25, 9, 0, tzinfo=SHANGHAI)},
            "starts_at",
            services.MSG_STARTS_PAST,
        ),
        ({"hours": Decimal("0")}, "hours", services.MSG_HOURS),
        ({"hours": Decimal("0.7")}, "hours", services.MSG_HOURS),
        ({"hours": Decimal("24.5")}, "hours", services.MSG_HOURS),
        ({"hours": "abc"}, "hours", services.MSG_HOURS),
        ({"hours": Decimal("NaN")}, "hours", services.MSG_HOURS),
        ({"people_needed": 0}, "people_needed", services.MSG_PEOPLE),
        ({"people_needed": 51}, "people_needed", services.MSG_PEOPLE),
        ({"people_needed": True}, "people_needed", services.MSG_PEOPLE),
    ],
)
def test_publish_refuses_bad_input_and_stores_nothing(
    organised, secretary, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        publish(secretary, organised.world.area, **changes)
    assert messages_of(refused.value)[field] == [message]
    assert Need.objects.count() == 0


def test_publish_is_the_committees_alone(
    organised, worker_elsewhere, branch_secretary, member, editor
):
    for actor in (worker_elsewhere, branch_secretary, member, editor):
        with pytest.raises(PermissionDenied):
            publish(actor, organised.world.area)
    assert Need.objects.count() == 0


def test_withdraw_once_and_by_the_committee(organised, secretary, worker_elsewhere):
    need = publish(secretary, organised.world.area)
    with pytest.raises(PermissionDenied):
        services.need_withdraw(need=need, actor=worker_elsewhere)
    services.need_withdraw(need=need, actor=secretary)
    assert Need.objects.get().withdrawn_at is not None
    with pytest.raises(ValidationError, match=services.MSG_NEED_WITHDRAWN):
        services.need_withdraw(need=need, actor=secretary)


# --- claiming ----------------------------------------------------------------------------------


def test_member_claims_once(organised, secretary, member):
    need = publish(secretary, organised.world.area)
    claim = services.need_claim(need=need, actor=member)
    assert (claim.status, claim.member) == (ClaimStatus.CLAIMED, member)
    with pytest.raises(ValidationError, match=services.MSG_ALREADY_CLAIMED):
        services.need_claim(need=need, actor=member)
    assert NeedClaim.objects.count() == 1


def test_a_full_need_refuses_the_next_claim_and_a_withdrawal_frees_a_place(
    organised, secretary, member, second_member
):
    area = organised.world.area
    need = publish(secretary, area, people_needed=1)
    claim = services.need_claim(need=need, actor=member)
    with pytest.raises(ValidationError, match=services.MSG_NEED_FULL):
        services.need_claim(need=need, actor=second_member)
    services.claim_withdraw(claim=claim, actor=member)
    assert services.need_claim(need=need, actor=second_member).status == ClaimStatus.CLAIMED
    # The member who withdrew may claim again once a place is free.
    with pytest.raises(ValidationError, match=services.MSG_NEED_FULL):
        services.need_claim(need=need, actor=member)


def test_confirmed_and_done_claims_hold_their_places(organised, secretary, member, second_member):
    need = publish(secretary, organised.world.area, people_needed=1)
    confirmed(need, member, secretary)
    with pytest.raises(ValidationError, match=services.MSG_NEED_FULL):
        services.need_claim(need=need, actor=second_member)


def test_a_declined_claim_frees_the_place_but_not_for_the_same_member(
    organised, secretary, member, second_member
):
    need = publish(secretary, organised.world.area, people_needed=1)
    claim = services.need_claim(need=need, actor=member)
    services.claim_decline(claim=claim, actor=secretary)
    with pytest.raises(ValidationError, match=services.MSG_ALREADY_CLAIMED):
        services.need_claim(need=need, actor=member)
    assert services.need_claim(need=need, actor=second_member).status == ClaimStatus.CLAIMED


def test_withdrawn_and_past_needs_refuse_claims(organised, secretary, member):
    area = organised.world.area
    need = publish(secretary, area)
    services.need_withdraw(need=need, actor=secretary)
    with pytest.raises(ValidationError, match=services.MSG_NEED_WITHDRAWN):
        services.need_claim(need=need, actor=member)
    past = need_on(area, datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI))
    with pytest.raises(ValidationError, match=services.MSG_NEED_PAST):
        services.need_claim(need=past, actor=member)
    assert NeedClaim.objects.count() == 0


def test_only_members_of_the_area_claim(
    organised, secretary, worker_in, stranger, branch_secretary
):
    need = publish(secretary, organised.world.area)
    for actor in (secretary, worker_in, stranger, branch_secretary):
        with pytest.raises(PermissionDenied):
            services.need_claim(need=need, actor=actor)
    assert NeedClaim.objects.count() == 0


# --- confirming, declining, withdrawing ----------------------------------------------------------


def test_confirm_and_decline_only_pending_claims(organised, secretary, worker_in, member):
    need = publish(secretary, organised.world.area)
    claim = services.need_claim(need=need, actor=member)
    claim = services.claim_confirm(claim=claim, actor=worker_in)
    assert (claim.status, claim.decided_by) == (ClaimStatus.CONFIRMED, worker_in)
    for decide in (services.claim_confirm, services.claim_decline):
        with pytest.raises(ValidationError, match=services.MSG_NOT_PENDING):
            decide(claim=claim, actor=secretary)
    assert AuditEvent.objects.filter(reason__startswith="确认认领").count() == 1


def test_members_and_other_areas_do_not_decide(organised, secretary, member, worker_elsewhere):
    need = publish(secretary, organised.world.area)
    claim = services.need_claim(need=need, actor=member)
    for actor in (member, worker_elsewhere):
        with pytest.raises(PermissionDenied):
            services.claim_confirm(claim=claim, actor=actor)
        with pytest.raises(PermissionDenied):
            services.claim_decline(claim=claim, actor=actor)
    assert NeedClaim.objects.get().status == ClaimStatus.CLAIMED


def test_claims_of_a_withdrawn_need_are_not_confirmed(organised, secretary, member):
    need = publish(secretary, organised.world.area)
    claim = services.need_claim(need=need, actor=member)
    services.need_withdraw(need=need, actor=secretary)
    with pytest.raises(ValidationError, match=services.MSG_NEED_WITHDRAWN):
        services.claim_confirm(claim=claim, actor=secretary)


def test_withdraw_own_claim_before_done_only(organised, secretary, member, second_member):
    need = need_on(organised.world.area, TODAY_15)
    claim = confirmed(need, member, secretary)
    with pytest.raises(PermissionDenied):
        services.claim_withdraw(claim=claim, actor=second_member)
    services.claim_complete(claim=claim, actor=member, note="陪老人看完病")
    with pytest.raises(ValidationError, match=services.MSG_CLAIM_CLOSED):
        services.claim_withdraw(claim=claim, actor=member)


# --- completing --------------------------------------------------------------------------------


def test_complete_on_the_day_with_the_needs_hours_or_ones_own(
    organised, secretary, member, second_member
):
    need = need_on(organised.world.area, TODAY_15, hours=Decimal("2.5"))
    first = services.claim_complete(
        claim=confirmed(need, member, secretary), actor=member, note="  陪老人看完病  "
    )
    assert (first.status, first.done_note, first.hours_served) == (
        ClaimStatus.DONE,
        "陪老人看完病",
        Decimal("2.5"),
    )
    second = services.claim_complete(
        claim=confirmed(need, second_member, secretary),
        actor=second_member,
        note="买菜送到家",
        hours=Decimal("1.5"),
    )
    assert second.hours_served == Decimal("1.5")
    assert AuditEvent.objects.filter(reason__startswith="完成需求").count() == 2


def test_complete_refusals(organised, secretary, member, second_member):
    area = organised.world.area
    today = need_on(area, TODAY_15)
    claim = services.need_claim(need=today, actor=member)
    with pytest.raises(ValidationError, match=services.MSG_NOT_CONFIRMED):
        services.claim_complete(claim=claim, actor=member, note="做完了")
    claim = services.claim_confirm(claim=claim, actor=secretary)
    with pytest.raises(PermissionDenied):
        services.claim_complete(claim=claim, actor=second_member, note="做完了")
    for note, hours, field, message in [
        ("  ", None, "note", services.MSG_NOTE_REQUIRED),
        ("长" * 201, None, "note", services.MSG_NOTE_LONG),
        ("做完了", Decimal("0.2"), "hours", services.MSG_HOURS),
        ("做完了", Decimal("25"), "hours", services.MSG_HOURS),
        ("做完了", Decimal("1.2"), "hours", services.MSG_HOURS),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.claim_complete(claim=claim, actor=member, note=note, hours=hours)
        assert refused.value.message_dict[field] == [message]
    assert NeedClaim.objects.get().status == ClaimStatus.CONFIRMED
    services.claim_complete(claim=claim, actor=member, note="做完了")
    with pytest.raises(ValidationError, match=services.MSG_NOT_CONFIRMED):
        services.claim_complete(claim=claim, actor=member, note="又做了一次")


def test_complete_waits_for_the_day_of_the_need(organised, secretary, member):
    need = publish(secretary, organised.world.area, starts_at=TOMORROW_9)
    claim = confirmed(need, member, secretary)
    with pytest.raises(ValidationError, match=services.MSG_TOO_EARLY):
        services.claim_complete(claim=claim, actor=member, note="做完了")
    with time_machine.travel(datetime(2026, 11, 26, 0, 5, tzinfo=SHANGHAI), tick=False):
        done = services.claim_complete(claim=claim, actor=member, note="做完了")
    assert done.status == ClaimStatus.DONE


# --- hours per year ------------------------------------------------------------------------------


def test_hours_count_by_the_year_of_the_needs_day_in_shanghai(
    organised, member, second_member, stranger
):
    area = organised.world.area
    new_years_eve = need_on(area, datetime(2025, 12, 31, 23, 30, tzinfo=SHANGHAI))
    new_year = need_on(area, datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI))  # 2025-12-31 in UTC
    later = need_on(area, datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI))
    done_claim(new_years_eve, member, "3")
    done_claim(new_year, member, "1.5")
    done_claim(later, member, "2")
    done_claim(later, second_member, "0.5")
    NeedClaim.objects.create(need=new_year, member=second_member, status=ClaimStatus.CONFIRMED)
    elsewhere = need_on(organised.world.other_area, datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI))
    done_claim(elsewhere, stranger, "4")

    assert selectors.hours_by_member(area.pk, 2026) == {
        member.pk: (2, Decimal("3.5")),
        second_member.pk: (1, Decimal("0.5")),
    }
    assert selectors.hours_by_member(area.pk, 2025) == {member.pk: (1, Decimal("3"))}
    rows = selectors.hours_report(area, 2026)
    assert [(r.name, r.is_in_service, r.is_dual_registered, r.done, r.hours) for r in rows] == [
        ("党员 陈志强", True, True, 2, Decimal("3.5")),
        ("党员 刘芳", False, False, 1, Decimal("0.5")),
    ]


def test_hours_report_lists_members_without_hours_too(organised, member):
    quiet = network_member("quiet", organised.world.area, "楼组长 老吴")
    rows = selectors.hours_report(organised.world.area, 2026)
    assert {(r.member, r.done, r.hours) for r in rows} == {
        (member, 0, Decimal(0)),
        (quiet, 0, Decimal(0)),
    }
