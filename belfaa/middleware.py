"""Two-step verification is required of staff (settings.STAFF_MFA_REQUIRED): a staff
account without an authenticator app reaches no admin or staff page until it has set
one up. allauth offers the factor but has no switch to require it.

Only /<lang>/admin/… and /<lang>/staff/… are held back: the set-up, sign-in, sign-out
pages (/<lang>/accounts/…), the admin's own sign-out and the public site stay open."""

import re
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffTwoStepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
        self.held = re.compile(rf"^/(?:(?:{languages})/)?(?:admin|staff)/")
        self.open = re.compile(rf"^/(?:(?:{languages})/)?admin/logout/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up(request):
            messages.warning(
                request,
                _(
                    "Staff accounts need two-step verification. Set up an authenticator "
                    "app to open the administration."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up(self, request: HttpRequest) -> bool:
        if not settings.STAFF_MFA_REQUIRED:
            return False
        path = request.path_info
        if not self.held.match(path) or self.open.match(path):
            return False
        user = request.user
        return bool(
            user.is_authenticated
            and user.is_staff
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        )
