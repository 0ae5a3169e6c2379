"""Intake: the spreadsheets groups keep (deliveries and drivers' rosters) read into the
domain model, with a report of every problem by row, column and value.

Modules, from the bottom up (each imports only modules listed before it; deliveries and
roster do not import each other):

- :mod:`~routing.intake.limits`: how much of a file is read (size, rows, columns, cell
  length, text), counted while the rows stream in.
- :mod:`~routing.intake.xlsx`: Excel workbooks, their zip and XML checked before parsing.
- :mod:`~routing.intake.tables`: a CSV/TSV/XLSX file (path or bytes) read into headers
  and rows of text cells; encodings, delimiters.
- :mod:`~routing.intake.aliases`: the header spellings (English and Spanish) of every
  delivery and roster field.
- :mod:`~routing.intake.questions`: the words of whole questions (Google Forms) and how
  strongly they point at a field; what each kind of sheet needs.
- :mod:`~routing.intake.cells`: cell parsers for values as people write them (counts,
  time windows, languages, durations, distances, yes/no flags, lists of names).
- :mod:`~routing.intake.columns`: headers mapped to fields (``map_columns``,
  ``--columns`` pairs), the header row found below any title rows, the sheet that holds
  the table, what happened to every column.
- :mod:`~routing.intake.report`: ``RowReport``, ``ImportSummary``, and the results
  ``DeliveryImport`` and ``DriverImport`` with their JSON report.
- :mod:`~routing.intake.rows`: the row loop both imports share: a row's cells by field
  and its problems, lat/lon columns, geocoding in one batch.
- :mod:`~routing.intake.duplicates`: one household written twice found.
- :mod:`~routing.intake.deliveries`: ``import_deliveries``, the service time rule, the
  boxes/frozen/stairs/windows readers and stop building.
- :mod:`~routing.intake.roster`: ``import_drivers`` and the driver fields.

The package may import :mod:`routing.model`, :mod:`routing.errors`,
:mod:`routing.phones` and from
:mod:`routing.geocoding` the address normalisation and the ``Geocoder`` protocol (with
its ``GeocodeResult``); never ``routing.roads``, ``routing.solve``, ``maps`` or ``api``.
This file imports nothing, so that commands which need none of it start fast.
"""
