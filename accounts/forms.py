from django import forms


class ApiKeyCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Key name",
        help_text="Where the key is used, e.g. “EHR integration”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "EHR integration"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(
        choices=[
            ("member", "Member: codes notes, sees history"),
            ("admin", "Admin: also manages keys, members and billing"),
        ],
        initial="member",
    )
