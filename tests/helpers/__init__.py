"""Helpers shared by several test modules (test modules never import each other; fixtures
live in conftest.py)."""
