from django.urls import include, path

from events import views

event_patterns = [
    path("", views.event_list, name="list"),
    path("r/<str:token>/", views.registration_detail, name="registration"),
    path("r/<str:token>/cancel/", views.registration_cancel, name="cancel"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/received/", views.signup_received, name="received"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="calendar"),
    path("<slug:slug>/poster.pdf", views.event_poster, name="poster"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", include((event_patterns, "events"))),
    path("staff/events/", include(("events.staff_urls", "staff"))),
]
