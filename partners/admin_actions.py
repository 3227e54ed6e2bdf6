"""The Coordinators' decisions in the admin: signing, suspending, resuming and
terminating an agreement; accepting a progress report or sending it back.

Each is a small page under the object's change page (registered by the ModelAdmin's
`get_urls`), with a form and one call to the service, which checks the permission and
the rules again. A refusal (a report one submitted oneself, a reason missing, a status
that does not allow it) comes back as the service's message on the page, never as an
error page."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from belfaa.models import User
from partners import services
from partners.models import Agreement, ProgressReport

A = Agreement.Status
R = ProgressReport.Status


class ConfirmForm(forms.Form):
    """Nothing to fill in: the button is the decision."""


class ReasonForm(forms.Form):
    # Not required here: the service refuses an empty reason with its own message.
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 5, "cols": 60})
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Date of signature"), widget=AdminDateWidget)
    document = forms.FileField(label=_("Signed document"), required=False)


class TerminateForm(ReasonForm):
    document = forms.FileField(label=_("Document that terminates the agreement"), required=False)


Run = Callable[[Any, User, dict[str, Any]], object]


@dataclass(frozen=True)
class Decision:
    label: Any
    statuses: tuple[str, ...]
    form: type[forms.Form]
    run: Run
    done: Any
    explanation: Any = ""


AGREEMENT_DECISIONS: dict[str, Decision] = {
    "sign": Decision(
        label=_("Sign"),
        statuses=(A.DRAFT,),
        form=SignForm,
        run=lambda agreement, by, data: services.agreement_sign(
            agreement_id=agreement.pk,
            by=by,
            signed_on=data["signed_on"],
            document=data.get("document"),
        ),
        done=_("The agreement was signed."),
    ),
    "suspend": Decision(
        label=_("Suspend"),
        statuses=(A.SIGNED, A.ACTIVE),
        form=ReasonForm,
        run=lambda agreement, by, data: services.agreement_suspend(
            agreement_id=agreement.pk, by=by, reason=data.get("reason", "")
        ),
        done=_("The agreement was suspended."),
    ),
    "resume": Decision(
        label=_("Resume"),
        statuses=(A.SUSPENDED,),
        form=ConfirmForm,
        run=lambda agreement, by, data: services.agreement_resume(agreement_id=agreement.pk, by=by),
        done=_("The agreement resumed."),
        explanation=_("Its dates will say whether it is active again or over."),
    ),
    "terminate": Decision(
        label=_("Terminate"),
        statuses=(A.SIGNED, A.ACTIVE, A.SUSPENDED),
        form=TerminateForm,
        run=lambda agreement, by, data: services.agreement_terminate(
            agreement_id=agreement.pk,
            by=by,
            reason=data.get("reason", ""),
            document=data.get("document"),
        ),
        done=_("The agreement was terminated."),
        explanation=_("Terminating an agreement needs a reason and a document."),
    ),
}

REPORT_DECISIONS: dict[str, Decision] = {
    "accept": Decision(
        label=_("Accept"),
        statuses=ProgressReport.TO_REVIEW,
        form=ConfirmForm,
        run=lambda report, by, data: services.report_accept(report_id=report.pk, by=by),
        done=_("The report was accepted."),
    ),
    "send-back": Decision(
        label=_("Send back"),
        statuses=ProgressReport.TO_REVIEW,
        form=ReasonForm,
        run=lambda report, by, data: services.report_send_back(
            report_id=report.pk, by=by, reason=data.get("reason", "")
        ),
        done=_("The report was sent back to the partner with your reason."),
        explanation=_("Say what the partner should correct: they will read it on the portal."),
    ),
}


def available(decisions: dict[str, Decision], obj: Any) -> list[tuple[str, Any]]:
    """The decisions this object's status allows, as (slug, label)."""
    return [(slug, d.label) for slug, d in decisions.items() if obj.status in d.statuses]


def _put_on_form(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def decision_view(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    object_id: str,
    slug: str,
    *,
    decisions: dict[str, Decision],
    permission: str,
) -> HttpResponse:
    if not (request.user.is_staff and request.user.has_perm(permission)):
        raise PermissionDenied
    decision = decisions.get(slug)
    obj: models.Model | None = model_admin.get_object(request, unquote(object_id))
    if decision is None or obj is None:
        raise Http404
    opts = model_admin.model._meta
    change_url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        args=[obj.pk],
        current_app=model_admin.admin_site.name,
    )
    form = (
        decision.form(request.POST, request.FILES) if request.method == "POST" else decision.form()
    )
    status_allows = getattr(obj, "status", None) in decision.statuses
    if request.method == "POST" and form.is_valid():
        try:
            decision.run(obj, request.user, form.cleaned_data)
        except ValidationError as error:
            _put_on_form(form, error)
        else:
            messages.success(request, str(decision.done))
            return redirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "original": obj,
        "title": f"{decision.label}: {obj}",
        "decision": decision,
        "form": form,
        "status_allows": status_allows,
        "change_url": change_url,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(
        request,
        "admin/partners/decision.html",
        context,
        status=400 if form.errors else 200,
    )
