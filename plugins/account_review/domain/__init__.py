"""Plain Python for the exports: no Flask, no SQLAlchemy, no file formats' libraries."""
