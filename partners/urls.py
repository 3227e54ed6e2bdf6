from django.urls import path

from partners import views

urlpatterns = [
    path("documents/<str:kind>/<int:pk>/", views.document_download, name="document"),
]
