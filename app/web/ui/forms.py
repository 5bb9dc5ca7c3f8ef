"""Forms every area uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from app.web.ui.fields import Form


class ConfirmForm(Form):
    """A button that does one thing; the CSRF token is the point."""

    submit = SubmitField(_l("Confirm"))
