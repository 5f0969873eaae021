"""Benchmarks: `make bench` prints a table and writes JSON to bench/results/. Never run in tests."""
