"""The upload form of the import page (Flask-WTF: it carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, SubmitField

from app.services.imports import KIND_LABELS
from app.web.ui.fields import Form


class ImportForm(Form):
    kind = SelectField(_l("What does the file contain?"), choices=[])
    file = FileField(
        _l("CSV file"),
        description=_l("Saved from Excel, LibreOffice or Numbers as CSV (comma or semicolon "
                       "separated), at most 20 MB."),
        validators=[
            FileRequired(_l("Choose a file to upload.")),
            FileAllowed(["csv", "txt"], _l("Upload a .csv file (save the sheet as CSV).")),
        ],
    )
    dry_run = BooleanField(_l("Only check the file; do not import anything yet"))
    submit = SubmitField(_l("Check and import"))

    def limit_kinds(self, kinds: list[str]) -> None:
        """Offer only the kinds this user may import."""
        self.kind.choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
