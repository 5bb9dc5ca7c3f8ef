"""WTForms' own messages come in the page's language, and their catalogue is read from disk
once per process and language, not in every request (issue 20)."""

from __future__ import annotations

from flask import session
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.web.ui import fields
from app.web.ui.fields import Form


class ChoiceForm(Form):
    pick = SelectField(choices=[SelectChoice("a", "A")])


def _errors(app, language: str) -> list[str]:
    with app.test_request_context("/?pick=b"):
        session["lang"] = language
        form = ChoiceForm(meta={"csrf": False})
        assert not form.validate()
        return list(form.pick.errors)


def test_a_choice_not_offered_is_refused_in_the_language_of_the_page(app):
    assert _errors(app, "nl") == ["Ongeldige keuze."]
    assert _errors(app, "en") == ["Not a valid choice."]


def test_the_catalogue_of_a_language_is_read_once_for_many_requests(app, monkeypatch):
    reads = []
    original = fields.Translations.load

    def counted(*args, **kwargs):
        reads.append(args)
        return original(*args, **kwargs)

    fields._wtforms_catalogue.cache_clear()
    monkeypatch.setattr(fields.Translations, "load", counted)
    for _ in range(3):
        assert _errors(app, "nl") == ["Ongeldige keuze."]
        assert _errors(app, "en") == ["Not a valid choice."]
    assert len(reads) == 2
