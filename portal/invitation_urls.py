"""The invitation link, /<lang>/portal/invitation/<token>/: open to visitors (the
invitee has no password yet), mounted beside the portal's own addresses."""

from django.urls import path

from portal import views

app_name = "portal_invitation"

urlpatterns = [path("<str:token>/", views.invitation, name="accept")]
