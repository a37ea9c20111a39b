"""Schemas of the Party API (jinlin.party.api): what it answers and what it takes."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from jinlin.core.api_schemas import Day, InputSchema, ObjectId


class PersonOut(Schema):
    member_id: int | None = Field(description="空表示该党员不在您的查看范围内")
    name: str
    titles: list[str]


class TreeMemberOut(Schema):
    id: int
    name: str
    building: str
    room: str
    titles: list[str]
    party_years: int | None = Field(description="党龄（自转正起算）；预备党员为空")
    is_probationary: bool
    can_contact: bool
    households: str = Field(description="所联系的户，如“12号楼 301、302”")
    household_count: int


class TreeGroupOut(Schema):
    id: int
    name: str
    buildings: str
    leader: PersonOut | None
    contact: PersonOut | None
    counted_members: int
    households: int
    covered: int
    uncovered: str
    gaps: list[str]
    members: list[TreeMemberOut]


class TreeBranchOut(Schema):
    id: int
    name: str
    is_joint: bool
    compounds: str
    committee: list[PersonOut]
    contact: PersonOut | None
    gaps: list[str]
    groups: list[TreeGroupOut]


class TreeOut(Schema):
    area_id: int
    area: str
    organisation: str | None
    committee: list[PersonOut]
    branches: list[TreeBranchOut]
    unorganised_buildings: list[str]
    totals: dict[str, int]


class GapOut(Schema):
    kind: str
    kind_label: str
    object_type: str
    object_id: int
    label: str
    reason: str
    group_id: int | None


class CoverageOut(Schema):
    households: int
    covered: int
    counts: dict[str, int]
    gaps: list[GapOut]


class PlannedGroupOut(Schema):
    change: str = Field(description="keep 不变 / change 调整 / new 新增")
    id: int | None = Field(description="延续的现有党小组；新增为空")
    name: str
    buildings: list[str]
    added: list[str]
    removed: list[str]
    counted_members: int


class PlannedBranchOut(Schema):
    change: str
    id: int | None
    name: str
    is_joint: bool
    compounds: list[str]
    counted_members: int
    groups: list[PlannedGroupOut]


class DissolvedOut(Schema):
    id: int
    name: str
    was: list[str]


class MoveOut(Schema):
    building: str
    before_group_id: int | None
    before: str
    after: str | None = Field(description="调整后的党小组；为空表示无法编入")


class UnplacedOut(Schema):
    buildings: list[str]
    counted_members: int
    reason: str


class ReorganisationProposalOut(Schema):
    fingerprint: str = Field(description="确认调整时原样提交")
    is_empty: bool
    summary: str
    threshold: int
    count_probationary: bool
    counts: dict[str, int]
    branches: list[PlannedBranchOut]
    dissolved_branches: list[DissolvedOut]
    dissolved_groups: list[DissolvedOut]
    moves: list[MoveOut]
    unplaced: list[UnplacedOut]
    member_changes: int
    contacts_ending: int


class ApplyIn(InputSchema):
    fingerprint: str = Field(max_length=64)


class ReorganisationOut(Schema):
    id: int
    applied_at: datetime
    applied_by: str
    summary: str


class MemberOut(Schema):
    id: int
    name: str
    address: str
    group_id: int | None
    group: str | None
    titles: list[str]
    joined_on: date
    full_member_on: date | None
    party_years: int | None
    status: str
    kind: str
    can_contact: bool
    households: int


class ContactHouseholdOut(Schema):
    id: int
    building: str
    room: str
    contact: str = Field(description="联系党员姓名；没有时为空")
    gap: str | None


class GroupOut(Schema):
    group: TreeGroupOut
    households: list[ContactHouseholdOut]
    moved_out_members: list[str]


class AssignIn(InputSchema):
    dry_run: bool = False


class AssignOut(Schema):
    households: int
    assigned: int
    changed: int
    uncovered: int


class MeetingIn(InputSchema):
    held_on: Day
    place: str = Field("", max_length=100)
    topics: list[str] = Field(max_length=20)
    notes: str = Field("", max_length=10000)
    attendance: dict[ObjectId, str] = Field(
        default_factory=dict,
        description="党员 id → present 出席 / excused 请假 / absent 缺席；未列出的记为缺席",
    )


class MeetingOut(Schema):
    id: int
    held_on: date
    place: str
    topics: list[str]
    notes: str
    attendance: dict[int, str]


class InvitationOut(Schema):
    """A network member account and its single-use link, returned once (stored hashed)."""

    account_id: int
    username: str = Field(description="以后登录用的账号")
    display_name: str
    token: str = Field(description="邀请链接的 token：在 /api/v1/invitations/accept 使用")
    url: str = Field(description="邀请链接，可做成二维码发给党员")
    expires_at: datetime
