"""Pages of payroll, split by use case: wages.py (agreements, wage tables), runs.py (periods,
the run screen, statements), reports.py (wage floor, sick leave used), portal.py (workers)."""
