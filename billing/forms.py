from django import forms

from billing.plans import Plan


class CheckoutForm(forms.Form):
    plan = forms.ChoiceField(choices=[(Plan.PRO, "Pro"), (Plan.PRACTICE, "Practice")])
