"""``make prod``: ClaimLens in production mode on this machine's PostgreSQL and Redis.

Writes ``var/prod.env`` once (generated secrets, loopback hosts, plain HTTP), creates the
database if it is missing, collects static files, runs the Procfile's ``release`` step
(migrations), then runs its ``web``, ``worker`` and ``beat`` processes with their output
prefixed, until Ctrl-C (or SIGTERM) stops all three gracefully. If one of them exits, the
others are stopped too, so a half-running stack never passes for a running one.

The Procfile is the one list of processes: a platform that reads Procfiles runs the same
commands (docs/deploy.md).
"""

import base64
import os
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
ENV_FILE = VAR / "prod.env"
PROCESSES = ("web", "worker", "beat")
STOP_SECONDS = 35  # gunicorn's graceful timeout (30 s) and a little more


def generated_env() -> str:
    """The first ``var/prod.env``: local secrets, this machine's services, plain HTTP."""
    fernet_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return "\n".join(
        [
            "# Written once by `make prod` (scripts/prod.py); edit freely, it is never rewritten.",
            "# Local secrets for this machine only: var/ is not committed.",
            "CLAIMLENS_ENV=production",
            f"SECRET_KEY={secrets.token_urlsafe(50)}",
            f"FIELD_ENCRYPTION_KEYS={fernet_key}",
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/claimlens_prod",
            # A Redis database of its own, away from development and the test suite (15).
            "CELERY_BROKER_URL=redis://127.0.0.1:6379/1",
            "ALLOWED_HOSTS=127.0.0.1,localhost",
            "SITE_URL=http://127.0.0.1:8000",
            # Plain HTTP on loopback: no TLS in front to redirect to.
            "SECURE_SSL_REDIRECT=false",
            "HOST=127.0.0.1",
            "PORT=8000",
            "",
        ]
    )


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def read_procfile(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries[name.strip()] = command.strip()
    return entries


def production_env() -> dict[str, str]:
    """This process's environment with ``var/prod.env`` on top (the file wins, so a shell's
    development DATABASE_URL never leaks in), and the venv's tools first on PATH."""
    VAR.mkdir(exist_ok=True)
    if not ENV_FILE.exists():
        ENV_FILE.write_text(generated_env())
        ENV_FILE.chmod(0o600)
        print(f"prod: wrote {ENV_FILE.relative_to(ROOT)} with new local secrets", flush=True)
    env = {**os.environ, **read_env_file(ENV_FILE)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def database_ensure(url: str) -> None:
    """Create the database named in DATABASE_URL when the server has none by that name."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    ) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"prod: created database {config['NAME']}", flush=True)


def run_step(command: str, env: dict[str, str]) -> None:
    print(f"prod: {command}", flush=True)
    subprocess.run(["/bin/sh", "-c", command], cwd=ROOT, env=env, check=True)  # noqa: S603


def relay(name: str, stream) -> None:
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:<7}| {line.decode(errors='replace')}")
        sys.stdout.flush()


def stop_all(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM each process group (graceful: gunicorn drains, Celery finishes its task), then
    SIGKILL whatever is still running after STOP_SECONDS."""
    for child in children.values():
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            print(f"prod: {name} did not stop in time; killing it", flush=True)
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


def main() -> int:
    env = production_env()
    procfile = read_procfile(ROOT / "Procfile")
    database_ensure(env["DATABASE_URL"])
    run_step(f"{shlex.quote(sys.executable)} manage.py collectstatic --noinput -v 0", env)
    run_step(procfile["release"], env)

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())

    children: dict[str, subprocess.Popen] = {}
    for name in PROCESSES:
        children[name] = subprocess.Popen(  # noqa: S603 - the Procfile's own commands
            ["/bin/sh", "-c", f"exec {procfile[name]}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # A group of its own: the terminal's Ctrl-C reaches only this runner, which then
            # stops each process in order instead of all of them dying at once.
            start_new_session=True,
        )
        threading.Thread(target=relay, args=(name, children[name].stdout), daemon=True).start()
    print(
        f"prod: web on http://{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}, "
        "worker and beat running; Ctrl-C stops all three",
        flush=True,
    )

    exited = None
    while not stopping.is_set() and exited is None:
        exited = next((name for name, child in children.items() if child.poll() is not None), None)
        stopping.wait(0.5)
    if exited:
        print(f"prod: {exited} exited with {children[exited].returncode}; stopping", flush=True)
    else:
        print("prod: stopping web, worker and beat", flush=True)
    stop_all(children)
    print("prod: stopped", flush=True)
    return 1 if exited else 0


if __name__ == "__main__":
    sys.exit(main())
