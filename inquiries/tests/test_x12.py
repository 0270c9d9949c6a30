"""X12 270/271: the request we build, the 271s that break other parsers, the results shape."""

import io

import pytest
import pyx12.x12file

from inquiries.providers import ProviderUnavailable
from inquiries.providers import x12 as x12_provider
from inquiries.x12 import MalformedX12, parse_271

pytestmark = pytest.mark.django_db

ISA = (
    "ISA*00*          *00*          *ZZ*PAYERID        *ZZ*SUBMITTERID    "
    "*240101*1200*^*00501*000000001*0*T*:~"
)
# The synthetic behavioural 271 of integrations.md §7.2 (no real data). Its
# "EB*F*IND*A6***22***VS*30**Y" line makes x12sdk 2.2 fail; pyx12's reader takes it.
BEHAVIOURAL_BODY = [
    "BHT*0022*11*TRACE123*20240101*1200",
    "HL*1**20*1",
    "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*12345",
    "HL*2*1*21*1",
    "NM1*1P*2*EXAMPLE THERAPY GROUP*****XX*1234567893",
    "HL*3*2*22*0",
    "TRN*2*TRACE123*9999999999",
    "NM1*IL*1*DOE*JANE****MI*W123456789",
    "DMG*D8*19800101*F",
    "DTP*346*D8*20240101",
    "EB*1*IND*30**PPO GOLD",
    "EB*C*IND*30***23*1500*****Y",
    "EB*C*IND*30***29*900*****Y",
    "EB*G*IND*30***23*5000*****Y",
    "EB*G*IND*30***29*4200*****Y",
    "EB*B*IND*MH^A6^CF***27*20*****Y",
    "EB*A*IND*MH^A6***27**.2***Y*N",
    "EB*F*IND*A6***22***VS*30**Y",
    "MSG*PRIOR AUTHORIZATION REQUIRED AFTER 20 VISITS",
    "EB*U*IND*MH",
    "LS*2120",
    "NM1*VN*2*EXAMPLE BEHAVIORAL HEALTH ADMIN*****PI*99999",
    "LE*2120",
]


def make_271(body: list[str]) -> str:
    segments = ["ST*271*0001*005010X279A1", *body]
    segments.append(f"SE*{len(segments) + 1}*0001")
    return "\n".join(
        [
            ISA,
            "GS*HB*PAYERID*SUBMITTERID*20240101*1200*1*X*005010X279A1~",
            *(segment + "~" for segment in segments),
            "GE*1*1~",
            "IEA*1*000000001~",
        ]
    )


def replace(body: list[str], old: str, new: list[str]) -> list[str]:
    index = body.index(old)
    return [*body[:index], *new, *body[index + 1 :]]


class ScriptedTransport:
    """Answers each 270 with the next scripted 271 (or raises it, if it is an exception)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[str] = []

    def exchange(self, request_270: str) -> str:
        self.requests.append(request_270)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def transport(monkeypatch):
    scripted = ScriptedTransport()
    monkeypatch.setattr(x12_provider, "default_transport", lambda: scripted)
    return scripted


@pytest.fixture
def x12_inquiry(make_inquiry, settings):
    settings.INQUIRY_PROVIDER = "x12"

    def make(**overrides):
        overrides.setdefault("benefits_codes", ["90834"])
        return make_inquiry(run_tasks=True, **overrides)

    return make


def read_segments(text: str) -> list[list[str]]:
    reader = pyx12.x12file.X12Reader(io.StringIO(text))
    rows = [segment.format().rstrip("~").split("*") for segment in reader]
    assert reader.pop_errors() == []  # counts and control numbers agree
    return rows


def test_270_round_trip_and_271_results(x12_inquiry, transport):
    transport.answers.append(make_271(BEHAVIOURAL_BODY))
    inquiry = x12_inquiry()

    rows = read_segments(transport.requests[0])
    by_id = {}
    for row in rows:
        by_id.setdefault(row[0], []).append(row)
    assert by_id["ST"][0][:2] == ["ST", "270"]
    assert by_id["GS"][0][-1] == "005010X279A1"
    subscriber = next(row for row in by_id["NM1"] if row[1] == "IL")
    assert subscriber[3:5] == ["MARTIN", "ALEX"]
    assert subscriber[-2:] == ["MI", "123456789"]
    provider = next(row for row in by_id["NM1"] if row[1] == "1P")
    assert provider[-2:] == ["XX", "1245319599"]
    assert by_id["DMG"][0] == ["DMG", "D8", "20200131"]
    assert [row[1] for row in by_id["EQ"]] == ["30", "A6", "MH"]
    assert ["REF", "6P", "123456"] in rows
    assert ["REF", "TJ", "123456789"] in rows

    inquiry.refresh_from_db()
    assert inquiry.status == "SUCCESS"
    results = inquiry.results
    assert results["plan_information"] == {
        "is_active": True,
        "plan_type": "PPO",
        "effective_date": "01-01-2024",
        "termination_date": None,
        "is_calendar_year_plan": True,
        "is_provider_in_network": None,
        "is_primary_insurance": None,
    }
    maximums = results["maximums"]
    assert maximums["individual_deductible"] == "1500"
    assert maximums["individual_deductible_used"] == "600"
    assert maximums["individual_out_of_pocket_maximum"] == "5000"
    assert maximums["individual_out_of_pocket_maximum_used"] == "800"
    assert maximums["family_deductible"] is None
    [code] = results["procedure_codes"]
    assert code["procedure_code"] == "90834"
    assert code["is_covered"] is True
    assert code["copay_amount"] == "20"
    assert code["coinsurance_percentage"] is None  # the 20% is out of network only
    assert code["frequency_limitations"] == "30 visits per service year"
    assert code["prior_auth_info"] == "PRIOR AUTHORIZATION REQUIRED AFTER 20 VISITS"
    assert "Out of network: 20% coinsurance." in code["more_info"]
    assert "EXAMPLE BEHAVIORAL HEALTH ADMIN" in code["more_info"]
    assert results["call_details"]["reference_number"] == "TRACE123"


def test_subscriber_level_aaa_ends_failed_with_a_plain_summary(x12_inquiry, transport):
    # AAA*Y**75*C at the subscriber level is the other 271 that x12sdk cannot read.
    body = replace(BEHAVIOURAL_BODY, "DMG*D8*19800101*F", ["AAA*Y**75*C"])
    body = body[: body.index("DTP*346*D8*20240101")]
    transport.answers.append(make_271(body))
    inquiry = x12_inquiry()
    inquiry.refresh_from_db()
    assert inquiry.status == "FAILED"
    assert inquiry.summary.startswith("The payer could not find the subscriber")
    assert inquiry.results is None


def test_aaa_42_is_retried_then_succeeds(x12_inquiry, transport, monkeypatch):
    retried = make_271(
        replace(BEHAVIOURAL_BODY, "NM1*PR*2*EXAMPLE HEALTH PLAN*****PI*12345", ["AAA*Y**42*R"])
    )
    transport.answers += [retried, make_271(BEHAVIOURAL_BODY)]
    inquiry = x12_inquiry()
    inquiry.refresh_from_db()
    assert inquiry.status == "SUCCESS"
    assert len(transport.requests) == 2


@pytest.mark.parametrize(
    "answer",
    [
        "this is not x12",
        make_271(BEHAVIOURAL_BODY).replace("ST*271", "ST*999"),
        x12_provider.TransportError("timeout"),
    ],
)
def test_unreadable_or_missing_271_is_retryable(x12_inquiry, transport, settings, answer):
    settings.INQUIRY_MAX_RETRIES = 1
    transport.answers += [answer, answer]
    inquiry = x12_inquiry()
    inquiry.refresh_from_db()
    assert inquiry.status == "FAILED"
    assert len(transport.requests) == 2  # first try and one retry


def test_inactive_plan():
    body = replace(BEHAVIOURAL_BODY, "EB*1*IND*30**PPO GOLD", ["EB*6*IND*30"])
    outcome = x12_provider.outcome_from_271(parse_271(make_271(body)), benefits_codes=[])
    assert outcome.results["plan_information"]["is_active"] is False
    assert outcome.summary == "The plan is not active."


def test_other_delimiters_and_plan_period_range():
    body = replace(BEHAVIOURAL_BODY, "DTP*346*D8*20240101", ["DTP*291*RD8*20240101-20241231"])
    text = make_271(body).replace("*", "|")
    outcome = x12_provider.outcome_from_271(parse_271(text), benefits_codes=["90834"])
    plan = outcome.results["plan_information"]
    assert (plan["effective_date"], plan["termination_date"]) == ("01-01-2024", "12-31-2024")
    assert outcome.results["procedure_codes"][0]["copay_amount"] == "20"


def test_delimiters_in_patient_data_cannot_break_the_270(make_inquiry):
    inquiry = make_inquiry(patient_name="Jo*hn~ O'Br:ien^", member_id="AB*12~34")
    text = x12_provider.build_270(
        x12_provider.eligibility_request(inquiry), envelope=x12_provider.envelope_for(inquiry)
    )
    rows = read_segments(text)
    subscriber = next(row for row in rows if row[:2] == ["NM1", "IL"])
    assert subscriber[3:5] == ["O'BRIEN", "JOHN"]
    assert subscriber[-1] == "AB1234"


def test_http_transport_against_a_local_endpoint(fake_server, settings, make_inquiry):
    settings.X12_ENDPOINT_URL = fake_server.url + "/x12"
    fake_server.respond(200, body=make_271(BEHAVIOURAL_BODY), content_type="application/edi-x12")
    fake_server.respond(503, body="busy")
    provider = x12_provider.X12Provider()
    inquiry = make_inquiry(benefits_codes=["90834"])

    assert provider.submit(inquiry).status == "SUCCESS"
    sent = fake_server.requests[0]
    assert sent.headers["Content-Type"] == "application/edi-x12"
    assert sent.body.startswith(b"ISA*00")
    with pytest.raises(ProviderUnavailable):
        provider.submit(inquiry)


def test_parse_refuses_non_x12():
    with pytest.raises(MalformedX12):
        parse_271("")


def test_control_numbers_fit_the_envelope(make_inquiry):
    inquiry = make_inquiry()
    envelope = x12_provider.envelope_for(inquiry)
    assert 0 <= envelope.control_number < 1_000_000_000
