"""The printable A4 poster of an activity (PDF), for the commune's notice boards."""

from events.models import Event


def render_poster(event: Event, *, signup_url: str) -> bytes:
    raise NotImplementedError  # being written now (poster helper)
