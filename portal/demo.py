"""The portal's part of the demo: one invitation still open, for the local
association, so the invitation page can be tried (its link is in the mail written
to var/mail by `make run`). The partner users themselves come with partners/demo.py."""

from belfaa.demo import coordinator
from partners.demo import organisation
from portal.invitations import invitation_create
from portal.models import Invitation

INVITEE = ("invite@jeunes-belfaa.demo", "Karim", "Amzil")


def seed() -> list[str]:
    line = f"  {'Invited':<12} {INVITEE[0]} (open invitation: its link is in var/mail)"
    if Invitation.objects.exists():
        return [line]
    invitation_create(
        by=coordinator(),
        email=INVITEE[0],
        first_name=INVITEE[1],
        last_name=INVITEE[2],
        organisation_id=organisation("assoc").pk,
        language="fr",
    )
    return [line]
