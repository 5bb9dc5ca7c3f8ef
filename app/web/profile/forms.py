"""Forms of the student side: the profile, consent, and deletion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.models import Gender, Level, Pathway, PlacementKind
from app.web.ui.fields import Form, MultiCheckboxField, enum_choices


class ProfileForm(Form):
    school_id = SelectField(
        _l("School"), coerce=int, validators=[InputRequired()],
        description=_l("So that your counsellor can guide you and approve proposals."))
    level = SelectField(
        _l("Level and track"), choices=enum_choices(Level), validators=[InputRequired()],
        description=_l("Placements are for certain levels; we only propose ones that fit."))
    pathway = SelectField(
        _l("BOL or BBL (mbo only)"),
        choices=[SelectChoice("", _l("Not applicable")), *enum_choices(Pathway)],
        description=_l("BBL students work as apprentices; BOL students do internships."))
    school_year = IntegerField(
        _l("School year"), validators=[InputRequired(), NumberRange(min=1, max=8)],
        description=_l("Which year of your course you are in."))
    class_name = StringField(_l("Class"), validators=[Optional(), Length(max=20)],
                             description=_l("Helps your counsellor find you, e.g. 3B."))
    postcode = StringField(
        _l("Postcode (4 digits)"), validators=[DataRequired(), Length(max=7)],
        description=_l("Only the 4 digits: enough to work out travel distances."))
    travel_km = IntegerField(
        _l("How far will you travel? (km)"),
        validators=[InputRequired(), NumberRange(min=0, max=200)],
        description=_l("We do not propose placements further away than this."))
    available_from = DateField(_l("Available from"), validators=[Optional()],
                               description=_l("When you can start a placement."))
    available_until = DateField(_l("Available until"), validators=[Optional()],
                                description=_l("When your placement must have ended."))
    days_per_week = IntegerField(
        _l("Days per week"), validators=[Optional(), NumberRange(min=1, max=5)],
        description=_l("How many days a week you can be at a company."))
    wanted_kinds = MultiCheckboxField(
        _l("Which kinds of placement do you want?"), choices=enum_choices(PlacementKind),
        description=_l("We only propose these kinds; leave all empty for any kind."))
    interests_text = TextAreaField(
        _l("What do you like doing?"), validators=[Optional(), Length(max=2000)],
        description=_l("In your own words, e.g. \"building robots and soldering\". "
                       "We look for placements that fit."))
    dream_job = StringField(
        _l("Dream job (optional)"), validators=[Optional(), Length(max=200)],
        description=_l("The work you would like to do later, e.g. \"automonteur\" or "
                       "\"iets met robots\". We look for placements close to it."))
    themes = MultiCheckboxField(
        _l("Themes you like"),
        description=_l("Pick the technology themes that interest you. Type to search; "
                       "spelling mistakes are fine."))
    wants_role_model = BooleanField(
        _l("I would like a female role model or mentor at the company"),
        description=_l("We then prefer companies that offer one."))
    gender = RadioField(
        _l("Gender (optional)"), choices=enum_choices(Gender), default=Gender.not_given.value,
        description=_l("Only used to count how many girls take part. It never influences "
                       "which placements you are proposed, and companies never see it."))
    submit = SubmitField(_l("Save my profile"))






class DeletionRequestForm(Form):
    confirm = BooleanField(_l("Yes, delete everything Talentmatch holds about me"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Ask for deletion"))
