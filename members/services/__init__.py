"""Writes of the ownership path, split by use case: hours, status, candidacy."""
