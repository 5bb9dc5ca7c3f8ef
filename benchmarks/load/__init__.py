"""The load test of the web tier (benchmarks/load_test.py): its database, its load generator."""
