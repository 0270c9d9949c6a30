"""Reimbursement: work RVU per code, totals, conversion factor and payer factor."""

import pytest

from extraction.engines.rules import codebook
from extraction.engines.rules.reimbursement import estimate
from extraction.parameters import Payer
from extraction.result import CodeEntry

from .rules_helpers import entry, run


def test_codebook_entries_name_their_list_and_rvu_year():
    for code in codebook.procedure_codes().values():
        assert code.list_name in ("em_codes", "cpt_codes", "hcpcs_codes", "quality_codes")
        assert codebook.PROCEDURE_CODE_SHAPE.match(code.code)
    assert codebook.rvu_year() == 2025


@pytest.mark.parametrize(
    ("payer", "factor"), [(Payer.MEDICARE, 1.0), (Payer.MEDICAID, 0.66), (Payer.COMMERCIAL, 1.22)]
)
def test_amount_is_total_rvu_times_conversion_factor_times_payer_factor(payer, factor):
    entries = [CodeEntry("99214", "x"), CodeEntry("G2211", "x")]
    estimate_ = estimate(entries, payer=payer, facility=False)
    assert estimate_["total_rvu"] == pytest.approx(3.87 + 0.48)
    assert estimate_["conversion_factor"] == 32.3465
    assert estimate_["conversion_factor_year"] == 2025
    assert estimate_["payer_factor"] == factor
    assert estimate_["estimated_amount_usd"] == pytest.approx(round(4.35 * 32.3465 * factor, 2))


def test_units_multiply_and_unpriced_codes_are_listed():
    entries = [CodeEntry("G2212", "x", units=2), CodeEntry("J3301", "x", units=4)]
    estimate_ = estimate(entries, payer=Payer.MEDICARE, facility=False)
    assert estimate_["total_rvu"] == pytest.approx(1.92)
    assert estimate_["unpriced_codes"] == ["J3301"]


def test_facility_totals_for_emergency_department():
    estimate_ = estimate([CodeEntry("99214", "x")], payer=Payer.MEDICARE, facility=True)
    assert estimate_["total_rvu"] == pytest.approx(2.90)


def test_estimated_rvu_on_codes_is_the_work_rvu():
    result = run("A/P: Essential hypertension, stable - refill lisinopril 10 mg daily.\n")
    assert entry(result, "99213").estimated_rvu == 1.30
    assert result.reimbursement["total_rvu"] >= 2.75
