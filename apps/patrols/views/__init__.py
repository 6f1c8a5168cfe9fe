"""Patrol pages and JSON endpoints, split by concern (see ../urls.py)."""
