"""The partner portal's forms. They check what one form can check; the rules that
need the database (party to the agreement, still with the partner, the upload's
content) are in the services, whose messages the views put on the form."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partners.models import Agreement, Organisation, ReportFigure
from partners.report_drafts import FigureRow

DATE_INPUT = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agreement) -> str:
        return f"{obj.reference} · {obj.title}"


class ReportCreateForm(forms.Form):
    agreement = AgreementChoiceField(label=_("Agreement"), queryset=Agreement.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("Period to"), widget=DATE_INPUT)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the agreements this organisation is a party to can be chosen.
        field = self.fields["agreement"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agreement.objects.for_organisation(organisation).order_by("reference")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        return data


class NarrativeForm(forms.Form):
    achievements = forms.CharField(
        label=_("Achievements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Required to submit the report."),
    )
    difficulties = forms.CharField(
        label=_("Difficulties"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class FigureForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=ReportFigure._meta.get_field("label").max_length
    )
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "dir": "ltr"}),
    )
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=ReportFigure._meta.get_field("unit").max_length,
    )


class BaseFigureFormSet(forms.BaseFormSet):
    def rows(self) -> list[FigureRow]:
        """The figures to keep, in the order of the page: neither deleted nor empty."""
        return [
            FigureRow(
                label=form.cleaned_data["label"],
                value=form.cleaned_data["value"],
                unit=form.cleaned_data.get("unit", ""),
            )
            for form in self.forms
            if form.has_changed()
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("label")
        ]


# Three empty rows and a delete box per row: the table grows without JavaScript
# (save, and three more empty rows come back).
FigureFormSet = cast(
    "type[BaseFigureFormSet]",
    forms.formset_factory(
        FigureForm, formset=BaseFigureFormSet, extra=3, can_delete=True, max_num=100
    ),
)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, XLSX or DOCX."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx"}),
    )
