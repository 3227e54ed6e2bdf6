"""The participant registry (people, consent, support requests) lands here
with its own issue; the app exists now so the layout and roles are in place."""
