"""Who may use the portal, and the one way views reach a partner's objects.

Every portal view is wrapped in `member_required`: an anonymous visitor is sent to the
sign-in page, an account without a partner membership (staff included) is refused, and
a partner user gets `request.organisation`. Views look objects up through that
organisation only, so another partner's ids answer 404 and reveal nothing."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from partners.models import Membership, Organisation


def organisation_of(user: Any) -> Organisation | None:
    """The partner organisation of a signed-in partner account, or None."""
    if not user.is_authenticated or not user.is_active or user.is_staff or user.is_superuser:
        return None
    membership = Membership.objects.select_related("organisation").filter(user=user).first()
    return membership.organisation if membership else None


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        organisation = organisation_of(request.user)
        if organisation is None:
            raise PermissionDenied
        request.organisation = organisation  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
