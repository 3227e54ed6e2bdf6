"""Two rules on signed-in accounts, enforced before any view.

Two-step verification (settings.STAFF_MFA_REQUIRED): a staff account without an
authenticator app reaches no admin or staff page, and a partner account no page of the
partner portal, until it has set one up. allauth offers the factor but has no switch
to require it. Only /<lang>/admin/…, /<lang>/staff/… and /<lang>/portal/… are held
back: the set-up, sign-in, sign-out pages (/<lang>/accounts/…), the admin's own
sign-out, the portal's invitation link and the public site stay open.

Inactivity (settings.SESSION_IDLE_SECONDS): a signed-in session unused for that long is
signed out. Anonymous visitors are not touched: without a session cookie nothing is
read or written, so the cached public pages stay as they are."""

import re
import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _prefixed(paths: str) -> re.Pattern[str]:
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:(?:{languages})/)?(?:{paths})")


class StaffTwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.staff_held = _prefixed("(?:admin|staff)/")
        self.staff_open = _prefixed("admin/logout/")
        self.portal_held = _prefixed("portal/")
        self.portal_open = _prefixed("portal/invitation/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = self._must_set_up(request)
        if reason:
            messages.warning(request, reason)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up(self, request: HttpRequest) -> str | None:
        if not settings.STAFF_MFA_REQUIRED:
            return None
        path = request.path_info
        staff_page = bool(self.staff_held.match(path)) and not self.staff_open.match(path)
        portal_page = bool(self.portal_held.match(path)) and not self.portal_open.match(path)
        if not (staff_page or portal_page):
            return None
        user = request.user
        if not user.is_authenticated or is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return None
        if staff_page and user.is_staff:
            return _(
                "Staff accounts need two-step verification. Set up an authenticator "
                "app to open the administration."
            )
        if portal_page and not user.is_staff:
            # Staff on the portal are refused by the portal itself (403).
            return _(
                "Partner accounts need two-step verification. Set up an authenticator "
                "app to open the partner portal."
            )
        return None


LAST_ACTIVITY = "belfaa_last_activity"


def activity_start(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """On sign-in (user_logged_in, connected in BelfaaConfig.ready): the idle clock
    starts now, in the session the sign-in saves anyway, so the first page after it
    writes nothing more."""
    if hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())


class SessionIdleMiddleware:
    """Sign out a session left unused for SESSION_IDLE_SECONDS. The time of the last
    request is kept in the session, rewritten at most once a minute, so a signed-in
    account costs one session write a minute, not one per request."""

    REFRESH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY)
        if isinstance(last, int) and now - last > settings.SESSION_IDLE_SECONDS:
            logout(request)
            minutes = max(1, settings.SESSION_IDLE_SECONDS // 60)
            messages.info(
                request,
                ngettext(
                    "You were signed out after %(minutes)s minute without activity. "
                    "Please sign in again.",
                    "You were signed out after %(minutes)s minutes without activity. "
                    "Please sign in again.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            return redirect_to_login(request.get_full_path())
        if not isinstance(last, int) or now - last >= self.REFRESH_SECONDS:
            request.session[LAST_ACTIVITY] = now
        return self.get_response(request)
