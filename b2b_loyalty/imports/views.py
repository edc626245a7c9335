"""The import pages: upload and log, preview (mapping, dry-run report), commit, downloads."""

from __future__ import annotations

import csv
import io
from contextlib import suppress

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from b2b_loyalty.domain.roles import Role, can_assign_owner, can_edit_accounts
from b2b_loyalty.extensions import db
from b2b_loyalty.imports import service
from b2b_loyalty.imports.forms import CommitForm, UploadForm, mapping_form_class
from b2b_loyalty.imports.header_matching import column_label, mapping_problems
from b2b_loyalty.imports.readers import read_sheet
from b2b_loyalty.imports.registry import get_entity, import_entities
from b2b_loyalty.imports.template_workbook import build_template, live_examples
from b2b_loyalty.queries.pagination import clamp_page_args, paginate
from b2b_loyalty.services.errors import ServiceError, ValidationFailed
from b2b_loyalty.web import or_404

# Rejected rows shown on the page; all of them are in the CSV download.
REJECTIONS_ON_PAGE = 200
ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1251": "Windows-1251",
    "cp1252": "Windows-1252",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer() -> None:
    if not can_edit_accounts(Role(current_user.role)):
        abort(403)


def _owners() -> list:
    from b2b_loyalty.imports.entities.accounts import OWNER_ROLES
    from b2b_loyalty.models import User

    if not can_assign_owner(Role(current_user.role)):
        return []
    stmt = select(User).where(User.active, User.role.in_(OWNER_ROLES)).order_by(User.name)
    return list(db.session.scalars(stmt))


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.set_choices(list(import_entities().values()), _owners())
    if not can_assign_owner(Role(current_user.role)):
        del form.owner_id
    return form


def list_imports(form: UploadForm | None = None, status: int = 200):
    _require_importer()
    page_number, per_page = clamp_page_args(
        request.args.get("page"), request.args.get("per_page"), current_app.config["PAGE_SIZE"]
    )
    page = paginate(
        service.visible_batches_statement(current_user), page_number, per_page, scalars=True
    )
    return (
        render_template(
            "imports/list.html",
            form=form or _upload_form(),
            page=page,
            entities=import_entities(),
        ),
        status,
    )


def upload():
    _require_importer()
    form = _upload_form()
    if not form.validate_on_submit():
        return list_imports(form, 422)
    owner = None
    owner_id = form.owner_id.data if "owner_id" in form else None
    if owner_id:
        owner = next((u for u in _owners() if u.id == owner_id), None)
    upload_file = form.file.data
    file_name, data = upload_file.filename or "upload", upload_file.read()
    try:
        sheet = read_sheet(data, file_name)
        batch = service.start_import(
            current_user, form.entity.data, file_name, data, owner=owner, sheet=sheet
        )
    except ServiceError as exc:
        form.file.errors = [*form.file.errors, exc.message]
        return list_imports(form, 422)
    with suppress(ValidationFailed):  # an incomplete mapping: the preview says what to map
        service.check_import(batch, current_user, sheet=sheet)
    return redirect(url_for("imports.preview", batch_id=batch.id))


def preview(batch_id: int):
    _require_importer()
    batch = or_404(service.get_batch, current_user, batch_id)
    entity = get_entity(batch.entity)
    headers = list(batch.headers)
    mapping_form = mapping_form_class(entity, headers)(
        formdata=None, data={f"column_{i}": key for i, key in enumerate(batch.mapping)}
    )
    columns = [
        {
            "field": mapping_form[f"column_{i}"],
            "label": column_label(headers, i),
            "samples": [texts[i] if i < len(texts) else "" for texts in batch.samples],
        }
        for i in range(len(headers))
    ]
    return render_template(
        "imports/preview.html",
        batch=batch,
        entity=entity,
        columns=columns,
        mapping_form=mapping_form,
        mapping_problems=mapping_problems(entity, batch.mapping),
        commit_form=CommitForm(formdata=None),
        rejections=batch.rejections[:REJECTIONS_ON_PAGE],
        encoding_label=ENCODING_LABELS.get(batch.encoding or "", batch.encoding),
    )


def remap(batch_id: int):
    _require_importer()
    batch = or_404(service.get_batch, current_user, batch_id)
    entity = get_entity(batch.entity)
    form = mapping_form_class(entity, batch.headers)()
    if form.validate_on_submit():
        mapping = [form[f"column_{i}"].data or "" for i in range(len(batch.headers))]
        try:
            service.change_mapping(batch, mapping)
            service.check_import(batch, current_user)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Mapping saved and the file checked again."), "success")
    else:
        flash(_("The mapping was not saved: choose a field or 'ignore' for each column."), "error")
    return redirect(url_for("imports.preview", batch_id=batch_id))


def commit(batch_id: int):
    _require_importer()
    batch = or_404(service.get_batch, current_user, batch_id)
    form = CommitForm()
    if not form.validate_on_submit():
        abort(400)
    if batch.status != "checked":
        flash(_("Check the file (save the mapping) before importing it."), "error")
        return redirect(url_for("imports.preview", batch_id=batch_id))
    try:
        report = service.commit_import(
            batch, current_user, skip_rejected=bool(form.skip_rejected.data)
        )
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        if report.committed:
            flash(
                _(
                    "Imported: %(created)d created, %(updated)d updated, "
                    "%(unchanged)d unchanged, %(rejected)d skipped.",
                    created=report.created,
                    updated=report.updated,
                    unchanged=report.unchanged,
                    rejected=report.rejected,
                ),
                "success",
            )
        else:
            flash(
                _(
                    "Nothing was written: %(rejected)d rows are rejected. Fix them and upload "
                    "again, or choose to skip them.",
                    rejected=report.rejected,
                ),
                "error",
            )
    return redirect(url_for("imports.preview", batch_id=batch_id))


def _spreadsheet_safe(text: str) -> str:
    # The report may be opened in Excel: a value that starts like a formula must stay text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rejections_csv(batch_id: int):
    _require_importer()
    batch = or_404(service.get_batch, current_user, batch_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Row", "Column", "Field", "Value", "Reason"])
    for item in batch.rejections:
        writer.writerow(
            [
                item["row"],
                _spreadsheet_safe(item["column"]),
                item["field"],
                _spreadsheet_safe(item["value"]),
                item["message"],
            ]
        )
    data = io.BytesIO(buffer.getvalue().encode("utf-8-sig"))
    return send_file(
        data,
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"import-{batch.id}-rejected-rows.csv",
    )


def template(entity_name: str):
    _require_importer()
    entity = or_404(get_entity, entity_name)
    data = build_template(entity, live_examples(entity))
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX_TYPE,
        as_attachment=True,
        download_name=f"{entity.name}-template.xlsx",
    )
