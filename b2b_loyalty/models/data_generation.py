from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from b2b_loyalty.extensions import db


class DataGeneration(db.Model):
    """A token that changes whenever a kind of data changes (see
    ``services.data_generations``): what caches of derived figures are keyed by.

    The token is a random number, not a counter: a cache compares it for equality
    only, and a database rebuilt from scratch can never repeat an old token.
    """

    __tablename__ = "data_generations"
    # Not data: dumps leave it out, and a restore gives every key a new token.
    __table_args__ = {"info": {"archived": False}}

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
