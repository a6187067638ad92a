"""The patronage jobs, for Celery's autodiscovery (which imports <app>.tasks). Each job lives
beside the service it runs: the issue job (posting an approved allocation's lines, resumable
and idempotent) in patronage/services/allocations.py."""

from patronage.services.allocations import allocation_issue_task

__all__ = ["allocation_issue_task"]
