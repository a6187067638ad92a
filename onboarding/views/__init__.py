"""Pages of a co-op's set-up, split by use case: settings.py (settings, classifications,
credential types), roster_import.py (the roster CSV import)."""
