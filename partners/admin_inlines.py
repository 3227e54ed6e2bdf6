"""The agreement admin's inlines, with the same cross-row rules as the services.

A model form checks one row; the rules that look at the agreement or at other rows
(money and promises only for the agreement's parties, a commitment due within the
agreement's dates, an amendment's new end after the start) are in
`partners.services`. These formsets call them in `clean()`, so a hand-made POST to
the admin is refused with the service's message and nothing is saved (the admin saves
only when every form and formset is valid).

The parties a contribution may name are those of the page as submitted: a party added
on the same page counts, one deleted on it no longer does. So each formset of the page
knows its siblings (`AgreementAdmin.get_formset_kwargs` hands them the same list)."""

import copy
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners import services
from partners.models import Agreement, Amendment, Commitment, Contribution, Party

SIBLINGS = "_partners_agreement_formsets"


def _pk(value: Any) -> int | None:
    # View-only inline forms carry their initial values (ids), edited ones instances.
    return getattr(value, "pk", value)


class AgreementFormSet(BaseInlineFormSet):
    """An inline formset of the agreement page that knows the page's other formsets."""

    def __init__(self, *args: Any, siblings: list["AgreementFormSet"] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.siblings = siblings if siblings is not None else []
        self.siblings.append(self)

    @property
    def agreement(self) -> Agreement:
        agreement: Agreement = self.instance
        return agreement

    def live_forms(self) -> Iterator[ModelForm]:
        """The valid rows that will be kept: neither deleted nor left empty."""
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            if self.can_delete and form.cleaned_data.get("DELETE"):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            yield form

    def refuse(self, form: ModelForm, error: ValidationError, field: str) -> None:
        if hasattr(error, "error_dict"):
            form.add_error(None, error)
        else:
            form.add_error(field, error)

    def party_formset(self) -> "PartyFormSet | None":
        found = [sibling for sibling in self.siblings if isinstance(sibling, PartyFormSet)]
        return found[-1] if found else None

    def check_party(self, form: ModelForm) -> None:
        """The row's organisation must be a party, as the page will save them."""
        organisation = form.cleaned_data.get("organisation")
        if organisation is None:
            return
        parties = self.party_formset()
        if parties is None:
            # No parties on this page: the saved ones decide (services.party_check).
            try:
                services.party_check(agreement=self.agreement, organisation=organisation)
            except ValidationError as error:
                self.refuse(form, error, "organisation")
            return
        if _pk(organisation) not in parties.organisations():
            form.add_error(
                "organisation", gettext("This organisation is not a party to the agreement.")
            )


class PartyFormSet(AgreementFormSet):
    def organisations(self) -> set[int | None]:
        self.errors  # noqa: B018 (cleans the rows if this formset was not yet)
        return {_pk(form.cleaned_data.get("organisation")) for form in self.live_forms()}


class ContributionFormSet(AgreementFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.live_forms():
            self.check_party(form)


class CommitmentFormSet(AgreementFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.live_forms():
            self.check_party(form)
            due_on = form.cleaned_data.get("due_on")
            if due_on is None:
                continue
            try:
                services.commitment_check(agreement=self.agreement, due_on=due_on)
            except ValidationError as error:
                self.refuse(form, error, "due_on")


class AmendmentFormSet(AgreementFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.live_forms():
            new_ends_on = form.cleaned_data.get("new_ends_on")
            try:
                services.amendment_check(agreement=self.agreement, new_ends_on=new_ends_on)
                if new_ends_on is not None:
                    # The agreement as the amendment leaves it must still hold together
                    # (an end before the signature, for one).
                    amended = copy.copy(self.agreement)
                    amended.ends_on = new_ends_on
                    amended.validate_constraints()
            except ValidationError as error:
                self.refuse(form, error, "new_ends_on")

    def apply(self) -> None:
        """After saving: the last amendment's new end becomes the agreement's, as
        services.amendment_add does, when that amendment was saved from this page."""
        saved = {amendment.pk for amendment in self.new_objects} | {
            amendment.pk for amendment, _fields in self.changed_objects
        }
        last = (
            Amendment.objects.filter(agreement=self.agreement, new_ends_on__isnull=False)
            .order_by("-number")
            .first()
        )
        if last is not None and last.pk in saved:
            services.amendment_apply(amendment=last)


class PartyInline(admin.TabularInline):
    model = Party
    formset = PartyFormSet
    extra = 0
    autocomplete_fields = ("organisation",)


class ContributionInline(admin.TabularInline):
    model = Contribution
    formset = ContributionFormSet
    extra = 0
    fields = (
        "organisation",
        "year",
        "amount",
        "currency",
        "nature",
        "rate_to_mad",
        "rate_on",
        "amount_mad",
        "description",
    )
    readonly_fields = ("amount_mad",)
    autocomplete_fields = ("organisation",)

    @admin.display(description=_("amount in MAD"))
    def amount_mad(self, obj: Contribution) -> Decimal | str:
        return obj.amount_mad if obj.pk else "-"


class CommitmentInline(admin.TabularInline):
    model = Commitment
    formset = CommitmentFormSet
    extra = 0
    autocomplete_fields = ("organisation",)


def siblings_for(request: HttpRequest) -> list[AgreementFormSet]:
    """The list the agreement page's formsets share for this request."""
    siblings: list[AgreementFormSet] | None = getattr(request, SIBLINGS, None)
    if siblings is None:
        siblings = []
        setattr(request, SIBLINGS, siblings)
    return siblings
