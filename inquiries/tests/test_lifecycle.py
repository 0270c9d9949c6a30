"""The state machine and fulfilment through Celery (eager) with the sandbox and manual providers."""

from datetime import timedelta
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from claimlens.queueing import MAX_BACKOFF_SECONDS, backoff_seconds
from inquiries import services, tasks
from inquiries.models import ALLOWED_TRANSITIONS, FINAL_STATUSES, Inquiry, InquirySettings, Status
from inquiries.providers import sandbox
from inquiries.services import InvalidTransition, inquiry_submit, inquiry_transition
from inquiries.tests.conftest import SAMPLE_CREATE

pytestmark = pytest.mark.django_db


def statuses(inquiry) -> list[tuple[str, str, str]]:
    return list(inquiry.transitions.values_list("from_status", "to_status", "source"))


def test_every_state_is_in_the_machine_and_final_states_are_dead_ends():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)
    for final in FINAL_STATUSES:
        assert ALLOWED_TRANSITIONS[final] == frozenset()


def test_transition_records_from_to_time_and_source(make_inquiry, user):
    inquiry = make_inquiry()
    assert inquiry_transition(
        inquiry=inquiry, to_status=Status.IN_PROGRESS, source="test", actor=user, note="why"
    )
    transition = inquiry.transitions.get()
    assert (transition.from_status, transition.to_status) == ("PENDING", "IN_PROGRESS")
    assert transition.actor == user
    assert transition.source == "test"
    assert transition.created_at is not None
    assert Inquiry.objects.get(pk=inquiry.pk).status == "IN_PROGRESS"


def test_same_state_on_an_open_inquiry_is_a_no_op(make_inquiry):
    inquiry = make_inquiry()
    inquiry_transition(inquiry=inquiry, to_status=Status.IN_PROGRESS, source="test")
    assert not inquiry_transition(inquiry=inquiry, to_status=Status.IN_PROGRESS, source="test")
    assert inquiry.transitions.count() == 1


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([Status.SUCCESS], Status.PENDING),
        ([Status.FAILED], Status.SUCCESS),
        ([Status.CANCELLED], Status.CANCELLED),
        ([Status.IN_PROGRESS], Status.SCHEDULED),
    ],
)
def test_illegal_transitions_are_refused_with_409(make_inquiry, path, illegal):
    inquiry = make_inquiry()
    for step in path:
        inquiry_transition(inquiry=inquiry, to_status=step, source="test")
    with pytest.raises(InvalidTransition) as caught:
        inquiry_transition(inquiry=inquiry, to_status=illegal, source="test")
    assert caught.value.status == HTTPStatus.CONFLICT
    assert Inquiry.objects.get(pk=inquiry.pk).status == path[-1]
    assert inquiry.transitions.count() == len(path)


def test_create_enqueues_fulfilment_after_commit_with_the_id_only(
    bearer_client, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.inquiry_fulfill, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = bearer_client.post("/api/v1/inquiries", SAMPLE_CREATE, format="json")
    assert sent == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert sent == [(response.json()["inquiry_id"],)]


SCENARIOS = {
    sandbox.MEMBER_ACTIVE_PPO: (True, True, True, False),
    sandbox.MEMBER_INACTIVE: (False, None, False, False),
    sandbox.MEMBER_PRIOR_AUTH: (True, True, True, True),
    sandbox.MEMBER_NOT_COVERED: (True, True, False, False),
    sandbox.MEMBER_OUT_OF_NETWORK: (True, False, True, False),
    "ANY-OTHER-ID": (True, True, True, False),
}


@pytest.mark.parametrize(("member_id", "expected"), SCENARIOS.items())
def test_sandbox_lifecycle_end_to_end(
    bearer_client, django_capture_on_commit_callbacks, member_id, expected
):
    payload = {**SAMPLE_CREATE, "member_id": member_id.lower(), "benefits_codes": ["90834"]}
    with django_capture_on_commit_callbacks(execute=True):
        inquiry_id = bearer_client.post("/api/v1/inquiries", payload, format="json").json()[
            "inquiry_id"
        ]

    body = bearer_client.get(f"/api/v1/inquiries/{inquiry_id}").json()
    assert body["status"] == "SUCCESS"
    plan = body["results"]["plan_information"]
    code = body["results"]["procedure_codes"][0]
    is_active, in_network, covered, prior_auth = expected
    assert plan["is_active"] is is_active
    assert plan["is_provider_in_network"] is in_network if is_active else True
    assert code["procedure_code"] == "90834"
    assert code["is_covered"] is covered
    assert code["is_prior_auth_required"] is prior_auth
    assert statuses(Inquiry.objects.get(pk=inquiry_id)) == [("PENDING", "SUCCESS", "sandbox")]


def test_unreachable_payer_retries_with_backoff_then_fails(
    make_inquiry, settings, monkeypatch, caplog
):
    settings.INQUIRY_MAX_RETRIES = 3
    countdowns = []
    original_retry = tasks.inquiry_fulfill.retry

    def spy_retry(*args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return original_retry(*args, **kwargs)

    monkeypatch.setattr(tasks.inquiry_fulfill, "retry", spy_retry)
    inquiry = make_inquiry(member_id=sandbox.MEMBER_UNREACHABLE, run_tasks=True)

    inquiry.refresh_from_db()
    assert inquiry.status == "FAILED"
    assert inquiry.summary == "The payer could not be reached. Please try again later."
    assert countdowns == [30, 60, 120]
    assert statuses(inquiry) == [("PENDING", "FAILED", "worker")]
    assert inquiry.submitted_at is None  # never handed over
    assert "123456789" not in caplog.text
    assert sandbox.MEMBER_UNREACHABLE not in caplog.text


def test_backoff_is_exponential_and_capped():
    assert [backoff_seconds(30, n) for n in range(4)] == [30, 60, 120, 240]
    assert backoff_seconds(30, 20) == MAX_BACKOFF_SECONDS == 3600


def test_fulfilment_delivered_twice_submits_once(make_inquiry, monkeypatch):
    inquiry = make_inquiry()
    calls = []
    original = sandbox.SandboxProvider.submit
    monkeypatch.setattr(
        sandbox.SandboxProvider,
        "submit",
        lambda self, item: calls.append(item.pk) or original(self, item),
    )
    tasks.inquiry_fulfill.apply(args=[str(inquiry.pk)])
    tasks.inquiry_fulfill.apply(args=[str(inquiry.pk)])
    assert calls == [inquiry.pk]
    assert inquiry.transitions.count() == 1


def test_cancelled_before_fulfilment_is_not_submitted(make_inquiry):
    inquiry = make_inquiry()
    inquiry_transition(inquiry=inquiry, to_status=Status.CANCELLED, source="test")
    assert inquiry_submit(inquiry_id=str(inquiry.pk)) is None
    assert Inquiry.objects.get(pk=inquiry.pk).status == "CANCELLED"


def test_provider_comes_from_the_organization_then_the_setting(
    make_inquiry, pro_organization, settings
):
    settings.INQUIRY_PROVIDER = "manual"
    assert make_inquiry().provider == "manual"
    InquirySettings.objects.create(organization=pro_organization, provider="sandbox")
    assert make_inquiry().provider == "sandbox"


def test_manual_inquiry_waits_in_the_queue(make_inquiry, settings):
    settings.INQUIRY_PROVIDER = "manual"
    inquiry = make_inquiry(run_tasks=True)
    inquiry.refresh_from_db()
    assert inquiry.status == "PENDING"
    assert inquiry.submitted_at is not None


# ----------------------------------------------------------------------------------------------
# Reconciliation: work whose task was lost is queued again
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def queued(monkeypatch):
    sent = {"fulfill": [], "poll": []}
    monkeypatch.setattr(tasks.inquiry_fulfill, "delay", lambda *a: sent["fulfill"].append(a[0]))
    monkeypatch.setattr(tasks.inquiry_poll, "delay", lambda *a: sent["poll"].append(a[0]))
    return sent


def test_reconcile_requeues_lost_submissions_and_stale_polls(make_inquiry, queued, settings):
    now = timezone.now()
    lost = make_inquiry()
    fresh = make_inquiry()
    Inquiry.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=11))

    settings.INQUIRY_PROVIDER = "healthharbor"
    stale, live, done = (make_inquiry() for _ in range(3))
    Inquiry.objects.filter(pk__in=[stale.pk, live.pk, done.pk]).update(
        provider_reference="up-1", submitted_at=now - timedelta(hours=5)
    )
    Inquiry.objects.filter(pk=live.pk).update(last_polled_at=now - timedelta(minutes=50))
    Inquiry.objects.filter(pk=done.pk).update(status=Status.SUCCESS)

    assert services.inquiry_reconcile(now=now) == {"submitted": 1, "polled": 1, "callbacks": 0}
    assert queued == {"fulfill": [str(lost.pk)], "poll": [str(stale.pk)]}
    assert str(fresh.pk) not in queued["fulfill"]


def test_reconcile_command(make_inquiry, queued):
    out = StringIO()
    call_command("reconcile_inquiries", stdout=out)
    assert out.getvalue().strip() == "queued 0 to submit, 0 to poll, 0 callbacks"


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_creation_still_stores_the_inquiry(bearer_client, monkeypatch, caplog):
    def broker_down(*args):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.inquiry_fulfill, "delay", broker_down)
    payload = {**SAMPLE_CREATE, "diagnosis_codes": []}
    response = bearer_client.post("/api/v1/inquiries", payload, format="json")
    assert response.status_code == HTTPStatus.CREATED
    inquiry = Inquiry.objects.get(pk=response.json()["inquiry_id"])
    assert (inquiry.status, inquiry.submitted_at) == ("PENDING", None)
