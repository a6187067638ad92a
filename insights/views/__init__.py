"""Pages of insights, split by use case: home.py (each role's home: staff, worker, board,
client contact), reports.py (the staff, board and "our co-op" reports, their CSV exports and
the board pack PDF)."""
