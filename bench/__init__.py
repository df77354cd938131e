"""Benchmarks: harness (harness.py), runner (run.py), server (server.py), load (http.py), data (generate.py)."""
