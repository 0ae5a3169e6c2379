"""The dispatcher's web page: server-rendered pages (Jinja, htmx) over the service."""
