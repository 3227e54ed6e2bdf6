from django.urls import include, path

urlpatterns = [
    path("import/", include("participants.importing.urls")),
    path("", include("participants.rights.urls")),
]
