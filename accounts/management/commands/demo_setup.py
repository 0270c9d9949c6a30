"""``manage.py demo_setup``: a demo login and a fresh demo API key, printed for ``make run``.

The demo user's e-mail is marked verified so it can log in at once. Running it again keeps
the user and password and prints a new key (keys are stored hashed and cannot be shown again).
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import Membership, User
from accounts.services import api_key_create, user_create
from billing.plans import Plan
from billing.services import plan_grant

DEMO_EMAIL = "demo@claimlens.local"
DEMO_PASSWORD = "claimlens-demo"  # noqa: S105 - a local demo login, printed on purpose


class Command(BaseCommand):
    help = "Create (or refresh) the demo login and print it with a new demo API key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", choices=Plan.values, default=Plan.PRACTICE)

    @transaction.atomic
    def handle(self, *args, plan: str, **options) -> None:
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = user_create(
                email=DEMO_EMAIL, password=DEMO_PASSWORD, organization_name="Demo Clinic"
            )
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        organization = (
            Membership.objects.filter(user=user).select_related("organization").first().organization
        )
        plan_grant(organization=organization, plan=plan, note="demo_setup command")
        _api_key, key = api_key_create(organization=organization, name="Demo key", created_by=user)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "  ClaimLens demo",
                    "  login:    http://127.0.0.1:8000/accounts/login/",
                    f"  e-mail:   {DEMO_EMAIL}",
                    f"  password: {DEMO_PASSWORD}",
                    f"  API key:  {key}",
                    "",
                ]
            )
        )
