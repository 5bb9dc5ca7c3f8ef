"""The forms of a group event: the event, its school groups, its hosts, the imports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.models import AgeGroup
from app.services import group_events as service
from app.web.ui.fields import Form, MultiCheckboxField, optional_int

AGE_LABELS = {
    AgeGroup.primary: _l("Primary school (groep 7-8)"),
    AgeGroup.lower_secondary: _l("Secondary, lower years (klas 1-2)"),
    AgeGroup.upper_secondary: _l("Secondary, upper years (klas 3 and up)"),
    AgeGroup.vocational: _l("mbo and hbo"),
}


def age_choices() -> list[SelectChoice]:
    return [SelectChoice(age.value, AGE_LABELS[age]) for age in AgeGroup]


class EventForm(Form):
    kind = SelectField(_l("Kind of event"), validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(message=_l(
        "Give the event a title.")), Length(max=service.TITLE_MAX)])
    held_on = DateField(_l("Date"), validators=[InputRequired(message=_l(
        "Give the date of the event."))])
    region_id = SelectField(_l("Region"), coerce=optional_int, validators=[Optional()])
    activity_id = SelectField(
        _l("Activity in the programme"), coerce=optional_int, validators=[Optional()],
        description=_l("If the event is already entered as an activity, link it here."))


class GroupForm(Form):
    # The choices are only for showing: the service checks the school, company, age group.
    school_id = SelectField(_l("School"), coerce=optional_int, validators=[Optional()],
                            validate_choice=False)
    name = StringField(_l("Group"), validators=[Length(max=service.NAME_MAX)],
                       description=_l("The class, e.g. 2B or groep 8."))
    size = IntegerField(_l("Students"), validators=[Optional()])
    age_group = SelectField(_l("Age group"), validators=[Optional()], validate_choice=False)


class HostForm(Form):
    company_id = SelectField(_l("Company"), coerce=optional_int, validators=[Optional()],
                             validate_choice=False)
    capacity = IntegerField(_l("Capacity"), validators=[Optional()],
                            description=_l("The most students it receives that day."))
    age_groups = MultiCheckboxField(_l("Preferred age groups"),
                                    description=_l("None ticked: any age group."))


class ImportForm(Form):
    text = TextAreaField(_l("Lines from a spreadsheet"), validators=[Optional()])
