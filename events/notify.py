"""How a message reaches a person. One small interface: an SMS channel is one more
class in CHANNELS. A person with only a phone gets no message until then."""

from dataclasses import dataclass, field
from typing import Protocol

from django.core.mail import EmailMessage

from events.models import Registration


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


class Channel(Protocol):
    name: str

    def can_reach(self, registration: Registration) -> bool: ...

    def send(self, registration: Registration, message: Message) -> None: ...


class EmailChannel:
    name = "email"

    def can_reach(self, registration: Registration) -> bool:
        return bool(registration.email)

    def send(self, registration: Registration, message: Message) -> None:
        email = EmailMessage(subject=message.subject, body=message.body, to=[registration.email])
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        email.send()


CHANNELS: list[Channel] = [EmailChannel()]


def channel_for(registration: Registration) -> Channel | None:
    return next((c for c in CHANNELS if c.can_reach(registration)), None)
