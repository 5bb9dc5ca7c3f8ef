"""Language choice: Dutch unless the person asked for English; and the request's catalogue,
looked up once per request."""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import current_app, g, session
from flask_babel import Babel, Domain, get_locale
from flask_login import current_user
from werkzeug.utils import cached_property

_KEPT = "_talentmatch_translations"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class RequestDomain(Domain):
    """Flask-Babel's domain, keeping the catalogue it found for the request's locale.

    A page asks for forty translations or more (the menu alone twenty); Flask-Babel looks the
    catalogue up again for each, through the request's context several times over, and that
    was a tenth of a light page's CPU (issue 20). The catalogue is kept in ``g`` with the
    locale object it was found for: ``force_locale`` and ``refresh`` put another locale object
    in place, so the next lookup finds the catalogue of that one."""

    def get_translations(self) -> Translations | NullTranslations:
        locale = get_locale()
        if locale is None:  # outside a request: what Flask-Babel answers there
            return super().get_translations()
        kept = g.get(_KEPT)
        if kept is not None and kept[0] is locale and kept[1] is self:
            return kept[2]
        translations = super().get_translations()
        setattr(g, _KEPT, (locale, self, translations))
        return translations


class RequestBabel(Babel):
    """Flask-Babel with :class:`RequestDomain` as its default domain."""

    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain(domain=self.domain)
