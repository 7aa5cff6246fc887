"""Benchmarks at realistic scale: the data generator, the scenarios and their summary
(see docs/performance.md)."""
