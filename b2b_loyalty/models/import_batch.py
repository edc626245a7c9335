from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from b2b_loyalty.extensions import db
from b2b_loyalty.models.columns import TIMESTAMP, utcnow
from b2b_loyalty.models.user import User

# uploaded: read, not yet checked; checked: a dry run ran (counts are its counts);
# committed: written; nothing else ever changes a committed batch.
BATCH_STATUSES = ("uploaded", "checked", "committed")


class ImportBatch(db.Model):
    """One uploaded file and what importing it did: the import log.

    The file itself is kept here, not on a server's disk, so the preview and
    the commit may run on different app servers. ``mapping`` lists, per column
    of the file, the field it feeds (``""``: ignored). Counts and
    ``rejections`` are those of the latest dry run or of the commit.
    """

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(60), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10))
    file_size: Mapped[int] = mapped_column(Integer)
    file_sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: the log page lists batches without loading their files.
    file_bytes: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    encoding: Mapped[str | None] = mapped_column(String(20))
    delimiter: Mapped[str | None] = mapped_column(String(4))
    header_row: Mapped[int] = mapped_column(Integer, default=1)
    headers: Mapped[list[str]] = mapped_column(JSON)
    # The first data rows' cell texts, shown beside the mapping without reading the file.
    samples: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    mapping: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="uploaded")
    source: Mapped[str] = mapped_column(String(10), default="web")
    skip_rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    # [{"row": 17, "field": "quantity", "column": "Qty", "value": "-5", "message": "..."}]
    rejections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Who new accounts go to (the CLI's --owner, or an admin's choice); None: the importer.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP, default=utcnow, index=True)
    checked_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)
    committed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def is_committed(self) -> bool:
        return self.status == "committed"

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.entity} {self.file_name!r} {self.status}>"
