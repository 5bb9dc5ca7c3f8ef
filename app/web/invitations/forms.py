"""Choosing a password from a link, and the buttons that send invitations or print codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional

from app.services.accounts import MIN_PASSWORD_LENGTH
from app.web.ui.fields import Form


class AcceptInvitationForm(Form):
    password = PasswordField(
        _l("Password"),
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


class SendInvitationsForm(Form):
    """Invite by e-mail: one student, one class, or the whole school (``scope`` says which)."""

    scope = HiddenField(validators=[DataRequired(), AnyOf(("school", "class", "student"))])
    class_name = HiddenField(validators=[Optional(), Length(max=20)])
    student = HiddenField(validators=[Optional(), Length(max=12)])


class PrintCodesForm(Form):
    class_name = HiddenField(validators=[Optional(), Length(max=20)])
