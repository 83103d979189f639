"""The /v1/pbx endpoint groups: one module each, listed in gateway/dialects/dodev/routes.py."""
