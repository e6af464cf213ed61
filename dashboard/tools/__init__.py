"""Command-line developer tools: screenshots, dataset docs, probes and benchmarks.

Run as modules from the repository root, e.g. ``python -m dashboard.tools.bench``.
Nothing here is imported by the app itself; the launch helpers they share
live in :mod:`dashboard.serving`.
"""
