"""Writes of a co-op's set-up, split by use case: settings.py (its bylaws settings),
roster_import.py (the workers it already has, from a CSV file)."""
