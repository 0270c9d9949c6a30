"""Sandbox provider: deterministic answers keyed by test member ids, like test card numbers.

Nothing leaves the machine. Any member id not listed answers as an active PPO plan with the
provider in network. The ids are documented in docs/inquiries.md; keep the two in step.
"""

import hashlib
from datetime import date

from django.utils import timezone

from inquiries.models import Inquiry, Status
from inquiries.procedures import short_label
from inquiries.providers.base import Outcome, ProviderUnavailable
from inquiries.results import build_results, format_call_end_time, format_date

MEMBER_ACTIVE_PPO = "CLTEST0001"
MEMBER_INACTIVE = "CLTEST0002"
MEMBER_PRIOR_AUTH = "CLTEST0003"
MEMBER_NOT_COVERED = "CLTEST0004"
MEMBER_UNREACHABLE = "CLTEST0005"
MEMBER_OUT_OF_NETWORK = "CLTEST0006"

SUCCESS_SUMMARY = "Benefits retrieved successfully."


class SandboxProvider:
    name = "sandbox"

    def submit(self, inquiry: Inquiry) -> Outcome:
        member = inquiry.member_id.strip().upper()
        if member == MEMBER_UNREACHABLE:
            raise ProviderUnavailable("sandbox payer unreachable")
        scenario = _SCENARIOS.get(member, _active_ppo)
        summary, results = scenario(inquiry)
        return Outcome(status=Status.SUCCESS, summary=summary, results=results)

    def poll(self, inquiry: Inquiry) -> Outcome:
        return Outcome()


def _call_details(inquiry: Inquiry) -> dict:
    digest = hashlib.sha256(str(inquiry.pk).encode()).hexdigest()
    return {
        "call_end_time": format_call_end_time(timezone.now()),
        "representative_name": "Sandbox Representative",
        "reference_number": str(int(digest[:12], 16) % 10_000_000).zfill(7),
    }


def _plan(*, active: bool = True, in_network: bool = True) -> dict:
    year = timezone.now().year
    return {
        "is_active": active,
        "plan_type": "PPO",
        "effective_date": format_date(date(year - 1 if active else year - 3, 1, 1)),
        "termination_date": None if active else format_date(date(year - 1, 12, 31)),
        "is_calendar_year_plan": True,
        "is_provider_in_network": in_network,
        "is_primary_insurance": True,
    }


MAXIMUMS = {
    "individual_deductible": "100",
    "individual_deductible_used": "80",
    "individual_out_of_pocket_maximum": "1000",
    "individual_out_of_pocket_maximum_used": "800",
    "family_deductible": "200",
    "family_deductible_used": "100",
    "family_out_of_pocket_maximum": "2000",
    "family_out_of_pocket_maximum_used": "1000",
}


def _codes(inquiry: Inquiry, **values) -> list[dict]:
    covered = {
        "is_covered": True,
        "is_prior_auth_required": False,
        "prior_auth_info": None,
        "is_deductible_waived": False,
        "copay_amount": "20.00",
        "coinsurance_percentage": "20",
        "frequency_limitations": None,
        "more_info": None,
    }
    return [
        {"procedure_code": code, "procedure_name": short_label(code), **covered, **values}
        for code in inquiry.benefits_codes
    ]


def _active_ppo(inquiry: Inquiry) -> tuple[str, dict]:
    return SUCCESS_SUMMARY, build_results(
        call_details=_call_details(inquiry),
        plan_information=_plan(),
        maximums=MAXIMUMS,
        procedure_codes=_codes(inquiry),
    )


def _out_of_network(inquiry: Inquiry) -> tuple[str, dict]:
    return "Benefits retrieved: the provider is out of network.", build_results(
        call_details=_call_details(inquiry),
        plan_information=_plan(in_network=False),
        maximums=MAXIMUMS,
        procedure_codes=_codes(
            inquiry,
            copay_amount=None,
            coinsurance_percentage="40",
            more_info="Out-of-network benefits apply.",
        ),
    )


def _inactive(inquiry: Inquiry) -> tuple[str, dict]:
    return "The plan is not active.", build_results(
        call_details=_call_details(inquiry),
        plan_information=_plan(active=False),
        procedure_codes=_codes(
            inquiry,
            is_covered=False,
            copay_amount=None,
            coinsurance_percentage=None,
            is_deductible_waived=None,
            more_info="Coverage terminated.",
        ),
    )


def _prior_auth(inquiry: Inquiry) -> tuple[str, dict]:
    return SUCCESS_SUMMARY, build_results(
        call_details=_call_details(inquiry),
        plan_information=_plan(),
        maximums=MAXIMUMS,
        procedure_codes=_codes(
            inquiry,
            is_prior_auth_required=True,
            prior_auth_info="Call the plan's utilization management line before the visit.",
            frequency_limitations="Two visits per week",
        ),
    )


def _not_covered(inquiry: Inquiry) -> tuple[str, dict]:
    return "Benefits retrieved: the requested services are not covered.", build_results(
        call_details=_call_details(inquiry),
        plan_information=_plan(),
        maximums=MAXIMUMS,
        procedure_codes=_codes(
            inquiry,
            is_covered=False,
            copay_amount=None,
            coinsurance_percentage=None,
            more_info="Excluded under the member's plan.",
        ),
    )


_SCENARIOS = {
    MEMBER_ACTIVE_PPO: _active_ppo,
    MEMBER_INACTIVE: _inactive,
    MEMBER_PRIOR_AUTH: _prior_auth,
    MEMBER_NOT_COVERED: _not_covered,
    MEMBER_OUT_OF_NETWORK: _out_of_network,
}
