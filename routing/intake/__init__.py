"""Intake: the spreadsheets groups keep (deliveries and drivers' rosters) read into the
domain model, with a report of every problem by row, column and value.

Modules, from the bottom up (each imports only modules listed before it; deliveries and
roster do not import each other):

- :mod:`~routing.intake.tables`: a CSV/TSV/XLSX file (path or bytes) read into headers
  and rows of text cells; encodings, delimiters, size and row limits.
- :mod:`~routing.intake.aliases`: the header spellings (English and Spanish) of every
  delivery and roster field, and keywords for long Google-Forms questions.
- :mod:`~routing.intake.cells`: cell parsers for values as people write them (counts,
  time windows, languages, durations, distances, yes/no flags, lists of names).
- :mod:`~routing.intake.columns`: headers mapped to fields (``map_columns``,
  ``--columns`` pairs), the header row found below any title rows.
- :mod:`~routing.intake.report`: ``RowReport``, ``ImportSummary``, and the results
  ``DeliveryImport`` and ``DriverImport`` with their JSON report.
- :mod:`~routing.intake.rows`: the row loop both imports share: a row's cells by field
  and its problems, lat/lon columns, geocoding in one batch.
- :mod:`~routing.intake.deliveries`: ``import_deliveries``, the service time rule, the
  boxes/frozen/stairs/windows readers and stop building.
- :mod:`~routing.intake.roster`: ``import_drivers`` and the driver fields.

The package may import :mod:`routing.model`, :mod:`routing.errors` and from
:mod:`routing.geocoding` the address normalisation and the ``Geocoder`` protocol (with
its ``GeocodeResult``); never ``routing.roads``, ``routing.solve``, ``maps`` or ``api``.
This file imports nothing, so that commands which need none of it start fast.
"""
