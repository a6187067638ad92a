"""API of members, mounted under /api/v1/c/<coop_slug>/members/ (routes: urls.py), one module
per use case."""
