"""The service layer: one user action, one transaction.

Views, API routes and CLI commands call these functions with already-parsed
values; a service checks the rules that need the database (uniqueness,
reports-to cycles, unknown category), writes, and commits once. On any error
it rolls back and raises a ServiceError, so nothing is half-written.
"""
