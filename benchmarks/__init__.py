"""The benchmark harness: `python -m benchmarks --scale tiny|crm|global`; prints a table, asserts nothing."""
