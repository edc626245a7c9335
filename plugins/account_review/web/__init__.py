"""The plugin's pages: download routes and the account review form (under /reviews)."""
