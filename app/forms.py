"""Forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from .form_fields import Form
from .services.accounts import MIN_PASSWORD_LENGTH


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class LogoutForm(Form):
    submit = SubmitField(_l("Log out"))


class ChangePasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD_LENGTH,
                   message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH)),
        ],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class AnswerDaysForm(Form):
    answer_days = IntegerField(
        _l("Working days a company has to answer a candidate"), validators=[InputRequired()],
        description=_l("After this the offer lapses, the place is freed and the student can "
                       "be matched again."))
    submit = SubmitField(_l("Save"))
