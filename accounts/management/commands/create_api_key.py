"""``manage.py create_api_key --email E --plan P [--name N]``: the key alone on the last line.

Creates the user and organization when missing and grants the plan as a manual grant. Scripts
and benchmarks read the key with ``| tail -n 1``.
"""

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from accounts.models import Membership, User
from accounts.services import api_key_create, organization_create, user_create
from billing.models import PlanChangeSource
from billing.plans import Plan
from billing.services import plan_grant


class Command(BaseCommand):
    help = "Create an API key for a user's organization, creating both when missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--plan", choices=Plan.values, default=Plan.PRO)
        parser.add_argument("--name", default="Command-line key")

    @transaction.atomic
    def handle(self, *args, email: str, plan: str, name: str, **options) -> None:
        email = email.strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(email=email)
            self.stderr.write(f"Created user {email} with an organization of their own.")
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=user)
            .order_by("created_at", "pk")
            .first()
        )
        organization = membership.organization if membership else organization_create(owner=user)
        plan_grant(
            organization=organization,
            plan=plan,
            source=PlanChangeSource.MANUAL,
            note="create_api_key command",
        )
        _api_key, key = api_key_create(organization=organization, name=name, created_by=user)
        self.stderr.write(f"Organization “{organization.name}” is on the {plan} plan.")
        self.stdout.write(key)
