"""Form building blocks shared by the forms of every area."""

from __future__ import annotations

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
