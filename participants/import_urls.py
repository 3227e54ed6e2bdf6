"""Import of people from a spreadsheet, under /<lang>/staff/participants/import/
(namespace "participants")."""

from django.urls import path

from participants import import_views

urlpatterns = [
    path("", import_views.import_upload, name="import"),
    path("<str:token>/", import_views.import_preview, name="import_preview"),
]
