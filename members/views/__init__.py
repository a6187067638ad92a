"""Pages of members, mounted under /c/<coop_slug>/members/ (routes: members/urls.py), one module
per use case; `actions` is the one way a staff form posted from a worker's record runs."""
