"""A co-op's own set-up by its administrator: the bylaws settings of `Cooperative`, the job
classifications and credential types (members' catalogue), and the first-run checklist.

Pages under /c/<coop>/settings/, API under /api/v1/c/<coop>/settings/; permission
`coop.settings` (administrators only). The platform operator keeps slug and is_active.
"""
