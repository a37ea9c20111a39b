"""Pages of fieldwork 望闻问切: the worker's today, visits, patrols, concerns, cases, dashboard.

Thin: each view fetches through a gatekeeper (404 outside the patch), calls one service and
shows its refusal on the form, or redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jinlin.core.models import Role, User
from jinlin.fieldwork import access, forms, selectors, services
from jinlin.fieldwork.models import (
    Case,
    CaseAction,
    CaseEvidence,
    CaseStatus,
    Channel,
    ConcernScope,
    ProposalStatus,
    Subcategory,
    Urgency,
)
from jinlin.fieldwork.photos import max_bytes
from jinlin.people.groups import GROUPS, GroupCode
from jinlin.people.models import LifeStatus, Resident
from jinlin.people.search import SearchRefused, search_residents
from jinlin.places.access import access_area, visible_compounds
from jinlin.places.models import Building, Household

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_scope(request: HttpRequest) -> None:
    """Roles without fieldwork (editor, Party roles) see nothing here."""
    if access.fieldwork_scope(_user(request)).is_empty:
        raise Http404("没有找到")


def _attach(form: Any, error: ValidationError, default: str | None = None) -> None:
    aliases = {
        "resident_id": "resident",
        "compound_id": "compound",
        "owner_id": "owner",
        "veteran_id": "veteran",
        "building_id": "building",
        "collection_point_id": "collection_point",
        "talent_id": "talent",
        "photo": "photos",
    }
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            name = aliases.get(field, field)
            target = name if name in form.fields else default
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(default, message)


def _next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _area_staff(area_id: int) -> list[User]:
    return list(
        User.objects.filter(
            area_id=area_id, is_active=True, role__in=[Role.AREA_SECRETARY, Role.WORKER]
        ).order_by("role", "display_name", "username")
    )


# --- 今日 --------------------------------------------------------------------------------------


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The worker's morning page: visits due and overdue, its case actions, new concerns."""
    user = _user(request)
    _require_scope(request)
    day = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    data = selectors.today(
        user, day, due_limit=selectors.DUE_LIST_LIMIT if show_all else selectors.TODAY_DUE_LIMIT
    )
    weekday = "周" + "一二三四五六日"[day.weekday()]
    return render(
        request,
        "fieldwork/today.html",
        {"today": data, "day": day, "weekday": weekday, "may_write": access.can_write(user)},
    )


# --- 问/望: visits and proposals ------------------------------------------------------------------


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    household = _household_or_404(
        user, request.GET.get("household") or request.POST.get("household")
    )
    residents = list(
        Resident.objects.filter(household=household, status=LifeStatus.CURRENT).order_by("id")
    )
    form = forms.VisitForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=user,
                data=services.VisitInput(
                    household_id=household.pk,
                    visited_on=data["visited_on"],
                    mode=data["mode"],
                    condition=data["condition"],
                    resident_id=data["resident"],
                    family_situation=data["family_situation"],
                    health=data["health"],
                    living_habits=data["living_habits"],
                    needs=data["needs"],
                ),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "visited_on")
        else:
            messages.success(request, f"已记录 {household.address} 的走访。")
            return redirect(_next_url(request, reverse("fieldwork_visit", args=[visit.pk])))
    return render(
        request,
        "fieldwork/visit_form.html",
        {"form": form, "household": household, "next": _next_url(request, "")},
    )


def _household_or_404(user: User, household_id: Any) -> Household:
    try:
        return (
            Household.objects.filter(access.fieldwork_scope(user).q())
            .select_related("building__compound")
            .get(pk=int(household_id))
        )
    except (Household.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该户") from None


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    household_id = request.GET.get("household")
    household = _household_or_404(_user(request), household_id) if household_id else None
    visits = selectors.visit_list(_user(request), household_id=household.pk if household else None)
    return render(
        request,
        "fieldwork/visit_list.html",
        {"page": _page(request, visits), "household": household},
    )


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = _user(request)
    visit = access.access_visit(user, visit_id)
    residents = list(
        Resident.objects.filter(
            household_id=visit.household_id, status=LifeStatus.CURRENT
        ).order_by("id")
    )
    form = forms.ProposalForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_create(
                visit=visit,
                actor=user,
                resident_id=data["resident"],
                field=data["field"],
                value=data["value"],
                reason=data["reason"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "value")
        else:
            messages.success(request, "已提出档案更新建议，等待审核。")
            return redirect("fieldwork_visit", visit_id=visit.pk)
    proposals = list(
        visit.proposals.select_related("resident", "proposed_by", "decided_by").order_by("id")
    )
    for proposal in proposals:
        proposal.shown_value = selectors.masked_proposal_value(proposal)  # type: ignore[attr-defined]
    return render(
        request,
        "fieldwork/visit_detail.html",
        {
            "visit": visit,
            "form": form,
            "proposals": proposals,
            "may_write": access.can_write(user),
            "cases": CaseEvidence.objects.filter(visit=visit).select_related("case"),
        },
    )


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    status = request.GET.get("status", ProposalStatus.PENDING)
    proposals = access.visible_proposals(user).select_related(
        "resident", "proposed_by", "decided_by", "visit"
    )
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    page = _page(request, proposals.order_by("-proposed_at", "-id"))
    for proposal in page.object_list:
        proposal.shown_value = selectors.masked_proposal_value(proposal)
        proposal.may_decide = proposal.status == ProposalStatus.PENDING and _may_decide(
            user, proposal
        )
    return render(
        request,
        "fieldwork/proposal_list.html",
        {"page": page, "status": status, "statuses": ProposalStatus.choices},
    )


def _may_decide(user: User, proposal: Any) -> bool:
    # Cheap answers first: the secretary of the area, or never one's own proposal.
    if user.is_superuser or (user.role == Role.AREA_SECRETARY and user.area_id == proposal.area_id):
        return True
    return user.role == Role.WORKER and proposal.proposed_by_id != user.pk


@login_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, proposal_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择采纳或不采纳")
        return redirect("fieldwork_proposals")
    try:
        if form.cleaned_data["decision"] == "accept":
            services.proposal_accept(proposal=proposal, actor=user, note=form.cleaned_data["note"])
            messages.success(
                request, f"已采纳，{proposal.resident.name}的档案已更新（可在档案修改记录中查看）。"
            )
        else:
            services.proposal_reject(proposal=proposal, actor=user, note=form.cleaned_data["note"])
            messages.success(request, "已记录不采纳。")
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_next_url(request, reverse("fieldwork_proposals")))


# --- 闻: concerns -----------------------------------------------------------------------------------


@login_required
def concern_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    q = request.GET.get("q", "").strip()[:50]
    filters = {
        name: request.GET.get(name, "") for name in ("scope", "subcategory", "channel", "urgency")
    }
    concerns = selectors.concern_list(user, q=q, **filters)
    return render(
        request,
        "fieldwork/concern_list.html",
        {
            "page": _page(request, concerns),
            "q": q,
            "filters": filters,
            "scopes": ConcernScope.choices,
            "subcategories": Subcategory.choices,
            "channels": Channel.choices,
            "urgencies": Urgency.choices,
        },
    )


@login_required
def concern_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    resident = household = visit = None
    if request.GET.get("resident"):
        resident = _resident_or_404(user, request.GET["resident"])
    elif request.GET.get("household"):
        household = _household_or_404(user, request.GET["household"])
    if request.GET.get("visit"):
        visit = access.access_visit(user, request.GET["visit"])  # type: ignore[arg-type]
        household = household or (visit.household if resident is None else None)
    compounds = _patrol_compounds(user)
    initial = {
        "channel": Channel.HOME_VISIT if visit else "",
        "scope": ConcernScope.FAMILY if (resident or household) else ConcernScope.COMMUNITY,
    }
    form = forms.ConcernForm(request.POST or None, compounds=compounds, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.concern_record(
                actor=user,
                data=services.ConcernInput(
                    channel=data["channel"],
                    scope=data["scope"],
                    subcategory=data["subcategory"],
                    words=data["words"],
                    real_need=data["real_need"],
                    urgency=data["urgency"],
                    resident_id=resident.pk if resident else None,
                    household_id=household.pk if household else None,
                    compound_id=data["compound"],
                    visit_id=visit.pk if visit else None,
                ),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "words")
        else:
            messages.success(request, "已登记民声诉求。")
            return redirect("fieldwork_concern", concern_id=concern.pk)
    query = request.GET.get("q", "").strip()[:50]
    refusal = ""
    try:
        found = (
            _find_residents(user, query, request)
            if query and resident is None and household is None
            else []
        )
    except SearchRefused as refused:
        found, refusal = [], refused.message
    return render(
        request,
        "fieldwork/concern_form.html",
        {
            "form": form,
            "resident": resident,
            "household": household,
            "visit": visit,
            "query": query,
            "found": found,
            "refusal": refusal,
        },
    )


def _find_residents(user: User, query: str, request: HttpRequest) -> list[Resident]:
    """Residents to pick for a concern: the registry's search, kept to the fieldwork scope."""
    found = search_residents(user, query, limit=20, request=request)
    ids = [r.pk for r in found if r.status == LifeStatus.CURRENT]
    return list(
        access.visible_residents_q(user)
        .filter(pk__in=ids)
        .select_related("household__building__compound")
        .order_by("name", "id")
    )


def _resident_or_404(user: User, resident_id: Any) -> Resident:
    try:
        return (
            access.visible_residents_q(user)
            .select_related("household__building__compound")
            .get(pk=int(resident_id))
        )
    except (Resident.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该居民") from None


@login_required
def concern_detail(request: HttpRequest, concern_id: int) -> HttpResponse:
    user = _user(request)
    concern = access.access_concern(user, concern_id)
    need_form = forms.NeedForm(
        request.POST or None, initial={"real_need": concern.real_need}, prefix="need"
    )
    if request.method == "POST" and need_form.is_valid():
        try:
            services.concern_update_need(
                concern=concern, actor=user, real_need=need_form.cleaned_data["real_need"]
            )
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, "已更新真正诉求。")
        return redirect("fieldwork_concern", concern_id=concern.pk)
    links = list(CaseEvidence.objects.filter(concern=concern).select_related("case"))
    return render(
        request,
        "fieldwork/concern_detail.html",
        {
            "concern": concern,
            "need_form": need_form,
            "links": links,
            "may_write": access.can_write(user),
            "open_cases": _joinable_cases(user, concern.area_id),
        },
    )


def _joinable_cases(user: User, area_id: int) -> list[Case]:
    return list(
        access.visible_cases(user)
        .filter(area_id=area_id, closed_at__isnull=True)
        .order_by("-opened_at")[:50]
    )


@login_required
@require_POST
def evidence_join(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """A concern, finding, visit or consultation joins an existing case."""
    user = _user(request)
    if kind not in ("concern", "finding", "visit", "consultation"):
        raise Http404
    if not _exists(user, kind, object_id):
        raise Http404("没有找到")
    [item] = services.evidence_objects(user, **{f"{kind}_ids": [object_id]})
    form = forms.EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择个案")
        return redirect(_next_url(request, reverse("fieldwork_today")))
    case = access.access_case(user, form.cleaned_data["case"])
    try:
        services.case_add_evidence(case=case, actor=user, item=item)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"已并入个案“{case.title}”。")
        return redirect("fieldwork_case", case_id=case.pk)
    return redirect(_next_url(request, reverse("fieldwork_case", args=[case.pk])))


def _exists(user: User, kind: str, object_id: int) -> bool:
    querysets = {
        "concern": access.visible_concerns,
        "finding": access.visible_findings,
        "visit": access.visible_visits,
        "consultation": access.visible_consultations,
    }
    return querysets[kind](user).filter(pk=object_id).exists()


# --- 望: patrols and findings --------------------------------------------------------------------


@login_required
def patrol_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    return render(
        request,
        "fieldwork/patrol_list.html",
        {"page": _page(request, selectors.patrol_list(_user(request)))},
    )


def _patrol_compounds(user: User) -> list[Any]:
    scope = access.fieldwork_scope(user)
    if not (scope.everything or scope.area_ids or scope.compound_ids):
        return []
    return list(visible_compounds(user).filter(_compound_q(scope)).order_by("name"))


def _compound_q(scope: Any) -> Any:
    from django.db.models import Q

    if scope.everything:
        return Q()
    return Q(area_id__in=scope.area_ids) | Q(id__in=scope.compound_ids)


@login_required
def patrol_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    form = forms.PatrolForm(request.POST or None, compounds=_patrol_compounds(user))
    if request.method == "POST" and form.is_valid():
        try:
            patrol = services.patrol_record(
                actor=user,
                compound_id=form.cleaned_data["compound"],
                patrolled_on=form.cleaned_data["patrolled_on"],
                notes=form.cleaned_data["notes"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "compound")
        else:
            return redirect("fieldwork_patrol", patrol_id=patrol.pk)
    return render(request, "fieldwork/patrol_form.html", {"form": form})


@login_required
def patrol_detail(request: HttpRequest, patrol_id: int) -> HttpResponse:
    user = _user(request)
    patrol = access.access_patrol(user, patrol_id)
    buildings = list(
        Building.objects.filter(compound_id=patrol.compound_id).order_by(
            "sort_key", "number", "stairwell"
        )
    )
    points = selectors.collection_points(user, patrol.compound_id) if patrol.compound_id else []
    form = forms.FindingForm(
        request.POST or None, request.FILES or None, buildings=buildings, points=points
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = request.FILES.getlist("photos")
        try:
            contents = [_read_upload(upload) for upload in uploads]
            services.finding_record(
                patrol=patrol,
                actor=user,
                photos=contents,
                data=services.FindingInput(
                    category=data["category"],
                    place=data["place"],
                    severity=data["severity"],
                    building_id=data["building"],
                    facility_state=data["facility_state"],
                    collection_point_id=data["collection_point"],
                    is_up_to_standard=data["is_up_to_standard"],
                    description=data["description"],
                ),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "category")
        else:
            messages.success(request, "已登记巡查发现。")
            return redirect("fieldwork_patrol", patrol_id=patrol.pk)
    findings = list(
        patrol.findings.select_related("building", "collection_point")
        .prefetch_related("photos")
        .order_by("id")
    )
    return render(
        request,
        "fieldwork/patrol_detail.html",
        {"patrol": patrol, "form": form, "findings": findings, "may_write": access.can_write(user)},
    )


def _read_upload(upload: Any) -> bytes:
    from jinlin.fieldwork.photos import MSG_TOO_LARGE

    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"photo": MSG_TOO_LARGE.format(mb=limit // (1024 * 1024))})
    return bytes(upload.read(limit + 1))


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    user = _user(request)
    finding = access.access_finding(user, finding_id)
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_add_photo(
                finding=finding, actor=user, content=_read_upload(form.cleaned_data["photo"])
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "photo")
        else:
            messages.success(request, "已上传照片。")
            return redirect("fieldwork_finding", finding_id=finding.pk)
    return render(
        request,
        "fieldwork/finding_detail.html",
        {
            "finding": finding,
            "form": form,
            "photos": list(finding.photos.order_by("id")),
            "links": list(CaseEvidence.objects.filter(finding=finding).select_related("case")),
            "open_cases": _joinable_cases(user, finding.area_id),
            "may_write": access.can_write(user),
        },
    )


@login_required
def photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """Photos are served only to who may see the finding; they are not public media."""
    row = access.access_photo(_user(request), photo_id)
    return FileResponse(row.image.open("rb"), content_type="image/jpeg")


# --- 切: cases -----------------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    status = request.GET.get("status", "open")
    mine = request.GET.get("mine") == "1"
    cases = selectors.case_list(user, status=status, mine=mine)
    return render(
        request,
        "fieldwork/case_list.html",
        {
            "page": _page(request, cases),
            "status": status,
            "mine": mine,
            "statuses": CaseStatus.choices,
        },
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    source = {
        kind: request.GET.get(kind) or request.POST.get(kind)
        for kind in ("concern", "finding", "visit", "consultation")
    }
    try:
        evidence = services.evidence_objects(
            user, **{f"{kind}_ids": [int(value)] for kind, value in source.items() if value}
        )
    except (ValidationError, ValueError):
        raise Http404("没有找到该证据") from None
    area_id = evidence[0].area_id if evidence else user.area_id
    initial: dict[str, Any] = {}
    if evidence:
        first = evidence[0]
        initial = _case_initial(first)
    form = forms.CaseForm(
        request.POST or None,
        initial=initial,
        owners=_area_staff(area_id) if area_id else [],
        compounds=_patrol_compounds(user) if not evidence else [],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=user,
                evidence=evidence,
                data=services.CaseInput(
                    title=data["title"],
                    scope=data["scope"],
                    subcategory=data["subcategory"],
                    owner_id=data["owner"],
                    compound_id=data["compound"],
                ),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "title")
        else:
            messages.success(request, "已立案。下一步：写明症结。")
            return redirect("fieldwork_case", case_id=case.pk)
    return render(
        request, "fieldwork/case_form.html", {"form": form, "evidence": evidence, "source": source}
    )


def _case_initial(item: Any) -> dict[str, Any]:
    from jinlin.fieldwork.models import Concern, Consultation, Finding, FindingKind

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
            Subcategory.ENVIRONMENT,  # type: ignore[call-overload]
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


def _case_forms(case: Case, data: Any = None, which: str = "") -> dict[str, Any]:
    owners = _area_staff(case.area_id)
    bound = {
        name: (data if which == name else None)
        for name in ("root", "plan", "done", "close", "reopen", "talent")
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
    }


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = access.access_case(user, case_id)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    context = _case_forms(case, request.POST, which)
    if request.method == "POST":
        done = _case_act(request, user, case, which, context)
        if done:
            return redirect("fieldwork_case", case_id=case.pk)
        case = access.access_case(user, case_id)
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
            action = (
                CaseAction.objects.filter(case=case, pk=data["action"])
                .select_related("case")
                .first()
            )
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
            _attach(form, error, default)
        return False
    return True


# --- 问: think tank and talent pool ------------------------------------------------------------------


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    items = (
        access.visible_consultations(_user(request))
        .select_related("veteran", "recorded_by")
        .order_by("-asked_on", "-id")
    )
    return render(request, "fieldwork/consultation_list.html", {"page": _page(request, items)})


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_scope(request)
    veterans = list(selectors.think_tank(user)[:300])
    form = forms.ConsultationForm(request.POST or None, veterans=veterans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.consultation_record(
                actor=user,
                data=services.ConsultationInput(
                    veteran_id=data["veteran"],
                    topic=data["topic"],
                    question=data["question"],
                    advice=data["advice"],
                    asked_on=data["asked_on"],
                    follow_up=data["follow_up"],
                    is_agenda_item=data["is_agenda_item"],
                ),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _attach(form, error, "question")
        else:
            messages.success(request, "已登记咨询。")
            return redirect("fieldwork_consultation", consultation_id=item.pk)
    return render(request, "fieldwork/consultation_form.html", {"form": form})


@login_required
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = _user(request)
    item = access.access_consultation(user, consultation_id)
    return render(
        request,
        "fieldwork/consultation_detail.html",
        {
            "item": item,
            "links": list(CaseEvidence.objects.filter(consultation=item).select_related("case")),
            "open_cases": _joinable_cases(user, item.area_id),
            "may_write": access.can_write(user),
        },
    )


@login_required
def talent_list(request: HttpRequest) -> HttpResponse:
    _require_scope(request)
    skill = request.GET.get("skill", "").strip()[:20]
    from jinlin.people.groups import TALENT_SKILLS

    return render(
        request,
        "fieldwork/talent_list.html",
        {
            "rows": selectors.talents(_user(request), skill=skill),
            "skill": skill,
            "skills": TALENT_SKILLS,
        },
    )


# --- the area: dashboard and visit intervals ---------------------------------------------------------


@login_required
def dashboard(request: HttpRequest, area_id: int) -> HttpResponse:
    user = _user(request)
    area = access_area(user, area_id)
    if not access.can_see_dashboard(user, area.pk):
        raise Http404("没有找到该居民区的工作台")
    board = selectors.dashboard(area.pk)
    return render(
        request,
        "fieldwork/dashboard.html",
        {
            "area": area,
            "board": board,
            "statuses": CaseStatus.choices,
            "age_buckets": selectors.AGE_BUCKETS,
            "may_configure": user.is_superuser
            or (user.role == Role.AREA_SECRETARY and user.area_id == area.pk),
        },
    )


@login_required
def intervals(request: HttpRequest, area_id: int) -> HttpResponse:
    user = _user(request)
    area = access_area(user, area_id)
    if not (user.is_superuser or (user.role == Role.AREA_SECRETARY and user.area_id == area.pk)):
        raise Http404("没有找到")
    form = forms.IntervalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_interval_set(
                area_id=area.pk,
                actor=user,
                group=form.cleaned_data["group"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "已保存走访周期。")
        return redirect("fieldwork_intervals", area_id=area.pk)
    current = selectors.intervals_by_area({area.pk})[area.pk]
    defaults = services.default_intervals()
    rows = [
        {
            "group": group,
            "label": GROUPS[GroupCode(group)].label,
            "days": current[group],
            "default": defaults[group],
        }
        for group in defaults
    ]
    return render(request, "fieldwork/intervals.html", {"area": area, "rows": rows})
