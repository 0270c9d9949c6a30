"""Fault drills against a running ``make prod``: PostgreSQL restarted and Redis stopped under load.

Bounded and loopback only. Each drill puts a modest load on the API, breaks one service with the
machine's own commands, brings it back (always, in a ``finally``, even on Ctrl-C), and prints
what the clients saw, second by second, and whether anything was lost:

postgres  16 clients on POST /api/v1/extract for 40 s; at 10 s PostgreSQL stops, stays down
          5 s and starts again. Expected: 503 ``service_unavailable`` with Retry-After (never a
          500) while it is down, a plain 503 page for a signed-in browser, recovery within
          seconds, and for every organization: units counted == extractions stored == 200s.
redis     8 clients on extract and one inquiry a second for 30 s; at 5 s Redis stops, stays down
          15 s and starts again. Expected: extraction all 200, every inquiry 201, readyz 200
          "degraded", and once Redis is back and the reconciler has run, every inquiry final.

    make prod                                  # in one terminal
    .venv/bin/python benchmarks/fault_drill.py # both drills; --only postgres|redis
"""

import argparse
import http.client
import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import (
    CONNECTION_FAILED,
    loopback_address,
    manage,
    practice_keys,
    production_env,
    run_load,
)

POSTGRES_VERSION = next(Path("/etc/postgresql").iterdir()).name
POSTGRES_STOP = f"pg_ctlcluster --skip-systemctl-redirect {POSTGRES_VERSION} main stop"
POSTGRES_START = f"pg_ctlcluster --skip-systemctl-redirect {POSTGRES_VERSION} main start"
REDIS_STOP = "redis-cli shutdown nosave"
REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
DEMO_LOGIN = ("demo@claimlens.local", "claimlens-demo")  # manage.py demo_setup
# The contract's sample inquiry (inquiries/tests/conftest.py), without diagnosis codes.
INQUIRY = {
    "type": "BENEFITS",
    "desired_completion_date": "08-19-2024",
    "patient_name": "Alex Martin",
    "dob": "01-31-2020",
    "member_id": "123456789",
    "group_id": "123456",
    "insurance_in_network": True,
    "npi": "1245319599",
    "tax_id": "123456789",
    "insurance": "CIGNA",
    "is_specialist": True,
    "place_of_service": "office",
    "benefits_query": "CODE_LOOKUP_BENEFITS",
    "benefits_codes": ["90832"],
    "diagnosis_codes": [],
}


# ---------------------------------------------------------------------------------------------
# Plumbing
# ---------------------------------------------------------------------------------------------
@dataclass
class Probe:
    at: float
    status: int
    detail: str = ""


def shell(command: str) -> float:
    """Run a service command; how long it took."""
    started = time.monotonic()
    subprocess.run(command, shell=True, check=True, timeout=60, capture_output=True)  # noqa: S602
    return time.monotonic() - started


def port_answers(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not port_answers(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"nothing answers on 127.0.0.1:{port}")
        time.sleep(0.2)


def database(env: dict[str, str]) -> psycopg.Connection:
    return psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://", 1))


def http_call(base_url: str, method: str, path: str, **kwargs) -> http.client.HTTPResponse:
    host, port = loopback_address(base_url)
    connection = http.client.HTTPConnection(host, port, timeout=kwargs.pop("timeout", 30))
    connection.request(method, path, **kwargs)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def signed_in_cookie(base_url: str) -> str:
    """A browser session for the demo practice (``manage.py demo_setup``), by the login form."""
    manage("demo_setup")
    page = http_call(base_url, "GET", "/accounts/login/")
    cookies = cookies_of(page)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
    form = f"login={DEMO_LOGIN[0]}&password={DEMO_LOGIN[1]}&csrfmiddlewaretoken={token}"
    answer = http_call(
        base_url,
        "POST",
        "/accounts/login/",
        body=form.replace("@", "%40"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    session = cookies_of(answer).get("sessionid")
    if answer.status != 302 or not session:
        raise RuntimeError(f"demo login failed: {answer.status}")
    return f"sessionid={session}"


def probe_every(interval: float, until: float, began: float, probe, into: list) -> threading.Thread:
    def loop() -> None:
        while time.monotonic() < until:
            try:
                into.append(Probe(time.monotonic() - began, *probe()))
            except OSError as exc:
                into.append(Probe(time.monotonic() - began, CONNECTION_FAILED, type(exc).__name__))
            time.sleep(interval)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def timeline(samples, bucket: float = 2.0) -> list[str]:
    """Status counts per ``bucket`` seconds of the run, by when each request was sent."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for sample in samples:
        counts[int(sample.started // bucket)][sample.status] += 1
    return [
        f"  {index * bucket:>5.0f}s  "
        + "  ".join(
            f"{'conn_failed' if status == CONNECTION_FAILED else status}:{count}"
            for status, count in sorted(counts[index].items())
        )
        for index in sorted(counts)
    ]


def quota_consistency(env: dict[str, str], key_name: str) -> list[tuple[int, int, int, int]]:
    """(organization, units counted this month, succeeded extractions, failed extractions)."""
    with database(env) as connection:
        return connection.execute(
            """
            SELECT k.organization_id,
              COALESCE((SELECT u.used FROM billing_monthlyusage u
                        WHERE u.organization_id = k.organization_id
                          AND u.period = date_trunc('month', now() AT TIME ZONE 'UTC')::date), 0),
              (SELECT count(*) FROM extraction_extraction e
               WHERE e.organization_id = k.organization_id AND e.status = 'succeeded'),
              (SELECT count(*) FROM extraction_extraction e
               WHERE e.organization_id = k.organization_id AND e.status = 'failed')
            FROM accounts_apikey k WHERE k.name = %s ORDER BY 1
            """,
            [key_name],
        ).fetchall()


def readyz_probe(base_url: str):
    def readyz() -> tuple[int, str]:
        answer = http_call(base_url, "GET", "/readyz", timeout=10)
        return answer.status, json.loads(answer.body)["status"]

    return readyz


@dataclass
class Outage:
    stopped_at: float  # seconds since the drill began
    started_at: float
    stop_took: float
    start_took: float


def break_under_load(
    base_url: str,
    keys: list[str],
    *,
    began: float,
    clients: int,
    seconds: float,
    at: float,
    down: float,
    stop: str,
    start: str,
    port: int,
):
    """Extraction load for ``seconds``; the service stopped at ``at`` for ``down`` seconds and
    started again whatever happens (even Ctrl-C). Returns the load's result and the outage."""
    outcome: dict = {}
    load = threading.Thread(
        target=lambda: outcome.update(
            result=run_load(base_url, keys, clients=clients, seconds=seconds)
        )
    )
    load.start()
    time.sleep(max(began + at - time.monotonic(), 0))
    stopped_at = time.monotonic() - began
    stop_took = 0.0
    try:
        stop_took = shell(stop)
        time.sleep(down)
    finally:
        start_took = shell(start)
        wait_for_port(port)
    outage = Outage(stopped_at, time.monotonic() - began, stop_took, start_took)
    load.join()
    return outcome["result"], outage


# ---------------------------------------------------------------------------------------------
# Drills
# ---------------------------------------------------------------------------------------------
def postgres_drill(base_url: str, *, clients: int, seconds: float, at: float, down: float) -> bool:
    env = production_env()
    keys = practice_keys(2, "drill-pg")
    key_name = _key_name(env, keys[0])
    cookie = signed_in_cookie(base_url)
    print(
        f"\n== PostgreSQL drill: {clients} clients, {seconds:.0f} s; stop at {at:.0f} s, ", end=""
    )
    print(f"down {down:.0f} s", flush=True)

    began = time.monotonic()
    pages: list[Probe] = []
    ready: list[Probe] = []

    def history_page() -> tuple[int, str]:
        answer = http_call(base_url, "GET", "/history/", headers={"Cookie": cookie}, timeout=10)
        kind = answer.getheader("Content-Type", "").split(";")[0]
        return answer.status, f"{kind} retry-after={answer.getheader('Retry-After')}"

    probes = [
        probe_every(0.5, began + seconds, began, history_page, pages),
        probe_every(1.0, began + seconds, began, readyz_probe(base_url), ready),
    ]
    result, outage = break_under_load(
        base_url,
        keys,
        began=began,
        clients=clients,
        seconds=seconds,
        at=at,
        down=down,
        stop=POSTGRES_STOP,
        start=POSTGRES_START,
        port=5432,
    )
    for probe in probes:
        probe.join()
    stopped_at, started_at = outage.stopped_at, outage.started_at

    statuses = result.statuses
    unavailable = [s for s in result.samples if s.status == 503]
    clean_503 = all(s.error == "service_unavailable" and s.retry_after for s in unavailable)
    first_ok_after = min(
        (
            s.started + s.seconds
            for s in result.samples
            if s.status == 200 and s.started > started_at
        ),
        default=float("nan"),
    )
    rows = quota_consistency(env, key_name)
    counted = sum(row[1] for row in rows)
    stored = sum(row[2] for row in rows)
    print(
        f"PostgreSQL stopped at {stopped_at:.1f} s (stop took {outage.stop_took:.1f} s), ", end=""
    )
    print(f"started again at {started_at:.1f} s (start took {outage.start_took:.1f} s)")
    print(f"requests {len(result.samples)}, statuses {dict(sorted(statuses.items()))}")
    print(f"503s all service_unavailable with Retry-After: {clean_503}")
    print(f"first 200 completed {first_ok_after - started_at:.1f} s after PostgreSQL was back")
    print(f"max latency {max(s.seconds for s in result.samples) * 1000:.0f} ms")
    print("per 2 s (by send time):")
    print("\n".join(timeline(result.samples)))
    print(f"signed-in /history/ page: {dict(Counter((p.status, p.detail) for p in pages))}")
    print(f"/readyz: {dict(Counter((p.status, p.detail) for p in ready))}")
    print(f"organizations (id, counted, stored, failed): {rows}")
    print(f"units counted {counted} == extractions stored {stored} == 200s {statuses[200]}")
    return (
        not any(status >= 500 and status != 503 for status in statuses)
        and statuses.get(CONNECTION_FAILED, 0) == 0
        and clean_503
        and counted == stored == statuses[200]
    )


def _key_name(env: dict[str, str], key: str) -> str:
    with database(env) as connection:
        rows = connection.execute(
            "SELECT name FROM accounts_apikey WHERE %s LIKE 'cl_live_' || prefix || '%%'", [key]
        ).fetchall()
    return rows[0][0]


def redis_drill(base_url: str, *, clients: int, seconds: float, at: float, down: float) -> bool:
    env = production_env()
    keys = practice_keys(1, "drill-redis")
    print(f"\n== Redis drill: {clients} clients, {seconds:.0f} s, one inquiry a second; ", end="")
    print(f"stop at {at:.0f} s, down {down:.0f} s", flush=True)
    began = time.monotonic()
    created: list[tuple[float, int, float, str]] = []  # (sent at, status, seconds, inquiry id)
    ready: list[Probe] = []

    def create_inquiries() -> None:
        while time.monotonic() < began + seconds:
            sent = time.monotonic()
            try:
                answer = http_call(
                    base_url,
                    "POST",
                    "/api/v1/inquiries",
                    body=json.dumps(INQUIRY),
                    headers={
                        "Authorization": f"Bearer {keys[0]}",
                        "Content-Type": "application/json",
                    },
                )
                inquiry_id = json.loads(answer.body).get("inquiry_id", "")
                created.append((sent - began, answer.status, time.monotonic() - sent, inquiry_id))
            except OSError:
                created.append((sent - began, CONNECTION_FAILED, time.monotonic() - sent, ""))
            time.sleep(max(1 - (time.monotonic() - sent), 0))

    threads = [
        threading.Thread(target=create_inquiries),
        probe_every(1.0, began + seconds, began, readyz_probe(base_url), ready),
    ]
    threads[0].start()
    result, outage = break_under_load(
        base_url,
        keys,
        began=began,
        clients=clients,
        seconds=seconds,
        at=at,
        down=down,
        stop=REDIS_STOP,
        start=REDIS_START,
        port=6379,
    )
    back_at = began + outage.started_at
    stopped_at, started_at = outage.stopped_at, outage.started_at
    for thread in threads:
        thread.join()

    reconciled = manage("reconcile_inquiries", "--submit-after", "0").strip()
    ids = [row[3] for row in created if row[1] == 201]
    deadline = time.monotonic() + 90
    while True:
        with database(env) as connection:
            final = dict(
                connection.execute(
                    "SELECT status, count(*) FROM inquiries_inquiry WHERE id::text = ANY(%s) "
                    "GROUP BY status",
                    [ids],
                ).fetchall()
            )
        if (
            final.get("PENDING", 0) + final.get("IN_PROGRESS", 0) == 0
            or time.monotonic() > deadline
        ):
            break
        time.sleep(1)
    all_final_after = time.monotonic() - back_at
    during = [row for row in created if stopped_at <= row[0] <= started_at]
    print(f"Redis stopped at {stopped_at:.1f} s, started again at {started_at:.1f} s")
    print(
        f"extract: requests {len(result.samples)}, statuses {dict(sorted(result.statuses.items()))}"
    )
    print(
        f"extract p50 {result.percentile(0.5) * 1000:.0f} ms, "
        f"p99 {result.percentile(0.99) * 1000:.0f} ms"
    )
    print(
        f"inquiries created: {dict(Counter(row[1] for row in created))}; while Redis was down: ",
        end="",
    )
    print(
        f"{dict(Counter(row[1] for row in during))}, "
        f"slowest {max((r[2] for r in during), default=0):.2f} s"
    )
    print(f"/readyz: {dict(Counter((p.status, p.detail) for p in ready))}")
    print(f"reconcile_inquiries --submit-after 0: {reconciled}")
    print(f"inquiries by status {all_final_after:.1f} s after Redis was back: {final}")
    return (
        set(result.statuses) == {200}
        and all(row[1] == 201 for row in created)
        and final.get("SUCCESS", 0) == len(ids)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--only", choices=["postgres", "redis"])
    args = parser.parse_args()
    loopback_address(args.base_url)
    if http_call(args.base_url, "GET", "/readyz").status != 200:
        raise SystemExit("the stack is not ready: start `make prod` first")
    # Each gunicorn worker loads the code tables on its first request: warm them all first.
    run_load(args.base_url, practice_keys(1, "drill-warmup"), clients=8, seconds=5)
    passed = {}
    if args.only in (None, "postgres"):
        passed["postgres"] = postgres_drill(args.base_url, clients=16, seconds=40, at=10, down=5)
    if args.only in (None, "redis"):
        passed["redis"] = redis_drill(args.base_url, clients=8, seconds=30, at=5, down=15)
    print(f"\n{passed}")
    return 0 if all(passed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
