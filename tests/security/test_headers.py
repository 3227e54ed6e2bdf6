"""Security headers on every response: a strict CSP from Django's own middleware."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/ar/", "/fr/accounts/login/", "/healthz", "/ar/nowhere/"])
def test_a_strict_content_security_policy_is_sent(client: Client, path: str) -> None:
    policy = client.get(path).headers["Content-Security-Policy"]
    directives = dict((part.split()[0], part.split()[1:]) for part in policy.split("; ") if part)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy
    assert "http" not in policy


def test_referrer_framing_and_sniffing_headers(client: Client) -> None:
    headers = client.get("/ar/").headers
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_tabbed_admin_loads_jquery_ui_from_our_own_static_files(
    client: Client, coordinator
) -> None:
    client.force_login(coordinator)
    html = client.get("/fr/admin/events/event/add/").content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "googleapis" not in html
    assert "tabbed_translation_fields.js" in html


def test_login_form_requires_a_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ar/accounts/login/", {"login": "x@example.test", "password": "x"})
    assert response.status_code == 403
