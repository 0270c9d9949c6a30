"""Throughput and latency of /api/v1/extract (rules engine) and /healthz under gunicorn.

Starts gunicorn with 2 workers on loopback against a scratch database, makes a Practice-plan
key, sends a bounded number of requests at a fixed concurrency, and prints a table. Also counts
the SQL queries one extract makes, in-process. Run with ``make bench``.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = (Path(__file__).parent / "sample_note.txt").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def manage(*args: str, env: dict[str, str]) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def run_load(
    port: int,
    method: str,
    path: str,
    body: bytes | None,
    headers: dict,
    *,
    requests: int,
    concurrency: int,
) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker() -> None:
        nonlocal errors
        for _ in remaining:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            connection.close()
            with lock:
                latencies.append(elapsed)
                errors += response.status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


@contextmanager
def scratch_database(url: str, scratch_dir: str):
    """A fresh database for one run: a new PostgreSQL database, or an SQLite file."""
    if not url.startswith("postgres"):
        yield f"sqlite:///{scratch_dir}/bench.sqlite3"
        return
    import psycopg

    name = f"claimlens_bench_{os.getpid()}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def queries_per_extract(env: dict[str, str], key: str) -> int:
    code = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_AUTHORIZATION="Bearer {key}")
body = json.dumps({{"note": {json.dumps(NOTE)}}})
client.post("/api/v1/extract", body, content_type="application/json")
with CaptureQueriesContext(connection) as ctx:
    client.post("/api/v1/extract", body, content_type="application/json")
print(len(ctx.captured_queries))
"""
    return int(manage("shell", "--no-imports", "-c", code, env=env).split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as scratch,
        scratch_database(args.database_url, scratch) as database_url,
    ):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CLAIMLENS_ENGINE": "rules",
            "ANTHROPIC_API_KEY": "",
            "LOG_LEVEL": "WARNING",
        }
        manage("migrate", "--noinput", env=env)
        key = (
            manage(
                "create_api_key", "--email", "bench@claimlens.local", "--plan", "practice", env=env
            )
            .strip()
            .splitlines()[-1]
        )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - gunicorn from our own venv
            [
                sys.executable,
                "-m",
                "gunicorn",
                "claimlens.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--access-logfile",
                "/dev/null",  # gunicorn.conf.py logs each request; the bench measures, not logs
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(port)
            headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
            body = json.dumps({"note": NOTE}).encode()
            run_load(port, "POST", "/api/v1/extract", body, headers, requests=16, concurrency=2)
            rows = {
                "POST /api/v1/extract": run_load(
                    port,
                    "POST",
                    "/api/v1/extract",
                    body,
                    headers,
                    requests=args.requests,
                    concurrency=args.concurrency,
                ),
                "GET /healthz": run_load(
                    port,
                    "GET",
                    "/healthz",
                    None,
                    {},
                    requests=args.requests,
                    concurrency=args.concurrency,
                ),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)
        queries = queries_per_extract(env, key)

    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(
        f"\nAPI under gunicorn (2 workers), {database}, concurrency {args.concurrency}, "
        f"{len(NOTE):,}-character note, rules engine"
    )
    print(f"{'endpoint':<24}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in rows.items():
        print(
            f"{name:<24}{row['requests']:>9}{row['errors']:>8}{row['rps']:>9.1f}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
        )
    print(f"SQL statements per extract: {queries}, transaction control included (target at most 5)")
    print("Target: extract p50 under 25 ms at concurrency 8.")


if __name__ == "__main__":
    main()
