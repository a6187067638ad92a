"""API of placements, mounted under /api/v1/c/<coop_slug>/placements/ (routes: urls.py).

Thin views: parse with placements.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff
routes need "placements.view" to read and "placements.manage" to write; the worker's own
routes (/me/…) "placements.work"; timesheet decisions "placements.approve_timesheets", where
a client contact sees and decides only their own clients' timesheets. One module per use case.
"""
