"""The unit of work: commit once at the end of a user action, roll back on any error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from b2b_loyalty.extensions import db
from b2b_loyalty.services.errors import Conflict
from b2b_loyalty.services.row_versions import StaleEdit


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit the session when the block ends; roll back and re-raise on error.

    An IntegrityError that slipped past the service's own checks (two users
    saving the same tax id at the same moment) becomes a 409 Conflict instead
    of a 500. A StaleDataError (an UPDATE or DELETE whose ``row_version`` no
    longer matches: another transaction saved the row after we loaded it) becomes
    a StaleEdit, the same 409 as an edit that sent an outdated version.
    """
    try:
        yield
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleEdit() from exc
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "The change conflicts with data saved at the same time; reload and try again."
        ) from exc
    except BaseException:
        db.session.rollback()
        raise
