"""The API reference, checked from outside: ``scripts/api_contract.py`` against a live server.

The script knows only the reference document and speaks HTTP; here it gets a real server
(pytest-django's ``live_server``) and the keys its checks need. The two failures a consumer
cannot cause on purpose, a model reply that cannot be parsed (502) and an unexpected error
(500), are staged server-side and checked with the same client and the same error rules.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

from billing.models import MonthlyUsage
from billing.plans import Plan, limits_for
from billing.quota import month_start, usage_snapshot
from billing.services import plan_grant
from extraction.tests.fake_anthropic import text_reply

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "api_contract.py"
spec = importlib.util.spec_from_file_location("api_contract", SCRIPT)
contract = sys.modules["api_contract"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(contract)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api(live_server, pro_organization, api_key, other_organization, make_api_key):
    free_key = make_api_key(other_organization)
    exhausted = plan_grant(organization=_new_organization(), plan=Plan.PRACTICE)
    MonthlyUsage.objects.create(
        organization=exhausted,
        period=month_start(),
        used=limits_for(Plan.PRACTICE).monthly_extractions,
    )
    return contract.Api(
        live_server.url,
        api_key,
        free_key=free_key,
        exhausted_key=make_api_key(exhausted),
    )


def _new_organization():
    from accounts.tests.factories import OrganizationFactory

    return OrganizationFactory()


@pytest.mark.parametrize("check", list(contract.CHECKS))
def test_reference_behaviour(api, check):
    contract.CHECKS[check](api)


def test_no_check_is_skipped_here(api):
    assert [name for name, outcome in contract.run(api) if outcome == "skipped"] == []


def test_unparseable_model_reply_is_502_parse_error_and_free(api, fake_anthropic, pro_organization):
    for _ in range(4):  # the first reply and the repair turn, with a retry's worth to spare
        fake_anthropic.script(text_reply("I cannot help with that."))
    contract.expect_error(api.extract(), 502, "parse_error")
    assert usage_snapshot(organization=pro_organization).used == 0


def test_unexpected_error_is_500_internal_error_and_free(api, monkeypatch, pro_organization):
    def broken(**kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr("extraction.services.post_validate", broken)
    contract.expect_error(api.extract(), 500, "internal_error")
    assert usage_snapshot(organization=pro_organization).used == 0
