"""Forms of the counsellor's review and the student's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.services.review import REJECT_REASONS
from app.web.ui.fields import Form


def reason_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a reason"))] + [
        SelectChoice(code, text) for code, text in REJECT_REASONS.items()]


class ReviewFilterForm(Form):
    """Filters in the address bar (GET), so a filtered queue can be bookmarked."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    level = SelectField(_l("Level"), validators=[Optional()])
    class_name = SelectField(_l("Class"), validators=[Optional()])
    kind = SelectField(_l("Kind of placement"), validators=[Optional()])
    theme = SelectField(_l("Theme"), validators=[Optional()])
    max_km = DecimalField(_l("At most km from home"), places=0,
                          validators=[Optional(), NumberRange(min=0, max=500)])
    sort = SelectField(_l("Sort by"), validators=[Optional()], choices=[
        SelectChoice("student", _l("Student")), SelectChoice("score", _l("Score")),
        SelectChoice("distance", _l("Distance")), SelectChoice("placement", _l("Placement"))])
    group = SelectField(_l("Group by"), validators=[Optional()], choices=[
        SelectChoice("student", _l("Student")), SelectChoice("placement", _l("Placement"))])
    submit = SubmitField(_l("Filter"))


class BulkDecisionForm(Form):
    reason_code = SelectField(_l("Reason (when rejecting)"), validators=[Optional()])
    reason = StringField(_l("Explanation (optional)"), validators=[Optional(), Length(max=2000)])
    approve = SubmitField(_l("Approve selected"))
    reject = SubmitField(_l("Reject selected"))


class RejectForm(Form):
    reason_code = SelectField(_l("Reason"), validators=[DataRequired()])
    reason = TextAreaField(_l("Explanation"), validators=[Optional(), Length(max=2000)],
                           description=_l("Required when the reason is \"other\"."))
    submit = SubmitField(_l("Reject"))


class ApproveForm(Form):
    note = TextAreaField(_l("Private note (optional)"), validators=[Optional(), Length(max=2000)],
                         description=_l("Only counsellors see it."))
    submit = SubmitField(_l("Approve and offer to the student"))


class NoteForm(Form):
    note = TextAreaField(_l("Private note"), validators=[Optional(), Length(max=2000)],
                         description=_l("Only counsellors see it."))
    submit = SubmitField(_l("Save note"))


class ReplaceForm(Form):
    placement_id = HiddenField(validators=[DataRequired()])
    reason = StringField(_l("Why this placement instead"), validators=[DataRequired(),
                                                                        Length(max=2000)])
    breaking_rules = BooleanField(_l("I know it breaks this rule: offer it anyway"))
    submit = SubmitField(_l("Offer this placement instead"))


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search open placements"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Search"))




