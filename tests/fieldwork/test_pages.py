"""Fieldwork pages: access per persona, refusals on the forms, constant query counts on lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.concerns.selectors import ConcernLine
from jinlin.fieldwork.models import CaseAction, Concern, Finding, Visit
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.fieldwork.visits import services as visit_services
from jinlin.places.figures import bump_areas
from jinlin.places.models import Household
from tests.factories import HouseholdFactory, ResidentFactory
from tests.fieldwork.conftest import TODAY, jpeg_bytes

LIST_PAGES = [
    "fieldwork_today",
    "fieldwork_cases",
    "fieldwork_concerns",
    "fieldwork_patrols",
    "fieldwork_visits",
    "fieldwork_proposals",
    "fieldwork_consultations",
    "fieldwork_talents",
]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"), [("secretary", 200), ("worker_in", 200), ("editor", 404), ("admin", 404)]
)
def test_list_pages_by_persona(request, as_user, name, persona, status):
    response = as_user(request.getfixturevalue(persona)).get(reverse(name))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("fieldwork_today"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_today_shows_due_visit_with_address_and_reason(world, worker_in, as_user):
    page = as_user(worker_in).get(reverse("fieldwork_today")).content.decode()
    assert "绿园八村12号楼301室" in page
    assert "独居老人 · 每7天" in page
    assert "从未走访" in page
    assert "绿园九村" not in page


def test_today_lists_actions_due_and_new_concerns(case, worker_in, as_user):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="独居无呼叫手段")
    case_services.case_record_plan(
        case=case,
        actor=worker_in,
        actions=[
            case_services.ActionInput(
                description="安装呼叫器", owner_id=worker_in.pk, due_on=TODAY
            ),
            case_services.ActionInput(
                description="联系<b>女儿</b>", owner_id=worker_in.pk, due_on=TODAY
            ),
            case_services.ActionInput(
                description="回访", owner_id=worker_in.pk, due_on=TODAY + timedelta(2)
            ),
        ],
    )
    # Written down on the day the case opened, but meant for the day before (an old plan).
    CaseAction.objects.filter(description="联系<b>女儿</b>").update(due_on=TODAY - timedelta(1))
    page = as_user(worker_in).get(reverse("fieldwork_today")).content.decode()
    actions = page[
        page.index('id="case-actions"') : page.index("</section>", page.index('id="case-actions"'))
    ]
    case_link = f'href="{reverse("fieldwork_case", args=[case.pk])}"'
    assert actions.count(case_link) == 3 and f"个案：{case.title}" in actions
    assert "安装呼叫器" in actions and "今天到期" in actions
    assert "联系&lt;b&gt;女儿&lt;/b&gt;" in actions and "<b>女儿" not in actions
    assert f"已逾期（{(TODAY - timedelta(1)).month}月{(TODAY - timedelta(1)).day}日）" in actions
    assert f"{(TODAY + timedelta(2)).month}月{(TODAY + timedelta(2)).day}日 前" in actions
    assert "独居老人需要紧急呼叫手段" in page  # the concern's real need
    new_concerns = page[page.index('id="new-concerns"') :]
    assert "已立案" in new_concerns and "未立案" not in new_concerns


def test_a_concern_line_says_where_as_far_as_it_is_known():
    line = ConcernLine(
        pk=1,
        area_id=1,
        words="噪音",
        real_need="",
        subcategory="other",
        channel="office",
        urgency="normal",
        received_at=timezone.now(),
        compound_name="绿园八村",
        building_number="12",
        building_stairwell="2",
    )
    assert line.place == "绿园八村12号楼2门洞"
    assert replace(line, building_stairwell="").place == "绿园八村12号楼"
    assert replace(line, building_number=None, building_stairwell=None).place == "绿园八村"
    assert replace(line, compound_name=None, building_number=None).place == ""


def test_today_writes_its_rows_escaped_and_linked(world, worker_in, as_user):
    """The due list and the new concerns are written by fieldwork.summary.rows, not a template:
    what a user typed is still text on the page, and each row still links to its record."""
    world.resident.name = "<b>张建国</b>"
    world.resident.save()
    concern = concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="elderly_care",
            words='楼道灯坏了 <img src=x onerror="alert(1)">',
            resident_id=world.resident.pk,
        ),
    )
    page = as_user(worker_in).get(reverse("fieldwork_today")).content.decode()
    assert "&lt;b&gt;张建国&lt;/b&gt;" in page and "<b>张建国" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page and "<img src=x" not in page
    household = reverse("household_detail", args=[world.resident.household_id])
    assert f'href="{household}"' in page
    assert f'href="{reverse("fieldwork_concern", args=[concern.pk])}"' in page
    record = reverse("fieldwork_visit_create")
    assert f"{record}?household={world.resident.household_id}&amp;next=" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("worker_in", 200), ("worker_out", 404), ("editor", 404)],
)
def test_case_page_by_persona(request, case, as_user, persona, status):
    assert (
        as_user(request.getfixturevalue(persona))
        .get(reverse("fieldwork_case", args=[case.pk]))
        .status_code
        == status
    )


def test_record_visit_page_then_back_to_today(world, worker_in, as_user):
    client = as_user(worker_in)
    url = reverse("fieldwork_visit_create") + f"?household={world.household_a.pk}&next=/today/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "household": world.household_a.pk,
            "visited_on": TODAY,
            "mode": "in_person",
            "condition": "good",
            "next": "/today/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    page = client.get("/today/").content.decode()
    assert f'data-household="{world.household_a.pk}"' not in page
    assert "今天没有到期的走访" in page


def test_visit_form_refuses_a_future_date(world, worker_in, as_user):
    url = reverse("fieldwork_visit_create") + f"?household={world.household_a.pk}"
    response = as_user(worker_in).post(
        url,
        {
            "household": world.household_a.pk,
            "visited_on": TODAY + timedelta(days=2),
            "mode": "phone",
            "condition": "good",
        },
    )
    assert response.status_code == 200
    assert visit_services.MSG_VISIT_IN_FUTURE in response.content.decode()
    assert Visit.objects.count() == 0


def test_visit_form_for_a_household_outside_the_patch_is_404(world, worker_out, as_user):
    assert (
        as_user(worker_out)
        .get(reverse("fieldwork_visit_create") + f"?household={world.household_a.pk}")
        .status_code
        == 404
    )


def test_external_next_is_ignored(world, worker_in, as_user):
    url = reverse("fieldwork_visit_create") + f"?household={world.household_a.pk}"
    response = as_user(worker_in).post(
        url,
        {
            "household": world.household_a.pk,
            "visited_on": TODAY,
            "mode": "phone",
            "condition": "good",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"].startswith("/visits/")


def test_plan_before_diagnosis_is_stopped_on_the_page(case, worker_in, as_user):
    client = as_user(worker_in)
    url = reverse("fieldwork_case", args=[case.pk])
    response = client.post(
        url,
        {
            "form": "plan",
            "plan-description": "装呼叫器",
            "plan-owner": worker_in.pk,
            "plan-due_on": TODAY,
        },
    )
    assert response.status_code == 200
    assert case_services.MSG_PLAN_BEFORE_ROOT_CAUSE in response.content.decode()
    assert CaseAction.objects.count() == 0
    client.post(url, {"form": "root", "root-root_cause": "独居且无紧急呼叫手段"})
    response = client.post(
        url,
        {
            "form": "plan",
            "plan-description": "装呼叫器",
            "plan-owner": worker_in.pk,
            "plan-due_on": TODAY,
        },
    )
    assert response.status_code == 302
    assert CaseAction.objects.count() == 1


def test_action_due_before_opening_is_stopped_on_the_page(case, worker_in, as_user):
    client = as_user(worker_in)
    url = reverse("fieldwork_case", args=[case.pk])
    client.post(url, {"form": "root", "root-root_cause": "独居且无紧急呼叫手段"})
    response = client.post(
        url,
        {
            "form": "plan",
            "plan-description": "装呼叫器",
            "plan-owner": worker_in.pk,
            "plan-due_on": TODAY - timedelta(days=3),
        },
    )
    assert "不能早于立案日期" in response.content.decode()
    assert CaseAction.objects.count() == 0


def test_case_page_close_and_reopen(case, worker_in, as_user):
    client = as_user(worker_in)
    url = reverse("fieldwork_case", args=[case.pk])
    client.post(url, {"form": "root", "root-root_cause": "独居且无紧急呼叫手段"})
    client.post(
        url,
        {
            "form": "plan",
            "plan-description": "装呼叫器",
            "plan-owner": worker_in.pk,
            "plan-due_on": TODAY,
        },
    )
    action = CaseAction.objects.get()
    refused = client.post(
        url, {"form": "close", "close-outcome": "已装", "close-feedback": "satisfied"}
    )
    assert "1 项措施未完成" in refused.content.decode()
    client.post(url, {"form": "done", "done-action": action.pk, "done-note": "装好了"})
    assert (
        client.post(
            url, {"form": "close", "close-outcome": "已装", "close-feedback": "satisfied"}
        ).status_code
        == 302
    )
    assert client.post(url, {"form": "reopen", "reopen-reason": "又坏了"}).status_code == 302
    page = client.get(url).content.decode()
    assert "重新打开" in page and "又坏了" in page


def test_concern_form_records_and_case_opens_from_it(world, worker_in, as_user):
    client = as_user(worker_in)
    url = reverse("fieldwork_concern_create") + f"?resident={world.resident.pk}"
    response = client.post(
        url,
        {
            "channel": "office",
            "scope": "family",
            "subcategory": "elderly_care",
            "words": "想装个扶手",
            "urgency": "normal",
        },
    )
    concern = Concern.objects.get()
    assert response["Location"] == reverse("fieldwork_concern", args=[concern.pk])
    case_url = reverse("fieldwork_case_create") + f"?concern={concern.pk}"
    form = client.get(case_url).content.decode()
    assert "想装个扶手" in form
    response = client.post(
        case_url,
        {
            "concern": concern.pk,
            "title": "卫生间扶手",
            "scope": "family",
            "subcategory": "elderly_care",
        },
    )
    assert response.status_code == 302
    assert concern.case_links.count() == 1


def test_concern_form_for_a_resident_outside_the_patch_is_404(world, worker_in, as_user):
    assert (
        as_user(worker_in)
        .get(reverse("fieldwork_concern_create") + f"?resident={world.resident_b.pk}")
        .status_code
        == 404
    )


def test_anonymous_concern_form_needs_a_compound(world, worker_in, as_user):
    response = as_user(worker_in).post(
        reverse("fieldwork_concern_create"),
        {
            "channel": "online",
            "scope": "community",
            "subcategory": "parking",
            "words": "乱停车",
            "urgency": "normal",
        },
    )
    assert concern_services.MSG_PLACE_NEEDED in response.content.decode()
    assert Concern.objects.count() == 0


def test_finding_form_refuses_a_non_image_photo(world, worker_in, as_user):
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = as_user(worker_in).post(
        reverse("fieldwork_patrol", args=[patrol.pk]),
        {"category": "stairwell_clutter", "place": "2楼", "severity": "low", "photos": fake},
    )
    assert "只能上传照片" in response.content.decode()
    assert Finding.objects.count() == 0


def test_finding_form_with_photos(world, worker_in, as_user):
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    photos = [
        SimpleUploadedFile(f"{n}.jpg", jpeg_bytes(), content_type="image/jpeg") for n in range(2)
    ]
    response = as_user(worker_in).post(
        reverse("fieldwork_patrol", args=[patrol.pk]),
        {"category": "stairwell_clutter", "place": "2楼", "severity": "low", "photos": photos},
    )
    assert response.status_code == 302
    assert Finding.objects.get().photos.count() == 2


def test_dashboard_for_secretary_renders_chart_data_without_inline_script(
    world, secretary, worker_in, as_user, case
):
    response = as_user(secretary).get(reverse("fieldwork_dashboard", args=[world.area.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<script id="fieldwork-charts" type="application/json">' in page
    assert "echarts.min.js" in page
    assert "<script>" not in page
    assert (
        as_user(worker_in).get(reverse("fieldwork_dashboard", args=[world.area.pk])).status_code
        == 404
    )


def test_intervals_page_for_the_secretary(world, secretary, worker_in, as_user):
    url = reverse("fieldwork_intervals", args=[world.area.pk])
    assert as_user(worker_in).get(url).status_code == 404
    as_user(secretary).post(url, {"group": "living_alone", "days": "5"})
    assert "每5天" in as_user(worker_in).get("/today/").content.decode()


def test_proposal_page_accepts(world, worker_in, secretary, as_user):
    world.resident.occupation = "工人"
    world.resident.save(update_fields=["occupation"])
    visit = visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(household_id=world.household_a.pk, visited_on=TODAY),
    )
    form_page = as_user(worker_in).get(reverse("fieldwork_visit", args=[visit.pk])).content
    assert 'list="proposal-values"' in form_page.decode()
    assert '<option value="慢性病">' in form_page.decode()  # the field's choices, offered
    as_user(worker_in).post(
        reverse("fieldwork_visit", args=[visit.pk]),
        {"resident": world.resident.pk, "field": "occupation", "value": "退休教师"},
    )
    proposal = visit.proposals.get()
    page = as_user(secretary).get(reverse("fieldwork_proposals")).content.decode()
    # What would change: the current value beside the proposed one.
    assert '职业：<span class="masked">工人</span> → <span class="masked">退休教师</span>' in page
    as_user(secretary).post(
        reverse("fieldwork_proposal_decide", args=[proposal.pk]), {"decision": "accept"}
    )
    world.resident.refresh_from_db()
    assert world.resident.occupation == "退休教师"


# --- query counts ------------------------------------------------------------------------------------


def queries_after_a_write(world, look, *, write: bool = False) -> tuple[int, int]:
    """Queries of the first look after a write in the area (its kept due visits computed
    again, fieldwork.visits.selectors.kept_area_dues) and of the next look (read as kept);
    `write` makes that write (a move of the area's revision) first."""
    if write:
        bump_areas([world.area.pk])
    with CaptureQueriesContext(connection) as first:
        assert look().status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert look().status_code == 200
    return len(first.captured_queries), len(again.captured_queries)


def grow(world, worker_in, n: int) -> None:
    """More households due, visits, concerns, cases with actions, patrols with findings."""
    for i in range(n):
        household = HouseholdFactory(
            building=world.building_a, room=f"g{Household.objects.count()}"
        )
        ResidentFactory(household=household, name=f"老人{i}", birth_date=date(1940, 1, 1))
        visit_services.visit_record(
            actor=worker_in,
            data=visit_services.VisitInput(
                household_id=household.pk, visited_on=TODAY - timedelta(days=9)
            ),
        )
        concern = concern_services.concern_record(
            actor=worker_in,
            data=concern_services.ConcernInput(
                channel="phone",
                scope="community",
                subcategory="property",
                words=f"问题{i}",
                compound_id=world.compound_a.pk,
            ),
        )
        case = case_services.case_open(
            actor=worker_in,
            data=case_services.CaseInput(
                title=f"个案{i}", scope="community", subcategory="property"
            ),
            evidence=[concern],
        )
        case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="物业人手不足")
        case_services.case_record_plan(
            case=case,
            actor=worker_in,
            actions=[
                case_services.ActionInput(
                    description=f"措施{i}", owner_id=worker_in.pk, due_on=TODAY
                )
            ],
        )
        patrol = patrol_services.patrol_record(
            actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY - timedelta(days=i)
        )
        patrol_services.finding_record(
            patrol=patrol,
            actor=worker_in,
            data=patrol_services.FindingInput(category="fire_lane", place="南门", severity="high"),
        )


@pytest.mark.parametrize(
    "name",
    [
        "fieldwork_today",
        "fieldwork_cases",
        "fieldwork_concerns",
        "fieldwork_patrols",
        "fieldwork_visits",
    ],
)
def test_list_page_query_count_does_not_grow(world, worker_in, as_user, name):
    client = as_user(worker_in)
    grow(world, worker_in, 1)
    client.get(reverse(name))
    small = queries_after_a_write(world, lambda: client.get(reverse(name)), write=True)
    assert small[1] > 3
    grow(world, worker_in, 8)
    assert queries_after_a_write(world, lambda: client.get(reverse(name))) == small


def test_dashboard_query_count_does_not_grow(world, worker_in, secretary, as_user):
    client = as_user(secretary)
    url = reverse("fieldwork_dashboard", args=[world.area.pk])
    grow(world, worker_in, 1)
    client.get(url)
    small = queries_after_a_write(world, lambda: client.get(url), write=True)
    assert small[1] > 3
    grow(world, worker_in, 8)
    assert queries_after_a_write(world, lambda: client.get(url)) == small


def test_the_subdistrict_sees_each_areas_work_in_counts_and_no_one(
    world, worker_in, admin, case, as_user
):
    """绿八: 张建国's flat visited three days ago (not due again for four days), 李秀英's never
    (due and overdue); one concern, one case opened today. 天山: nothing yet."""
    from jinlin.fieldwork.summary.selectors import AreaWork

    visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(
            household_id=world.household_a.pk, visited_on=TODAY - timedelta(days=3)
        ),
    )
    page = as_user(admin).get(reverse("subdistrict_overview"))
    work = {row["area"].pk: row["work"] for row in page.context["rows"]}
    assert work[world.area.pk] == AreaWork(
        overdue_visits=1, due_visits=1, visits_30d=1, concerns_30d=1, open_cases=1, old_open_cases=0
    )
    assert work[world.other_area.pk] == AreaWork()
    html = page.content.decode()
    assert "其中逾期" in html and "党员联系户覆盖" in html
    assert "张建国" not in html and "李秀英" not in html and "独居老人需要" not in html


def test_a_case_open_more_than_thirty_days_is_counted_as_old(
    world, worker_in, admin, case, as_user
):
    Case = type(case)
    Case.objects.filter(pk=case.pk).update(opened_at=case.opened_at - timedelta(days=31))
    page = as_user(admin).get(reverse("subdistrict_overview"))
    work = {row["area"].pk: row["work"] for row in page.context["rows"]}
    assert (work[world.area.pk].open_cases, work[world.area.pk].old_open_cases) == (1, 1)


def test_subdistrict_overview_query_count_does_not_grow_with_areas(
    world, worker_in, admin, as_user, django_assert_num_queries
):
    from jinlin.places.figures import bump_areas
    from jinlin.places.models import Area
    from tests.factories import AreaFactory, BuildingFactory, CompoundFactory

    client = as_user(admin)
    grow(world, worker_in, 1)
    client.get(reverse("subdistrict_overview"))
    with CaptureQueriesContext(connection) as kept:  # every area's figures kept
        assert client.get(reverse("subdistrict_overview")).status_code == 200
    bump_areas(Area.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as counted:  # every area counted afresh
        client.get(reverse("subdistrict_overview"))
    assert len(kept.captured_queries) < len(counted.captured_queries)
    for n in range(6):
        area = AreaFactory(subdistrict=world.area.subdistrict, name=f"新区{n}", code=f"new{n}")
        building = BuildingFactory(compound=CompoundFactory(area=area))
        ResidentFactory(household=HouseholdFactory(building=building), birth_date=date(1940, 1, 1))
    grow(world, worker_in, 4)
    bump_areas(Area.objects.values_list("pk", flat=True))
    with django_assert_num_queries(len(counted.captured_queries)):
        page = client.get(reverse("subdistrict_overview"))
    assert len(page.context["rows"]) == 8
    with django_assert_num_queries(len(kept.captured_queries)):
        client.get(reverse("subdistrict_overview"))


def test_a_worker_lands_on_today_and_the_secretary_on_its_area(
    as_user, worker_in, secretary, world
):
    assert as_user(worker_in).get("/")["Location"] == "/today/"
    assert as_user(secretary).get("/")["Location"] == f"/areas/{world.area.pk}/"


def test_today_folds_what_is_overdue_by_more_than_a_month(world, worker_in, as_user):
    from tests.fieldwork.conftest import add_group

    # 301 (the world's 独居老人) has never been visited since it joined the group, long ago;
    # 402 was visited ten days ago, three days overdue on a 7-day interval.
    recent = HouseholdFactory(building=world.building_a, room="402")
    elder = ResidentFactory(household=recent, name="周阿婆", birth_date=date(1940, 5, 1))
    add_group(elder, "living_alone", TODAY - timedelta(days=400))
    visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(
            household_id=recent.pk, visited_on=TODAY - timedelta(days=10)
        ),
    )
    page = as_user(worker_in).get(reverse("fieldwork_today")).content.decode()
    folded = page[page.index('id="due-folded"') :]
    folded = folded[: folded.index("</details>")]
    main = page[page.index('id="due-visits"') : page.index('id="due-folded"')]
    assert "12号楼402室" in main and "逾期 3 天" in main
    assert "12号楼301室" in folded and "12号楼301室" not in main
    assert "逾期超过一个月的 1 户" in folded


def test_opening_a_case_without_evidence_defaults_to_the_workers_compound(
    world, worker_in, secretary, as_user
):
    page = as_user(worker_in).get(reverse("fieldwork_case_create")).content.decode()
    assert f'<option value="{world.compound_a.pk}" selected>' in page
    # The secretary has the whole area and no compound of its own: it chooses.
    page = as_user(secretary).get(reverse("fieldwork_case_create")).content.decode()
    assert "selected>绿园" not in page


def test_the_concern_form_keeps_what_was_typed_through_a_resident_lookup(world, worker_in, as_user):
    page = as_user(worker_in).get(
        reverse("fieldwork_concern_create"),
        {"q": world.resident.name, "words": "楼上漏水", "subcategory": "property"},
    )
    html = page.content.decode()
    assert ">\n楼上漏水</textarea>" in html
    assert '<option value="property" selected>' in html
    # The chosen resident's link carries them on.
    assert f"?resident={world.resident.pk}&amp;subcategory=property&amp;words=" in html


def test_a_sensitive_proposal_shows_neither_value_in_the_list(world, worker_in, secretary, as_user):
    world.resident.health = "chronic"
    world.resident.phone = "13812345678"
    world.resident.save(update_fields=["health", "phone"])
    visit = visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(household_id=world.household_a.pk, visited_on=TODAY),
    )
    for field, value in (("health", "serious"), ("phone", "13912345678")):
        visit_services.proposal_create(
            visit=visit, actor=worker_in, resident_id=world.resident.pk, field=field, value=value
        )
    page = as_user(secretary).get(reverse("fieldwork_proposals")).content.decode()
    assert (
        '健康状况：<span class="masked">已隐藏</span> → <span class="masked">已隐藏</span>' in page
    )
    assert '138****5678</span> → <span class="masked">139****5678' in page
    assert "慢性病" not in page and "大病重病" not in page and "13812345678" not in page


def test_a_visit_is_recorded_from_anywhere(world, worker_in, as_user, editor):
    """From the household's, the resident's and the building's pages, and the search; without a
    household /visits/new/ asks which one (it answered 404)."""
    client = as_user(worker_in)
    create = reverse("fieldwork_visit_create")
    household, resident = world.household_a, world.resident
    link = f"{create}?household={household.pk}"
    assert link in client.get(f"/households/{household.pk}/").content.decode()
    assert (
        f"{link}&amp;resident={resident.pk}"
        in client.get(f"/residents/{resident.pk}/").content.decode()
    )
    assert link in client.get(f"/buildings/{world.building_a.pk}/").content.decode()
    assert (
        f"{link}&amp;resident={resident.pk}"
        in client.get("/search/", {"q": resident.name}).content.decode()
    )

    picker = client.get(create)
    assert picker.status_code == 200 and "先找到要走访的这一户" in picker.content.decode()
    found = client.get(create, {"q": resident.name}).content.decode()
    assert f"?household={household.pk}&amp;resident={resident.pk}" in found
    form = client.get(create, {"household": household.pk, "resident": resident.pk}).content.decode()
    assert f'<option value="{resident.pk}" selected>' in form
    # Outside the patch, and for roles that do not write fieldwork: nothing to find or link.
    outside = client.get(create, {"q": world.other_resident.name}).content.decode()
    assert f"household={world.other_resident.household_id}" not in outside
    assert "记录走访" not in as_user(editor).get(f"/households/{household.pk}/").content.decode()
