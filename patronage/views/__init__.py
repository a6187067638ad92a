"""Pages of patronage, split by use case: allocations (fiscal years, allocations, the 1099-PATR
and cash files, notices), capital (capital accounts and the worker's own page) and exit
(leaving the co-op, on members' paths)."""
