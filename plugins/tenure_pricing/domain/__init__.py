"""Tenure pricing as plain Python: no Flask, no SQLAlchemy, no app imports.

- ``tenure``: continuous time under contract, gaps and the grace period;
- ``tenure_schedule``: finance's tenure thresholds and how they stack with the
  volume discount under a cap;
- ``membership``: break-even of a prepaid membership fee, client's and seller's side;
- ``renewal``: next term's price under the uplift rule and the tenure step-up;
- ``renewal_risk``: a 0-100 outlook of a contract's renewal.
"""
