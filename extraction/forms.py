"""Forms of the extraction workspace and history, with the API's defaults and choices."""

from django import forms

from extraction.parameters import (
    DEFAULTS,
    MAX_NOTE_CHARS,
    PatientType,
    Payer,
    Specialty,
    VisitType,
)

LABELS = {
    Payer.SELFPAY: "Self-pay",
    VisitType.AWV: "Annual wellness visit (Medicare)",
    VisitType.WELL_CHILD: "Well-child / preventive",
    VisitType.BEHAVIORAL: "Behavioral health",
    VisitType.EMERGENCY_DEPT: "Emergency department",
    VisitType.TELEHEALTH_BH: "Telehealth behavioral health",
    VisitType.NURSING_FACILITY: "Nursing facility",
    VisitType.HOME: "Home visit",
}


def _choices(enum) -> list[tuple[str, str]]:
    return [
        (member.value, LABELS.get(member, member.value.replace("_", " ").capitalize()))
        for member in enum
    ]


class ExtractForm(forms.Form):
    note = forms.CharField(
        label="Clinical note",
        max_length=MAX_NOTE_CHARS,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 18,
                "maxlength": MAX_NOTE_CHARS,
                "spellcheck": "false",
                "placeholder": "Paste a SOAP note, H&P or progress note…",
                "aria-describedby": "note-count",
            }
        ),
        error_messages={
            "required": "Paste a note first.",
            "max_length": "This note is longer than 50,000 characters: shorten it and try again.",
        },
    )
    payer = forms.ChoiceField(choices=_choices(Payer), initial=DEFAULTS["payer"])
    patient_type = forms.ChoiceField(
        choices=_choices(PatientType), initial=DEFAULTS["patient_type"], label="Patient"
    )
    visit_type = forms.ChoiceField(
        choices=_choices(VisitType), initial=DEFAULTS["visit_type"], label="Visit type"
    )
    specialty = forms.ChoiceField(choices=_choices(Specialty), initial=DEFAULTS["specialty"])
    phi_scrub = forms.BooleanField(
        required=False,
        initial=True,
        label="Remove identifiers (PHI) before coding",
    )

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        if not note.strip():
            raise forms.ValidationError("Paste a note first.")
        return note


class HistoryFilterForm(forms.Form):
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    payer = forms.ChoiceField(required=False, choices=[("", "Any payer"), *_choices(Payer)])
    visit_type = forms.ChoiceField(
        required=False, label="Visit type", choices=[("", "Any visit"), *_choices(VisitType)]
    )
    code = forms.CharField(
        required=False,
        max_length=10,
        label="Code",
        widget=forms.TextInput(attrs={"placeholder": "e.g. E11 or 99214"}),
    )
