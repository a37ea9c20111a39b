"""Reads of an area's Party network shaped for pages, API, placards and the command.

`load_network(area)` (state.py) reads everything of one area in a fixed number of queries
(whatever its size); the tree (tree.py), the coverage report and member list
(coverage_report.py), the proposal (proposal.py) and the group and organisation pages
(pages.py) are built from it in Python and pruned to what the user may see (`PartyScope`).

The names other modules use are re-exported here, so `jinlin.party.selectors.X` keeps working.
"""

from __future__ import annotations

from jinlin.party.selectors.coverage_report import (
    Coverage,
    Gap,
    MemberRow,
    contact_coverage,
    coverage,
    member_rows,
)
from jinlin.party.selectors.pages import GroupPage, OrganisationPage, group_page, organisation_page
from jinlin.party.selectors.proposal import (
    Proposal,
    area_proposal,
    branch_name_for,
    counted_members_by_building,
    group_name_for,
    recent_reorganisations,
)
from jinlin.party.selectors.state import (
    NetworkState,
    Person,
    building_key,
    building_sort_key,
    load_network,
    rooms_text,
)
from jinlin.party.selectors.tree import Tree, TreeGroup, network_tree

__all__ = [
    "Coverage",
    "Gap",
    "GroupPage",
    "MemberRow",
    "NetworkState",
    "OrganisationPage",
    "Person",
    "Proposal",
    "Tree",
    "TreeGroup",
    "area_proposal",
    "branch_name_for",
    "building_key",
    "building_sort_key",
    "contact_coverage",
    "counted_members_by_building",
    "coverage",
    "group_name_for",
    "group_page",
    "load_network",
    "member_rows",
    "network_tree",
    "organisation_page",
    "recent_reorganisations",
    "rooms_text",
]
