"""One router per resource: ``plans`` (and drivers' ``/d/{token}`` links), ``jobs``, ``imports``."""
