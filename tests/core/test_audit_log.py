"""The audit log: what is written by itself (role changes, tokens), the secretary's search page,
"who looked at me" on a resident's profile, retention and the one deletion path."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jinlin.core.admin import JinlinUserAdmin
from jinlin.core.audit import audit, audit_prune
from jinlin.core.models import ApiToken, AuditEvent, Role, User
from jinlin.people.masking import unmask
from tests.factories import UserFactory


def event(**fields) -> AuditEvent:
    defaults = {"actor": None, "action": AuditEvent.Action.UNMASK}
    return audit(**{**defaults, **fields})


# --- written by itself --------------------------------------------------------------------------


def test_role_change_through_the_admin_is_audited_with_its_actor(world, worker_in):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, role="")
    request = RequestFactory().post("/admin/core/user/", REMOTE_ADDR="10.1.2.3")
    request.user = superuser
    worker_in.role = Role.AREA_SECRETARY
    JinlinUserAdmin(User, site).save_model(request, worker_in, form=None, change=True)
    change = AuditEvent.objects.filter(
        action=AuditEvent.Action.ROLE_CHANGE, object_id=worker_in.pk
    ).first()  # newest first
    assert change.actor == superuser and change.ip == "10.1.2.3"
    assert change.fields == ["role"]
    assert "worker → area_secretary" in change.reason
    assert change.area_id == world.area.pk


def test_patch_changes_are_audited(world, worker_in):
    before = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE).count()
    worker_in.patch_compounds.add(world.compound_b)
    worker_in.patch_buildings.add(world.building_a)
    worker_in.patch_compounds.remove(world.compound_a)
    changes = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE).order_by("id")[
        before:
    ]
    assert [c.fields for c in changes] == [
        ["patch_compounds"],
        ["patch_buildings"],
        ["patch_compounds"],
    ]
    assert changes[0].reason == f"patch_compounds: 加入 {world.compound_b.pk}"
    assert changes[2].reason == f"patch_compounds: 移出 {world.compound_a.pk}"


def test_new_account_with_a_role_is_audited_and_plain_saves_are_not(world):
    user = UserFactory(username="new_worker", role=Role.WORKER, area=world.area)
    created = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE, object_id=user.pk)
    assert created.reason.startswith("新建账号")
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    user.display_name = "新社工"
    user.save()
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGE, object_id=user.pk).count()
        == 1
    )


def test_deactivating_an_account_is_audited(world, worker_in):
    worker_in.is_active = False
    worker_in.save()
    change = AuditEvent.objects.filter(
        action=AuditEvent.Action.ROLE_CHANGE, object_id=worker_in.pk
    ).first()
    assert change.fields == ["is_active"]


def test_token_issue_and_revoke_are_audited(worker_in):
    out = StringIO()
    call_command("token", worker_in.username, name="手机", stdout=out)
    token = out.getvalue().strip()
    call_command("token", worker_in.username, revoke=token[:10], stdout=StringIO())
    issued, revoked = AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN).order_by("id")
    assert issued.object_id == revoked.object_id == token[:10]
    assert issued.reason == f"签发给 {worker_in.username}（手机）"
    assert revoked.reason == f"撤销 {worker_in.username} 的令牌"
    assert token not in issued.reason + revoked.reason


def test_token_revoked_in_the_admin_is_audited(world, worker_in, client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, role="")
    row, _token = ApiToken.issue(user=worker_in)
    client.force_login(superuser)
    response = client.post(
        "/admin/core/apitoken/", {"action": "revoke", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    revoked = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN)
    assert revoked.actor == superuser


def test_the_admin_cannot_add_change_or_delete_audit_events(world, client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, role="")
    item = event(object_type="resident", object_id=world.resident.pk, reason="核实")
    client.force_login(superuser)
    listing = client.get("/admin/core/auditevent/")
    assert listing.status_code == 200
    assert 'value="delete_selected"' not in listing.content.decode()
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert client.post(f"/admin/core/auditevent/{item.pk}/delete/").status_code == 403
    client.post(f"/admin/core/auditevent/{item.pk}/change/", {"reason": "改掉"})
    item.refresh_from_db()
    assert item.reason == "核实"


def test_audit_events_refuse_update_and_delete(world):
    item = event(object_type="resident", object_id=world.resident.pk, reason="核实")
    with pytest.raises(PermissionDenied):
        item.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.update(reason="改掉")
    item.reason = "改掉"
    with pytest.raises(PermissionDenied):
        item.save()


# --- the search page ----------------------------------------------------------------------------


@pytest.fixture
def logged(world, secretary, worker_in, worker_out):
    """Events of the secretary's area on three days, and one of another area."""
    day = timezone.make_aware(timezone.datetime(2026, 3, 10, 10, 0))
    with time_machine.travel(day, tick=False):
        unmask(user=worker_in, resident=world.resident, fields=["phone"], reason="电话回访")
    with time_machine.travel(day + timedelta(days=1), tick=False):
        unmask(user=worker_out, resident=world.resident_b, fields=["health"], reason="走访准备")
    with time_machine.travel(day + timedelta(days=2), tick=False):
        event(actor=secretary, action=AuditEvent.Action.EXPORT, area_id=world.area.pk)
    event(
        actor=None,
        actor_name="outsider",
        object_type="resident",
        object_id=world.other_resident.pk,
        area_id=world.other_area.pk,
    )


def rows(response) -> str:
    return response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_secretary_sees_its_areas_log_and_no_other(secretary, as_user, logged, world):
    page = rows(as_user(secretary).get("/audit/"))
    assert "电话回访" in page and "走访准备" in page
    assert "outsider" not in page
    assert world.resident.name in page  # the resident's name, linked to its profile
    assert "联系电话" in page


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("actor=shegong_in", "电话回访", "走访准备"),
        ("action=export", "导出", "电话回访"),
        ("object_type=resident&object_id={resident_b}", "走访准备", "电话回访"),
        ("since=2026-03-11&until=2026-03-11", "走访准备", "电话回访"),
        ("until=2026-03-10", "电话回访", "走访准备"),
    ],
)
def test_secretary_filters_the_log(secretary, as_user, logged, world, query, present, absent):
    query = query.format(resident_b=world.resident_b.pk)
    page = rows(as_user(secretary).get(f"/audit/?{query}"))
    assert present in page and absent not in page


def test_reversed_date_range_is_explained(secretary, as_user, logged):
    page = as_user(secretary).get("/audit/?since=2026-03-12&until=2026-03-10").content.decode()
    assert "起始日期不能晚于截止日期" in page


def test_log_is_paginated_with_a_constant_number_of_queries(
    world, secretary, as_user, django_assert_max_num_queries
):
    client = as_user(secretary)

    def add(count: int) -> None:
        for n in range(count):
            event(
                object_type="resident",
                object_id=world.resident.pk,
                reason=f"r{n}",
                area_id=world.area.pk,
            )

    add(3)
    client.get("/audit/")
    with CaptureQueriesContext(connection) as small:
        client.get("/audit/")
    add(120)
    # At most one query per kind of object named on the page, however many events.
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/audit/").content.decode()
    shown = AuditEvent.objects.filter(area=world.area).exclude(action__in=["login", "login_failed"])
    assert f"共 {shown.count()} 条" in page  # sign-ins folded away
    assert "第 2 / 3 页" in client.get("/audit/?page=2").content.decode()


@pytest.mark.parametrize("persona", ["worker_in", "editor", "admin"])
def test_other_roles_get_404(request, persona, as_user, world):
    assert as_user(request.getfixturevalue(persona)).get("/audit/").status_code == 404


def test_the_log_page_has_no_writing(secretary, as_user):
    assert as_user(secretary).post("/audit/").status_code == 405


# --- who looked at me ---------------------------------------------------------------------------


def test_secretary_sees_who_looked_at_a_resident(world, secretary, worker_in, as_user):
    unmask(user=worker_in, resident=world.resident, fields=["id_number"], reason="办理补贴")
    page = as_user(secretary).get(f"/residents/{world.resident.pk}/").content.decode()
    section = page.split('id="who-looked"', 1)[1].split("</section>", 1)[0]
    assert "办理补贴" in section and "身份证号" in section
    assert str(worker_in) in section


def test_worker_does_not_see_who_looked(world, worker_in, as_user):
    unmask(user=worker_in, resident=world.resident, fields=["phone"], reason="回访")
    page = as_user(worker_in).get(f"/residents/{world.resident.pk}/").content.decode()
    assert 'id="who-looked"' not in page


# --- retention ----------------------------------------------------------------------------------


def test_prune_deletes_only_events_past_retention_and_logs_itself(world):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=200), tick=False):
        old = event(reason="很久以前")
    with time_machine.travel(now - timedelta(days=170), tick=False):
        recent = event(reason="半年内")
    with time_machine.travel(now, tick=False):
        out = StringIO()
        call_command("audit", "prune", "--dry-run", stdout=out)
        assert "将删除 1 条" in out.getvalue()
        assert AuditEvent.objects.filter(pk=old.pk).exists()
        call_command("audit", "prune", stdout=out)
    assert "已删除 1 条" in out.getvalue()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    prune = AuditEvent.objects.get(action=AuditEvent.Action.AUDIT_PRUNE)
    assert "删除 1 条" in prune.reason and "保留 180 天" in prune.reason


def test_prune_refuses_a_retention_under_180_days(settings, db):
    settings.JINLIN = {**settings.JINLIN, "AUDIT_RETENTION_DAYS": 90}
    with pytest.raises(ValueError):
        audit_prune()


def test_longer_retention_keeps_more(settings, world):
    settings.JINLIN = {**settings.JINLIN, "AUDIT_RETENTION_DAYS": 365}
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=200), tick=False):
        kept = event(reason="七个月前")
    deleted, cutoff = audit_prune(now=now)
    assert deleted == 0 and AuditEvent.objects.filter(pk=kept.pk).exists()
    assert cutoff.date() == (now - timedelta(days=365)).date()
    assert isinstance(cutoff.date(), date)


def test_the_log_reads_in_chinese_with_sign_ins_folded(world, secretary, as_user):
    from jinlin.core.audit import audit

    audit(
        actor=secretary,
        action=AuditEvent.Action.IMPORT,
        object_type="area",
        object_id=world.area.pk,
        fields=["kind:residents", "rows:3", "created:2", "valid_only"],
        area_id=world.area.pk,
    )
    audit(
        actor=secretary,
        action=AuditEvent.Action.EXPORT,
        object_type="group",
        object_id="living_alone",
        fields=["masked", "count:12", "via:page"],
        area_id=world.area.pk,
    )
    client = as_user(secretary)  # signs in: a login event
    page = client.get("/audit/").content.decode()
    assert "居民区 绿八居民区" in page and "类型：居民、行数：3、新建：2、只导入无误的行" in page
    assert "群体名单 独居老人" in page and "脱敏、条数：12、途径：页面" in page
    assert "kind:residents" not in page and "area 1" not in page
    assert "<td>登录成功</td>" not in page  # folded
    shown = client.get("/audit/", {"logins": "on"}).content.decode()
    assert "<td>登录成功</td>" in shown
    assert "<td>登录成功</td>" in client.get("/audit/", {"action": "login"}).content.decode()
