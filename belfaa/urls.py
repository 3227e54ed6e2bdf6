from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from belfaa import health

# Staff sign in through allauth (rate limits, two-step verification), never the bare admin form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Belfaa: migration and integration")
admin.site.site_title = _("Belfaa administration")
admin.site.index_title = _("Administration")

handler500 = "belfaa.errors.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("staff/participants/", include(("participants.urls", "participants"))),
    path("staff/partners/", include(("partners.urls", "partners"))),
    path("portal/invitation/", include("portal.invitation_urls")),
    path("portal/", include("portal.urls")),
    path("", include("events.urls")),
    prefix_default_language=True,
)
