"""The production shape, in real processes: gunicorn (DEBUG off, collected static files,
Redis cache and broker) and a Celery worker. With Redis stopped a sign-up is stored and
answered; once Redis is back the outbox sweep sends its message, once. With the database
unreachable, the error page is in the language of the URL."""

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Notification, Registration
from tests.conftest import need
from tests.factories import EventFactory
from tests.private_redis import PrivateRedis, free_port, private_redis  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "k7#Qv9zR2mXw4pL8sT1yB6nD3fH5jG0cVaE-production-like-secret"


def production_env(var_dir: Path, **env: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "DEBUG", "SMTP_HOST", "HTTPS"}
    }
    return {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": str(var_dir),
        **env,
    }


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A VAR_DIR with collected static files, as `make serve` prepares it."""
    var_dir = tmp_path_factory.mktemp("var")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=production_env(var_dir),
        check=True,
        timeout=300,
    )
    return var_dir


class Server:
    def __init__(self, port: int, log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, body, Location) without following redirects."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], Server]]:
    """Start gunicorn with the given environment; stopped after the test."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str]) -> Server:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "belfaa.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        server = Server(port, log)
        deadline = time.monotonic() + 60
        while True:
            try:
                if server.request("/livez")[0] == 200:
                    return server
            except OSError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=20)


def test_the_error_page_is_in_the_url_language_with_the_database_unreachable(
    collected: Path, gunicorn: Callable[[dict[str, str]], Server]
) -> None:
    nowhere = free_port()
    server = gunicorn(
        production_env(
            collected,
            DATABASE_URL=f"postgres://belfaa@127.0.0.1:{nowhere}/belfaa",
            REDIS_URL=f"redis://127.0.0.1:{nowhere}/0",
        )
    )
    expected = {
        "/ar/events/": ('lang="ar" dir="rtl"', "خطأ في الخادم"),
        "/fr/": ('lang="fr" dir="ltr"', "Un problème est survenu de notre côté"),
        "/en/events/some-activity/": ('lang="en" dir="ltr"', "Something went wrong on our side"),
    }
    for path, (html, text) in expected.items():
        status, body, _ = server.request(path)
        assert status == 500, (path, body[:500])
        assert html in body, path
        assert text in body, path
        assert 'href="/static/css/site.' in body  # the collected, hashed stylesheet
    assert "OperationalError" in server.log.read_text()


def test_a_signup_made_while_redis_is_down_is_sent_once_when_it_is_back(
    collected: Path,
    gunicorn: Callable[[dict[str, str]], Server],
    private_redis: PrivateRedis,  # noqa: F811
    tmp_path: Path,
) -> None:
    need(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    event = EventFactory(title_fr="Atelier cuisine")
    mail_dir = tmp_path / "worker"
    env = production_env(collected, DATABASE_URL=database_url, REDIS_URL=private_redis.url(0))
    worker_env = {**env, "VAR_DIR": str(mail_dir)}
    private_redis.stop()
    server = gunicorn(env)

    status, page, _ = server.request(f"/fr/events/{event.slug}/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    started = time.monotonic()
    status, _, location = server.request(
        f"/fr/events/{event.slug}/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "name": "Aminata Diallo",
            "phone": "06 12 34 56 78",
            "email": "aminata@example.test",
            "birth_year": "2001",
            "sex": "female",
            "group": "newcomer",
            "language": "fr",
            "consent_processing": "on",
        },
    )
    assert status == 302, server.log.read_text()[-3000:]
    assert time.monotonic() - started < 10
    assert "votre place est confirmée" in server.request(location)[1]
    registration = Registration.objects.get()
    notification = registration.notifications.get()
    assert notification.status == Notification.Status.PENDING
    log = server.log.read_text()
    assert "stays pending for the outbox sweep" in log
    assert "The Redis cache does not answer" in log

    private_redis.start()
    # The sweep takes messages pending for a few minutes: as if they had passed.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "belfaa", "worker", "--pool=solo"],
        cwd=ROOT,
        env=worker_env,
        stdout=(tmp_path / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    # One process (Django starts slowly on a busy machine): sweep, wait until the
    # worker has sent it, then a second sweep and a second send, which change nothing.
    script = f"""
import time
from events.models import Notification
from events.tasks import notification_send, outbox_sweep
print(outbox_sweep.delay().get(timeout=60))
deadline = time.monotonic() + 60
while Notification.objects.get(pk={notification.pk}).status == "pending":
    assert time.monotonic() < deadline, "not sent"
    time.sleep(0.2)
print(outbox_sweep.delay().get(timeout=60))
print(notification_send.apply_async(({notification.pk},), ignore_result=False).get(timeout=60))
"""
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=worker_env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stderr + (tmp_path / "worker.log").read_text()
        assert result.stdout.split()[-3:] == ["1", "0", "sent"]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert Registration.objects.count() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    messages = list((mail_dir / "mail").glob("*"))
    assert len(messages) == 1
    assert "aminata@example.test" in messages[0].read_text()
