"""Writes of notifications: `triggers` (the one-line hooks other apps call), `delivery` (the
send-once machinery), `events` and `sweeps` (who is told what), `preferences` (opt-outs,
SMS consent, unsubscribe, the co-op's channel settings)."""
