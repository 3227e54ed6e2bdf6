"""Filled by its area of the portal."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
