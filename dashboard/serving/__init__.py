"""Launch helpers: start the dashboard, PostgreSQL and chromium for tests and tools.

Used by the browser and deploy tests, the command-line tools in
:mod:`dashboard.tools` and ``deploy/serve.py``. Nothing here is imported by the
app itself, and nothing here prints (the tools report; these only start things).
"""
