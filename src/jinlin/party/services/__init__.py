"""Every write of the Party network: applying a proposal (network.py), household contacts
(contacts.py), posts, contacts between levels and meetings (posts.py). Transactional; each
checks who may do it; history and audit kept.

The names other modules use are re-exported here, so `services.X` keeps working.
"""

from __future__ import annotations

from jinlin.party.services.contacts import (
    area_assign_contacts,
    group_assign_contacts,
)
from jinlin.party.services.network import (
    MSG_NOTHING_TO_APPLY,
    MSG_STALE,
    ProposalRefused,
    network_apply_proposal,
)
from jinlin.party.services.posts import (
    MSG_CONTACT_NOT_COMMITTEE,
    MSG_LEADER_NOT_IN_GROUP,
    MSG_MEETING_MEMBER,
    MSG_MEMBER_NOT_HERE,
    meeting_record,
    organisation_set_contact,
    position_appoint,
    position_end,
)

__all__ = [
    "MSG_CONTACT_NOT_COMMITTEE",
    "MSG_LEADER_NOT_IN_GROUP",
    "MSG_MEETING_MEMBER",
    "MSG_MEMBER_NOT_HERE",
    "MSG_NOTHING_TO_APPLY",
    "MSG_STALE",
    "ProposalRefused",
    "area_assign_contacts",
    "group_assign_contacts",
    "meeting_record",
    "network_apply_proposal",
    "organisation_set_contact",
    "position_appoint",
    "position_end",
]
