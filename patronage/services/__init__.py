"""Writes of patronage, split by use case: allocations (fiscal years, the allocation from draft
to issued to cash paid, and its issue job), capital (payouts and the opening balance), redemption
(the schedule an exit creates and its payments) and exit (ending a worker-owner's ownership)."""
