"""The core: the domain model and everything that turns a week's spreadsheets into a plan.

No HTTP, no HTML, no files written (besides the area cache and the online geocoder's cache).
Rooms, from the top (a module imports only from rooms below it; see ``pyproject.toml``):

- :mod:`routing.pipeline`: the one plan pipeline (read a week, prepare, solve, draw).
- :mod:`routing.intake`: spreadsheets in (tables, columns, cells, reports, deliveries, roster).
  :mod:`routing.history`: the same households and drivers found again across weeks.
  :mod:`routing.serialize`: ``plan.json``. :mod:`routing.vrplib`: benchmark instances.
- :mod:`routing.geocoding`: addresses to places. :mod:`routing.roads`: OSM roads, areas,
  snapping and travel-time matrices. :mod:`routing.solve`: the vehicle-routing search.
- :mod:`routing.geo` (distances on the Earth), :mod:`routing.paths` (where data lives).
- :mod:`routing.model` (frozen dataclasses, validated), :mod:`routing.errors`.
"""
