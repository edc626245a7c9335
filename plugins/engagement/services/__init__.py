"""The engagement plugin's services: one user action, one transaction, each with its checks."""
