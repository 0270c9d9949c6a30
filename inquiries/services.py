"""Write workflows for benefits inquiries.

The status of an inquiry changes only in :func:`inquiry_transition`. Fulfilment is a Celery task
(``inquiries.tasks``) that calls :func:`inquiry_submit` and :func:`inquiry_poll`; the task owns
retries, these functions own the rules. Logs carry ids, statuses and reasons, never patient data.
"""

import json
import logging
import secrets
import time
from datetime import date, datetime, timedelta
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import Organization, User
from accounts.services import audit_record
from claimlens.api import ApplicationError
from claimlens.queueing import enqueue
from inquiries import tasks
from inquiries.callbacks import callback_payload, signature_header
from inquiries.http import TransportError, http_request
from inquiries.models import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    CallbackDelivery,
    Inquiry,
    InquirySettings,
    InquiryTransition,
    Provider,
    Status,
)
from inquiries.providers import Outcome, get_provider
from inquiries.providers.healthharbor import outcome_from_upstream
from inquiries.results import build_results

logger = logging.getLogger(__name__)

RECONCILE_SUBMIT_AFTER = timedelta(minutes=10)
RECONCILE_POLL_AFTER = timedelta(hours=2)  # the poll backoff is capped at one hour
# Completion callbacks whose chain stopped (task lost with the broker's queue) are resumed for
# this long after the inquiry finished; a receiver that was told nothing for days is stale.
RECONCILE_CALLBACKS_WITHIN = timedelta(days=2)


class InvalidTransition(ApplicationError):
    def __init__(self, *, inquiry: Inquiry, from_status: str, to_status: str) -> None:
        super().__init__(
            "invalid_transition",
            f"Inquiry {inquiry.pk} is {from_status} and cannot become {to_status}.",
            HTTPStatus.CONFLICT,
        )
        self.from_status = from_status
        self.to_status = to_status


# ---------------------------------------------------------------------------------------------
# Creation and the state machine
# ---------------------------------------------------------------------------------------------
def inquiry_provider_for(*, organization: Organization) -> str:
    """The organization's own provider if it has one, else the INQUIRY_PROVIDER setting."""
    chosen = (
        InquirySettings.objects.filter(organization=organization)
        .values_list("provider", flat=True)
        .first()
    )
    return chosen or settings.INQUIRY_PROVIDER


@transaction.atomic
def inquiry_create(
    *,
    organization: Organization,
    created_by: User | None,
    source: str,
    line: str,
    type: str,
    desired_completion_date: date,
    patient_name: str,
    dob: date,
    member_id: str,
    insurance: str,
    npi: str,
    benefits_query: str | list[str],
    benefits_codes: list[str] | None = None,
    group_id: str = "",
    insurance_in_network: bool | None = None,
    tax_id: str = "",
    external_id: str = "",
    diagnosis_codes: list[str] | None = None,
    claims_date_of_service: date | None = None,
    claim_number: str = "",
    is_specialist: bool | None = None,
    place_of_service: str = "",
) -> Inquiry:
    """Store a validated inquiry as PENDING and queue its fulfilment after commit."""
    inquiry = Inquiry.objects.create(
        organization=organization,
        created_by=created_by,
        line=line,
        provider=inquiry_provider_for(organization=organization),
        type=type,
        desired_completion_date=desired_completion_date,
        patient_name=patient_name,
        dob=dob.isoformat(),
        member_id=member_id,
        group_id=group_id,
        insurance=insurance,
        insurance_in_network=insurance_in_network,
        npi=npi,
        tax_id=tax_id,
        external_id=external_id,
        diagnosis_codes=list(diagnosis_codes or []),
        claims_date_of_service=claims_date_of_service,
        claim_number=claim_number,
        is_specialist=is_specialist,
        place_of_service=place_of_service,
        benefits_query=benefits_query,
        benefits_codes=list(benefits_codes or []),
    )
    audit_record(
        organization=organization,
        actor=created_by,
        action="inquiry.created",
        target=inquiry,
        detail={"source": source, "provider": inquiry.provider, "line": line},
    )
    inquiry_id = str(inquiry.pk)
    # A broker outage leaves the stored inquiry PENDING for inquiry_reconcile (enqueue);
    # robust=True keeps any other surprise in the callback from becoming a 500 after commit.
    transaction.on_commit(lambda: enqueue(tasks.inquiry_fulfill, inquiry_id), robust=True)
    return inquiry


@transaction.atomic
def inquiry_transition(
    *,
    inquiry: Inquiry,
    to_status: str,
    source: str,
    actor: User | None = None,
    note: str = "",
    summary: str | None = None,
    results: dict[str, Any] | None = None,
) -> bool:
    """Move an inquiry to ``to_status`` if the state machine allows it, and record the move.

    The row is locked first, so two workers cannot both move it. Moving an open inquiry to the
    state it is already in changes nothing and returns False; a move the machine forbids,
    including any move out of a final state, raises :class:`InvalidTransition` (409). Reaching a
    final state queues the completion callback.
    """
    locked = Inquiry.objects.select_for_update().only("id", "status", "organization_id")
    locked = locked.get(pk=inquiry.pk)
    from_status = locked.status
    if to_status == from_status and from_status not in FINAL_STATUSES:
        return False
    if to_status not in ALLOWED_TRANSITIONS[from_status]:
        raise InvalidTransition(inquiry=inquiry, from_status=from_status, to_status=to_status)

    changes: dict[str, Any] = {"status": to_status}
    if summary is not None:
        changes["summary"] = summary[:500]
    if results is not None:
        changes["results"] = results
    if to_status in FINAL_STATUSES:
        changes["completed_at"] = timezone.now()
    if to_status == Status.PENDING:
        changes["claimed_by"] = None
    for name, value in changes.items():
        setattr(locked, name, value)
        setattr(inquiry, name, value)
    locked.save(update_fields=[*changes, "updated_at"])

    transition = InquiryTransition.objects.create(
        inquiry_id=locked.pk,
        from_status=from_status,
        to_status=to_status,
        source=source,
        actor=actor,
        note=note[:200],
    )
    logger.info("inquiry %s %s -> %s (%s)", locked.pk, from_status, to_status, source)
    if to_status in FINAL_STATUSES and callback_configured(organization_id=locked.organization_id):
        transaction.on_commit(lambda: enqueue(tasks.callback_deliver, transition.pk), robust=True)
    return True


def inquiry_cancel(*, inquiry: Inquiry, source: str, actor: User | None = None) -> Inquiry:
    """Cancel an open inquiry; a final one answers 409. Upstreams are not told (none can be)."""
    inquiry_transition(inquiry=inquiry, to_status=Status.CANCELLED, source=source, actor=actor)
    return inquiry


def inquiry_record_view(*, inquiry: Inquiry, actor: User | None, via: str, **detail: Any) -> None:
    """Audit that someone looked at an inquiry's detail (PHI access)."""
    audit_record(
        organization=inquiry.organization,
        actor=actor,
        action="inquiry.viewed",
        target=inquiry,
        detail={"via": via, **detail},
    )


# ---------------------------------------------------------------------------------------------
# Fulfilment (called by inquiries.tasks, which owns the retries)
# ---------------------------------------------------------------------------------------------
def inquiry_apply_outcome(*, inquiry: Inquiry, outcome: Outcome, source: str) -> None:
    """Store what a provider said and move the inquiry forward.

    Upstream news can arrive late or out of order (a poll and a webhook racing): a status the
    machine does not allow from where the inquiry stands is logged and ignored, never an error.
    """
    bookkeeping = {}
    if outcome.reference and outcome.reference != inquiry.provider_reference:
        bookkeeping["provider_reference"] = outcome.reference
    if outcome.vendor_status and outcome.vendor_status != inquiry.vendor_status:
        bookkeeping["vendor_status"] = outcome.vendor_status
    if bookkeeping:
        Inquiry.objects.filter(pk=inquiry.pk).update(**bookkeeping, updated_at=timezone.now())
        for name, value in bookkeeping.items():
            setattr(inquiry, name, value)

    if outcome.status is None or outcome.status == inquiry.status:
        return
    try:
        inquiry_transition(
            inquiry=inquiry,
            to_status=outcome.status,
            source=source,
            summary=outcome.summary or None,
            results=outcome.results,
        )
    except InvalidTransition as exc:
        logger.info(
            "inquiry %s: ignoring %s -> %s from %s",
            inquiry.pk,
            exc.from_status,
            exc.to_status,
            source,
        )


def inquiry_submit(*, inquiry_id: str) -> Outcome | None:
    """Hand a PENDING inquiry to its provider, once.

    The row stays locked while the provider answers, so a task delivered twice waits and then
    finds ``submitted_at`` set and does nothing: one inquiry is never sent upstream twice. If the
    provider raises, nothing is written and the task retries.
    """
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry_id)
        if inquiry.is_final or inquiry.submitted_at is not None:
            logger.info("inquiry %s: already submitted or final, nothing to do", inquiry.pk)
            return None
        provider = get_provider(inquiry.provider)
        outcome = provider.submit(inquiry)
        inquiry.submitted_at = timezone.now()
        inquiry.save(update_fields=["submitted_at", "updated_at"])
        inquiry_apply_outcome(inquiry=inquiry, outcome=outcome, source=provider.name)
    return outcome


def inquiry_poll(*, inquiry_id: str) -> bool:
    """Ask an asynchronous upstream about an open inquiry; True while it is still open."""
    inquiry = Inquiry.objects.get(pk=inquiry_id)
    if inquiry.is_final:
        return False
    if not inquiry.provider_reference:
        logger.warning("inquiry %s: nothing to poll (no upstream id)", inquiry.pk)
        return False
    provider = get_provider(inquiry.provider)
    Inquiry.objects.filter(pk=inquiry.pk).update(last_polled_at=timezone.now())
    outcome = provider.poll(inquiry)
    inquiry_apply_outcome(inquiry=inquiry, outcome=outcome, source=f"{provider.name}:poll")
    return not inquiry.is_final


def inquiry_reconcile(
    *, now: datetime | None = None, submit_after: timedelta = RECONCILE_SUBMIT_AFTER
) -> dict[str, int]:
    """Re-queue work whose task was lost (broker down at creation, a Redis restart that lost
    its queue, a worker that died, a polling chain that ran out): PENDING inquiries never handed
    over after ``submit_after``, and open upstream inquiries not polled for
    ``RECONCILE_POLL_AFTER`` (longer than the longest poll backoff, so a live polling chain is
    never doubled). Both tasks are idempotent, so a shorter ``submit_after`` (after an outage)
    costs only duplicate no-op tasks. Run by ``manage.py reconcile_inquiries``."""
    now = now or timezone.now()
    unsubmitted = list(
        Inquiry.objects.filter(
            status=Status.PENDING,
            submitted_at__isnull=True,
            created_at__lt=now - submit_after,
        ).values_list("pk", flat=True)
    )
    unpolled = list(
        Inquiry.objects.open()
        .filter(provider=Provider.HEALTHHARBOR)
        .exclude(provider_reference="")
        .filter(
            Q(last_polled_at__isnull=True, submitted_at__lt=now - RECONCILE_POLL_AFTER)
            | Q(last_polled_at__lt=now - RECONCILE_POLL_AFTER)
        )
        .values_list("pk", flat=True)
    )
    callbacks = _stalled_callbacks(now=now, after=submit_after)
    for pk in unsubmitted:
        tasks.inquiry_fulfill.delay(str(pk))
    for pk in unpolled:
        tasks.inquiry_poll.delay(str(pk))
    for transition_id, next_attempt in callbacks:
        tasks.callback_deliver.delay(transition_id, next_attempt)
    if unsubmitted or unpolled or callbacks:
        logger.info(
            "reconcile: %d to submit, %d to poll, %d callbacks",
            len(unsubmitted),
            len(unpolled),
            len(callbacks),
        )
    return {"submitted": len(unsubmitted), "polled": len(unpolled), "callbacks": len(callbacks)}


def _stalled_callbacks(*, now: datetime, after: timedelta) -> list[tuple[int, int]]:
    """Completion callbacks whose chain stopped: (transition id, next attempt).

    A final transition of an organization with a callback URL, finished more than ``after``
    ago (within ``RECONCILE_CALLBACKS_WITHIN``), with no 2xx delivery, attempts left, and no
    attempt for ``after`` either (longer than the callback backoff, so a live retry chain is
    not doubled). A receiver may then see an event twice; it deduplicates on the event id.
    """
    finished = InquiryTransition.objects.filter(
        to_status__in=FINAL_STATUSES,
        created_at__gte=now - RECONCILE_CALLBACKS_WITHIN,
        created_at__lt=now - after,
        inquiry__organization__inquiry_settings__callback_url__gt="",
    ).values_list("pk", flat=True)
    events = {callback_event_id(pk): pk for pk in finished}
    if not events:
        return []
    history = (
        CallbackDelivery.objects.filter(event_id__in=events)
        .values("event_id")
        .annotate(
            last_attempt=Max("attempt"),
            last_at=Max("created_at"),
            delivered=Count("pk", filter=Q(status_code__gte=200, status_code__lt=300)),
        )
    )
    next_attempt = dict.fromkeys(events.values(), 1)
    for chain in history:
        pk = events[chain["event_id"]]
        attempts_left = chain["last_attempt"] < settings.INQUIRY_CALLBACK_MAX_ATTEMPTS
        if chain["delivered"] or not attempts_left or chain["last_at"] >= now - after:
            del next_attempt[pk]
        else:
            next_attempt[pk] = chain["last_attempt"] + 1
    return sorted(next_attempt.items())


def inquiry_fail(*, inquiry_id: str, summary: str, source: str, note: str = "") -> None:
    """End an inquiry FAILED (provider gave up or refused); a final inquiry is left alone."""
    inquiry = Inquiry.objects.get(pk=inquiry_id)
    if inquiry.is_final:
        return
    inquiry_transition(
        inquiry=inquiry, to_status=Status.FAILED, source=source, summary=summary, note=note
    )


# ---------------------------------------------------------------------------------------------
# Manual provider: staff call the payer and record what they heard
# ---------------------------------------------------------------------------------------------
def _require_manual(inquiry: Inquiry) -> None:
    if inquiry.provider != Provider.MANUAL:
        raise ApplicationError(
            "not_manual", "This inquiry is handled by another provider.", HTTPStatus.CONFLICT
        )


@transaction.atomic
def inquiry_claim(*, inquiry: Inquiry, actor: User) -> Inquiry:
    """A staff member takes a pending inquiry from the queue (PENDING → IN_PROGRESS)."""
    _require_manual(inquiry)
    inquiry_transition(
        inquiry=inquiry, to_status=Status.IN_PROGRESS, source="manual", actor=actor, note="claimed"
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(claimed_by=actor)
    inquiry.claimed_by = actor
    return inquiry


def inquiry_release(*, inquiry: Inquiry, actor: User) -> Inquiry:
    """Put a claimed inquiry back in the queue (IN_PROGRESS → PENDING)."""
    _require_manual(inquiry)
    inquiry_transition(
        inquiry=inquiry, to_status=Status.PENDING, source="manual", actor=actor, note="released"
    )
    return inquiry


def inquiry_record_call(
    *,
    inquiry: Inquiry,
    actor: User,
    call_details: dict[str, Any],
    plan_information: dict[str, Any],
    maximums: dict[str, Any],
    procedure_codes: list[dict[str, Any]],
    summary: str = "Benefits retrieved successfully.",
) -> Inquiry:
    """Complete a claimed inquiry with what the payer's representative said (→ SUCCESS)."""
    _require_manual(inquiry)
    results = build_results(
        call_details=call_details,
        plan_information=plan_information,
        maximums=maximums,
        procedure_codes=procedure_codes,
    )
    inquiry_transition(
        inquiry=inquiry,
        to_status=Status.SUCCESS,
        source="manual",
        actor=actor,
        summary=summary,
        results=results,
    )
    return inquiry


def inquiry_record_unreachable(*, inquiry: Inquiry, actor: User, summary: str) -> Inquiry:
    """Staff could not get an answer from the payer (→ FAILED)."""
    _require_manual(inquiry)
    inquiry_transition(
        inquiry=inquiry, to_status=Status.FAILED, source="manual", actor=actor, summary=summary
    )
    return inquiry


# ---------------------------------------------------------------------------------------------
# Completion callbacks to the organization's URL
# ---------------------------------------------------------------------------------------------
def callback_configured(*, organization_id: int) -> bool:
    return (
        InquirySettings.objects.filter(organization_id=organization_id)
        .exclude(callback_url="")
        .exists()
    )


@transaction.atomic
def inquiry_settings_update_callback(
    *, organization: Organization, callback_url: str, actor: User | None
) -> InquirySettings:
    """Set or clear the callback URL; a signing secret is made the first time one is set."""
    row, _created = InquirySettings.objects.get_or_create(organization=organization)
    row.callback_url = callback_url
    if callback_url and not row.callback_secret:
        row.callback_secret = _new_callback_secret()
    row.save(update_fields=["callback_url", "callback_secret", "updated_at"])
    audit_record(
        organization=organization,
        actor=actor,
        action="inquiry.callback_updated",
        target=row,
        detail={"callback_url": callback_url},
    )
    return row


@transaction.atomic
def inquiry_settings_rotate_secret(
    *, organization: Organization, actor: User | None
) -> InquirySettings:
    row, _created = InquirySettings.objects.get_or_create(organization=organization)
    row.callback_secret = _new_callback_secret()
    row.save(update_fields=["callback_secret", "updated_at"])
    audit_record(
        organization=organization, actor=actor, action="inquiry.callback_secret_rotated", target=row
    )
    return row


def _new_callback_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def callback_event_id(transition_id: int) -> str:
    """The event id a receiver deduplicates on: one per final transition, stable across
    attempts and resumed chains."""
    return f"evt_{transition_id}"


def callback_deliver(*, transition_id: int, attempt: int) -> CallbackDelivery | None:
    """POST one signed completion callback and log the attempt; None when none is configured."""
    transition = InquiryTransition.objects.select_related("inquiry").get(pk=transition_id)
    inquiry = transition.inquiry
    row = InquirySettings.objects.filter(organization_id=inquiry.organization_id).first()
    if row is None or not row.callback_url:
        return None
    event_id = callback_event_id(transition.pk)
    body = json.dumps(callback_payload(event_id=event_id, transition=transition)).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ClaimLens-Callbacks/1",
        "ClaimLens-Signature": signature_header(
            secret=row.callback_secret, timestamp=timestamp, body=body
        ),
        "ClaimLens-Event-Id": event_id,
    }
    started = time.monotonic()
    status_code, error = None, ""
    try:
        response = http_request(
            "POST",
            row.callback_url,
            body=body,
            headers=headers,
            timeout=settings.INQUIRY_CALLBACK_TIMEOUT_SECONDS,
            public_only=settings.INQUIRY_CALLBACKS_PUBLIC_ONLY,
        )
        status_code = response.status
    except TransportError as exc:
        error = exc.reason
    except ValueError:
        error = "invalid url"
    return CallbackDelivery.objects.create(
        inquiry=inquiry,
        event_id=event_id,
        url=row.callback_url,
        attempt=attempt,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


# ---------------------------------------------------------------------------------------------
# Health Harbor webhook
# ---------------------------------------------------------------------------------------------
def healthharbor_webhook_receive(*, payload: Any) -> int:
    """Apply a verified, batched Health Harbor update; returns how many inquiries it matched.

    Items for ids we do not know are skipped (logged by count); a repeated batch is harmless
    because a transition to the current status changes nothing.
    """
    items = payload.get("inquiries") if isinstance(payload, dict) else None
    if not isinstance(items, list):
        raise ApplicationError("invalid_payload", "Expected an object with an inquiries list.")
    updates = {str(item["id"]): item for item in items if isinstance(item, dict) and item.get("id")}
    inquiries = Inquiry.objects.filter(
        provider=Provider.HEALTHHARBOR, provider_reference__in=list(updates)
    ).only("id", "status", "provider_reference", "vendor_status", "organization_id")
    matched = 0
    for inquiry in inquiries:
        outcome = outcome_from_upstream(updates[inquiry.provider_reference], inquiry_id=inquiry.pk)
        inquiry_apply_outcome(inquiry=inquiry, outcome=outcome, source="healthharbor:webhook")
        matched += 1
    if matched < len(items):
        logger.info(
            "healthharbor webhook: %d of %d items unmatched", len(items) - matched, len(items)
        )
    return matched


def inquiry_fail_overdue(*, now: datetime | None = None) -> int:
    """End FAILED the open inquiries still unanswered ``INQUIRY_OVERDUE_GRACE_DAYS`` after the
    completion date the practice asked for: a stale benefit check is worse than none."""
    now = now or timezone.now()
    cutoff = (now - timedelta(days=settings.INQUIRY_OVERDUE_GRACE_DAYS)).date()
    overdue = list(
        Inquiry.objects.open()
        .filter(desired_completion_date__lt=cutoff)
        .values_list("pk", flat=True)
    )
    for pk in overdue:
        inquiry_fail(
            inquiry_id=pk,
            summary="No answer by the requested completion date.",
            source="deadline",
        )
    if overdue:
        logger.info("failed %d overdue inquiries", len(overdue))
    return len(overdue)
