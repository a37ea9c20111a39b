"""望闻问切 fieldwork models, one module per part; this module names them all for Django.

Django loads `jinlin.fieldwork.models`, and migrations and other apps import models from
here. The parts themselves import their own modules (e.g. `jinlin.fieldwork.visits.models`),
never this one, so that the import contracts between parts hold.

Every row that concerns a place carries `area`, `compound` and `building` (denormalised) so
that core.access.Scope.q() filters it without joins. Workflows live in each part's services.
"""

from __future__ import annotations

from jinlin.fieldwork.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseAction,
    CaseEvent,
    CaseEvidence,
    CaseStatus,
    Feedback,
    TalentHelp,
    derive_case_status,
)
from jinlin.fieldwork.common.models import PlaceMixin
from jinlin.fieldwork.concerns.models import Channel, Concern, ConcernScope, Subcategory, Urgency
from jinlin.fieldwork.consultations.models import THINK_TANK_GROUPS, Consultation
from jinlin.fieldwork.handover.models import ReassignedItem, Reassignment
from jinlin.fieldwork.patrols.models import (
    FACILITY_CATEGORIES,
    HAZARD_CATEGORIES,
    SEVERITY_RANK,
    CollectionPoint,
    FacilityState,
    Finding,
    FindingCategory,
    FindingKind,
    FindingPhoto,
    Patrol,
    Severity,
    finding_kind,
)
from jinlin.fieldwork.visits.models import (
    SENSITIVE_PROPOSAL_FIELDS,
    VISITING_GROUP_CHOICES,
    Condition,
    KeptDues,
    ProposalField,
    ProposalStatus,
    RecordProposal,
    Visit,
    VisitInterval,
    VisitMode,
)

__all__ = [
    "FACILITY_CATEGORIES",
    "HAZARD_CATEGORIES",
    "OPEN_STATUSES",
    "SENSITIVE_PROPOSAL_FIELDS",
    "SEVERITY_RANK",
    "THINK_TANK_GROUPS",
    "VISITING_GROUP_CHOICES",
    "Case",
    "CaseAction",
    "CaseEvent",
    "CaseEvidence",
    "CaseStatus",
    "Channel",
    "CollectionPoint",
    "Concern",
    "ConcernScope",
    "Condition",
    "KeptDues",
    "Consultation",
    "FacilityState",
    "Feedback",
    "Finding",
    "FindingCategory",
    "FindingKind",
    "FindingPhoto",
    "Patrol",
    "PlaceMixin",
    "ProposalField",
    "ProposalStatus",
    "ReassignedItem",
    "Reassignment",
    "RecordProposal",
    "Severity",
    "Subcategory",
    "TalentHelp",
    "Urgency",
    "Visit",
    "VisitInterval",
    "VisitMode",
    "derive_case_status",
    "finding_kind",
]
