"""Import of people from a spreadsheet, under /<lang>/staff/participants/import/
(namespace "participants")."""

from django.urls import path

from participants.importing import views

urlpatterns = [
    path("", views.import_upload, name="import"),
    path("<str:token>/", views.import_preview, name="import_preview"),
    path("<str:token>/columns/", views.import_columns, name="import_columns"),
]
