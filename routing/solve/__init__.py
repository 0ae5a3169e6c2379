"""Solving: the vehicle-routing search that assigns stops to drivers, and the reasons and
fixes for every stop it could not place.

Modules, each importing only those listed before it:

* ``options``: :class:`SolveOptions`, :class:`StallRule`, :class:`SolveProgress`,
  :func:`default_time_limit_s`, and the ``Balance`` / ``Objective`` / ``Seeding`` literal
  types (with ``BALANCES``, ``OBJECTIVES``, ``SEEDINGS``) for other packages to offer the
  same choices.
* ``data``: the solver's plain data (``SolveData``, ``Vehicle``, ``BIG``, ``Matrices``).
* ``schedule``: our own route arithmetic (``evaluate``, ``keep_feasible``, and
  ``alone_feasible`` for every one-stop route at once) and the fair shares of the
  balance; the check every route and fix passes.
* ``stall``: when to stop: the time cap, the stall rule (on each search's CPU clock) and
  the stop flag the searches share across processes.
* ``build``: a :class:`~routing.model.Problem` and its matrices to ``SolveData``, with the
  stops nobody can serve taken out, each with its reason.
* ``cost``: what a plan costs (``Pricing``), the objective every search's plans are
  compared by and ``Plan.stats["objective"]`` reports.
* ``locks``: ``locked_route_problems`` (the one check of locked routes against a problem),
  the drivability of locked orders, and the routes a search starts from.
* ``ortools_model``: the OR-Tools routing model and one search over it.
* ``seed``: PyVRP's search on a relaxation of the model: a first plan in seconds (a sweep
  and local search), then iterated local search; plans repaired by ``schedule``.
* ``portfolio``: one or two searches (lanes) in parallel processes, the cheapest plan
  kept, all stopped together once the plan stops improving.
* ``explain``: reasons and checked fixes for the stops a plan leaves out.
* ``solver``: :func:`solve`, the entry point: problem, matrices and options in, plan out.

How long it searches
--------------------
``time_limit_s`` is a cap. By default the search stops earlier, once no search has
improved the best plan by a meaningful amount (:class:`~routing.solve.options.StallRule`)
for a while; ``full_time=True`` uses the whole limit. On a big week a first complete plan
comes within seconds and is reported through ``progress``; every plan reported, and the
one returned, is the cheapest found so far by the objective the plan reports, so a longer
limit never returns a worse plan (with the same seed, for the same work done).

The package imports ``routing.model`` and ``routing.errors`` only: never ``routing.roads``,
``routing.intake``, ``maps`` or ``api``. Only ``ortools_model.py`` imports ``ortools``, and
only ``seed.py`` imports ``pyvrp`` (inside its functions, as it is optional).

This file imports nothing, so that importing one light module (``options``) stays fast.
"""
