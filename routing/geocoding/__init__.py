"""Geocoding: addresses to places, offline against the area's address table (the default)
and, only when a group turns it on, through an online service."""
