"""The pure domain: plain values and dataclasses in, plain values out.

Nothing in this package imports Flask or SQLAlchemy (a test checks it), so the
rules that decide prices and figures are tested fast and reused by web, API and
CLI alike.
"""
