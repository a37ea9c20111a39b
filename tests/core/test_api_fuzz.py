"""Schemathesis against /api/v1/openapi.json: every operation, as every persona, on a small budget.

Each valid request generated is sent once as each persona (anonymous, subdistrict admin, area
secretary, worker in and outside the patch, editor) with their API tokens, straight into the
Django WSGI application, and checked: no 5xx, the status code and the body as documented.
Invalid requests are checked to be refused (once: the refusal comes before any access rule). Path and body identifiers are drawn half the time from objects that
exist, so that requests get past the 404 into the services. Every request runs in a savepoint
that is rolled back, so each one starts from the same data.

`JINLIN_FUZZ_EXAMPLES=200` explores further (positive examples per operation; the CI budget
is small); examples are derandomised so that a CI run is repeatable. `JINLIN_FUZZ_SECONDS`
(90) bounds the run: past it, each remaining operation gets one example per mode, so a slow
machine still tries every operation and CI stays inside its limit. `JINLIN_FUZZ_STRICT=1` adds
schemathesis's "valid request accepted" check (`positive_data_acceptance`), which still fails
where a business rule is not in the schema (docs/security.md lists them).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from jinlin.chain import notice_services
from jinlin.chain.needs import services as need_services
from jinlin.core.models import ApiToken, Role, User
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.consultations import services as consultation_services
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.fieldwork.visits import services as visit_services
from jinlin.party import selectors as party_selectors
from jinlin.party import services as party
from jinlin.party.models import PartyMember, PartyOrganisation
from jinlin.people.models import GroupMembership, PoliticalStatus
from jinlin.woodpecker import services as woodpecker
from tests.factories import HouseholdFactory, ResidentFactory

POSITIVE_EXAMPLES = int(os.environ.get("JINLIN_FUZZ_EXAMPLES", "10"))
NEGATIVE_EXAMPLES = max(3, POSITIVE_EXAMPLES // 3)
BUDGET_SECONDS = float(os.environ.get("JINLIN_FUZZ_SECONDS", "90"))
STRICT = os.environ.get("JINLIN_FUZZ_STRICT") == "1"
_STARTED: list[float] = []
PERSONAS = ("anonymous", "admin", "secretary", "worker_in", "worker_out", "editor")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]

APPLICATION = get_wsgi_application()


@pytest.fixture(scope="module", autouse=True)
def _connection_kept_across_requests() -> Iterator[None]:
    """Django's test client does the same: a request must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def operations(_connection_kept_across_requests) -> list[Any]:
    """Loaded when a test runs, not when the file is collected (a few seconds of ninja)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APPLICATION)
    return [result.ok() for result in schema.get_all_operations()]


def _known(world, secretary, worker_in, editor) -> dict[str, list[Any]]:
    """Objects of every kind the API names, and the identifiers under which it names them."""
    today = timezone.localdate()
    # Party: three full members in building 12, organised by the rule (one group).
    for room, name in (("302", "王志刚"), ("401", "赵丽华")):
        household = HouseholdFactory(building=world.building_a, room=room)
        member = ResidentFactory(
            household=household, name=name, political_status=PoliticalStatus.MEMBER
        )
        PartyMember.objects.create(
            resident=member, joined_on=date(1990, 7, 1), full_member_on=date(1991, 7, 1)
        )
    PartyMember.objects.create(
        resident=world.resident,
        joined_on=date(1970, 5, 1),
        full_member_on=date(1971, 5, 1),
    )
    proposal = party_selectors.area_proposal(world.area)
    party.network_apply_proposal(area=world.area, actor=secretary, fingerprint=proposal.fingerprint)
    groups = list(PartyOrganisation.objects.filter(level="group").values_list("pk", flat=True))
    # Fieldwork: a visit with a proposal, a concern, a patrol with a finding, a consultation,
    # a case with a root cause and a plan.
    visit = visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(household_id=world.household_a.pk, visited_on=today),
    )
    proposal_row = visit_services.proposal_create(
        visit=visit,
        actor=worker_in,
        resident_id=world.resident.pk,
        field="phone",
        value="13900001234",
    )
    concern = concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="elderly_care",
            words="晚上摔了一跤没人知道",
            resident_id=world.resident.pk,
        ),
    )
    point = patrol_services.collection_point_create(
        actor=worker_in, compound_id=world.compound_a.pk, name="东门投放点"
    )
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=today
    )
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="garbage_sorting",
            place="",
            collection_point_id=point.pk,
            is_up_to_standard=False,
        ),
    )
    GroupMembership.objects.create(
        resident=world.resident,
        household_id=world.resident.household_id,
        area_id=world.area.pk,
        compound_id=world.compound_a.pk,
        group="talent",
        source=GroupMembership.Source.MANUAL,
        since=today - timedelta(days=30),
        reason="测试",
        skills=["书法"],
    )
    consultation = consultation_services.consultation_record(
        actor=worker_in,
        data=consultation_services.ConsultationInput(
            veteran_id=world.resident.pk,
            topic="community",
            question="楼道堆物怎么劝",
            advice="先上门聊",
            asked_on=today,
        ),
    )
    case = case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(
            title="夜间跌倒无人知晓", scope="family", subcategory="elderly_care"
        ),
        evidence=[concern],
    )
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="独居且没有呼叫手段")
    [action] = case_services.case_record_plan(
        case=case,
        actor=worker_in,
        actions=[
            case_services.ActionInput(
                description="装紧急呼叫器", owner_id=worker_in.pk, due_on=today
            )
        ],
    )
    # Woodpecker: this month's issue, an article, a reader's report.
    publication = woodpecker.publication_save(actor=editor, name="社区晨报")
    issue = woodpecker.issue_save(
        actor=editor, publication=publication, number=120, published_on=today
    )
    page = woodpecker.page_save(actor=editor, issue=issue, number=3, name="副刊")
    article = woodpecker.article_save(
        actor=editor, page=page, title="十月红", text="快马加鞭未下鞍。"
    )
    report = woodpecker.report_submit(
        data=woodpecker.ReportInput(
            issue_id=issue.pk,
            page_number=3,
            article_id=article.pk,
            quoted="快马加鞭下鞍",
            correction="快马加鞭未下鞍",
            reader_name="小飞",
            contact="13812345678",
        )
    )
    # Chain: a notice to the whole area.
    notice = notice_services.notice_publish(
        area=world.area, actor=secretary, title="停水通知", body="明天 9:00 起停水"
    )
    # Needs: one published for tomorrow, claimed by a network member of the area.
    need = need_services.need_publish(
        area=world.area,
        actor=secretary,
        title="陪同就医",
        place="12号楼",
        starts_at=timezone.now() + timedelta(days=1),
        hours=2,
        people_needed=2,
    )
    member = User.objects.create(username="fuzz_member", role=Role.NETWORK_MEMBER, area=world.area)
    claim = need_services.need_claim(need=need, actor=member)
    # People: an emergency contact of the resident in compound A.
    from jinlin.people.services import emergency_contact_add

    contact = emergency_contact_add(
        resident=world.resident, actor=worker_in, name="张丽", relation="child", phone="13912345678"
    )
    residents = [world.resident.pk, world.resident_b.pk, world.other_resident.pk]
    return {
        "contact_id": [contact.pk],
        "notice_id": [notice.pk],
        "need_id": [need.pk],
        "claim_id": [claim.pk],
        "area_id": [world.area.pk, world.other_area.pk],
        "compound_id": [world.compound_a.pk, world.compound_b.pk],
        "building_id": [world.building_a.pk, world.building_b.pk],
        "first_id": [world.building_a.pk],
        "second_id": [world.building_b.pk],
        "household_id": [world.household_a.pk, world.household_b.pk],
        "resident_id": residents,
        "veteran_id": residents,
        "talent_id": residents,
        "owner_id": [worker_in.pk, secretary.pk],
        "visit_id": [visit.pk],
        "visit_ids": [[visit.pk]],
        "proposal_id": [proposal_row.pk],
        "concern_id": [concern.pk],
        "concern_ids": [[concern.pk]],
        "collection_point_id": [point.pk],
        "patrol_id": [patrol.pk],
        "finding_id": [finding.pk],
        "finding_ids": [[finding.pk]],
        "consultation_id": [consultation.pk],
        "consultation_ids": [[consultation.pk]],
        "case_id": [case.pk],
        "action_id": [action.pk],
        "group_id": groups,
        "report_id": [report.pk],
        "duplicate_of": [report.pk],
        "issue_id": [issue.pk],
        "article_id": [article.pk],
        "receipt": [report.receipt],
        "month": [f"{today:%Y-%m}", "2022-10"],
    }


@pytest.fixture
def fuzz_world(world, admin, secretary, worker_in, worker_out, editor):
    cache.clear()  # rate-limit counters of the public endpoints
    known = _known(world, secretary, worker_in, editor)
    users = {
        "admin": admin,
        "secretary": secretary,
        "worker_in": worker_in,
        "worker_out": worker_out,
        "editor": editor,
    }
    headers = {"anonymous": {}}
    for name, user in users.items():
        _row, token = ApiToken.issue(user=user, name="fuzz")
        headers[name] = {"Authorization": f"Bearer {token}"}
    # Just used: no request then records the use (each would, its savepoint being rolled back).
    ApiToken.objects.update(last_used_at=timezone.now())
    yield known, headers
    cache.clear()


def _point_at_known_objects(case, data, known: dict[str, list[Any]]) -> None:
    """Half the time, each identifier in the path or the body names an object that exists."""
    for values in (case.path_parameters, case.body):
        if not isinstance(values, dict):
            continue
        for name in list(values):
            if name in known and data.draw(st.booleans(), label=f"known {name}"):
                values[name] = data.draw(st.sampled_from(known[name]), label=name)


def _send(case, headers: dict[str, dict[str, str]], mode: GenerationMode, personas) -> None:
    if mode is GenerationMode.NEGATIVE:
        checks = [*CHECKS, negative_data_rejection]
    else:
        checks = [*CHECKS, *([positive_data_acceptance] if STRICT else [])]
    for persona in personas:
        with transaction.atomic():
            try:
                case.call_and_validate(headers=headers[persona], checks=checks)
            except Exception as error:
                raise AssertionError(f"as {persona}: {error}") from error
            finally:
                transaction.set_rollback(True)


def _past_budget() -> bool:
    if not _STARTED:
        _STARTED.append(time.monotonic())
    return time.monotonic() - _STARTED[0] > BUDGET_SECONDS


def _examples(operation) -> int:
    """A PDF takes WeasyPrint a tenth of a second: its few inputs need few examples."""
    if _past_budget():
        return 1
    responses = operation.definition.raw.get("responses", {})
    if "application/pdf" in responses.get("200", {}).get("content", {}):
        return 3
    return POSITIVE_EXAMPLES


def _fuzz(operation, known: dict[str, list[Any]], headers: dict[str, dict[str, str]]) -> None:
    budget = settings(
        max_examples=_examples(operation),
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    public = not operation.definition.raw.get("security")
    sent = [0]

    def everyone() -> tuple[str, ...]:
        # Anonymous is refused (401) before the input is even read: two examples show it.
        sent[0] += 1
        return PERSONAS if public or sent[0] <= 2 else PERSONAS[1:]

    @budget
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE), data=st.data())
    def positive(case, data):
        _point_at_known_objects(case, data, known)
        _send(case, headers, GenerationMode.POSITIVE, everyone())

    # Invalid input is refused (422) after the login and before anything is looked up: the
    # same for every persona, so one is enough, and no object needs to exist.
    @settings(budget, max_examples=1 if _past_budget() else NEGATIVE_EXAMPLES)
    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    def negative(case):
        _send(case, headers, GenerationMode.NEGATIVE, ("anonymous",) if public else ("worker_in",))

    positive()
    # Unsatisfiable: nothing about the operation can be invalid (a free-text path, no body).
    with contextlib.suppress(Unsatisfiable):
        negative()


# The routers' tags (core/api.py), one test each; a test below keeps the list complete.
TAGS = ["accounts", "chain", "door", "fieldwork", "party", "people", "places", "woodpecker"]


def test_every_router_is_fuzzed(operations):
    assert sorted({operation.tags[0] for operation in operations}) == TAGS


@pytest.mark.parametrize("tag", TAGS)
def test_api_operations_answer_every_persona_as_documented(tag, operations, fuzz_world, subtests):
    known, headers = fuzz_world
    for operation in operations:
        if operation.tags[0] == tag:
            with subtests.test(operation.label):
                _fuzz(operation, known, headers)
