"""The ledger page: choose kind, scope, range and format; the ledger is made as a job."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from jinlin.core.web import AuthedRequest, attach_errors
from jinlin.ledgers import services
from jinlin.ledgers.forms import LedgerForm
from jinlin.ledgers.selectors import MSG_NOT_FOUND, may_make_ledgers


@login_required
def ledgers(request: AuthedRequest) -> HttpResponse:
    if not may_make_ledgers(request.user):
        raise Http404("没有找到")
    # Inspectors ask for the month that has just ended.
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    form = LedgerForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"month": f"{last_month:%Y-%m}", "fmt": "xlsx"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.ledger_request(
                user=request.user,
                kind=data["kind"],
                fmt=data["fmt"],
                start=data["start"],
                end=data["end"],
                unmasked=data["unmasked"],
                reason=data["reason"],
                **data["scope_ids"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        except Http404:
            form.add_error("scope", MSG_NOT_FOUND)
        except PermissionDenied as refused:
            form.add_error("unmasked", str(refused))
        else:
            return redirect("job_detail", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledgers/ledgers.html", {"form": form}, status=status)
