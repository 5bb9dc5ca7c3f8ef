"""The student's search filters (in the address bar) and their "Ik heb interesse"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, SubmitField
from wtforms.validators import NumberRange, Optional

from app.web.ui.fields import Form


class PlacementSearchForm(Form):
    """Filters in the address bar (GET), so a search can be bookmarked and paged."""

    class Meta:
        csrf = False

    theme = SelectField(_l("Theme"), validators=[Optional()])
    kind = SelectField(_l("Kind of placement"), validators=[Optional()])
    max_km = IntegerField(_l("At most km from home"),
                          validators=[Optional(), NumberRange(min=0, max=500)])
    period_from = DateField(_l("Available from"), validators=[Optional()])
    period_until = DateField(_l("Available until"), validators=[Optional()])
    recognised = BooleanField(_l("Only recognised companies (erkend leerbedrijf)"))
    submit = SubmitField(_l("Search"))


class InterestForm(Form):
    submit = SubmitField(_l("I am interested"))
