"""Solving: the vehicle-routing search that assigns stops to drivers, and the reasons and
fixes for every stop it could not place.

Modules, each importing only those listed before it:

* ``options``: :class:`SolveOptions`, :class:`SolveProgress`, :func:`default_time_limit_s`,
  and the ``Balance`` / ``Objective`` / ``Seeding`` literal types (with ``BALANCES``,
  ``OBJECTIVES``, ``SEEDINGS``) for other packages to offer the same choices.
* ``data``: the solver's plain data (``SolveData``, ``Vehicle``, ``BIG``, ``Matrices``).
* ``schedule``: our own route arithmetic (``evaluate``, ``keep_feasible``) and the fair
  shares of the time balance; the check every route and fix passes.
* ``build``: a :class:`~routing.model.Problem` and its matrices to ``SolveData``, with the
  stops nobody can serve taken out, each with its reason.
* ``locks``: ``locked_route_problems`` (the one check of locked routes against a problem),
  the drivability of locked orders, and the routes a search starts from.
* ``ortools_model``: the OR-Tools routing model and one search over it.
* ``seed``: a first plan from PyVRP's genetic search, repaired by ``schedule``.
* ``portfolio``: one or two searches in parallel processes, the better plan kept.
* ``explain``: reasons and checked fixes for the stops a plan leaves out.
* ``solver``: :func:`solve`, the entry point: problem, matrices and options in, plan out.

The package imports ``routing.model`` and ``routing.errors`` only: never ``routing.roads``,
``routing.intake``, ``maps`` or ``api``. Only ``ortools_model.py`` imports ``ortools``, and
only ``seed.py`` imports ``pyvrp`` (inside its functions, as it is optional).

This file imports nothing, so that importing one light module (``options``) stays fast.
"""
