"""A student's yes or no to a placement offered to them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from app.web.ui.fields import Form


class DeclineOfferForm(Form):
    reason = TextAreaField(_l("Why not? (optional)"), validators=[Optional(), Length(max=2000)],
                           description=_l("It helps us find a better placement next time."))
    submit = SubmitField(_l("No, thank you"))


class AcceptOfferForm(Form):
    submit = SubmitField(_l("Yes, I want this"))
