"""Roads: OpenStreetMap reading, travel profiles, road graphs, the area cache, snapping and
travel-time matrices. The only package that imports osmnx or osmium.

Modules
-------
``area``
    Finding areas: :func:`~routing.roads.area.load_named_area` (a name only: the loader
    for names users give), :func:`~routing.roads.area.load_area` (a name, a saved folder
    or an OSM file), :func:`~routing.roads.area.check_area_name`; re-exports ``Area``.
``graph``
    The in-memory types: ``RoadGraph`` (one profile's roads as CSR arrays, road shapes,
    snapping points onto the nearest road) and ``Area`` (a place's graphs and address
    table). ``Area`` lives here, below ``build`` and ``cache``, so nothing imports in a
    circle.
``build``
    Building areas: ``import_area`` (OSM file -> saved area), ``build_area``,
    ``road_graph``, ``area_from_place`` (online, through osmnx), ``check_profiles``.
``cache``
    Area folders: ``save_area``, ``read_area`` (checksums, format and aidroute versions),
    ``file_cache_dir`` (where an OSM file loaded by path is imported once).
``osm``
    Reading an extract (``.osm.pbf`` with osmium, OSM XML): each profile's road ways, the
    address table, profile speeds, and ``osmnx_graph``, the reference graph built by
    osmnx itself.
``matrix``
    Travel-time and distance matrices between places, snap legs, route shapes.
``_filters``, ``_osmxml``, ``_maxspeed``
    osmnx's network filters, OSM XML reading and writing, and ``maxspeed`` parsing: our
    own where osmnx keeps them private (each compared with osmnx's in the tests).
``_graphbuild``
    osmnx's graph steps (ways -> simplified edges -> speeds) on numpy arrays.
``_ch``, ``_dijkstra``, ``_heap``
    The shortest-path kernels behind ``matrix`` (see below).

Imports
-------
From aidroute, only ``routing.model``, ``routing.errors``, ``routing.paths`` and
``routing.geo``; never ``routing.intake``, ``routing.solve``, ``maps`` or ``api`` (they
import this package, not the other way round).

Why our own shortest-path kernels
---------------------------------
A plan needs the fastest travel time, and that path's length, between every pair of its
stops: a matrix of up to a few thousand rows over a city's road graph. scipy's
``csgraph.dijkstra`` is exact but runs on one core, searches the whole city from every
source and returns no path lengths; networkx is pure Python. So ``_dijkstra`` is a
Dijkstra compiled with numba that runs blocks of sources on every core, stops once every
target is settled and sums lengths along the fastest path; and ``_ch`` is a contraction
hierarchy (built once per graph, saved with the area) whose searches settle a few hundred
nodes instead of the whole city. Without numba, scipy answers the same (slowly).

Measured with ``python -m benchmarks.roads --quick`` on Porto (about 50,000 drive nodes):

- 1,000 x 1,000 matrix: 0.338 s, against 12.75 s with scipy (37.7x) and 308.7 s with
  networkx;
- 2,000 x 2,000 matrix: 1.41 s, against 25.5 s with scipy;
- every time equal to scipy's to 1.6e-15 (relative);
- loading the saved area: 0.126 s, against 12.6 s to import it from the ``.osm.pbf``.
"""
