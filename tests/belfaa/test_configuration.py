"""Configuration comes from the environment; a bad value stops the start with a
message that names the variable, and production values pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from belfaa.settings import cache_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qv9zR2mXw4pL8sT1yB6nD3fH5jG0cVaE-production-like-secret",
    "ALLOWED_HOSTS": "belfaa.example.org",
    "HTTPS": "1",
    "TRUSTED_PROXY_COUNT": "1",
    "SMTP_HOST": "smtp.example.org",
    # Nothing connects to it during a check.
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "test-only", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DATABASE_URL", "foo", "postgres://USER:PASSWORD@HOST:PORT/NAME"),
        ("DATABASE_URL", "mysql://db/belfaa", "postgres://"),
        ("DATABASE_URL", "postgres://localhost", "names no database"),
        ("REDIS_URL", "localhost:6379", "redis://HOST:PORT/DB"),
        ("REDIS_URL", "redis://localhost:6379/cache", "redis://HOST:PORT/DB"),
        ("REDIS_URL", "redis://localhost:6379/15", "set CACHE_URL"),
        ("CACHE_URL", "memcached://localhost", "redis://HOST:PORT/DB"),
        ("CACHE_URL", "redis://localhost:6379/0", "drop queued tasks"),
        ("DEBUG", "maybe", "not a boolean"),
        ("TRUSTED_PROXY_COUNT", "two", "not a whole number"),
        ("SMTP_PORT", "-1", "at least 1"),
    ],
)
def test_a_bad_variable_stops_the_start_naming_it(variable: str, value: str, expected: str) -> None:
    env = {variable: value}
    if variable == "SMTP_PORT":
        env["SMTP_HOST"] = "smtp.example.org"
    if variable == "CACHE_URL":
        env["REDIS_URL"] = "redis://localhost:6379/0"
    result = manage("check", **env)
    assert result.returncode == 2
    assert f"{variable}=" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_secret_key_in_production_is_named() -> None:
    result = manage("check", SECRET_KEY="", DEBUG="0")
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_check_deploy_without_any_warning() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_without_a_mail_relay_is_an_error() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "SMTP_HOST"}
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_development_settings_are_flagged_by_check_deploy() -> None:
    # The check is real: DEBUG on and plain http are reported.
    result = manage("check", "--deploy", DEBUG="1", SECRET_KEY="")
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on
    assert "security.W008" in result.stderr + result.stdout  # no SSL redirect


def test_the_cache_takes_the_next_database_of_the_broker_unless_cache_url_is_set() -> None:
    assert cache_url("redis://h:6379/0", "") == "redis://h:6379/1"
    assert cache_url("redis://:secret@h:6380/4", "") == "redis://:secret@h:6380/5"
    assert cache_url("redis://h", "") == "redis://h/1"
    assert cache_url("redis://h:6379/0", "redis://other:6379/0") == "redis://other:6379/0"
    with pytest.raises(ImproperlyConfigured, match="drop queued tasks"):
        cache_url("redis://h/3", "redis://h:6379/3")


def test_cache_url_without_redis_url_is_refused() -> None:
    result = manage("check", CACHE_URL="redis://localhost:6379/1")
    assert result.returncode == 2
    assert "CACHE_URL is set but REDIS_URL is not" in result.stderr


def test_production_without_a_shared_cache_is_an_error_that_says_why() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "belfaa.E001" in result.stderr
    assert "not shared between processes" in result.stderr
    assert "seats left" in result.stderr
    assert "rate limits" in result.stderr


def test_a_shared_cache_is_not_asked_for_in_development() -> None:
    result = manage("check", "--deploy", DEBUG="1", SECRET_KEY="")
    assert "belfaa.E001" not in result.stderr + result.stdout
