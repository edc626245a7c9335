"""b2b_loyalty: self-hosted B2B client relations and loyalty."""

from b2b_loyalty.app import create_app

__all__ = ["create_app"]
__version__ = "0.1.0"
