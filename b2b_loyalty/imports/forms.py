"""The import pages' forms: upload, column mapping (built per file) and commit."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired, Optional

from b2b_loyalty.accounts.forms import optional_int
from b2b_loyalty.form_choices import choices
from b2b_loyalty.imports.header_matching import column_label
from b2b_loyalty.plugin_api.types import ImportEntity

# .xls passes here so the reader can say what to do with it (save as .xlsx).
ACCEPTED_EXTENSIONS = ["xlsx", "csv", "txt", "tsv", "xls"]


class UploadForm(FlaskForm):
    entity = SelectField(_l("What the file holds"), validators=[InputRequired()])
    file = FileField(
        _l("File (.xlsx or .csv)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(ACCEPTED_EXTENSIONS, _l("Upload an .xlsx or .csv file.")),
        ],
    )
    owner_id = SelectField(
        _l("New accounts go to"),
        coerce=optional_int,
        validate_choice=False,
        validators=[Optional()],
    )

    def set_choices(self, entities: Sequence[ImportEntity], owners: Sequence) -> None:
        self.entity.choices = choices((e.name, e.title) for e in entities)
        self.owner_id.choices = choices(
            [("", _l("Me"))] + [(u.id, f"{u.name} ({u.email})") for u in owners]
        )


class CommitForm(FlaskForm):
    skip_rejected = BooleanField(_l("Skip the rejected rows and import the others"))


def mapping_form_class(entity: ImportEntity, headers: Sequence[str]) -> type[FlaskForm]:
    """A form with one select per column of the file: the field it feeds, or "ignore"."""
    options = [("", str(_l("— ignore this column —")))] + [
        (f.key, f"{f.label} *" if f.required else f.label) for f in entity.fields
    ]
    fields = {
        f"column_{index}": SelectField(column_label(headers, index), choices=choices(options))
        for index in range(len(headers))
    }
    return type("MappingForm", (FlaskForm,), fields)
