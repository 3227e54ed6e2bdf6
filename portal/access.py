"""Who may use the portal, and the one way views reach a partner's objects.

Every portal view is wrapped in `member_required`: an anonymous visitor is sent to the
sign-in page, an account without a partner membership (staff included) is refused, and
a partner user gets `request.organisation`. Views look objects up through that
organisation only, so another partner's ids answer 404 and reveal nothing."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from belfaa.models import User
from partners.models import Membership, Organisation


class PortalRequest(HttpRequest):
    """What a view behind `member_required` receives (for the type checker only: the
    object is Django's request, with the organisation set on it)."""

    user: User
    organisation: Organisation


def organisation_of(user: Any) -> Organisation | None:
    """The partner organisation of a signed-in partner account, or None."""
    if not user.is_authenticated or not user.is_active or user.is_staff or user.is_superuser:
        return None
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    return membership.organisation if membership else None


def member_required[R: HttpResponseBase](
    view: Callable[..., R],
) -> Callable[..., R | HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation = organisation_of(request.user)
        if organisation is None:
            raise PermissionDenied
        portal_request = cast(PortalRequest, request)
        portal_request.organisation = organisation
        return view(portal_request, *args, **kwargs)

    return wrapped
