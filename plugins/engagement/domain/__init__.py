"""The engagement plugin's domain: plain Python, no Flask, no SQLAlchemy.

Scoring, cadence, coverage, alert rules, NPS trends and the circle map's
geometry live here and are tested on their own (see DOMAIN.md, "Engagement").
"""
