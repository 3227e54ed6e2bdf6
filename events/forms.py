from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from belfaa.validators import (
    OLDEST_BIRTH_YEAR,
    clean_email,
    clean_person_name,
    clean_phone,
    clean_year,
)
from events.models import Event, Registration


class RegistrationForm(forms.Form):
    """The public sign-up form. `website` is a honeypot: people never see it."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=400,
        strip=False,
        error_messages={"required": _("Please write your name.")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("A phone or an email address, at least one."),
        # Typed and read left to right, also on an Arabic page ("+212…", not "…212+").
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Please give your year of birth."),
            "invalid": _("Please give your year of birth as a number, e.g. 2004."),
        },
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", "—"), *Registration.Sex.choices],
        error_messages={"required": _("Please choose an answer for sex.")},
    )
    group = forms.ChoiceField(
        label=_("You are"),
        choices=[("", "—"), *Registration.Group.choices],
        error_messages={"required": _("Please say which group you belong to.")},
    )
    language = forms.ChoiceField(label=_("Language for our messages"), choices=settings.LANGUAGES)
    consent_processing = forms.BooleanField(
        label=_(
            "I agree that the commune keeps these details to organise this activity. "
            "They are deleted some months after it."
        ),
        error_messages={"required": _("We need your agreement to register you.")},
    )
    consent_contact = forms.BooleanField(
        label=_("You may tell me about future activities."), required=False
    )
    consent_photos = forms.BooleanField(
        label=_("I agree to appear in photos of the activity."), required=False
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: object, event: Event, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.event = event
        self.fields["language"].initial = get_language()
        this_year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(min=OLDEST_BIRTH_YEAR, max=this_year)

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return clean_email(self.cleaned_data["email"])

    def clean_birth_year(self) -> int:
        year = clean_year(self.cleaned_data["birth_year"])
        age = self.event.starts_at.year - year
        low, high = self.event.min_age, self.event.max_age
        if (low is not None and age < low) or (high is not None and age > high):
            raise forms.ValidationError(
                _("This activity is for people aged %(low)s to %(high)s."),
                code="age",
                params={"low": low if low is not None else 0, "high": high or "99"},
            )
        return year

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not (self.errors.get("phone") or self.errors.get("email")) and not (
            data.get("phone") or data.get("email")
        ):
            self.add_error("phone", _("Please give a phone number or an email address."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
