"""Developer tools: dev server, screenshots, dataset docs and benchmarks.

Run as modules from the repository root, e.g. ``python -m dashboard.tools.bench``.
Nothing here is imported by the app itself.
"""
