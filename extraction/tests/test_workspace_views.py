"""The clinician's pages through HTTP: workspace, htmx partial, errors, history, exports."""

import csv
import io
import json
from http import HTTPStatus

import pytest

from accounts.models import AuditEvent
from accounts.tests.factories import UserFactory
from billing.models import MonthlyUsage
from billing.quota import month_start
from extraction.models import Extraction

pytestmark = pytest.mark.django_db

NOTE = "A/P: follow-up. Seen 03/14/2025, phone 415-555-0134. Total time spent 25 minutes."


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _post(client, note=NOTE, htmx=False, **fields):
    data = {
        "note": note,
        "payer": "medicare",
        "patient_type": "established",
        "visit_type": "office",
        "specialty": "family_medicine",
        "phi_scrub": "on",
        **fields,
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post("/extract/", data, **headers)


def test_workspace_shows_the_api_defaults(signed_in):
    page = signed_in.get("/extract/").content.decode()
    assert '<option value="medicare" selected>' in page
    assert '<option value="established" selected>' in page
    assert '<option value="office" selected>' in page
    assert '<option value="family_medicine" selected>' in page
    assert 'name="phi_scrub"' in page
    assert "checked" in page
    assert "/ 50,000 characters" in page


def test_submitting_a_note_shows_codes_and_scrubbed_note(signed_in, organization):
    page = _post(signed_in).content.decode()
    assert "99213" in page
    assert "Copy all codes" in page
    assert "415-555-0134" not in page.split('id="scrubbed-note"')[1]
    extraction = Extraction.objects.get(organization=organization)
    assert extraction.source == "web"
    assert f"/history/{extraction.public_id}/export.csv" in page


def test_htmx_submit_returns_only_the_result_panel(signed_in):
    response = _post(signed_in, htmx=True)
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="result"')
    assert "<html" not in content
    assert "99213" in content


def test_empty_and_too_long_notes_are_explained(signed_in, organization):
    assert "Paste a note first." in _post(signed_in, note="   ", htmx=True).content.decode()
    too_long = _post(signed_in, note="a" * 50_001, htmx=True).content.decode()
    assert "longer than 50,000 characters" in too_long
    assert not Extraction.objects.filter(organization=organization).exists()


def test_quota_reached_message_has_reset_date_and_upgrade_link(signed_in, organization):
    MonthlyUsage.objects.create(organization=organization, period=month_start(), used=25)
    page = _post(signed_in, htmx=True).content.decode()
    assert "Monthly limit reached" in page
    assert "25 extractions" in page
    assert "resets on 1 " in page
    assert 'href="/pricing"' in page


def test_model_unavailable_is_explained_and_free(signed_in, organization, monkeypatch):
    from claimlens.api import ApplicationError

    class Busy:
        name = "claude"
        model = "claude-test"

        def extract(self, **kwargs):
            raise ApplicationError("model_unavailable", "busy", 503)

    monkeypatch.setattr("extraction.services.get_engine", lambda: Busy())
    page = _post(signed_in, htmx=True).content.decode()
    assert "The coding model is busy" in page
    assert "Nothing was counted" in page


def test_nothing_billable_is_said_plainly(signed_in):
    page = _post(signed_in, note="Patient called to ask about parking.", htmx=True).content.decode()
    assert "No billable codes found" in page


def test_history_lists_filters_and_searches_by_code(signed_in, organization):
    _post(signed_in, payer="medicaid")
    _post(signed_in, note="Total time spent 45 minutes.", payer="commercial")
    page = signed_in.get("/history/").content.decode()
    assert page.count("/history/") >= 2
    by_payer = signed_in.get("/history/?payer=medicaid").content.decode()
    assert "Medicaid" in by_payer
    assert "Commercial" not in by_payer.split("<tbody>")[1]
    by_code = signed_in.get("/history/?code=99215").content.decode()
    assert "99215" in by_code.split("<tbody>")[1]
    assert "99213" not in by_code.split("<tbody>")[1]
    assert "No extractions match" in signed_in.get("/history/?code=Z00").content.decode()


def test_history_makes_bounded_queries(signed_in, organization, django_assert_max_num_queries):
    for _ in range(30):
        _post(signed_in)
    with django_assert_max_num_queries(8):
        assert signed_in.get("/history/").status_code == HTTPStatus.OK


def test_detail_shows_the_past_result_and_records_the_view(signed_in, organization, user):
    _post(signed_in)
    extraction = Extraction.objects.get(organization=organization)
    page = signed_in.get(f"/history/{extraction.public_id}/").content.decode()
    assert "99213" in page
    assert AuditEvent.objects.filter(
        action="extraction.viewed", target_id=str(extraction.pk), actor=user
    ).exists()


def test_exports_as_csv_and_json(signed_in, organization):
    _post(signed_in)
    extraction = Extraction.objects.get(organization=organization)
    as_json = signed_in.get(f"/history/{extraction.public_id}/export.json")
    assert json.loads(as_json.content) == extraction.result
    as_csv = signed_in.get(f"/history/{extraction.public_id}/export.csv")
    assert as_csv["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0][:3] == ["type", "code", "descriptor"]
    assert rows[1][:2] == ["E/M", "99213"]
    assert signed_in.get(f"/history/{extraction.public_id}/export.xml").status_code == 404
    assert AuditEvent.objects.filter(action="extraction.exported").count() == 2


def test_another_organizations_extraction_is_404_on_every_page(client, organization, user):
    client.force_login(user)
    _post(client)
    extraction = Extraction.objects.get(organization=organization)
    outsider = UserFactory()
    client.force_login(outsider)
    for path in ("/", "/export.csv", "/export.json"):
        url = f"/history/{extraction.public_id}{path}"
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    assert str(extraction.public_id) not in client.get("/history/").content.decode()


def test_pages_need_a_login(client):
    assert client.get("/extract/").status_code == HTTPStatus.FOUND
    assert client.get("/history/").status_code == HTTPStatus.FOUND


def test_result_links_to_a_prefilled_benefits_check(signed_in):
    page = _post(
        signed_in, note="A/P: Essential hypertension, stable. Total time spent 25 minutes."
    )
    content = page.content.decode()
    assert "Check benefits for these codes" in content
    link = content.split('href="/inquiries/new/?')[1].split('"')[0].replace("&amp;", "&")
    form_page = signed_in.get(f"/inquiries/new/?{link}").content.decode()
    assert "99213" in form_page
    assert "I10" in form_page


def test_workspace_page_weighs_under_150_kb_transferred(signed_in, settings):
    """The page plus every script and stylesheet it loads, gzip-compressed as WhiteNoise
    serves them in production."""
    import gzip
    import re

    from django.contrib.staticfiles import finders

    page = _post(signed_in).content
    total = len(gzip.compress(page))
    assets = re.findall(rb'(?:src|href)="/static/([^"]+)"', page)
    assert any(a.endswith(b".js") for a in assets)
    for asset in assets:
        path = finders.find(asset.decode())
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total < 150_000, total


def test_workspace_and_keys_pages_make_bounded_queries(signed_in, django_assert_max_num_queries):
    for _ in range(5):
        _post(signed_in)
    with django_assert_max_num_queries(10):
        assert signed_in.get("/extract/").status_code == HTTPStatus.OK
    with django_assert_max_num_queries(10):
        assert signed_in.get("/dashboard/api-keys/").status_code == HTTPStatus.OK
