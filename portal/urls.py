"""The portal's addresses. Each area of the portal keeps its views and its
`urlpatterns` in its own module, included here."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
]
