"""Settings come from the environment; production mode is one switch and passes check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    ignored = {
        "DATABASE_URL",
        "DATABASE_POOL",
        "CELERY_BROKER_URL",
        "CLAIMLENS_ENV",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    base = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION_ENV = {
    "CLAIMLENS_ENV": "production",
    "SECRET_KEY": "x" * 30 + "production-secret-for-the-check-0123456789",
    "ALLOWED_HOSTS": "claimlens.example.org",
    "FIELD_ENCRYPTION_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtbG9uZy1rZXk=",
    "DATABASE_URL": "postgres://claimlens@db.internal:5432/claimlens",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def test_check_deploy_passes_in_production_mode(tmp_path):
    env = {**PRODUCTION_ENV, "CLAIMLENS_VAR_DIR": str(tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable",
    ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "DATABASE_URL", "CELERY_BROKER_URL"],
)
def test_production_mode_refuses_to_start_without_a_required_variable(tmp_path, variable):
    env = {**PRODUCTION_ENV, variable: "", "CLAIMLENS_VAR_DIR": str(tmp_path)}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"{variable} must be set when CLAIMLENS_ENV=production" in result.stderr


def test_production_mode_refuses_sqlite(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "CLAIMLENS_VAR_DIR": str(tmp_path),
    }
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def database_settings(tmp_path, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, env={"CLAIMLENS_VAR_DIR": str(tmp_path), **env}
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_database_pool_psycopg_pools_without_persistent_connections(tmp_path):
    database = database_settings(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/claimlens",
        DATABASE_POOL="psycopg",
        DATABASE_POOL_MAX_SIZE="6",
    )
    assert database["CONN_MAX_AGE"] == 0  # Django refuses a pool with persistent connections
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 6, "timeout": 10.0}


def test_postgresql_connections_time_out(tmp_path):
    database = database_settings(
        tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/claimlens"
    )
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_database_pool_pgbouncer_disables_server_side_cursors(tmp_path):
    database = database_settings(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:6432/claimlens",
        DATABASE_POOL="pgbouncer",
    )
    assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "pool" not in database.get("OPTIONS", {})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_POOL": "bouncy"}, "DATABASE_POOL must be empty, 'psycopg' or 'pgbouncer'"),
        ({"DATABASE_POOL": "psycopg"}, "DATABASE_POOL needs a PostgreSQL DATABASE_URL"),
    ],
)
def test_database_pool_refuses_what_cannot_work(tmp_path, env, message):
    result = run_manage("check", env={"CLAIMLENS_VAR_DIR": str(tmp_path), **env})
    assert result.returncode != 0
    assert message in result.stderr


def test_defaults_use_sqlite_under_var_and_eager_celery():
    from django.conf import settings

    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not os.environ.get("CELERY_BROKER_URL"))


def test_console_email_by_default(tmp_path):
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    result = run_manage(
        "shell", "--no-imports", "-c", code, env={"CLAIMLENS_VAR_DIR": str(tmp_path)}
    )
    assert result.stdout.strip().splitlines()[-1].endswith("console.EmailBackend"), result.stderr


def test_database_url_selects_postgresql(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/claimlens",
        "CLAIMLENS_VAR_DIR": str(tmp_path),
    }
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql", result.stderr


def test_production_static_files_are_fingerprinted_and_compressed(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "CLAIMLENS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/claimlens",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    result = run_manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    css = list((tmp_path / "staticfiles" / "css").glob("app.*.css"))
    assert css, "no fingerprinted app.css"
    assert any(path.with_name(path.name + ".gz").exists() for path in css)


def cache_backend(tmp_path, **env: str) -> str:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={"CLAIMLENS_VAR_DIR": str(tmp_path), "CACHE_URL": "", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_counts_rate_limits_in_the_brokers_redis(tmp_path):
    assert cache_backend(tmp_path, **PRODUCTION_ENV) == "claimlens.cache.FailOpenRedisCache"


def test_rate_limits_stay_in_process_memory_in_development(tmp_path):
    assert cache_backend(tmp_path).endswith("LocMemCache")
    redis_url = "redis://127.0.0.1:6379/2"
    assert cache_backend(tmp_path, CACHE_URL=redis_url) == "claimlens.cache.FailOpenRedisCache"
