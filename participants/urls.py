from django.urls import include, path

urlpatterns = [
    path("import/", include("participants.import_urls")),
    path("", include("participants.rights.urls")),
]
