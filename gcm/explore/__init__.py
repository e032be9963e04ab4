"""Analysts' reads: coverage matrix, search, cycle comparison, country geometry."""
