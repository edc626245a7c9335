"""The pure domain: plain values and dataclasses in, plain values out.

Nothing in this package imports Flask or SQLAlchemy (a test checks it), so the
rules that decide prices and figures are tested fast and reused by web, API and
CLI alike.

Results are frozen dataclasses, except the few a report may make once per account
(a lifecycle status and its purchase cycle, a segment assignment and its figures,
a health score, a Pareto entry): a frozen dataclass sets each field through
``object.__setattr__`` and costs five times as much to build, which the
dashboard's 10,000 accounts paid about 10 % of their time for. Nothing changes
them after they are built; those classes say so where they are defined.

Where a report needs only the value of such a result for thousands of accounts,
a function gives the value alone (``lifecycle.stage_of``,
``segmentation.segment_of``, ``share_of_wallet.share_of_total``) and is the very
rule the explaining function builds on; a property test holds the two together.
"""
