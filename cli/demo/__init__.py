"""The demo county: a seeded five-year history built through the legacy import.

``relief demo`` (``cli.demo.command``) generates the county (``generate``),
imports it and works a live month (``run``), then scans, verifies and signs;
``docs/demo-county.md`` describes it and its planted red-flag patterns.
"""
