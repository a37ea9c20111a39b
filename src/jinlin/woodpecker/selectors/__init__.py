"""Reads of the woodpecker programme, shaped for pages and the API: the catalogue and deadlines
(catalogue.py), reports and the editor's queue (reports.py), rounds, awards and the ledger
(awards.py), a reader's free-text message (parsing.py).

Lists select their relations up front so that a page's query count does not grow with the
number of reports (a flood of reports must not slow the editor's pages). The names other
modules use are re-exported here, so `selectors.X` keeps working.
"""

from __future__ import annotations

from jinlin.woodpecker.selectors.awards import (
    RoundAwards,
    award_by_id,
    ledger,
    published_rounds,
    recent_rounds,
    round_awards,
    round_awards_with_ledger,
    round_result,
)
from jinlin.woodpecker.selectors.catalogue import (
    article_by_id,
    article_on_page_by_id,
    catalogue_issues,
    closed_notice,
    deadline_label,
    find_issue,
    issue_articles,
    issue_by_id,
    issue_pages,
    issue_pages_with_articles,
    next_deadline,
    open_issues,
    open_publications,
    page_articles,
    page_by_id,
    page_of_issue,
    publication_by_id,
    publications_by_name,
    reload_issue,
    reload_publication,
)
from jinlin.woodpecker.selectors.parsing import (
    ParsedForm,
    parse_message,
)
from jinlin.woodpecker.selectors.proofreading import (
    ProofreadArticle,
    issues_numbered,
    learned_confusions,
    proofread_article,
    proofread_issue,
    proofread_pasted,
)
from jinlin.woodpecker.selectors.reports import (
    article_report_counts,
    article_report_groups,
    mask_contact,
    next_pending,
    report_by_id,
    report_by_receipt,
    report_for_editor,
    report_queue,
    report_view,
    round_by_code,
    rounds_overview,
    status_counts,
)

__all__ = [
    "ParsedForm",
    "ProofreadArticle",
    "RoundAwards",
    "article_by_id",
    "article_on_page_by_id",
    "article_report_counts",
    "article_report_groups",
    "award_by_id",
    "catalogue_issues",
    "closed_notice",
    "deadline_label",
    "find_issue",
    "issue_articles",
    "issue_by_id",
    "issue_pages",
    "issue_pages_with_articles",
    "issues_numbered",
    "learned_confusions",
    "ledger",
    "mask_contact",
    "next_deadline",
    "next_pending",
    "open_issues",
    "open_publications",
    "page_articles",
    "page_by_id",
    "page_of_issue",
    "parse_message",
    "proofread_article",
    "proofread_issue",
    "proofread_pasted",
    "publication_by_id",
    "publications_by_name",
    "published_rounds",
    "recent_rounds",
    "reload_issue",
    "reload_publication",
    "report_by_id",
    "report_by_receipt",
    "report_for_editor",
    "report_queue",
    "report_view",
    "round_awards",
    "round_awards_with_ledger",
    "round_by_code",
    "round_result",
    "rounds_overview",
    "status_counts",
]
