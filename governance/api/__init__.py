"""API of governance, mounted under /api/v1/c/<coop_slug>/governance/ (see alliedup/api/urls.py).

Thin views: parse with governance.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff and
the board read with "governance.view" and write with "governance.manage"; worker-owners cast
ballots with "governance.vote"; results, published ballots and receipt checks are for voters
and staff alike; documents for everyone, filtered by governance.selectors.documents_for.
No route returns who voted how.
"""
