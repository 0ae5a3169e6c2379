"""Optional online geocoding through a Nominatim- or Photon-compatible service (geopy).

**Off unless a group turns it on.** Offline geocoding (:mod:`routing.geocoding.offline`) never
sends anything anywhere. When a group builds an :class:`OnlineGeocoder` (or passes
``--online URL`` to ``aidroute import check``), then for each address the offline table
could not place, **the address text and postcode as typed** (never the name, phone,
notes or any other column) are sent over HTTP(S) to that service's host, which sees the
requests and the machine's IP address. The public nominatim.openstreetmap.org allows at
most 1 request per second and requires an identifying User-Agent; this client waits at
least ``min_delay_s`` (default 1 s) between requests and keeps every answer in an
on-disk cache (``$AIDROUTE_HOME/cache/geocode-<host>.sqlite3``), so an address is sent
at most once. Delete that file to forget the answers.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from routing.errors import InputError, InputProblem
from routing.geocoding.normalize import fold, split_unit
from routing.geocoding.result import Geocoder, GeocodeResult, Precision
from routing.model import LatLon
from routing.paths import cache_dir

Service = Literal["nominatim", "photon"]
USER_AGENT = "aidroute (mutual-aid delivery planner; https://github.com/aidroute)"


class OnlineGeocoder:
    """Geocode through a Nominatim- or Photon-compatible HTTP service, politely.

    Parameters
    ----------
    url:
        The service's base URL, e.g. ``"https://nominatim.openstreetmap.org"`` or
        ``"http://127.0.0.1:8080"``.
    service:
        ``"nominatim"`` or ``"photon"`` (the API the server speaks).
    bbox:
        ``(min_lat, min_lon, max_lat, max_lon)`` of the area: answers outside it are
        reported ``outside_area`` (and Nominatim is asked to search inside it).
    min_delay_s:
        Least time between two requests (1 s: the public Nominatim's limit).
    cache_path:
        SQLite file for the answers; default under :func:`routing.paths.cache_dir`.
    timeout_s:
        Seconds to wait for one answer.
    """

    def __init__(
        self,
        url: str,
        *,
        service: Service = "nominatim",
        bbox: Sequence[float] | None = None,
        min_delay_s: float = 1.0,
        cache_path: Path | str | None = None,
        timeout_s: float = 10.0,
        user_agent: str = USER_AGENT,
    ) -> None:
        from geopy.geocoders import Nominatim, Photon

        parts = urlsplit(url if "://" in url else f"https://{url}")
        if not parts.netloc or parts.scheme not in ("http", "https"):
            raise InputError(
                InputProblem("online geocoder URL", url, "expected http(s)://host[:port][/path]")
            )
        self.url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        self.service = service
        self.bbox = tuple(float(v) for v in bbox) if bbox is not None else None
        self.min_delay_s = float(min_delay_s)
        domain = parts.netloc + parts.path.rstrip("/")
        common = {
            "domain": domain,
            "scheme": parts.scheme,
            "timeout": timeout_s,
            "user_agent": user_agent,
        }
        if service == "nominatim":
            self._geocoder: Any = Nominatim(**common)
        elif service == "photon":
            self._geocoder = Photon(**common)
        else:
            raise InputError(
                InputProblem(
                    "online geocoder service", str(service), "must be 'nominatim' or 'photon'"
                )
            )
        host = "".join(c if c.isalnum() else "-" for c in parts.netloc)
        default = cache_dir() / f"geocode-{host}.sqlite3"
        self.cache_path = Path(cache_path) if cache_path else default
        self._db = sqlite3.connect(self.cache_path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers "
            "(query TEXT PRIMARY KEY, answer TEXT NOT NULL, at REAL NOT NULL)"
        )
        self._db.commit()
        self._lock = threading.Lock()
        self._last_request = 0.0
        #: Requests actually sent (not answered from the cache), for tests and reports.
        self.requests_sent = 0

    def close(self) -> None:
        """Close the cache file."""
        self._db.close()

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- Geocoder protocol ----------------------------------------------------------------

    def geocode(self, address: str, *, postcode: str = "", unit: str = "") -> GeocodeResult:
        """Place one address; the unit is never sent."""
        text, _ = split_unit(address)
        query = text if not postcode or postcode in text else f"{text}, {postcode}"
        key = f"{self.service}|{' '.join(fold(query).split())}"
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE query = ?", (key,)).fetchone()
        if row is not None:
            answer = json.loads(row[0])
        else:
            answer = self._ask(query)
            if answer.get("error"):
                return self._result(answer)  # not cached: try again next time
            with self._lock:
                self._db.execute(
                    "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                    (key, json.dumps(answer), time.time()),
                )
                self._db.commit()
        return self._result(answer)

    def geocode_many(
        self,
        addresses: Sequence[str],
        *,
        postcodes: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
    ) -> list[GeocodeResult]:
        """Place many addresses, one request per second at most (cached ones are free)."""
        pcs = postcodes if postcodes is not None else [""] * len(addresses)
        return [self.geocode(a, postcode=p) for a, p in zip(addresses, pcs, strict=True)]

    # --- internals --------------------------------------------------------------------------

    def _ask(self, query: str) -> dict[str, Any]:
        from geopy.exc import GeopyError

        with self._lock:
            wait = self._last_request + self.min_delay_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_request = time.monotonic()
            self.requests_sent += 1
        kwargs: dict[str, Any] = {"exactly_one": True}
        if self.service == "nominatim":
            kwargs["addressdetails"] = True
            if self.bbox is not None:
                s, w, n, e = self.bbox
                kwargs["viewbox"] = [(s, w), (n, e)]
                kwargs["bounded"] = True
        try:
            location = self._geocoder.geocode(query, **kwargs)
        except GeopyError as e:
            return {"error": f"{type(e).__name__}: {e}"}
        if location is None:
            return {"found": False}
        return {
            "found": True,
            "lat": location.latitude,
            "lon": location.longitude,
            "display": location.address,
            "raw": location.raw,
        }

    def _result(self, answer: dict[str, Any]) -> GeocodeResult:
        if answer.get("error"):
            return GeocodeResult(
                None, "not_found", 0.0, "", f"online geocoder {self.url} failed: {answer['error']}"
            )
        if not answer.get("found"):
            return GeocodeResult(
                None, "not_found", 0.0, "", f"online geocoder {self.url} found nothing"
            )
        point = LatLon(float(answer["lat"]), float(answer["lon"]))
        matched = str(answer.get("display") or "")
        if self.bbox is not None:
            s, w, n, e = self.bbox
            if not (s <= point.lat <= n and w <= point.lon <= e):
                return GeocodeResult(
                    None,
                    "outside_area",
                    0.0,
                    matched,
                    f"online geocoder placed it outside the area: {matched}",
                )
        exact = _has_housenumber(answer.get("raw") or {})
        precision: Precision = "exact" if exact else "street"
        reason = f"placed by {self.url}" + ("" if exact else " (no house number matched)")
        return GeocodeResult(point, precision, 0.8 if exact else 0.5, matched, reason)


def _has_housenumber(raw: dict[str, Any]) -> bool:
    """Nominatim: ``address.house_number``; Photon: ``properties.housenumber``."""
    address = raw.get("address") or {}
    props = raw.get("properties") or {}
    return bool(address.get("house_number") or props.get("housenumber"))


class FallbackGeocoder:
    """Ask ``primary`` (offline) first and ``secondary`` (online) only for what it could not
    place: the online service sees as few addresses as possible."""

    def __init__(self, primary: Geocoder, secondary: Geocoder) -> None:
        self.primary = primary
        self.secondary = secondary
        contains = getattr(primary, "contains", None)
        if contains is not None:
            self.contains = contains

    def geocode(self, address: str, *, postcode: str = "", unit: str = "") -> GeocodeResult:
        return self.geocode_many([address], postcodes=[postcode], units=[unit])[0]

    def geocode_many(
        self,
        addresses: Sequence[str],
        *,
        postcodes: Sequence[str] | None = None,
        units: Sequence[str] | None = None,
    ) -> list[GeocodeResult]:
        pcs = list(postcodes) if postcodes is not None else [""] * len(addresses)
        results = self.primary.geocode_many(addresses, postcodes=pcs, units=units)
        todo = [
            i for i, r in enumerate(results) if r.precision == "not_found" and addresses[i].strip()
        ]
        if todo:
            more = self.secondary.geocode_many(
                [addresses[i] for i in todo], postcodes=[pcs[i] for i in todo]
            )
            for i, r in zip(todo, more, strict=True):
                if r.location is not None:
                    results[i] = r
        return results
