"""Load on ``POST /api/v1/extract`` against a running ``make prod`` (rules engine).

Bounded: N client threads (default 64) for S seconds (default 60), each sending one request at a
time over a fresh connection, to a loopback address only. Prints requests per second, latency
percentiles and the count of each status; exits 1 if any response was a 5xx or a connection
failed, since zero 5xx is the requirement (docs/performance.md).

Quota: a practice plan has 5,000 extractions a month, fewer than this load sends, and 429s would
then measure the quota, not the service. The script therefore makes fresh practice
organizations for each run (``manage.py create_api_key --email load-<run>-<n>@example.org
--plan practice``, one organization per 8 clients by default) and spreads the clients over their
keys. Nothing in the product is bypassed: each organization runs on its own real quota. Pass
``--key`` (repeatable) to use existing keys instead.

    make prod                       # in one terminal
    .venv/bin/python benchmarks/load_test.py --clients 64 --seconds 60
"""

import argparse
import http.client
import itertools
import json
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from prod import ENV_FILE, production_env  # noqa: E402 - scripts/ is not a package

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
NOTES = [
    (ROOT / "benchmarks" / "sample_note.txt").read_text(),
    *(path.read_text() for path in sorted((ROOT / "benchmarks" / "load_notes").glob("*.txt"))),
]
# Parameters sent with each note, so the engine walks different tables.
PARAMETERS = [
    {"payer": "medicare"},
    {"payer": "commercial", "visit_type": "telehealth"},
    {"payer": "medicaid", "patient_type": "new", "specialty": "pediatrics"},
    {"payer": "commercial", "visit_type": "behavioral", "specialty": "behavioral_health"},
]
CONNECTION_FAILED = 0  # the "status" of a request that got no HTTP answer


@dataclass
class Sample:
    started: float  # seconds since the run began
    seconds: float
    status: int
    key: str
    error: str = ""  # the JSON "error" code of a 4xx/5xx, or the exception type
    retry_after: str = ""


@dataclass
class LoadResult:
    clients: int
    seconds: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def statuses(self) -> Counter:
        return Counter(sample.status for sample in self.samples)

    def percentile(self, fraction: float, status: int | None = None) -> float:
        latencies = sorted(s.seconds for s in self.samples if status is None or s.status == status)
        if not latencies:
            return float("nan")
        return latencies[min(int(len(latencies) * fraction), len(latencies) - 1)]

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def summary(self) -> dict:
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": len(self.samples),
            "rps": round(len(self.samples) / self.seconds, 1),
            "p50_ms": round(self.percentile(0.50) * 1000, 1),
            "p95_ms": round(self.percentile(0.95) * 1000, 1),
            "p99_ms": round(self.percentile(0.99) * 1000, 1),
            "max_ms": round(max((s.seconds for s in self.samples), default=0) * 1000, 1),
            "statuses": {
                ("connection_failed" if k == CONNECTION_FAILED else str(k)): v
                for k, v in sorted(self.statuses.items())
            },
            "errors": dict(Counter(s.error for s in self.samples if s.error)),
        }


def loopback_address(base_url: str) -> tuple[str, int]:
    """Host and port of ``base_url``, refusing anything but this machine."""
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing {base_url}: load is only ever sent to http on loopback")
    return parts.hostname, parts.port or 80


def manage(*args: str) -> str:
    """``manage.py`` in the same production environment as ``make prod`` (var/prod.env)."""
    if not ENV_FILE.exists():
        raise SystemExit("no var/prod.env: start `make prod` first")
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(),
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def practice_keys(count: int, label: str) -> list[str]:
    """One fresh practice organization per key, so every run starts with a full quota."""
    run = time.strftime("%Y%m%d%H%M%S")
    return [
        manage(
            "create_api_key",
            "--email",
            f"{label}-{run}-{n}@example.org",
            "--plan",
            "practice",
            "--name",
            f"{label} {run}",
        )
        .strip()
        .splitlines()[-1]
        for n in range(count)
    ]


def request_once(host: str, port: int, key: str, number: int, timeout: float) -> Sample:
    body = json.dumps({"note": NOTES[number % len(NOTES)], **PARAMETERS[number % 4]}).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            connection.request("POST", "/api/v1/extract", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
    except (OSError, http.client.HTTPException) as exc:
        return Sample(0, time.perf_counter() - started, CONNECTION_FAILED, key, type(exc).__name__)
    error = ""
    if response.status >= 400:
        try:
            error = json.loads(payload).get("error", "")
        except ValueError:
            error = "not_json"
    return Sample(
        0,
        time.perf_counter() - started,
        response.status,
        key,
        error,
        response.getheader("Retry-After") or "",
    )


def run_load(
    base_url: str,
    keys: list[str],
    *,
    clients: int,
    seconds: float,
    timeout: float = 30,
    pause: float = 0.0,
) -> LoadResult:
    """``clients`` threads, each sending requests one after another until ``seconds`` pass
    (a request in flight then finishes). Client ``n`` uses ``keys[n % len(keys)]``."""
    host, port = loopback_address(base_url)
    result = LoadResult(clients=clients, seconds=seconds)
    lock = threading.Lock()
    numbers = itertools.count()
    began = time.perf_counter()
    deadline = began + seconds

    def client(index: int) -> None:
        key = keys[index % len(keys)]
        while time.perf_counter() < deadline:
            sent_at = time.perf_counter() - began
            sample = request_once(host, port, key, next(numbers), timeout)
            sample.started = sent_at
            with lock:
                result.samples.append(sample)
            if pause:
                time.sleep(pause)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + timeout + 10)
    result.seconds = time.perf_counter() - began
    return result


def print_report(result: LoadResult) -> None:
    summary = result.summary()
    print(
        f"\nPOST /api/v1/extract, rules engine: {summary['clients']} clients for "
        f"{summary['seconds']} s, {len(NOTES)} notes of "
        f"{min(map(len, NOTES)):,}-{max(map(len, NOTES)):,} characters"
    )
    print(f"requests  {summary['requests']}")
    print(f"req/s     {summary['rps']}")
    print(
        f"latency   p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms"
    )
    print(f"statuses  {summary['statuses']}")
    if summary["errors"]:
        print(f"errors    {summary['errors']}")
    ok = [s.seconds for s in result.samples if s.status == 200]
    if ok:
        print(f"200 only  mean {statistics.mean(ok) * 1000:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients-per-org", type=int, default=8)
    parser.add_argument("--key", action="append", default=[], help="use this key (repeatable)")
    parser.add_argument("--warmup-seconds", type=float, default=5)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON too")
    args = parser.parse_args()
    if not 1 <= args.clients <= 256 or not 0 < args.seconds <= 600:
        raise SystemExit("bounded: at most 256 clients and 600 seconds")

    loopback_address(args.base_url)
    keys = args.key or practice_keys(-(-args.clients // args.clients_per_org), "load")
    print(f"{len(keys)} practice key(s); warming up for {args.warmup_seconds} s", flush=True)
    # Each gunicorn worker loads the code tables on its first request: not what is measured.
    run_load(args.base_url, keys, clients=min(args.clients, 8), seconds=args.warmup_seconds)
    result = run_load(args.base_url, keys, clients=args.clients, seconds=args.seconds)
    print_report(result)
    if args.json:
        print(json.dumps(result.summary()))
    failed = result.server_errors + result.statuses.get(CONNECTION_FAILED, 0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
