"""The needs pages: the committee's list, publish, confirm and decline, the hours report; the
member's phone page (认领, 完成, 撤回); who gets 404; bad input answers 422 and changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jinlin.chain.needs import services
from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim
from jinlin.people.groups import GroupCode
from tests.chain.needs.conftest import TODAY_15, confirmed, done_claim, need_on, publish
from tests.fieldwork.conftest import add_group
from tests.party.conftest import TODAY

GOOD = {
    "title": "陪同独居老人就医",
    "description": "吴阿婆周四去中山医院复查",
    "place": "绿园八村13号楼102室",
    "starts_at": "2026-11-27T08:30",
    "hours": "3",
    "people_needed": "1",
}


def test_committee_publishes_and_sees_claims_and_suggestions(
    organised, secretary, member, second_member, as_user
):
    add_group(organised.world.resident, GroupCode.TALENT, TODAY, skills=["医疗", "书法"])
    client = as_user(secretary)
    url = reverse("chain_needs", args=[organised.world.area.pk])
    response = client.post(url, GOOD)
    assert response.status_code == 302 and response["Location"] == url
    need = Need.objects.get()
    assert (need.hours, need.people_needed, need.created_by) == (Decimal("3.0"), 1, secretary)
    services.need_claim(need=need, actor=member)
    text = client.get(url).content.decode()
    assert "陪同独居老人就医" in text and "党员 陈志强" in text and "已认领" in text
    assert "确认" in text and "不采纳" in text
    assert "张建国（医疗）" in text  # the talent whose skill the need asks for
    assert "党员 刘芳（今年 0 小时）" in text  # a member who has not claimed it
    assert "13900003333" not in text  # never a phone
    assert f"/areas/{organised.world.area.pk}/needs/hours/?year=2026" in text


def test_publish_with_bad_input_answers_422_with_the_message(organised, secretary, as_user):
    url = reverse("chain_needs", args=[organised.world.area.pk])
    client = as_user(secretary)
    for changes, message in [
        ({"title": ""}, services.MSG_TITLE_REQUIRED),
        ({"hours": "30"}, services.MSG_HOURS),
        ({"hours": "1.3"}, services.MSG_HOURS),
        ({"people_needed": "0"}, services.MSG_PEOPLE),
        ({"starts_at": "2026-11-24T09:00"}, services.MSG_STARTS_PAST),
        ({"starts_at": "明天"}, "请填写正确的时间"),
    ]:
        response = client.post(url, {**GOOD, **changes})
        assert response.status_code == 422, changes
        assert message in response.content.decode()
    assert Need.objects.count() == 0


def test_confirm_and_decline_from_the_list(organised, worker_in, member, second_member, as_user):
    need = publish(worker_in, organised.world.area)
    first = services.need_claim(need=need, actor=member)
    second = services.need_claim(need=need, actor=second_member)
    client = as_user(worker_in)
    url = reverse("chain_needs", args=[organised.world.area.pk])
    assert client.post(reverse("chain_claim_confirm", args=[first.pk]))["Location"] == url
    assert client.post(reverse("chain_claim_decline", args=[second.pk]))["Location"] == url
    assert dict(NeedClaim.objects.values_list("member", "status")) == {
        member.pk: ClaimStatus.CONFIRMED,
        second_member.pk: ClaimStatus.DECLINED,
    }
    again = client.post(reverse("chain_claim_confirm", args=[first.pk]))
    assert again.status_code == 422 and services.MSG_NOT_PENDING in again.content.decode()
    client.post(reverse("chain_need_withdraw", args=[need.pk]))
    assert Need.objects.get().withdrawn_at is not None


def test_the_committees_pages_are_404_to_everyone_else(
    organised, secretary, member, worker_elsewhere, branch_secretary, editor, as_user
):
    area = organised.world.area
    need = publish(secretary, area)
    claim = services.need_claim(need=need, actor=member)
    for user in (member, worker_elsewhere, branch_secretary, editor):
        client = as_user(user)
        assert client.get(reverse("chain_needs", args=[area.pk])).status_code == 404
        assert client.post(reverse("chain_needs", args=[area.pk]), GOOD).status_code == 404
        assert client.get(reverse("chain_needs_hours", args=[area.pk])).status_code == 404
        assert client.post(reverse("chain_claim_confirm", args=[claim.pk])).status_code == 404
        assert client.post(reverse("chain_claim_decline", args=[claim.pk])).status_code == 404
        assert client.post(reverse("chain_need_withdraw", args=[need.pk])).status_code == 404
    assert NeedClaim.objects.get().status == ClaimStatus.CLAIMED
    assert Need.objects.count() == 1 and Need.objects.get().withdrawn_at is None


def test_hours_report_page(organised, secretary, member, as_user):
    done_claim(need_on(organised.world.area, TODAY_15), member, "2.5")
    client = as_user(secretary)
    url = reverse("chain_needs_hours", args=[organised.world.area.pk])
    text = client.get(url, {"year": "2026"}).content.decode()
    assert "2026 年服务时长" in text and "党员 陈志强" in text and "2.5" in text
    assert "已报到" in text and "在职" in text
    assert "2.5" not in client.get(url, {"year": "2025"}).content.decode()
    assert client.get(url, {"year": "abc"}).status_code == 200  # this year


def test_list_pages_read_in_a_fixed_number_of_queries(
    organised, secretary, member, second_member, as_user
):
    area = organised.world.area
    client = as_user(secretary)

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    confirmed(publish(secretary, area), member, secretary)
    done_claim(need_on(area, TODAY_15), second_member, "1")
    needs_url = reverse("chain_needs", args=[area.pk])
    hours_url = reverse("chain_needs_hours", args=[area.pk])
    counted(needs_url)  # the first request of a session does its one-off reads
    before = (counted(needs_url), counted(hours_url))
    for n in range(4):
        need = publish(secretary, area, title=f"辅导功课 {n}")
        confirmed(need, member, secretary)
        services.need_claim(need=need, actor=second_member)
        done_claim(need_on(area, TODAY_15), member, "1")
    assert (counted(needs_url), counted(hours_url)) == before


# --- the member's page ---------------------------------------------------------------------------


def test_member_claims_in_one_tap_and_completes_with_a_line(organised, secretary, member, as_user):
    need = need_on(organised.world.area, TODAY_15, title="帮独居老人买菜", people_needed=2)
    phone = as_user(member)
    page = phone.get(reverse("member_needs"))
    text = page.content.decode()
    assert page.status_code == 200 and "帮独居老人买菜" in text and "还差 2 人" in text
    tapped = phone.post(reverse("member_need_claim", args=[need.pk]))
    assert tapped.status_code == 302 and tapped["Location"] == reverse("member_needs")
    claim = NeedClaim.objects.get()
    assert "等居委会确认" in phone.get(reverse("member_needs")).content.decode()
    services.claim_confirm(claim=claim, actor=secretary)
    url = reverse("member_claim_complete", args=[claim.pk])
    assert 'name="note"' in phone.get(reverse("member_needs")).content.decode()
    refused = phone.post(url, {"note": "", "hours": "1"})
    assert refused.status_code == 422 and services.MSG_NOTE_REQUIRED in refused.content.decode()
    refused = phone.post(url, {"note": "买好了", "hours": "30"})
    assert refused.status_code == 422 and services.MSG_HOURS in refused.content.decode()
    assert NeedClaim.objects.get().status == ClaimStatus.CONFIRMED
    assert phone.post(url, {"note": "买了菜送到家", "hours": "1.5"}).status_code == 302
    text = phone.get(reverse("member_needs")).content.decode()
    assert "已完成" in text and "买了菜送到家" in text and "1.5 小时" in text
    assert "2026 年已服务 <strong>1.5</strong> 小时" in text


def test_member_refusals_show_on_the_page_with_422(
    organised, secretary, member, second_member, as_user
):
    need = publish(secretary, organised.world.area, people_needed=1)
    services.need_claim(need=need, actor=second_member)
    refused = as_user(member).post(reverse("member_need_claim", args=[need.pk]))
    assert refused.status_code == 422 and services.MSG_NEED_FULL in refused.content.decode()
    claim = confirmed(publish(secretary, organised.world.area), member, secretary)
    early = as_user(member).post(
        reverse("member_claim_complete", args=[claim.pk]), {"note": "做完了"}
    )
    assert early.status_code == 422 and services.MSG_TOO_EARLY in early.content.decode()
    assert NeedClaim.objects.filter(member=member).get().status == ClaimStatus.CONFIRMED


def test_member_withdraws_its_claim(organised, secretary, member, as_user):
    need = publish(secretary, organised.world.area)
    claim = services.need_claim(need=need, actor=member)
    phone = as_user(member)
    assert phone.post(reverse("member_claim_withdraw", args=[claim.pk])).status_code == 302
    assert NeedClaim.objects.get().status == ClaimStatus.WITHDRAWN


def test_the_members_pages_are_404_outside_its_own(
    organised, secretary, member, second_member, stranger, worker_in, as_user
):
    need = publish(secretary, organised.world.area)
    claim = services.need_claim(need=need, actor=member)
    # Someone else's claim.
    for name in ("member_claim_complete", "member_claim_withdraw"):
        assert (
            as_user(second_member).post(reverse(name, args=[claim.pk]), {"note": "x"}).status_code
            == 404
        )
    # A member of another area does not see or claim the need.
    assert "陪同独居老人就医" not in as_user(stranger).get(reverse("member_needs")).content.decode()
    assert as_user(stranger).post(reverse("member_need_claim", args=[need.pk])).status_code == 404
    # Staff have no member page and do not claim.
    assert as_user(worker_in).get(reverse("member_needs")).status_code == 404
    assert as_user(secretary).post(reverse("member_need_claim", args=[need.pk])).status_code == 404
    assert NeedClaim.objects.get().status == ClaimStatus.CLAIMED


def test_member_home_and_party_nav_link_to_the_needs(organised, secretary, member, as_user):
    assert reverse("member_needs") in as_user(member).get(reverse("member_home")).content.decode()
    network = as_user(secretary).get(reverse("party_network", args=[organised.world.area.pk]))
    assert reverse("chain_needs", args=[organised.world.area.pk]) in network.content.decode()


def test_member_page_reads_in_a_fixed_number_of_queries(organised, secretary, member, as_user):
    area = organised.world.area
    phone = as_user(member)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert phone.get(reverse("member_needs")).status_code == 200
        return len(queries)

    confirmed(need_on(area, TODAY_15), member, secretary)
    services.need_claim(need=publish(secretary, area), actor=member)
    counted()  # the first request of a session does its one-off reads
    before = counted()
    for n in range(4):
        confirmed(need_on(area, TODAY_15, title=f"买菜 {n}"), member, secretary)
        services.need_claim(need=publish(secretary, area, title=f"功课 {n}"), actor=member)
        publish(secretary, area, title=f"清理 {n}")
    assert counted() == before


def test_talents_are_suggested_only_within_the_workers_patch(
    organised, secretary, worker_in, worker_out, as_user
):
    add_group(organised.world.resident, GroupCode.TALENT, TODAY, skills=["医疗"])  # compound A
    publish(secretary, organised.world.area)
    url = reverse("chain_needs", args=[organised.world.area.pk])
    for user, sees in ((secretary, True), (worker_in, True), (worker_out, False)):
        assert ("张建国（医疗）" in as_user(user).get(url).content.decode()) is sees, user
    api = as_user(worker_out).get(f"/api/v1/areas/{organised.world.area.pk}/needs").json()
    assert api[0]["talents"] == []
