"""Writes of the woodpecker programme: catalogue (catalogue.py), readers' reports (reports.py),
judging (judging.py), rounds, awards and the ledger (rounds.py); common.py holds text limits
and the editor check.

Views, API, the command and the demo call these; none of them writes the models directly.
Each write is transactional and refused whole with a Chinese message (ValidationError keyed by
field), editors' writes are checked here (PermissionDenied) and the ones that matter audited.
The names other modules use are re-exported here, so `services.X` keeps working.
"""

from __future__ import annotations

from jinlin.woodpecker.services.catalogue import (
    MSG_ISSUE_MONTH_LOCKED,
    article_save,
    issue_save,
    page_save,
    publication_save,
)
from jinlin.woodpecker.services.common import (
    CONTACT_MAX,
    CORRECTION_MAX,
    EXPLANATION_MAX,
    MSG_NOT_EDITOR,
    NAME_MAX,
    QUOTED_MAX,
    TITLE_MAX,
    can_judge,
    clean_text,
)
from jinlin.woodpecker.services.judging import (
    MSG_DUPLICATE_LATER,
    MSG_DUPLICATE_NEEDED,
    MSG_DUPLICATE_NOT_VALID,
    MSG_DUPLICATE_OTHER_ISSUE,
    MSG_DUPLICATE_SELF,
    MSG_HAS_DUPLICATES,
    MSG_SEVERITY_NEEDED,
    contact_reveal,
    report_judge,
    report_link_article,
)
from jinlin.woodpecker.services.proofreading import (
    MSG_FLAG_GONE,
    MSG_FLAG_INCOMPLETE,
    MSG_VERDICT_NEEDED,
    proofread_decide,
)
from jinlin.woodpecker.services.reports import (
    MSG_ARTICLE_TITLE_NEEDED,
    MSG_CONTACT_INVALID,
    MSG_CONTACT_NEEDED,
    MSG_CORRECTION_NEEDED,
    MSG_ISSUE_NEEDED,
    MSG_ISSUE_NOT_OUT,
    MSG_ISSUE_UNKNOWN,
    MSG_NAME_NEEDED_READER,
    MSG_PAGE_NEEDED,
    MSG_QUOTED_NEEDED,
    MSG_SAME_AS_QUOTED,
    ReportInput,
    report_submit,
)
from jinlin.woodpecker.services.rounds import (
    MSG_LEDGER_EXISTS,
    MSG_ROUND_PENDING,
    ledger_record,
    round_confirm_awards,
    round_ensure,
    round_reopen_awards,
    round_update_settings,
)

__all__ = [
    "CONTACT_MAX",
    "CORRECTION_MAX",
    "EXPLANATION_MAX",
    "MSG_ARTICLE_TITLE_NEEDED",
    "MSG_CONTACT_INVALID",
    "MSG_CONTACT_NEEDED",
    "MSG_CORRECTION_NEEDED",
    "MSG_DUPLICATE_LATER",
    "MSG_DUPLICATE_NEEDED",
    "MSG_DUPLICATE_NOT_VALID",
    "MSG_DUPLICATE_OTHER_ISSUE",
    "MSG_DUPLICATE_SELF",
    "MSG_HAS_DUPLICATES",
    "MSG_ISSUE_MONTH_LOCKED",
    "MSG_ISSUE_NEEDED",
    "MSG_ISSUE_NOT_OUT",
    "MSG_ISSUE_UNKNOWN",
    "MSG_LEDGER_EXISTS",
    "MSG_NAME_NEEDED_READER",
    "MSG_NOT_EDITOR",
    "MSG_PAGE_NEEDED",
    "MSG_QUOTED_NEEDED",
    "MSG_FLAG_GONE",
    "MSG_FLAG_INCOMPLETE",
    "MSG_ROUND_PENDING",
    "MSG_SAME_AS_QUOTED",
    "MSG_SEVERITY_NEEDED",
    "MSG_VERDICT_NEEDED",
    "NAME_MAX",
    "QUOTED_MAX",
    "ReportInput",
    "TITLE_MAX",
    "article_save",
    "can_judge",
    "clean_text",
    "contact_reveal",
    "issue_save",
    "ledger_record",
    "page_save",
    "proofread_decide",
    "publication_save",
    "report_judge",
    "report_link_article",
    "report_submit",
    "round_confirm_awards",
    "round_ensure",
    "round_reopen_awards",
    "round_update_settings",
]
