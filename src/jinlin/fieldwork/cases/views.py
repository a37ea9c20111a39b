"""Pages of cases 个案 (切): the list, opening a case on its evidence, the case's page with its
root cause, plan, actions and outcome; joining evidence to a case; the talent pool.

Thin: reads through selectors, writes through services, refusals shown on the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.models import User
from jinlin.core.web import AuthedRequest, submitted
from jinlin.fieldwork import access
from jinlin.fieldwork.cases import forms, selectors, services
from jinlin.fieldwork.cases.models import Case, CaseStatus
from jinlin.fieldwork.common.pages import (
    FIELD_ALIASES,
    attach,
    next_url,
    paginate,
    require_scope,
)
from jinlin.fieldwork.common.selectors import patrol_compounds
from jinlin.fieldwork.concerns.models import Concern, ConcernScope, Subcategory
from jinlin.fieldwork.consultations.models import Consultation
from jinlin.fieldwork.patrols.models import Finding, FindingKind
from jinlin.people.groups import TALENT_SKILLS


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    status = request.GET.get("status", "open")
    mine = request.GET.get("mine") == "1"
    cases = selectors.case_list(user, status=status, mine=mine)
    return render(
        request,
        "fieldwork/case_list.html",
        {
            "page": paginate(request, cases),
            "status": status,
            "mine": mine,
            "statuses": CaseStatus.choices,
        },
    )


@login_required
def case_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    source = {
        kind: request.GET.get(kind) or request.POST.get(kind)
        for kind in ("concern", "finding", "visit", "consultation")
    }
    try:
        evidence = selectors.evidence_objects(
            user, **{f"{kind}_ids": [int(value)] for kind, value in source.items() if value}
        )
    except (ValidationError, ValueError):
        raise Http404("没有找到该证据") from None
    area_id = evidence[0].area_id if evidence else user.area_id
    initial: dict[str, Any] = {}
    compounds = patrol_compounds(user) if not evidence else []
    if evidence:
        first = evidence[0]
        initial = _case_initial(first)
    else:
        # Without evidence the case needs a compound: the worker's own, when it has one.
        patch = set(user.patch_compounds.values_list("pk", flat=True)) if compounds else set()
        own = [c.pk for c in compounds if c.pk in patch]
        if len(own) == 1:
            initial["compound"] = own[0]
    form = forms.CaseForm(
        request.POST or None,
        initial=initial,
        owners=selectors.area_staff(area_id) if area_id else [],
        compounds=compounds,
    )
    outcome = submitted(
        request,
        form,
        lambda data: services.case_open(
            actor=user,
            evidence=evidence,
            data=services.CaseInput(
                title=data["title"],
                scope=data["scope"],
                subcategory=data["subcategory"],
                owner_id=data["owner"],
                compound_id=data["compound"],
            ),
        ),
        default="title",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        case = outcome.value
        messages.success(request, "已立案。下一步：写明症结。")
        return redirect("fieldwork_case", case_id=case.pk)
    return render(
        request, "fieldwork/case_form.html", {"form": form, "evidence": evidence, "source": source}
    )


def _case_initial(item: Any) -> dict[str, Any]:
    if isinstance(item, Concern):
        return {
            "title": (item.real_need or item.words)[:60],
            "scope": item.scope,
            "subcategory": item.subcategory,
        }
    if isinstance(item, Finding):
        subcategory = {
            FindingKind.HAZARD: Subcategory.SAFETY,
            FindingKind.FACILITY: Subcategory.FACILITIES,
        }.get(
            item.kind,
            Subcategory.ENVIRONMENT,  # type: ignore[call-overload]  # keys are FindingKind values
        )
        return {
            "title": f"{item.place}{item.get_category_display()}"[:60],
            "scope": ConcernScope.COMMUNITY,
            "subcategory": subcategory,
        }
    if isinstance(item, Consultation):
        return {
            "title": item.question[:60],
            "scope": ConcernScope.COMMUNITY,
            "subcategory": Subcategory.PARTY_WORK
            if item.topic == "party_work"
            else Subcategory.OTHER,
        }
    return {
        "title": (item.needs or item.family_situation or "走访发现")[:60],
        "scope": ConcernScope.FAMILY,
    }


def _case_forms(
    case: Case, data: Any = None, which: str = "", merge_candidates: Any = ()
) -> dict[str, Any]:
    owners = selectors.area_staff(case.area_id)
    bound = {
        name: (data if which == name else None)
        for name in ("root", "plan", "done", "close", "reopen", "talent", "merge")
    }
    return {
        "root_form": forms.RootCauseForm(
            bound["root"], initial={"root_cause": case.root_cause}, prefix="root"
        ),
        "plan_form": forms.ActionForm(
            bound["plan"], owners=owners, prefix="plan", initial={"owner": case.owner_id}
        ),
        "close_form": forms.CloseForm(bound["close"], prefix="close"),
        "reopen_form": forms.ReopenForm(bound["reopen"], prefix="reopen"),
        "talent_form": forms.TalentHelpForm(bound["talent"], prefix="talent"),
        "done_form": forms.ActionDoneForm(bound["done"], prefix="done"),
        "merge_form": forms.MergeForm(bound["merge"], prefix="merge", cases=merge_candidates),
    }


@login_required
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    user = request.user
    case = selectors.access_case(user, case_id)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    candidates = (
        [c for c in selectors.joinable_cases(user, case.area_id) if c.pk != case.pk]
        if case.closed_at is None
        else []
    )
    context = _case_forms(case, request.POST, which, candidates)
    if request.method == "POST":
        done = _case_act(request, user, case, which, context)
        if done and which == "merge":
            return redirect("fieldwork_case", case_id=context["merge_form"].cleaned_data["into"])
        if done:
            return redirect("fieldwork_case", case_id=case.pk)
        case = selectors.access_case(user, case_id)
    skill = request.GET.get("skill", "").strip()[:20]
    today_ = timezone.localdate()
    detail = selectors.case_detail(case)
    return render(
        request,
        "fieldwork/case_detail.html",
        {
            "case": case,
            **detail,
            **context,
            "today": today_,
            "may_write": access.can_write(user),
            "may_hand_over": access.can_hand_over(user, case.area_id),
            "skill": skill,
            "talents": selectors.talents(user, skill=skill, area_id=case.area_id)[:20]
            if skill
            else [],
            "open_actions": [a for a in detail["actions"] if a.done_at is None],
        },
    )


def _case_act(
    request: HttpRequest, user: User, case: Case, which: str, context: dict[str, Any]
) -> bool:
    """Run the posted form's service; True when it succeeded (the page redirects)."""
    form_name = {
        "root": "root_form",
        "plan": "plan_form",
        "done": "done_form",
        "close": "close_form",
        "reopen": "reopen_form",
        "talent": "talent_form",
        "merge": "merge_form",
    }.get(which)
    if form_name is None:
        return False
    form = context[form_name]
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if which == "root":
            services.case_set_root_cause(case=case, actor=user, root_cause=data["root_cause"])
            messages.success(request, "已写明症结。下一步：制定方案。")
        elif which == "plan":
            services.case_record_plan(
                case=case,
                actor=user,
                actions=[
                    services.ActionInput(
                        description=data["description"],
                        owner_id=data["owner"],
                        due_on=data["due_on"],
                    )
                ],
            )
            messages.success(request, "已加入方案。")
        elif which == "done":
            action = selectors.action_of_case(case, data["action"])
            if action is None:
                raise Http404("没有找到该措施")
            services.case_complete_action(action=action, actor=user, note=data["note"])
            messages.success(request, "措施已完成。")
        elif which == "close":
            services.case_close(
                case=case, actor=user, outcome=data["outcome"], feedback=data["feedback"]
            )
            messages.success(request, "已结案。")
        elif which == "reopen":
            services.case_reopen(case=case, actor=user, reason=data["reason"])
            messages.success(request, "个案已重新打开。")
        elif which == "talent":
            services.case_record_talent_help(
                case=case,
                actor=user,
                talent_id=data["talent"],
                skill=data["skill"],
                description=data["description"],
                helped_on=data["helped_on"],
            )
            messages.success(request, "已记录能人相助。")
        elif which == "merge":
            services.case_merge(case=case, actor=user, into_id=data["into"], reason=data["reason"])
            messages.success(request, f"个案 #{case.pk} 已合并到本案。")
    except PermissionDenied as denied:
        form.add_error(None, str(denied))
        return False
    except ValidationError as error:
        default = {
            "root": "root_cause",
            "plan": "description",
            "close": "outcome",
            "reopen": "reason",
            "talent": "description",
            "done": None,
            "merge": "into",
        }[which]
        if which == "plan" and hasattr(error, "error_dict") and "root_cause" in error.error_dict:
            form.add_error(None, " ".join(error.message_dict["root_cause"]))
        elif (
            which == "close"
            and hasattr(error, "error_dict")
            and set(error.error_dict) & {"actions", "root_cause"}
        ):
            form.add_error(None, " ".join(m for ms in error.message_dict.values() for m in ms))
        else:
            attach(form, error, default)
        return False
    return True


@login_required
@require_POST
def evidence_join(request: AuthedRequest, kind: str, object_id: int) -> HttpResponse:
    """A concern, finding, visit or consultation joins an existing case."""
    user = request.user
    if kind not in ("concern", "finding", "visit", "consultation"):
        raise Http404
    if not selectors.evidence_exists(user, kind, object_id):
        raise Http404("没有找到")
    [item] = selectors.evidence_objects(user, **{f"{kind}_ids": [object_id]})
    form = forms.EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择个案")
        return redirect(next_url(request, reverse("fieldwork_today")))
    case = selectors.access_case(user, form.cleaned_data["case"])
    try:
        services.case_add_evidence(case=case, actor=user, item=item)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已并入个案“{case.title}”。")
        return redirect("fieldwork_case", case_id=case.pk)
    return redirect(next_url(request, reverse("fieldwork_case", args=[case.pk])))


@login_required
def talent_list(request: AuthedRequest) -> HttpResponse:
    require_scope(request)
    skill = request.GET.get("skill", "").strip()[:20]
    return render(
        request,
        "fieldwork/talent_list.html",
        {
            "rows": selectors.talents(request.user, skill=skill),
            "skill": skill,
            "skills": TALENT_SKILLS,
        },
    )
