"""API of patronage, split by use case: allocations (fiscal years, allocations, 1099-PATR data,
notices), capital (capital accounts and the worker's own) and exit (leaving the co-op and the
ownership overview that shows its redemption, on members' paths). Routes: urls.py and
urls_members.py."""
