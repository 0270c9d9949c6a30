from django import forms


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Key name",
        help_text="Where the key is used, e.g. “EHR integration”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "EHR integration"}),
    )
