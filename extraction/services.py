"""Extraction workflows: reserve quota, scrub, run the engine, validate, store."""

import datetime as dt
import logging
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.db import connection
from django.utils import timezone

from accounts.models import ApiKey, Organization, User
from billing.quota import Reservation, UsageSnapshot, next_reset, quota_release, quota_reserve
from billing.tasks import quota_release_later
from claimlens.api import DATABASE_UNAVAILABLE_ERRORS, ApplicationError
from claimlens.queueing import enqueue
from extraction.engines import get_engine
from extraction.engines.base import EngineAnswer
from extraction.engines.guardrails import apply_guardrails
from extraction.engines.rules import RulesEngine
from extraction.models import Extraction, ExtractionSource, ExtractionStatus
from extraction.parameters import ExtractionParameters
from extraction.phi import ScrubResult, scrub_note
from extraction.result import CODE_LISTS
from extraction.validation import post_validate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractionOutcome:
    extraction: Extraction
    body: dict[str, Any]
    usage: UsageSnapshot


def _iso_utc(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a "Z", as the API reference writes ``reset_at``."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _quota_exceeded(organization: Organization) -> ApplicationError:
    reset_at = next_reset()
    retry_after = max(int((reset_at - timezone.now()).total_seconds()), 1)
    return ApplicationError(
        "rate_limit_exceeded",
        f"Monthly extraction limit reached for the {organization.plan} plan. "
        "The counter resets on the 1st of next month (UTC).",
        HTTPStatus.TOO_MANY_REQUESTS,
        extra={"reset_at": _iso_utc(reset_at)},
        headers={"Retry-After": str(retry_after)},
    )


def _codes_of(result: dict[str, Any]) -> str:
    codes = [entry["code"] for name in CODE_LISTS for entry in result[name]]
    return f" {' '.join(codes)} " if codes else ""


def _store(
    *,
    organization: Organization,
    source: str,
    user: User | None,
    api_key: ApiKey | None,
    parameters: ExtractionParameters,
    phi_scrub: bool,
    scrubbed: ScrubResult,
    note_chars: int,
    started: float,
    answer: EngineAnswer | None = None,
    result: dict[str, Any] | None = None,
    error_code: str = "",
) -> Extraction:
    engine = get_engine()
    return Extraction.objects.create(
        organization=organization,
        user=user if user is not None and user.is_authenticated else None,
        api_key=api_key,
        source=source,
        **parameters.as_dict(),
        phi_scrubbed=phi_scrub,
        engine=answer.engine if answer else engine.name,
        model=answer.model if answer else getattr(engine, "model", ""),
        status=ExtractionStatus.FAILED if error_code else ExtractionStatus.SUCCEEDED,
        error_code=error_code,
        latency_ms=round((time.perf_counter() - started) * 1000),
        note_chars=note_chars,
        scrubbed_note=scrubbed.scrubbed_note,
        result=result,
        codes=_codes_of(result) if result else "",
    )


def _usage(reservation: Reservation, plan: str) -> UsageSnapshot:
    return UsageSnapshot(
        plan=plan, limit=reservation.limit, used=reservation.used, reset_at=next_reset()
    )


def _failure_code(error: Exception) -> str:
    if isinstance(error, ApplicationError):
        return error.code
    if isinstance(error, DATABASE_UNAVAILABLE_ERRORS):
        return "service_unavailable"
    return "internal_error"


def _release_after_failure(reservation: Reservation, error: Exception) -> None:
    """Give the unit back. After a lost connection the release runs on a fresh one; if the
    database is still away, a worker retries it until it is back (billing.tasks), so a
    database outage costs no quota either. Only with the broker down too is a unit kept, and
    that is logged (without the note) for an operator to credit."""
    try:
        if isinstance(error, DATABASE_UNAVAILABLE_ERRORS) and not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()  # reconnects on the next query
        quota_release(organization_id=reservation.organization_id, period=reservation.period)
    except DATABASE_UNAVAILABLE_ERRORS as release_error:
        queued = enqueue(
            quota_release_later, reservation.organization_id, reservation.period.isoformat()
        )
        logger.error(
            "quota unit release %s: %s (org %s, period %s)",
            "left to the worker" if queued else "lost, the broker is away too",
            type(release_error).__name__,
            reservation.organization_id,
            reservation.period.isoformat(),
        )


def _record_failure(context: dict[str, Any], *, scrubbed: ScrubResult, code: str) -> None:
    """Store the failed attempt for the history, never masking the original failure."""
    try:
        _store(**context, scrubbed=scrubbed, error_code=code)
    except Exception as store_error:
        logger.error(
            "could not record a failed extraction: %s (org %s)",
            type(store_error).__name__,
            context["organization"].pk,
        )


def extraction_run(
    *,
    organization: Organization,
    note: str,
    parameters: ExtractionParameters,
    phi_scrub: bool = True,
    source: str = ExtractionSource.API,
    user: User | None = None,
    api_key: ApiKey | None = None,
) -> ExtractionOutcome:
    """Code one note for an organization, within its monthly quota.

    One unit is reserved before any work (a single conditional UPDATE, exact under
    concurrency: billing.quota) and released if anything after it fails, so a failed request
    consumes nothing. The raw note is neither stored nor logged: storage keeps the scrubbed
    note, encrypted, whatever ``phi_scrub`` says.
    """
    reservation = quota_reserve(organization=organization)
    if reservation is None:
        raise _quota_exceeded(organization)
    started = time.perf_counter()
    scrubbed = ScrubResult(scrubbed_note="", redactions=[])
    context = {
        "organization": organization,
        "source": source,
        "user": user,
        "api_key": api_key,
        "parameters": parameters,
        "phi_scrub": phi_scrub,
        "note_chars": len(note),
        "started": started,
    }
    try:
        scrubbed = scrub_note(note)
        engine_note = scrubbed.scrubbed_note if phi_scrub else note
        answer = get_engine().extract(note=engine_note, parameters=parameters)
        checked = answer.result
        if answer.engine != RulesEngine.name:
            # Every model answer is re-checked by the rule engine's knowledge.
            checked = apply_guardrails(checked, note=engine_note, parameters=parameters)
        result = post_validate(checked, note=engine_note).to_dict()
        extraction = _store(**context, scrubbed=scrubbed, answer=answer, result=result)
    except Exception as error:
        code = _failure_code(error)
        logger.warning("extraction failed: %s (org %s)", code, organization.pk)
        _release_after_failure(reservation, error)
        _record_failure(context, scrubbed=scrubbed, code=code)
        raise

    usage = _usage(reservation, organization.plan)
    meta = {
        "model": answer.model,
        **parameters.as_dict(),
        "phi_scrubbed": phi_scrub,
        "engine": answer.engine,
        "request_id": str(extraction.public_id),
        "usage": {
            "limit": usage.limit,
            "used": usage.used,
            "remaining": usage.remaining,
            "reset_at": _iso_utc(usage.reset_at),
        },
    }
    return ExtractionOutcome(
        extraction=extraction, body={"result": result, "meta": meta}, usage=usage
    )


def note_scrub(*, note: str) -> dict[str, Any]:
    """``POST /api/v1/scrub``: the scrubbed note and where each identifier was."""
    scrubbed = scrub_note(note)
    return {
        "scrubbed_note": scrubbed.scrubbed_note,
        "redactions": [
            {"kind": r.kind, "start": r.start, "end": r.end} for r in scrubbed.redactions
        ],
    }


def extraction_purge_expired_notes(*, now=None) -> int:
    """Blank stored notes older than their organization's retention period.

    The codes and the result stay: they are the record of what was billed. One UPDATE per
    distinct retention period, so the job stays cheap however many organizations there are.
    """
    now = now or timezone.now()
    purged = 0
    periods = Organization.objects.values_list("note_retention_days", flat=True).distinct()
    for days in periods:
        purged += Extraction.objects.filter(
            organization__note_retention_days=days,
            created_at__lt=now - timezone.timedelta(days=days),
            note_purged_at__isnull=True,
        ).update(scrubbed_note="", note_purged_at=now)
    if purged:
        logger.info("purged %d stored notes past retention", purged)
    return purged
