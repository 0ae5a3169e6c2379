"""Read generated pages back: tags as a browser's tokenizer sees them, Leaflet calls, JS strings."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every <script>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    def handlers(self) -> list[tuple[str, str]]:
        """Every ``on*`` event-handler attribute: (tag, attribute)."""
        return [(t, k) for t, a in self.tags for k in a if k.lower().startswith("on")]


_NUM = r"-?\d+(?:\.\d+)?"
_MARKER = re.compile(rf"L\.marker\(\s*\[({_NUM}), ({_NUM})\]")
_POLY = re.compile(r"L\.polyline\(\s*(\[\[.*?\]\])", re.S)
_BOUND = re.compile(r"\.(bindPopup|bindTooltip)\((\"(?:[^\"\\]|\\.)*\")")
_ICON = re.compile(r'"html": ("(?:[^"\\]|\\.)*")')


def markers(page: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in _MARKER.findall(page)]


def polylines(page: str) -> list[list[tuple[float, float]]]:
    return [[tuple(p) for p in json.loads(m)] for m in _POLY.findall(page)]


def bound_html(page: str) -> list[tuple[str, str]]:
    """(method, HTML fragment) of every popup and tooltip, decoded from its JS string."""
    return [(kind, json.loads(s)) for kind, s in _BOUND.findall(page)]


def icon_html(page: str) -> list[str]:
    return [json.loads(s) for s in _ICON.findall(page)]
