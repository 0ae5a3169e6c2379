"""The front ends: the FastAPI service and the ``aidroute`` command line.

They parse requests and arguments, call :mod:`routing.pipeline`, store plans, and present
what :mod:`maps` renders. ``app`` builds the service (``deps`` its dependencies, ``routers``
one module per resource, ``schemas`` the request/response bodies, ``db`` storage, ``pages``
the HTML pages); ``cli`` and ``commands`` are the command line.
"""
