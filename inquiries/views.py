"""Inquiry pages: list, create, detail for the front desk; work queue and settings for staff.

Thin views: parse a form, call one service or selector, render. Every detail page view is
audited (``inquiry.viewed``), as in the API.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import organization_required
from claimlens.api import ApplicationError
from inquiries import selectors, services
from inquiries.forms import (
    CallbackSettingsForm,
    CallDetailsForm,
    InquiryFilterForm,
    InquiryForm,
    MaximumsForm,
    PlanInformationForm,
    ProcedureBenefitFormSet,
    UnreachableForm,
)
from inquiries.models import Inquiry, Provider, Status
from inquiries.procedures import short_label
from inquiries.results import format_call_end_time, format_date

PAGE_SIZE = 25
PHI_FIELDS = ("patient_name", "dob", "member_id", "group_id", "diagnosis_codes")


@organization_required()
def inquiry_list_view(request: HttpRequest) -> HttpResponse:
    organization = request.membership.organization
    filters = InquiryFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    inquiries = selectors.inquiry_list(
        organization=organization,
        statuses=[values["status"]] if values.get("status") else None,
        external_id=values.get("external_id", ""),
        created_from=values.get("created_from"),
        created_to=values.get("created_to"),
    )
    page = Paginator(inquiries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "inquiries/list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@sensitive_post_parameters(*PHI_FIELDS)
@require_http_methods(["GET", "POST"])
@organization_required()
def inquiry_create_view(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None, prefill=request.GET)
    if request.method == "POST" and form.is_valid():
        inquiry = services.inquiry_create(
            organization=request.membership.organization,
            created_by=request.user,
            source="web",
            type="BENEFITS",
            **form.cleaned_data,
        )
        messages.success(request, "Inquiry sent. This page updates as the payer answers.")
        return redirect("inquiries:detail", inquiry_id=inquiry.pk)
    return TemplateResponse(request, "inquiries/create.html", {"form": form})


@organization_required()
def inquiry_detail_view(request: HttpRequest, inquiry_id) -> HttpResponse:
    inquiry = selectors.inquiry_get_for_org(
        organization=request.membership.organization, inquiry_id=inquiry_id
    )
    services.inquiry_record_view(inquiry=inquiry, actor=request.user, via="web")
    results = inquiry.results if inquiry.status == Status.SUCCESS else None
    return TemplateResponse(
        request,
        "inquiries/detail.html",
        {
            "inquiry": inquiry,
            "results": results,
            "maximum_rows": _maximum_rows(results["maximums"]) if results else [],
            "transitions": inquiry.transitions.select_related("actor"),
            "dob": format_date(inquiry.date_of_birth),
        },
    )


@require_POST
@organization_required()
def inquiry_cancel_view(request: HttpRequest, inquiry_id) -> HttpResponse:
    inquiry = selectors.inquiry_get_for_org(
        organization=request.membership.organization, inquiry_id=inquiry_id
    )
    try:
        services.inquiry_cancel(inquiry=inquiry, source="web", actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Inquiry cancelled.")
    return redirect("inquiries:detail", inquiry_id=inquiry.pk)


@organization_required(manage=True)
def work_queue_view(request: HttpRequest) -> HttpResponse:
    queue = selectors.inquiry_work_queue(organization=request.membership.organization)
    return TemplateResponse(request, "inquiries/queue.html", {"queue": queue})


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@organization_required(manage=True)
def work_item_view(request: HttpRequest, inquiry_id) -> HttpResponse:
    """Claim a manual inquiry, record the payer call and complete it (or report no answer)."""
    inquiry = selectors.inquiry_get_for_org(
        organization=request.membership.organization, inquiry_id=inquiry_id
    )
    action = request.POST.get("action", "")
    forms = _call_forms(inquiry, request.POST if action == "complete" else None)
    unreachable = UnreachableForm(request.POST if action == "unreachable" else None)
    try:
        if action == "claim":
            services.inquiry_claim(inquiry=inquiry, actor=request.user)
            return redirect("inquiries:work", inquiry_id=inquiry.pk)
        if action == "release":
            services.inquiry_release(inquiry=inquiry, actor=request.user)
            return redirect("inquiries:queue")
        if action == "unreachable" and unreachable.is_valid():
            services.inquiry_record_unreachable(
                inquiry=inquiry, actor=request.user, summary=unreachable.cleaned_data["summary"]
            )
            messages.success(request, "Recorded: the payer could not be reached.")
            return redirect("inquiries:queue")
        if action == "complete" and all(form.is_valid() for form in forms.values()):
            services.inquiry_record_call(
                inquiry=inquiry, actor=request.user, **_call_results(forms)
            )
            messages.success(request, "Benefits recorded. The inquiry is complete.")
            return redirect("inquiries:detail", inquiry_id=inquiry.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("inquiries:queue")
    services.inquiry_record_view(inquiry=inquiry, actor=request.user, via="web:work")
    return TemplateResponse(
        request,
        "inquiries/work.html",
        {
            "inquiry": inquiry,
            "dob": format_date(inquiry.date_of_birth),
            "unreachable": unreachable,
            "is_manual": inquiry.provider == Provider.MANUAL,
            **forms,
        },
    )


@require_http_methods(["GET", "POST"])
@organization_required(manage=True)
def inquiry_settings_view(request: HttpRequest) -> HttpResponse:
    organization = request.membership.organization
    row = selectors.inquiry_settings_for(organization=organization)
    form = CallbackSettingsForm(
        request.POST if request.POST.get("action") == "save" else None,
        initial={"callback_url": row.callback_url if row else ""},
        production=settings.PRODUCTION,
    )
    if request.method == "POST":
        if request.POST.get("action") == "rotate":
            services.inquiry_settings_rotate_secret(organization=organization, actor=request.user)
            messages.success(request, "New signing secret made. Update your receiver.")
            return redirect("inquiries:settings")
        if form.is_valid():
            services.inquiry_settings_update_callback(
                organization=organization,
                callback_url=form.cleaned_data["callback_url"],
                actor=request.user,
            )
            messages.success(request, "Callback settings saved.")
            return redirect("inquiries:settings")
    return TemplateResponse(
        request,
        "inquiries/settings.html",
        {
            "form": form,
            "settings_row": row,
            "provider": services.inquiry_provider_for(organization=organization),
            "deliveries": selectors.callback_deliveries_for(organization=organization),
        },
    )


def _call_forms(inquiry: Inquiry, data: Any) -> dict[str, Any]:
    codes = [
        {"procedure_code": code, "procedure_name": short_label(code)}
        for code in inquiry.benefits_codes
    ]
    return {
        "call_form": CallDetailsForm(data, prefix="call"),
        "plan_form": PlanInformationForm(data, prefix="plan"),
        "maximums_form": MaximumsForm(data, prefix="max"),
        "code_formset": ProcedureBenefitFormSet(data, initial=codes, prefix="code"),
    }


def _call_results(forms: dict[str, Any]) -> dict[str, Any]:
    """The cleaned forms in the contract's results shape (dates MM-DD-YYYY, blanks null)."""

    def blank_to_none(values: dict[str, Any]) -> dict[str, Any]:
        return {key: (None if value == "" else value) for key, value in values.items()}

    plan = blank_to_none(forms["plan_form"].cleaned_data)
    for key in ("effective_date", "termination_date"):
        plan[key] = format_date(plan[key])
    return {
        "call_details": {
            **forms["call_form"].cleaned_data,
            "call_end_time": format_call_end_time(timezone.now()),
        },
        "plan_information": plan,
        "maximums": blank_to_none(forms["maximums_form"].cleaned_data),
        "procedure_codes": [
            blank_to_none(form.cleaned_data) for form in forms["code_formset"].forms
        ],
    }


def _maximum_rows(maximums: dict[str, Any]) -> list[dict[str, Any]]:
    """Deductible and out-of-pocket rows with what is left, for the front-desk page."""
    rows = []
    for prefix, who in (("individual", "Individual"), ("family", "Family")):
        for name, label in (
            ("deductible", "deductible"),
            ("out_of_pocket_maximum", "out-of-pocket maximum"),
        ):
            total, used = maximums.get(f"{prefix}_{name}"), maximums.get(f"{prefix}_{name}_used")
            if total is None and used is None:
                continue
            try:
                remaining = Decimal(total) - Decimal(used or 0)
            except (InvalidOperation, TypeError):
                remaining = None
            rows.append(
                {"label": f"{who} {label}", "total": total, "used": used, "remaining": remaining}
            )
    return rows
