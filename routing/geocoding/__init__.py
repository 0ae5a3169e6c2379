"""Geocoding: addresses to places, offline against the area's address table (the default)
and, only when a group turns it on, through an online service.

Modules
-------
``normalize``
    Address text to comparable keys: street names (abbreviations, case, accents,
    ordinals, several languages), house numbers ("203-06"), units ("Apt 3B") split off,
    a written address parsed into number, street and postcode.
``offline``
    ``OfflineGeocoder``: addresses matched against an area's address table, every result
    saying how it was placed (exact, interpolated, street, not found, outside the area);
    the ``Geocoder`` protocol the importer uses.
``online``
    ``OnlineGeocoder`` (a Nominatim- or Photon-compatible service, rate-limited, answers
    cached) and ``FallbackGeocoder`` (online only for what offline missed). Off unless a
    group turns it on: recipients' addresses otherwise never leave the machine.

Imports
-------
From aidroute, only ``routing.model``, ``routing.errors``, ``routing.geo``,
``routing.paths`` (where the online answers are cached) and the ``Area`` type of
``routing.roads``; never the rest of ``routing.roads``, ``routing.intake``,
``routing.solve``, ``maps`` or ``api``.
"""
