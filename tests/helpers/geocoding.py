"""A fake online geocoding service for tests: Nominatim's /search and Photon's /api."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

#: What the fake service knows: query (lower case, contains) -> answer.
PLACES = {
    "1 main": {
        "lat": "40.7000",
        "lon": "-73.7500",
        "house_number": "1",
        "display": "1, Main Street, Testville",
    },
    "main street": {
        "lat": "40.7010",
        "lon": "-73.7510",
        "house_number": "",
        "display": "Main Street, Testville",
    },
    "far away": {
        "lat": "51.5000",
        "lon": "-0.1200",
        "house_number": "12",
        "display": "12, Far Away Road, London",
    },
}


class FakeGeocoderHandler(BaseHTTPRequestHandler):
    """Answers /search (Nominatim) and /api (Photon) from PLACES; 500 for 'boom'."""

    def do_GET(self) -> None:
        """Answer one query, recording its path, text and User-Agent in ``server.seen``."""
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        query = params.get("q", [""])[0]
        self.server.seen.append((url.path, query, self.headers.get("User-Agent", "")))
        if "boom" in query.lower():
            self.send_response(500)
            self.end_headers()
            return
        hit = next((v for k, v in PLACES.items() if k in query.lower()), None)
        if url.path == "/search":
            body = (
                []
                if hit is None
                else [
                    {
                        "lat": hit["lat"],
                        "lon": hit["lon"],
                        "display_name": hit["display"],
                        "address": {"house_number": hit["house_number"]}
                        if hit["house_number"]
                        else {},
                    }
                ]
            )
        elif url.path == "/api":
            features = (
                []
                if hit is None
                else [
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [float(hit["lon"]), float(hit["lat"])],
                        },
                        "properties": {"name": hit["display"], "housenumber": hit["house_number"]},
                    }
                ]
            )
            body = {"type": "FeatureCollection", "features": features}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""
        pass
