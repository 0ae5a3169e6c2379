"""Helpers shared by test modules (plain functions and constants; fixtures live in conftest)."""
