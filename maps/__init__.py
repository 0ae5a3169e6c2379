"""Rendering a plan for people: maps, driver pages, manifests, navigation links and exports.

Imports only ``routing`` (never ``api``). Public entry points:

- :func:`maps.overview.overview_map` - the dispatcher's map of every route (HTML page).
- :func:`maps.driver_page.driver_page` - one driver's phone page (HTML page).
- :func:`maps.manifest.manifest_html`, :func:`maps.manifest.manifest_pdf` - printable manifests.
- :mod:`maps.navigation` - Google Maps (legs of <= 3 waypoints), Apple Maps, ``geo:``, Waze links.
- :mod:`maps.export` - :func:`~maps.export.gpx`, :func:`~maps.export.plan_csv`,
  :func:`~maps.export.plan_xlsx`.
- :mod:`maps.privacy` - the privacy modes ``full``, ``initials``, ``no_phone``, ``reveal``.
- :mod:`maps.words` - codes said in words: language names, reasons, placements, statuses.
- :mod:`maps.i18n` - languages: gettext catalogs (``maps/locale``), the reader's language,
  numbers, days and times in it, the Jinja environment with the ``i18n`` extension.
- :mod:`maps.assets` - bundled Leaflet (:func:`~maps.assets.static_dir`), asset URL modes and
  the tile server setting.
- :func:`maps.outputs.write_outputs` - the whole output folder the CLI writes.

Every text from a spreadsheet is escaped wherever it appears (see :mod:`maps._render`).
"""
