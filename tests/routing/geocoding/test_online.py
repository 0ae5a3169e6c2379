"""Online geocoding against a small Nominatim/Photon-compatible server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pandas as pd
import pytest

from routing.geocoding.offline import OfflineGeocoder
from routing.geocoding.online import FallbackGeocoder, OnlineGeocoder
from routing.geocoding.result import Geocoder
from tests.helpers.geocoding import FakeGeocoderHandler


@pytest.fixture(scope="module")
def _running_server() -> Iterator[ThreadingHTTPServer]:
    """A real HTTP server on 127.0.0.1, on a free port, for this module."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeGeocoderHandler)
    httpd.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(_running_server: ThreadingHTTPServer) -> ThreadingHTTPServer:
    """The server, with its record of requests emptied for this test."""
    _running_server.seen.clear()  # type: ignore[attr-defined]
    return _running_server


def _url(httpd: ThreadingHTTPServer) -> str:
    """The server's base URL."""
    return f"http://127.0.0.1:{httpd.server_address[1]}"


BBOX = (40.6, -73.9, 40.8, -73.6)


def test_nominatim_exact_street_and_not_found(server, tmp_path) -> None:
    """House-number answers are exact, street answers 'street', none 'not_found'."""
    g = OnlineGeocoder(_url(server), bbox=BBOX, min_delay_s=0, cache_path=tmp_path / "c.db")
    assert isinstance(g, Geocoder)
    exact = g.geocode("1 Main St")
    assert exact.precision == "exact" and exact.location.lat == pytest.approx(40.7)
    assert exact.matched == "1, Main Street, Testville"
    assert g.geocode("Main Street").precision == "street"
    assert g.geocode("Nowhere Lane 5").precision == "not_found"
    outside = g.geocode("Far Away Road 12")
    assert (outside.location, outside.precision) == (None, "outside_area")
    paths = {p for p, _, _ in server.seen}
    assert paths == {"/search"}
    assert all("aidroute" in ua for _, _, ua in server.seen)


def test_photon(server, tmp_path) -> None:
    """The Photon API is spoken too."""
    g = OnlineGeocoder(_url(server), service="photon", min_delay_s=0, cache_path=tmp_path / "c.db")
    r = g.geocode("1 Main St")
    assert r.precision == "exact" and r.location.lon == pytest.approx(-73.75)
    assert server.seen[0][0] == "/api"


def test_only_the_address_is_sent_and_answers_are_cached(server, tmp_path) -> None:
    """The unit is not sent; a repeated address is answered from the disk cache."""
    cache = tmp_path / "c.db"
    g = OnlineGeocoder(_url(server), min_delay_s=0, cache_path=cache)
    g.geocode("1 Main St Apt 4B", postcode="11429")
    assert server.seen[0][1] == "1 Main St, 11429"
    g.geocode("1 main st  apt 4b", postcode="11429")
    assert g.requests_sent == 1
    g.close()
    again = OnlineGeocoder(_url(server), min_delay_s=0, cache_path=cache)
    assert again.geocode("1 Main St", postcode="11429").precision == "exact"
    assert again.requests_sent == 0 and len(server.seen) == 1


def test_default_cache_lives_under_aidroute_home(server, _isolated_home) -> None:
    """Without a cache path, answers go to $AIDROUTE_HOME/cache."""
    g = OnlineGeocoder(_url(server), min_delay_s=0)
    assert g.cache_path.parent == _isolated_home / "cache"
    assert g.min_delay_s == 0
    assert OnlineGeocoder(_url(server)).min_delay_s == 1.0  # the default is 1 request/s


def test_rate_limit(server, tmp_path) -> None:
    """Requests are spaced by at least min_delay_s."""
    g = OnlineGeocoder(_url(server), min_delay_s=0.25, cache_path=tmp_path / "c.db")
    t0 = time.perf_counter()
    g.geocode_many(["1 Main St", "Main Street", "Nowhere 1"])
    assert time.perf_counter() - t0 >= 0.5
    assert g.requests_sent == 3


def test_server_errors_are_reported_not_cached(server, tmp_path) -> None:
    """A failing service gives 'not_found' with the reason, and is asked again next time."""
    g = OnlineGeocoder(_url(server), min_delay_s=0, cache_path=tmp_path / "c.db")
    r = g.geocode("boom 1")
    assert r.precision == "not_found" and "failed" in r.reason
    g.geocode("boom 1")
    assert g.requests_sent == 2


def test_fallback_asks_online_only_for_what_offline_missed(server, tmp_path) -> None:
    """The offline table answers first; only its not-found addresses are sent."""
    table = pd.DataFrame(
        {
            "housenumber": ["5"],
            "street": ["Oak Street"],
            "postcode": [""],
            "city": [""],
            "lat": [40.71],
            "lon": [-73.74],
        }
    )
    online = OnlineGeocoder(_url(server), min_delay_s=0, cache_path=tmp_path / "c.db")
    g = FallbackGeocoder(OfflineGeocoder(table, bbox=BBOX), online)
    results = g.geocode_many(["5 Oak St", "1 Main St", "Nowhere 9"])
    assert [r.precision for r in results] == ["exact", "exact", "not_found"]
    assert [q for _, q, _ in server.seen] == ["1 Main St", "Nowhere 9"]


def test_bad_service_settings_are_input_errors(tmp_path) -> None:
    """A malformed URL or unknown service is an InputError naming the setting."""
    from routing.errors import InputError

    with pytest.raises(InputError, match="URL"):
        OnlineGeocoder("ftp://example.org", cache_path=tmp_path / "c.db")
    with pytest.raises(InputError, match="nominatim"):
        OnlineGeocoder(
            "http://127.0.0.1:9",
            service="google",  # type: ignore[arg-type]
            cache_path=tmp_path / "c.db",
        )
