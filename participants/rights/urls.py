from django.urls import path

from participants.rights import views as rights_views

urlpatterns = [
    path("<int:pk>/access/", rights_views.access_export, name="access"),
    path("<int:pk>/access.pdf", rights_views.access_export_pdf, name="access_pdf"),
    path("<int:pk>/access.json", rights_views.access_export_json, name="access_json"),
]
