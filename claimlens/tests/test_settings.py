"""Settings come from the environment; production mode is one switch and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    ignored = {"DATABASE_URL", "CLAIMLENS_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
}


def test_check_deploy_passes_in_production_mode(tmp_path):
    env = {**PRODUCTION_ENV, "CLAIMLENS_VAR_DIR": str(tmp_path)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "CLAIMLENS_VAR_DIR": str(tmp_path)}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_to_start_without_field_encryption_keys(tmp_path):
    env = {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": "", "CLAIMLENS_VAR_DIR": str(tmp_path)}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


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


def test_production_mode_requires_encryption_keys(tmp_path):
    env = {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": "", "CLAIMLENS_VAR_DIR": str(tmp_path)}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_database_url_selects_postgresql(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/claimlens",
        "CLAIMLENS_VAR_DIR": str(tmp_path),
    }
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql", result.stderr
