"""Forms for the inquiry pages: the front-desk request, list filters, staff call notes, settings.

Field rules are the API's (``inquiries.validators``); dates use the browser's date picker.
"""

import re
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from inquiries.models import Line, Status
from inquiries.public_http import validate_public_callback_url
from inquiries.validators import (
    INSURANCES,
    clean_diagnosis_codes,
    clean_procedure_codes,
    validate_benefits_query,
    validate_insurance,
    validate_npi,
    validate_tax_id,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UNKNOWN_YES_NO = [("", "Unknown"), ("true", "Yes"), ("false", "No")]
COMMON_QUERIES = [
    ("CODE_LOOKUP_BENEFITS", "Benefits for the codes below"),
    ("CODE_LOOKUP_PRIOR_AUTH", "Prior authorization for the codes below"),
    ("PLAN_INFO", "Plan information (active, dates, type)"),
    ("DEDUCTIBLES_AND_MAXIMUMS", "Deductibles and out-of-pocket maximums"),
    ("NETWORK_STATUS", "Is the provider in network?"),
]
_amount = RegexValidator(r"^\d{1,7}(\.\d{1,2})?$", "Digits only, e.g. 20 or 20.00.")


def _split_codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def _tri_state(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=UNKNOWN_YES_NO,
        required=False,
        coerce=lambda value: value == "true",
        empty_value=None,
    )


class InquiryForm(forms.Form):
    """A benefits check as the front desk enters it; ``?cpt=&icd10=`` prefill the codes."""

    patient_name = forms.CharField(max_length=200, label="Patient name")
    dob = forms.DateField(label="Date of birth", widget=DATE_INPUT)
    insurance = forms.CharField(
        max_length=40,
        label="Insurance",
        widget=forms.TextInput(attrs={"list": "insurances", "autocomplete": "off"}),
        help_text="Payer name in capitals, e.g. CIGNA.",
    )
    member_id = forms.CharField(max_length=80, label="Member ID")
    group_id = forms.CharField(max_length=50, label="Group number", required=False)
    line = forms.ChoiceField(choices=Line.choices, initial=Line.MENTAL_HEALTH, label="Benefit line")
    benefits_query = forms.MultipleChoiceField(
        choices=COMMON_QUERIES,
        widget=forms.CheckboxSelectMultiple,
        label="What to check",
        initial=["CODE_LOOKUP_BENEFITS", "PLAN_INFO", "DEDUCTIBLES_AND_MAXIMUMS"],
    )
    benefits_codes = forms.CharField(
        required=False,
        label="Procedure codes",
        help_text="CPT, HCPCS or CDT codes, separated by commas.",
    )
    diagnosis_codes = forms.CharField(
        required=False, label="Diagnosis codes", help_text="ICD-10-CM, separated by commas."
    )
    npi = forms.CharField(max_length=10, label="Provider NPI", validators=[validate_npi])
    tax_id = forms.CharField(
        max_length=9, required=False, label="Tax ID (EIN)", validators=[validate_tax_id]
    )
    insurance_in_network = _tri_state("Provider in network?")
    is_specialist = _tri_state("Specialist?")
    place_of_service = forms.CharField(max_length=40, required=False, initial="office")
    desired_completion_date = forms.DateField(label="Needed by", widget=DATE_INPUT)
    external_id = forms.CharField(
        max_length=100, required=False, label="Your reference", help_text="Optional grouping key."
    )

    insurances = INSURANCES

    def __init__(self, *args: Any, prefill: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["desired_completion_date"].initial = timezone.localdate() + timedelta(days=1)
        prefill = prefill or {}
        if prefill.get("cpt"):
            self.initial["benefits_codes"] = ", ".join(_split_codes(prefill["cpt"]))
        if prefill.get("icd10"):
            self.initial["diagnosis_codes"] = ", ".join(_split_codes(prefill["icd10"]))

    def clean_insurance(self) -> str:
        insurance = self.cleaned_data["insurance"].strip().upper()
        validate_insurance(insurance)
        return insurance

    def clean_dob(self):
        dob = self.cleaned_data["dob"]
        if dob > timezone.localdate():
            raise ValidationError("A date of birth cannot be in the future.")
        return dob

    def clean_benefits_codes(self) -> list[str]:
        return clean_procedure_codes(_split_codes(self.cleaned_data["benefits_codes"]))

    def clean_diagnosis_codes(self) -> list[str]:
        return clean_diagnosis_codes(_split_codes(self.cleaned_data["diagnosis_codes"]))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "benefits_query" in cleaned and "benefits_codes" in cleaned:
            try:
                validate_benefits_query(
                    line=cleaned.get("line") or Line.MENTAL_HEALTH,
                    queries=cleaned["benefits_query"],
                    codes=cleaned["benefits_codes"],
                )
            except ValidationError as exc:
                self.add_error("benefits_query", exc)
        return cleaned


class InquiryFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    external_id = forms.CharField(max_length=100, required=False, label="Reference")
    created_from = forms.DateField(required=False, widget=DATE_INPUT, label="From")
    created_to = forms.DateField(required=False, widget=DATE_INPUT, label="To")


class CallDetailsForm(forms.Form):
    representative_name = forms.CharField(max_length=100, label="Representative")
    reference_number = forms.CharField(max_length=50, label="Call reference number")


class PlanInformationForm(forms.Form):
    is_active = _tri_state("Plan active?")
    plan_type = forms.CharField(max_length=20, required=False, help_text="PPO, HMO, EPO, POS…")
    effective_date = forms.DateField(required=False, widget=DATE_INPUT)
    termination_date = forms.DateField(required=False, widget=DATE_INPUT)
    is_calendar_year_plan = _tri_state("Calendar-year plan?")
    is_provider_in_network = _tri_state("Provider in network?")
    is_primary_insurance = _tri_state("Primary insurance?")


class MaximumsForm(forms.Form):
    individual_deductible = forms.CharField(required=False, validators=[_amount])
    individual_deductible_used = forms.CharField(required=False, validators=[_amount])
    individual_out_of_pocket_maximum = forms.CharField(required=False, validators=[_amount])
    individual_out_of_pocket_maximum_used = forms.CharField(required=False, validators=[_amount])
    family_deductible = forms.CharField(required=False, validators=[_amount])
    family_deductible_used = forms.CharField(required=False, validators=[_amount])
    family_out_of_pocket_maximum = forms.CharField(required=False, validators=[_amount])
    family_out_of_pocket_maximum_used = forms.CharField(required=False, validators=[_amount])


class ProcedureBenefitForm(forms.Form):
    procedure_code = forms.CharField(widget=forms.HiddenInput)
    procedure_name = forms.CharField(max_length=200, required=False)
    is_covered = _tri_state("Covered?")
    is_prior_auth_required = _tri_state("Prior auth required?")
    prior_auth_info = forms.CharField(max_length=300, required=False)
    is_deductible_waived = _tri_state("Deductible waived?")
    copay_amount = forms.CharField(required=False, validators=[_amount], label="Copay ($)")
    coinsurance_percentage = forms.CharField(
        required=False, validators=[_amount], label="Coinsurance (%)"
    )
    frequency_limitations = forms.CharField(max_length=300, required=False)
    more_info = forms.CharField(max_length=500, required=False, widget=forms.Textarea({"rows": 2}))


ProcedureBenefitFormSet = forms.formset_factory(ProcedureBenefitForm, extra=0)


class UnreachableForm(forms.Form):
    summary = forms.CharField(
        max_length=300,
        initial="The payer could not be reached. Please try again later.",
        label="What happened",
    )


class CallbackSettingsForm(forms.Form):
    callback_url = forms.URLField(
        max_length=500,
        required=False,
        label="Callback URL",
        assume_scheme="https",
        help_text="We POST here when an inquiry finishes. Leave empty to turn callbacks off.",
        validators=[validate_public_callback_url],
    )

    def __init__(self, *args: Any, production: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.production = production

    def clean_callback_url(self) -> str:
        url = self.cleaned_data["callback_url"]
        if url and self.production and not url.startswith("https://"):
            raise ValidationError("Use an https:// address.")
        return url
