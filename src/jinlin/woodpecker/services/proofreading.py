"""Writes of the proofreading pass: an editor's decision on one flag, remembered."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jinlin.core.models import User
from jinlin.woodpecker.models import Article, ProofreadDecision, ProofreadVerdict
from jinlin.woodpecker.proofread import KIND_LABELS
from jinlin.woodpecker.services.common import clean_text, refuse, require_editor

MSG_VERDICT_NEEDED = "请选择“采纳”或“不改”"
MSG_FLAG_INCOMPLETE = "这条校对意见不完整，请重新校对后再处理"
MSG_FLAG_GONE = "这处原文已经修改，请重新校对"

WRONG_MAX = 200
CONTEXT_MAX = 240


@transaction.atomic
def proofread_decide(
    *,
    actor: User,
    article: Article | None,
    kind: str,
    wrong: str,
    suggestion: str,
    context: str,
    verdict: str,
) -> ProofreadDecision:
    """Accept or dismiss one flag; deciding the same flag again replaces the earlier decision.

    The flag must still stand in the article's text (its context found there), so a decision is
    never recorded against text that has changed since the pass.
    """
    require_editor(actor)
    if verdict not in ProofreadVerdict.values:
        raise refuse("verdict", MSG_VERDICT_NEEDED)
    wrong = clean_text(wrong)
    suggestion = clean_text(suggestion)
    # Context keeps its newlines: it is matched against the article's text as stored.
    context = "" if context is None else str(context).replace("\r\n", "\n")
    if (
        kind not in KIND_LABELS
        or not wrong
        or len(wrong) > WRONG_MAX
        or len(suggestion) > WRONG_MAX
        or not context
        or len(context) > CONTEXT_MAX
        or wrong not in context
    ):
        raise refuse("wrong", MSG_FLAG_INCOMPLETE)
    if article is not None and context not in article.text:
        raise refuse("wrong", MSG_FLAG_GONE)
    decision, _ = ProofreadDecision.objects.update_or_create(
        article=article,
        context=context,
        wrong=wrong,
        suggestion=suggestion,
        defaults={
            "kind": kind,
            "verdict": verdict,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    return decision
