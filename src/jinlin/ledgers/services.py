"""Making a ledger: checking the request, generating the file as a job, auditing each one.

Pages and the command line both come here: `ledger_request` checks what was asked (range,
reach, unmasking) and queues the job; `ledger_generate` builds and audits one ledger (the job
and the command line call it). Every generation is one audit event: who, which ledger, which
place and range, how many rows, masked or not — unmasked ones as unmasked exports are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from jinlin.core.access import can_unmask
from jinlin.core.audit import audit
from jinlin.core.jobs import JobFailed, job_finish, job_progress, start_job
from jinlin.core.models import AuditEvent, Job, User
from jinlin.ledgers.columns import LEDGER_LABELS, range_label, range_problem
from jinlin.ledgers.rendering import Heading, ledger_pdf, ledger_xlsx
from jinlin.ledgers.selectors import MSG_NOT_FOUND, LedgerScope, ledger_rows, ledger_scope

FORMATS = ("xlsx", "pdf")
UNMASKABLE = ("health", "sensitive_groups")
MSG_REASON_NEEDED = "生成完整信息台账须说明事由"
MSG_NOT_ALLOWED = "您的角色无权生成完整信息台账"
MSG_NO_KIND = "没有这种台账"
MSG_NO_FORMAT = "格式只能是 Excel（xlsx）或 PDF"
JOB_KIND = "ledger"


@dataclass(frozen=True)
class Ledger:
    content: bytes
    filename: str
    count: int
    unmasked: frozenset[str]


def unmasked_fields(user: User | None, *, unmasked: bool, reason: str) -> frozenset[str]:
    """What an unmasked ledger shows whole for this user; refused without a role or a reason."""
    if not unmasked:
        return frozenset()
    if user is None:
        raise PermissionDenied(MSG_NOT_ALLOWED)
    fields = frozenset(name for name in UNMASKABLE if can_unmask(user, name))
    if not fields:
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not reason.strip():
        raise PermissionDenied(MSG_REASON_NEEDED)
    return fields


def check_request(*, kind: str, fmt: str, start: date, end: date) -> None:
    """Refuse, in Chinese, what no ledger can be made of (nothing is queued)."""
    if kind not in LEDGER_LABELS:
        raise ValidationError({"kind": MSG_NO_KIND})
    if fmt not in FORMATS:
        raise ValidationError({"fmt": MSG_NO_FORMAT})
    problem = range_problem(start, end)
    if problem:
        raise ValidationError({"end": problem})


def ledger_title(scope: LedgerScope, kind: str) -> str:
    return f"{scope.label} {LEDGER_LABELS[kind]}（{range_label(scope.start, scope.end)}）"


def ledger_request(
    *,
    user: User,
    kind: str,
    fmt: str,
    start: date,
    end: date,
    area_id: int | None = None,
    compound_id: int | None = None,
    worker_id: int | None = None,
    unmasked: bool = False,
    reason: str = "",
) -> Job:
    """Check everything a page could get wrong, then queue the ledger as the user's job.

    Raises ValidationError (bad range, kind, format), Http404 (a place or worker out of reach),
    PermissionDenied (unmasking refused): nothing is queued then.
    """
    check_request(kind=kind, fmt=fmt, start=start, end=end)
    scope = ledger_scope(
        user, start=start, end=end, area_id=area_id, compound_id=compound_id, worker_id=worker_id
    )
    unmasked_fields(user, unmasked=unmasked, reason=reason)
    return start_job(
        owner=user,
        kind=JOB_KIND,
        title=ledger_title(scope, kind),
        task=ledger_job,
        ledger_kind=kind,
        fmt=fmt,
        start=start.isoformat(),
        end=end.isoformat(),
        area_id=area_id,
        compound_id=compound_id,
        worker_id=worker_id,
        unmasked=unmasked,
        reason=reason,
    )


def ledger_job(
    job: Job,
    *,
    ledger_kind: str,
    fmt: str,
    start: str,
    end: str,
    area_id: int | None,
    compound_id: int | None,
    worker_id: int | None,
    unmasked: bool,
    reason: str,
) -> None:
    """The queued work: the same checks again (the user's reach may have changed since), the
    ledger, its file on the job."""
    user = job.owner
    try:
        scope = ledger_scope(
            user,
            start=date.fromisoformat(start),
            end=date.fromisoformat(end),
            area_id=area_id,
            compound_id=compound_id,
            worker_id=worker_id,
        )
    except Http404:
        raise JobFailed(MSG_NOT_FOUND) from None
    ledger = ledger_generate(
        user=user,
        scope=scope,
        kind=ledger_kind,
        fmt=fmt,
        unmasked=unmasked,
        reason=reason,
        progress=lambda done, total, note: job_progress(job, done, total, message=note),
    )
    job_finish(
        job,
        filename=ledger.filename,
        content=ledger.content,
        message=f"共 {ledger.count} 条记录（{'完整信息' if ledger.unmasked else '脱敏'}）",
    )


PROGRESS_EVERY = 50


def ledger_generate(
    *,
    user: User | None,
    scope: LedgerScope,
    kind: str,
    fmt: str,
    unmasked: bool = False,
    reason: str = "",
    actor_name: str = "",
    progress: Callable[[int, int, str], None] | None = None,
) -> Ledger:
    """One ledger as a file, audited. `user` None is the operator's command line (no reach
    limit, masked only)."""
    check_request(kind=kind, fmt=fmt, start=scope.start, end=scope.end)
    whole = unmasked_fields(user, unmasked=unmasked, reason=reason)
    rows = ledger_rows(user, scope, kind, whole=whole)
    total = len(rows)
    note = "正在生成 Excel" if fmt == "xlsx" else "正在排版 PDF，页数多时请稍候"
    if progress is not None:
        progress(0, total, note)

    def step(done: int) -> None:
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total, note)

    made_at = timezone.localtime()
    who = (user.display_name or user.username) if user is not None else actor_name or "命令行"
    heading = Heading(
        title=ledger_title(scope, kind), made_by=who, made_at=made_at, masked=not whole
    )
    render = ledger_xlsx if fmt == "xlsx" else ledger_pdf
    content = render(kind, rows, heading, step)
    object_type, object_id = scope.object
    audit(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="ledger",
        object_id=kind,
        fields=[
            *(sorted(whole) or ["masked"]),
            f"{object_type}:{object_id}",
            f"range:{scope.start.isoformat()}..{scope.end.isoformat()}",
            f"count:{total}",
            f"format:{fmt}",
        ],
        reason=reason.strip() if whole else f"生成{LEDGER_LABELS[kind]}（脱敏）",
        area_id=scope.area.pk,
        actor_name=actor_name,
    )
    stamp = made_at.strftime("%Y%m%d-%H%M")
    label = range_label(scope.start, scope.end).replace(" ", "")
    name = f"{scope.label}-{LEDGER_LABELS[kind]}-{label}-{stamp}"
    filename = name.replace("/", "、").replace(" ", "-") + f".{fmt}"
    return Ledger(content=content, filename=filename, count=total, unmasked=whole)
