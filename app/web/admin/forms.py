"""Forms of the administration screens. Choices that come from the database (schools,
regions, the roles the user may give) are filled in by the view; the services check every
rule again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.services.admin_users import EMAIL_MAX, NAME_MAX
from app.services.reference import PLACE_MAX, REGION_NAME_MAX, SCHOOL_NAME_MAX, SLUG_MAX
from app.web.ui.fields import Form, MultiCheckboxField, optional_int


class UserLinksForm(Form):
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))])
    school_id = SelectField(_l("School"), coerce=optional_int, validators=[Optional()],
                            description=_l("For a student or a counsellor."))
    region_id = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()],
                            description=_l("For a coordinator."))


class NewUserForm(UserLinksForm):
    email = EmailField(_l("E-mail address"), validators=[
        DataRequired(message=_l("Give an e-mail address.")), Length(max=EMAIL_MAX)])
    display_name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Give a name.")), Length(max=NAME_MAX)])


class RegionForm(Form):
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Give a name.")), Length(max=REGION_NAME_MAX)])
    slug = StringField(_l("Slug"), validators=[Optional(), Length(max=SLUG_MAX)],
                       description=_l("Letters, digits and hyphens; empty: made from the name."))
    answer_days = IntegerField(_l("Days a company has to answer"), validators=[Optional()])
    student_answer_days = IntegerField(_l("Days a student has to answer a proposal"),
                                       validators=[Optional()],
                                       description=_l("Working days; then the proposal lapses."))


class SchoolForm(Form):
    code = StringField(_l("BRIN code"), validators=[DataRequired(message=_l("Give a BRIN code."))])
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Give a name.")), Length(max=SCHOOL_NAME_MAX)])
    kind = StringField(_l("Kind of school"), validators=[
        DataRequired(message=_l("Give the kind of school, such as vmbo or mbo."))])
    levels = MultiCheckboxField(_l("Levels"), choices=[], validators=[Optional()],
                                description=_l("None ticked: every level of its kind."))
    postcode = StringField(_l("Postcode"), validators=[
        DataRequired(message=_l("Give the postcode."))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=PLACE_MAX)])
    region_id = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()])
