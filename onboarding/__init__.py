"""A co-op's own set-up by its administrator: the bylaws settings of `Cooperative`, the job
classifications and credential types (members' catalogue), the first-run checklist, and the
import of the roster it already has (workers, prior hours, ownership, equity paid and
capital account balances, written through members' and patronage's services).

Settings pages under /c/<coop>/settings/, API under /api/v1/c/<coop>/settings/; permission
`coop.settings` (administrators only). The platform operator keeps slug and is_active. The
roster import at /c/<coop>/members/workers/import/ (API alike); permission `members.manage`.
"""
