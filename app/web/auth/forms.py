"""Forms (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from app.services.accounts import MIN_PASSWORD_LENGTH
from app.web.ui.fields import Form


class LoginForm(Form):
    # A student who got a printed code logs in with the login name on the sheet.
    email = EmailField(_l("E-mail address or login name"),
                       validators=[DataRequired(), Length(max=254)])
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


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail address"),
                       validators=[DataRequired(message=_l("Fill in your e-mail address.")),
                                   Length(max=254)],
                       description=_l("The address you log in with."))
    submit = SubmitField(_l("Send me a link"))


class CodeForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=_l("Fill in the code from your sheet.")),
                    Length(max=40)],
        render_kw={"autocapitalize": "characters", "autocorrect": "off",
                   "spellcheck": "false"},
        description=_l("The ten letters and digits on the sheet from your school, such as "
                       "ABCDE-FGH23. Capitals or not, dash or not: both work."))
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(message=_l("Choose a password.")),
                    Length(min=MIN_PASSWORD_LENGTH,
                           message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))],
        description=_l("At least %(n)s characters. A sentence of a few words is easy to "
                       "remember and hard to guess.", n=MIN_PASSWORD_LENGTH))
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(message=_l("Type the password again.")),
                    EqualTo("password", message=_l("The two passwords differ."))],
        description=_l("To be sure there is no typing error."))
    submit = SubmitField(_l("Set password and log in"))
