"""Form building blocks shared by the forms of every area."""

from __future__ import annotations

import functools
import re
from datetime import date

from babel.support import Translations
from flask import current_app, flash
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.widgets import CheckboxInput, ListWidget

from app.models.labels import LABELS

# The range of an INTEGER column (PostgreSQL refuses more; SQLite would store it silently).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
# Dates the application can reason about: school years are stored as "2025-2026" (9 chars).
YEAR_MIN, YEAR_MAX = 1900, 2999
# Control characters (C0, DEL, C1): PostgreSQL refuses NUL, and none belongs in what people
# type. Multi-line fields keep tab, newline and carriage return.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multi_line: bool = False) -> bool:
    pattern = _CONTROL_MULTI_LINE if multi_line else _CONTROL_ONE_LINE
    return pattern.search(text) is not None


def _refusal(field) -> str | None:
    """Why a field's value cannot even be checked further, or None.

    Control characters, whole numbers beyond an INTEGER column and dates beyond the years
    the application handles would otherwise reach the database (or date arithmetic) and
    end in a 500; every form refuses them with the same messages.
    """
    multi_line = isinstance(field, TextAreaField)
    for raw in getattr(field, "raw_data", None) or ():
        if isinstance(raw, str) and has_control_characters(raw, multi_line=multi_line):
            return _("This text contains invisible control characters (such as a NUL byte); "
                     "remove them and try again.")
    values = field.data if isinstance(field.data, list) else [field.data]
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool):
            if value > INT_MAX:
                return _("This number is too large; give a smaller one.")
            if value < INT_MIN:
                return _("This number is too small; give a larger one.")
        if isinstance(value, date) and not YEAR_MIN <= value.year <= YEAR_MAX:
            return _("Give a date with a year from %(min)s to %(max)s.",
                     min=YEAR_MIN, max=YEAR_MAX)
    return None


@functools.cache
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")


class _WtformsMessages:
    """WTForms' own messages ("Not a valid choice.") in the page's language, as Flask-WTF
    gives them, but each language's catalogue read from disk once per process: Flask-WTF
    reads and parses it again in every request that validates a choice (issue 20)."""

    @staticmethod
    def _catalogue() -> Translations | None:
        locale = get_locale()
        return _wtforms_catalogue(str(locale)) if locale is not None else None

    def gettext(self, string: str) -> str:
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


_WTFORMS_MESSAGES = _WtformsMessages()


class Form(FlaskForm):
    """The base of every form: values no field can use are refused before any other check.

    They are refused first, and alone, so that no field's own validator (which may query
    the database) ever sees them.
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _WTFORMS_MESSAGES

    def validate(self, extra_validators=None) -> bool:
        refused = False
        for field in self:
            message = _refusal(field)
            if message is not None:
                field.errors = [message]
                refused = True
        if refused:
            self._errors = None
            return False
        return super().validate(extra_validators=extra_validators)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; an empty selection is allowed."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def enum_choices(enum_cls) -> list[SelectChoice]:
    """Every member of an enum, labelled in the page's language."""
    return [SelectChoice(member.value, LABELS.get((enum_cls, member.value), member.value))
            for member in enum_cls]


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
