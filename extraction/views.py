"""The clinician's pages: the extraction workspace, history, a past result, exports."""

import csv
import json

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import organization_required
from accounts.services import audit_record
from billing.quota import usage_snapshot
from claimlens.api import ApplicationError
from extraction.forms import ExtractForm, HistoryFilterForm
from extraction.models import ExtractionSource
from extraction.parameters import ExtractionParameters
from extraction.presentation import CODE_GROUPS, friendly_error, result_view
from extraction.selectors import extraction_get_for_org, extractions_filtered
from extraction.services import extraction_run


@sensitive_post_parameters("note")
@require_http_methods(["GET", "POST"])
@organization_required()
def workspace(request: HttpRequest) -> HttpResponse:
    """Paste a note, get its codes. With htmx only the result panel is re-rendered."""
    organization = request.membership.organization
    form = ExtractForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = extraction_run(
                organization=organization,
                note=data["note"],
                parameters=ExtractionParameters(
                    payer=data["payer"],
                    patient_type=data["patient_type"],
                    visit_type=data["visit_type"],
                    specialty=data["specialty"],
                ),
                phi_scrub=data["phi_scrub"],
                source=ExtractionSource.WEB,
                user=request.user,
            )
        except ApplicationError as error:
            context["error"] = friendly_error(error, organization)
        else:
            context["extraction"] = outcome.extraction
            context["view"] = result_view(outcome.body["result"])
    context["usage"] = usage_snapshot(organization=organization)
    template = "extraction/workspace.html"
    if request.htmx:
        template += "#result"
    return TemplateResponse(request, template, context)


@require_GET
@organization_required()
def history(request: HttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = extractions_filtered(
        organization=request.membership.organization, **filters
    ).select_related("user", "api_key")
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "extraction/history.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_GET
@organization_required()
def history_detail(request: HttpRequest, extraction_id) -> HttpResponse:
    """A past result exactly as it was returned."""
    organization = request.membership.organization
    extraction = extraction_get_for_org(organization=organization, public_id=extraction_id)
    audit_record(
        organization=organization, actor=request.user, action="extraction.viewed", target=extraction
    )
    return TemplateResponse(
        request,
        "extraction/history_detail.html",
        {
            "extraction": extraction,
            "view": result_view(extraction.result) if extraction.result else None,
        },
    )


@require_GET
@organization_required()
def history_export(request: HttpRequest, extraction_id, file_format: str) -> HttpResponse:
    """The codes of one extraction as CSV (one row a code) or as the API's JSON result."""
    organization = request.membership.organization
    extraction = extraction_get_for_org(organization=organization, public_id=extraction_id)
    audit_record(
        organization=organization,
        actor=request.user,
        action="extraction.exported",
        target=extraction,
        detail={"format": file_format},
    )
    filename = f"claimlens-{extraction.public_id}.{file_format}"
    result = extraction.result or {}
    if file_format == "json":
        response = HttpResponse(json.dumps(result, indent=2), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv")
        writer = csv.writer(response)
        writer.writerow(
            [
                "type",
                "code",
                "descriptor",
                "modifiers",
                "estimated_rvu",
                "billing_tier",
                "justification",
                "evidence",
            ]
        )
        for name, label in CODE_GROUPS:
            for entry in result.get(name, []):
                writer.writerow(
                    [
                        label,
                        entry["code"],
                        entry.get("descriptor", ""),
                        " ".join(entry.get("modifiers", [])),
                        entry.get("estimated_rvu", ""),
                        entry.get("billing_tier", ""),
                        entry.get("justification", ""),
                        entry.get("evidence", ""),
                    ]
                )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
