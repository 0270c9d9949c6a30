"""Hooks into django-allauth: every new user gets an organization of their own."""

from allauth.account.adapter import DefaultAccountAdapter

from accounts.services import organization_create


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            organization_create(owner=user)
        return user
