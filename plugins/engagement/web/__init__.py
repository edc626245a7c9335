"""The engagement plugin's pages."""
