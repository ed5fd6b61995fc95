"""The parts of benchmarks/generate.py: terms, reference data, records, violations, writers."""
