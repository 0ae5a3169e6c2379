"""Geocoding: addresses to places, offline against the area's address table (the default)
and, only when a group turns it on, through an online service.

Modules
-------
``normalize``
    Address text to comparable keys: street names (abbreviations, case, accents,
    ordinals, several languages), house numbers ("203-06"), units ("Apt 3B") split off,
    a written address parsed into number, street and postcode.
``corners``
    Addresses written as the corner of two streets ("Hollis Ave & 212th St", "esquina de
    A y B"), and where the area's named streets meet.
``result``
    ``GeocodeResult``: where an address was placed and how (exact, interpolated,
    intersection, street, not found, outside the area); the ``Geocoder`` protocol the
    importer uses.
``offline``
    ``OfflineGeocoder``: addresses matched against an area's address table, every result
    saying how it was placed.
``kept``
    The offline geocoder's index kept between runs (``$AIDROUTE_HOME/cache/geocoder``).
``places``
    The area's named places found by name ("Compare Foods"), and the hub: a place, an
    address, a corner or LAT,LON, never a whole street.
``online``
    ``OnlineGeocoder`` (a Nominatim- or Photon-compatible service, rate-limited, answers
    cached) and ``FallbackGeocoder`` (online only for what offline missed). Off unless a
    group turns it on: recipients' addresses otherwise never leave the machine.

Imports
-------
From aidroute, only ``routing.model``, ``routing.errors``, ``routing.geo``,
``routing.paths`` (where the online answers and the offline index are kept) and the
``Area`` type of ``routing.roads``; never the rest of ``routing.roads``, ``routing.intake``,
``routing.solve``, ``maps`` or ``api``.
"""
