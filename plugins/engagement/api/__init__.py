"""The engagement plugin's JSON API (under /api/v1, bearer tokens, the core's error shape)."""
