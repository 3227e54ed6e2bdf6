"""The portal's addresses. Each area of the portal keeps its views and its
`urlpatterns` in its own module, included here."""

from django.urls import include, path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/", include("portal.agreements")),
    path("activities/", include("portal.activities")),
    path("reports/", include("portal.reports")),
    path("referrals/", include("portal.referrals")),
    path("pac/", include("portal.pac")),
]
