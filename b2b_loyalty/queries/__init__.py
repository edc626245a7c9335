"""Read queries, in one layer. Each returns what a page or endpoint needs in a
bounded number of SQL statements (eager loads, grouped sub-selects), so list
and dashboard pages cost the same for 10 or 10,000 accounts.

Record-level access is not repeated here: access.py adds it to every query.
"""
