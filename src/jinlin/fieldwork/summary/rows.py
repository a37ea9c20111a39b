"""今日's lists, the households due a visit, the case actions and the new concerns, written out
here rather than by a template.

A secretary's 今日 lists up to 60 households (more with 显示更多); through an `{% include %}`
a row, the list was a third of the page's time, most of it the template engine resolving
variables (bench/web_path.py, issue 18). Every text is escaped here as a template would.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe

from jinlin.core.fasturls import fast_reverse, fast_reverser
from jinlin.core.templatetags.jinlin import day, truncate_chars
from jinlin.fieldwork.concerns.models import Channel, Subcategory, Urgency
from jinlin.fieldwork.concerns.selectors import ConcernLine
from jinlin.fieldwork.summary.selectors import ActionLine
from jinlin.fieldwork.visits.selectors import DueRow


def _badge(row: DueRow) -> str:
    if row.is_never_visited:
        return '<span class="fw-badge bad">从未走访</span>'
    if row.days_overdue > 0:
        return f'<span class="fw-badge bad">逾期 {row.days_overdue} 天</span>'
    return '<span class="fw-badge warn">今天到期</span>'


def due_rows_html(rows: Iterable[DueRow], *, may_write: bool) -> SafeString:
    """One `<li class="fw-item">` a household: its address (to the household), who lives
    there, why and since when it is due, and 记录走访 for those who may record one."""
    visit_url = escape(fast_reverse("fieldwork_visit_create"))
    next_url = escape(fast_reverse("fieldwork_today"))
    household_url = fast_reverser("household_detail")
    out: list[str] = []
    for row in rows:
        pk = row.household_id
        last = row.due.last_visit
        out.append(
            f'<li class="fw-item{" overdue" if row.days_overdue > 0 else ""}" data-household="{pk}">'
            '<div class="fw-item-main">'
            f'<a class="fw-address" href="{escape(household_url(pk))}">'
            f"{escape(row.address)}</a>"
            f'<div class="fw-meta">{escape("、".join(row.names))}</div>'
            f'<div class="fw-meta"><span class="tag">{escape(row.reason)}</span> {_badge(row)}'
            + (f' <span class="muted">上次 {escape(day(last))}</span>' if last else "")
            + "</div></div>"
            + (
                f' <a class="button primary fw-act" href="{visit_url}?household={pk}&amp;'
                f'next={next_url}">记录走访</a>'
                if may_write
                else ""
            )
            + "</li>"
        )
    return mark_safe("".join(out))  # noqa: S308  # every text above is escaped


def action_rows_html(actions: Iterable[ActionLine], on: date) -> SafeString:
    """个案措施 of 今日: what is to be done (to its case), in which case, and whether it is
    overdue, due today or due by a day to come."""
    case_url = fast_reverser("fieldwork_case")
    out: list[str] = []
    for action in actions:
        if action.due_on < on:
            when = f'<span class="fw-badge bad">已逾期（{escape(day(action.due_on))}）</span>'
        elif action.due_on == on:
            when = '<span class="fw-badge warn">今天到期</span>'
        else:
            when = f'<span class="muted">{escape(day(action.due_on))} 前</span>'
        out.append(
            f'<li class="fw-item{" overdue" if action.due_on < on else ""}">'
            '<div class="fw-item-main">'
            f'<a href="{escape(case_url(action.case_id))}">{escape(action.description)}</a>'
            f'<div class="fw-meta">个案：{escape(action.case_title)}</div>'
            f'<div class="fw-meta">{when}</div>'
            "</div></li>"
        )
    return mark_safe("".join(out))  # noqa: S308  # every text above is escaped


# Labels looked up once (a model's get_FOO_display() rebuilds its choices on every call).
_SUBCATEGORY = dict(Subcategory.choices)
_CHANNEL = dict(Channel.choices)
_URGENCY = dict(Urgency.choices)


def concern_rows_html(concerns: Iterable[ConcernLine]) -> SafeString:
    """新民声 of 今日: what the resident needs (its words when no need was written yet), where,
    which kind, how it came, when, and whether it is urgent or already a case."""
    concern_url = fast_reverser("fieldwork_concern")
    out: list[str] = []
    for concern in concerns:
        text = truncate_chars(concern.real_need or concern.words, 40)
        urgent = (
            f'<span class="fw-badge bad">{escape(_URGENCY.get(concern.urgency, concern.urgency))}</span>'
            if concern.urgency != Urgency.NORMAL
            else ""
        )
        case = (
            '<span class="fw-badge ok">已立案</span>'
            if concern.has_case
            else '<span class="fw-badge">未立案</span>'
        )
        out.append(
            '<li class="fw-item"><div class="fw-item-main">'
            f'<a href="{escape(concern_url(concern.pk))}">{escape(text)}</a>'
            f'<div class="fw-meta">{escape(concern.place)}'
            f" · {escape(_SUBCATEGORY.get(concern.subcategory, concern.subcategory))}"
            f" · {escape(_CHANNEL.get(concern.channel, concern.channel))}"
            f" · {escape(day(concern.received_at, 'H:i'))}</div>"
            f'<div class="fw-meta">{urgent}{case}</div>'
            "</div></li>"
        )
    return mark_safe("".join(out))  # noqa: S308  # every text above is escaped
