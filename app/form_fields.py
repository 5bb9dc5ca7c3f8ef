"""Form building blocks shared by the forms of every area."""

from __future__ import annotations

from flask import flash
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from .labels import LABELS


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; an empty selection is allowed."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def enum_choices(enum_cls) -> list[SelectChoice]:
    """Every member of an enum, labelled in the page's language."""
    return [SelectChoice(member.value, LABELS.get(member, member.value)) for member in enum_cls]


def optional_int(value):
    """A field's text as a whole number, or None when empty (for ``coerce=``)."""
    if value in (None, ""):
        return None
    return int(value)


def attach_error(form, error: ValueError, fallback: str | None = None) -> None:
    """Show a service's message at its field, else at ``fallback``, else as a flash."""
    name = getattr(error, "field", None) or fallback
    if name and name in form:
        form[name].errors = [*form[name].errors, str(error)]
    else:
        flash(str(error), "error")
