"""Subcommands of ``aidroute`` kept in their own modules (``import check``, ``vrplib``)."""
