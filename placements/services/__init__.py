"""Writes of placements, split by use case: clients, orders, matching, timesheets."""
