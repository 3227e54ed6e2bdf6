"""A form renderer that draws the few templates of a simple form in Python.

Django renders every field of a form through several templates (the field group, its
label, the widget and its attributes, each option of a select, the error list): about
0.4 ms a field, most of an uncached sign-up page. This renderer writes the same HTML
for Django's own templates of those parts (the markup of Django 6.1's
django/forms/templates, which tests/events/test_signup_fields.py compares with what
Django draws) and leaves every other template to Django's renderer, so a widget or a
field set with a template of its own is drawn as before."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/attrs.html and widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: dict[str, Any]) -> str:
    widget = context["widget"]
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


def _select(context: dict[str, Any]) -> str:
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    groups: Iterable[tuple[Any, list[dict[str, Any]], int]] = widget["optgroups"]
    for group_name, options, _index in groups:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(
            f"\n  {_option(option)}"
            if option["template_name"] == "django/forms/widgets/select_option.html"
            else "\n  " + plain_form_renderer.render(option["template_name"], {"widget": option})
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: dict[str, Any]) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return str(label)
    tag = context["tag"]
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>"


def _errors(context: dict[str, Any]) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    named = f' id="{conditional_escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{named}>{items}</ul>'


def _field(context: dict[str, Any]) -> str | None:
    field = context["field"]
    if field.use_fieldset:
        return None  # a legend and a fieldset: left to Django's template
    label = str(field.label_tag()) if field.label else ""
    help_text = ""
    if field.help_text:
        named = f' id="{field.auto_id}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{named}>{field.help_text}</div>'
    return f"{label}\n{help_text}\n{field.errors}\n{field}"


DRAWN: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _errors,
    "django/forms/errors/list/ul.html": _errors,
    "django/forms/widgets/select.html": _select,
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("input", "text", "email", "number", "tel", "url", "password", "checkbox")
    },
}


class PlainFormRenderer(DjangoTemplates):
    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        draw = DRAWN.get(template_name)
        html = None if draw is None else draw(context)
        if html is None:
            return super().render(template_name, context, request)
        return html.strip()


plain_form_renderer = PlainFormRenderer()
