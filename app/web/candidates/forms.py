"""Forms for answering candidates and giving feedback after a placement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.services.history import COMPANY_DECLINE_REASONS
from app.web.ui.fields import Form

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class DeclineForm(Form):
    reason_code = SelectField(
        _l("Reason"), validators=[DataRequired(_l("Choose a reason from the list."))],
        choices=[SelectChoice("", _l("Choose a reason"))] + [
            SelectChoice(code, text) for code, text in COMPANY_DECLINE_REASONS.items()],
        description=_l("The student reads a kind sentence for this reason."))
    reason = TextAreaField(
        _l("Why do you decline?"),
        validators=[DataRequired(_l("Say why you decline: the student and counsellor learn "
                                    "from it.")), Length(max=1000)],
        description=_l("Only the counsellor reads your own words. Be concrete."))
    submit = SubmitField(_l("Decline candidate"))


class CompanyFeedbackForm(Form):
    would_host_again = RadioField(_l("Would you host a student like this again?"),
                                  choices=YES_NO, validators=[InputRequired()])
    comment = TextAreaField(_l("Anything the school should know?"),
                            validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save feedback"))


class StudentFeedbackForm(Form):
    learned = TextAreaField(_l("What did you learn?"),
                            validators=[DataRequired(), Length(max=2000)],
                            description=_l("A few sentences for your counsellor and for "
                                           "students after you."))
    would_recommend = RadioField(_l("Would you recommend this placement to others?"),
                                 choices=YES_NO, validators=[InputRequired()])
    submit = SubmitField(_l("Save feedback"))
