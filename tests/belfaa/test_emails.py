"""Email addresses: one cleaning for every way an address gets in (registry, import),
stored trimmed and in lower case so that the same address is found as the same."""

import pytest
from django import forms
from django.utils import translation

from belfaa.validators import clean_email


def test_an_address_is_trimmed_and_put_in_lower_case() -> None:
    assert clean_email("  Awa.Diallo@Example.ORG ") == "awa.diallo@example.org"


def test_no_address_stays_empty() -> None:
    assert clean_email("   ") == ""


@pytest.mark.parametrize("typed", ["awa", "awa@", "awa@@example.org", "awa diallo@example.org"])
def test_what_is_not_an_address_is_refused(typed: str) -> None:
    with translation.override("en"), pytest.raises(forms.ValidationError) as refused:
        clean_email(typed)
    with translation.override("en"):
        assert refused.value.messages == ["Enter a valid email address."]


def test_an_address_longer_than_the_column_is_refused() -> None:
    longest = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example"
    assert len(longest) > 254
    with pytest.raises(forms.ValidationError) as refused:
        clean_email(longest)
    assert refused.value.code == "invalid"
