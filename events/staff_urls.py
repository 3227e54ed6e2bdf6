"""Staff pages outside the admin, under /<lang>/staff/events/ (namespace "staff")."""

from django.urls import path

from events import staff_views

urlpatterns = [
    path("<int:event_id>/attendance/", staff_views.attendance, name="attendance"),
    path(
        "<int:event_id>/attendance/<int:registration_id>/",
        staff_views.attendance_mark,
        name="attendance_mark",
    ),
]
