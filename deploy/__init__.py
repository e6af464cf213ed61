"""Running the dashboard on more than one process or machine (see deploy/README.md)."""
