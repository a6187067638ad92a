"""API of payroll, mounted under /api/v1/c/<coop_slug>/payroll/ (routes in payroll/api/urls.py,
included by alliedup/api/urls.py).

Thin views: parse with payroll.serializers, fetch objects named in the URL through the
scoped managers (another co-op's object is a 404), call one service or selector. Staff
routes need "payroll.view" to read and "payroll.manage" to write; the wage-floor report
"payroll.wage_floor"; the worker's own routes (/me/…) "payroll.view_own", and show only
statements of approved runs (a draft or calculated run may still change).

CSV imports (wage tables, the processor's results) take a multipart `file` or the text in
`csv`; they are all or nothing, and a 400 {"file": ["Line 3: …", …]} lists every bad line.
"""
