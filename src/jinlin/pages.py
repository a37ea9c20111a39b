"""Every page a person reads, next to the URL conf: who reaches it and how to build its address.

The accessibility test (tests/browser/test_accessibility_browser.py) loads each page below in
the demo world as one of the personas that reach it, on a phone and on a desktop, and runs
axe-core in it. `EXEMPT` names the URL patterns that are not a page for a person (API,
downloads, PDFs, photos, POST-only actions, redirects), each with its reason;
tests/test_pages.py fails when a named URL pattern is in neither (docs/accessibility.md).

Personas are the demo accounts (`jinlin demo`): `jiedao`, `shuji`, `shegong`, `zhibu`,
`xiaozu`, `bianji`, `dangyuan`, `louzu`, and `None` for a reader without an account.
The arguments are built from the small demo subdistrict (`jinlin demo --scale small`, with its
fieldwork in the first area): its first area and the first building of its first compound,
which lie in every demo account's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Kwargs = dict[str, Any]


@dataclass(frozen=True)
class Page:
    name: str
    personas: tuple[str | None, ...]
    kwargs: Callable[[], Kwargs] = field(default=lambda: {})
    query: str = ""


# --- the demo world: objects every persona of a page may see --------------------------------


def _area() -> Any:
    from jinlin.places.models import Area

    return Area.objects.filter(subdistrict__is_demo=True).order_by("id").first()


def _compound() -> Any:
    return _area().compounds.order_by("id").first()


def _building() -> Any:
    return _compound().buildings.order_by("sort_key", "id").first()


def _household() -> Any:
    from jinlin.places.models import Household

    return (
        Household.objects.filter(building=_building(), residents__status="current")
        .order_by("id")
        .first()
    )


def _first(model: Any, **where: Any) -> Any:
    found = model.objects.filter(**where).order_by("id").first()
    if found is None:
        raise LookupError(f"the demo world has no {model.__name__} where {where}")
    return found


def area() -> Kwargs:
    return {"area_id": _area().pk}


def compound() -> Kwargs:
    return {"compound_id": _compound().pk}


def building() -> Kwargs:
    return {"building_id": _building().pk}


def household() -> Kwargs:
    return {"household_id": _household().pk}


def resident() -> Kwargs:
    from jinlin.people.models import Resident

    return {"resident_id": _first(Resident, household=_household(), status="current").pk}


def emergency_contact() -> Kwargs:
    from jinlin.people.models import EmergencyContact

    contact = _first(
        EmergencyContact,
        resident__compound=_compound(),
        resident__status="current",
        removed_at__isnull=True,
    )
    return {"resident_id": contact.resident_id, "contact_id": contact.pk}


def group_definition() -> Kwargs:
    """The demo keeps no group of its own: one (低保, sensitive, every 30 days) is added here,
    as the area's secretary."""
    from jinlin.core.models import Role, User
    from jinlin.people.models import GroupDefinition
    from jinlin.people.services import group_definition_create

    found = GroupDefinition.objects.filter(area=_area()).order_by("id").first()
    if found is None:
        secretary = _first(User, role=Role.AREA_SECRETARY, area=_area())
        found = group_definition_create(
            actor=secretary,
            label="低保",
            category="vulnerable",
            is_sensitive=True,
            visit_days=30,
            area_id=_area().pk,
        )
    return {"definition_id": found.pk}


def _fieldwork(model_path: str, key: str) -> Callable[[], Kwargs]:
    def build() -> Kwargs:
        from django.apps import apps

        model = apps.get_model(model_path)
        return {key: _first(model, compound=_compound()).pk}

    return build


def consultation() -> Kwargs:
    """The demo records no consultation 问三老: one is recorded here, as the secretary."""
    from django.utils import timezone

    from jinlin.core.models import User
    from jinlin.fieldwork.consultations.models import THINK_TANK_GROUPS, Consultation
    from jinlin.fieldwork.consultations.services import ConsultationInput, consultation_record
    from jinlin.people.models import GroupMembership

    found = Consultation.objects.filter(area=_area()).order_by("id").first()
    if found is None:
        veteran = _first(
            GroupMembership,
            resident__area=_area(),
            resident__status="current",
            group__in=THINK_TANK_GROUPS,
            ended_on__isnull=True,
        ).resident
        found = consultation_record(
            actor=User.objects.get(username="shuji"),
            data=ConsultationInput(
                veteran_id=veteran.pk,
                topic=Consultation.Topic.values[0],
                question="楼道堆物怎么劝",
                advice="先请楼组长上门，再开楼组会",
                asked_on=timezone.localdate(),
            ),
        )
    return {"consultation_id": found.pk}


def party_group() -> Kwargs:
    from jinlin.party.models import PartyOrganisation

    group = _first(
        PartyOrganisation,
        level=PartyOrganisation.Level.GROUP,
        dissolved_at__isnull=True,
        buildings=_building(),
    )
    return {"group_id": group.pk}


def party_branch() -> Kwargs:
    from jinlin.party.models import PartyOrganisation

    branch = _first(
        PartyOrganisation,
        level=PartyOrganisation.Level.BRANCH,
        dissolved_at__isnull=True,
        compounds=_compound(),
    )
    return {"organisation_id": branch.pk}


def notice() -> Kwargs:
    from jinlin.chain.models import Notice

    return {"notice_id": _first(Notice, area=_area(), withdrawn_at__isnull=True).pk}


def member_household() -> Kwargs:
    from jinlin.party.models import HouseholdContact

    contact = _first(HouseholdContact, member__account__username="dangyuan", ended_on__isnull=True)
    return {"household_id": contact.household_id}


def door_building() -> Kwargs:
    from jinlin.places.services import building_public_token

    return {"token": building_public_token(building=_building())}


def door_receipt() -> Kwargs:
    from jinlin.fieldwork.models import Concern

    return {"receipt": _first(Concern, receipt__isnull=False).receipt}


def invitation() -> Kwargs:
    from jinlin.core.models import Invitation, Role, User

    account = (
        User.objects.filter(role=Role.NETWORK_MEMBER)
        .exclude(username__in=["dangyuan", "louzu"])
        .order_by("id")[0]
    )
    shuji = User.objects.get(username="shuji")
    _, token = Invitation.issue(user=account, created_by=shuji, hours=1)
    return {"token": token}


def woodpecker_report() -> Kwargs:
    from jinlin.woodpecker.models import Report

    return {"report_id": _first(Report).pk}


def woodpecker_receipt() -> Kwargs:
    from jinlin.woodpecker.models import Report

    return {"number": _first(Report).receipt}


def publication() -> Kwargs:
    from jinlin.woodpecker.models import Publication

    return {"publication_id": _first(Publication).pk}


def issue() -> Kwargs:
    from jinlin.woodpecker.models import Issue

    return {"issue_id": _first(Issue).pk}


def newspaper_page() -> Kwargs:
    from jinlin.woodpecker.models import Page as NewspaperPage

    return {"page_id": _first(NewspaperPage).pk}


def article() -> Kwargs:
    from jinlin.woodpecker.models import Article

    return {"article_id": _first(Article).pk}


def woodpecker_round() -> Kwargs:
    from jinlin.woodpecker.models import Round

    found = Round.objects.order_by("year", "month").first()
    if found is None:
        raise LookupError("the demo world has no woodpecker round")
    return {"code": found.code}


def job() -> Kwargs:
    """A finished job of the secretary's (the demo queues none): its page shows the link. Only
    the file's name is set, no file is written: the page is read, the link not followed."""
    from django.utils import timezone

    from jinlin.core.models import Job, User

    found = Job.objects.filter(owner__username="shuji", status=Job.Status.DONE).first()
    if found is None:
        found = Job.objects.create(
            owner=User.objects.get(username="shuji"),
            kind="ledger",
            title="走访台账（示例）",
            status=Job.Status.DONE,
            done=12,
            total=12,
            message="共 12 条记录（脱敏）",
            result="jobs/example.xlsx",
            result_name="绿八居民区-走访台账-2026年11月-20261204-0900.xlsx",
            started_at=timezone.now(),
            finished_at=timezone.now(),
        )
    return {"job_id": found.pk}


STAFF = ("shuji", "shegong")
PARTY = ("shuji", "zhibu", "xiaozu")

PAGES: tuple[Page, ...] = (
    # core
    Page("login", (None,)),
    Page("login_verify", (None,)),
    Page("home", ("bianji",)),
    Page("account", ("shuji", "shegong", "zhibu", "xiaozu", "bianji", "jiedao", "dangyuan")),
    Page("password_change", ("shegong", "louzu")),
    Page("second_factor", ("shuji",)),
    Page("notifications", ("shuji", "shegong", "jiedao", "dangyuan")),
    Page("reminder_settings", ("shuji", "shegong")),
    Page("invite_accept", (None,), invitation),
    Page("job_list", STAFF),
    Page("job_detail", ("shuji",), job),
    # overview
    Page("subdistrict_overview", ("jiedao",)),
    Page("area_overview", ("shuji", "jiedao"), area),
    Page("compound_detail", ("shuji", "shegong"), compound),
    Page("audit_log", ("shuji",)),
    Page("household_story", STAFF, household),
    Page("resident_story", STAFF, resident),
    Page("household_sheet", STAFF, household),
    # places
    Page("area_adjacency", ("shuji",), area),
    Page("compound_adjacency", ("shuji",), compound),
    # people
    Page("building_detail", ("shuji", "shegong", "zhibu", "xiaozu"), building),
    Page("household_detail", ("shuji", "shegong", "zhibu", "xiaozu"), household),
    Page("resident_detail", ("shegong", "shuji", "zhibu"), resident),
    Page("resident_edit", STAFF, resident),
    Page("resident_leave", STAFF, resident),
    Page("resident_group_add", STAFF, resident),
    Page("resident_create", STAFF, household),
    Page("group_list", STAFF, lambda: {**area(), "group": "living_alone"}),
    Page("area_groups", ("shuji", "shegong"), area),
    Page("area_group_create", ("shuji",), area),
    Page("subdistrict_groups", ("jiedao",)),
    Page("subdistrict_group_create", ("jiedao",)),
    Page("group_definition_edit", ("shuji",), group_definition),
    Page("resident_search", STAFF, query="?q=王"),
    Page("import_page", ("shuji",), area),
    Page("emergency_contact_create", STAFF, resident),
    Page("emergency_contact_edit", STAFF, emergency_contact),
    # fieldwork
    Page("fieldwork_today", ("shegong", "shuji")),
    Page("fieldwork_visits", STAFF),
    Page("fieldwork_visit_create", STAFF),
    Page("fieldwork_visit", STAFF, _fieldwork("fieldwork.Visit", "visit_id")),
    Page("fieldwork_proposals", STAFF),
    Page("fieldwork_concerns", STAFF),
    Page("fieldwork_concern_create", STAFF),
    Page("fieldwork_concern", STAFF, _fieldwork("fieldwork.Concern", "concern_id")),
    Page("fieldwork_patrols", STAFF),
    Page("fieldwork_patrol_create", STAFF),
    Page("fieldwork_patrol", STAFF, _fieldwork("fieldwork.Patrol", "patrol_id")),
    Page("fieldwork_finding", STAFF, _fieldwork("fieldwork.Finding", "finding_id")),
    Page("fieldwork_cases", STAFF),
    Page("fieldwork_case_create", STAFF),
    Page("fieldwork_case", STAFF, _fieldwork("fieldwork.Case", "case_id")),
    Page("fieldwork_consultations", STAFF),
    Page("fieldwork_consultation_create", STAFF),
    Page("fieldwork_consultation", ("shuji",), consultation),
    Page("fieldwork_talents", STAFF),
    Page("fieldwork_dashboard", ("shuji",), area),
    Page("fieldwork_intervals", ("shuji",), area),
    Page("fieldwork_case_reassign", ("shuji",), _fieldwork("fieldwork.Case", "case_id")),
    Page("fieldwork_concern_reassign", ("shuji",), _fieldwork("fieldwork.Concern", "concern_id")),
    Page("fieldwork_handover", ("shuji",), area),
    # party
    Page("party_home", PARTY),
    Page("party_network", PARTY, area),
    Page("party_proposal", ("shuji",), area),
    Page("party_coverage", PARTY, area),
    Page("party_members", ("shuji", "zhibu"), area),
    Page("party_invite", ("shuji",), area),
    Page("party_organisation", ("shuji", "zhibu"), party_branch),
    Page("party_group", PARTY, party_group),
    Page("party_meeting_new", ("xiaozu", "shuji"), party_group),
    # chain
    Page("member_home", ("dangyuan", "louzu")),
    Page("member_contact", ("dangyuan",), member_household),
    Page("chain_contact_freshness", PARTY, area),
    Page("chain_notices", ("shuji", "shegong"), area),
    Page("chain_notice", ("shuji",), notice),
    Page("member_notices", ("dangyuan", "louzu")),
    Page("chain_building_activities", ("louzu", "shuji", "xiaozu"), building),
    Page("chain_activity_new", ("louzu", "xiaozu"), building),
    Page("chain_activities", ("shuji",), area),
    Page("chain_needs", ("shuji", "shegong"), area),
    Page("chain_needs_hours", ("shuji",), area),
    Page("member_needs", ("dangyuan",)),
    # woodpecker
    Page("woodpecker_public", (None,)),
    Page("woodpecker_receipt_lookup", (None,)),
    Page("woodpecker_receipt", (None,), woodpecker_receipt),
    Page("woodpecker_winners", (None,)),
    Page("woodpecker_editor", ("bianji",)),
    Page("woodpecker_queue", ("bianji",)),
    Page("woodpecker_report", ("bianji",), woodpecker_report),
    Page("woodpecker_catalogue", ("bianji",)),
    Page("woodpecker_publication", ("bianji",), publication),
    Page("woodpecker_issue", ("bianji",), issue),
    Page("woodpecker_article_create", ("bianji",), newspaper_page),
    Page("woodpecker_article", ("bianji",), article),
    Page("woodpecker_article_edit", ("bianji",), article),
    Page("woodpecker_round", ("bianji",), woodpecker_round),
    Page("woodpecker_ledger", ("bianji",)),
    Page("woodpecker_proofread", ("bianji",)),
    Page("woodpecker_proofread_issue", ("bianji",), issue),
    # ledgers
    Page("ledgers", STAFF),
    # the residents' door
    Page("door_building", (None,), door_building),
    Page("door_receipt", (None,), door_receipt),
)


_POST = "a POST-only action; its form is on a listed page"
_FILE = "a download, not an HTML page"

EXEMPT: dict[str, str] = {
    "door_receipt_lookup": "redirects a typed receipt number to its page (door_receipt)",
    "healthz": "plain-text answer for a load balancer",
    "logout": "POST-only; signs out and redirects",
    "notification_open": "marks one notification read and redirects to its page",
    "notifications_read_all": "POST-only; marks all read and redirects to the list",
    "subdistrict_export": _FILE + " (Excel)",
    "import_template": _FILE + " (Excel)",
    "export_residents": _FILE + " (Excel; its form is on the area's pages)",
    "party_placard_building": _FILE + " (PDF)",
    "party_placard_compound": _FILE + " (PDF)",
    "party_placard_compound_job": _POST + " (queues the compound's placards as a job)",
    "subdistrict_party_check": _POST + " (queues every area's Party proposal check as a job)",
    "chain_activity_photo": _FILE + " (a photo)",
    "fieldwork_photo": _FILE + " (a photo)",
    "fieldwork_concern_photo": _FILE + " (a photo)",
    "woodpecker_picker": "an htmx fragment of the public form, checked inside it",
    "woodpecker_parse": "an htmx fragment of the public form (POST), checked inside it",
    "area_open": _POST,
    "area_adjacency_add": _POST,
    "area_adjacency_remove": _POST,
    "compound_adjacency_apply": _POST,
    "compound_adjacency_add": _POST,
    "compound_adjacency_remove": _POST,
    "resident_unmask": _POST,
    "fieldwork_proposal_decide": _POST,
    "fieldwork_evidence_join": _POST,
    "party_member_invite": _POST,
    "party_account_reinvite": _POST,
    "party_position_appoint": _POST,
    "party_contact_set": _POST,
    "party_position_end": _POST,
    "party_group_assign": _POST,
    "party_placard_rotate": _POST,
    "chain_notice_withdraw": _POST,
    "chain_notice_mark": _POST,
    "member_notice_mark": _POST,
    "chain_activity_withdraw": _POST,
    "chain_need_withdraw": _POST,
    "chain_claim_confirm": _POST,
    "chain_claim_decline": _POST,
    "member_need_claim": _POST,
    "member_claim_complete": _POST,
    "member_claim_withdraw": _POST,
    "woodpecker_report_link": _POST,
    "woodpecker_contact": _POST,
    "woodpecker_round_settings": _POST,
    "woodpecker_round_confirm": _POST,
    "woodpecker_round_reopen": _POST,
    "woodpecker_ledger_record": _POST,
    "woodpecker_proofread_decide": _POST,
    "emergency_contact_remove": _POST,
    "group_definition_retire": _POST,
    "emergency_contact_unmask": _POST,
    "job_download": _FILE + " (a job's result: Excel or PDF)",
    "household_sheet_pdf": _FILE + " (PDF; its HTML twin household_sheet is checked)",
    "fieldwork_handover_done": (
        "the summary of one handover, which the demo world has none of; built from the same "
        "template parts as fieldwork_handover and reached in tests/browser/test_handover_browser.py"
    ),
}

# Whole namespaces that are not pages of Jinlin's own (the API's JSON and docs, Django's admin).
EXEMPT_PREFIXES: dict[str, str] = {
    "api:": "the JSON API under /api/v1/ (its docs page is django-ninja's, for developers)",
    "admin:": "Django's admin, for the operator, not a page of Jinlin's own",
}
