"""The offline geocoder's index is kept between runs (issue 13: start fast): read back, it
places every address as a freshly built one does, without pandas; a changed address table
or a damaged file builds it again."""

from __future__ import annotations

import csv
import json
import os
import pickle
from pathlib import Path

from routing.geocoding.kept import _index_path
from routing.geocoding.offline import OfflineGeocoder
from routing.paths import bundled_data, cache_dir
from routing.roads.area import load_area
from routing.roads.cache import read_area, save_area
from routing.roads.graph import Area
from tests.helpers.probe import fresh_python


def _demo_addresses() -> list[str]:
    """The sample week's addresses, as volunteers typed them (with their zip codes)."""
    with (bundled_data() / "demo" / "deliveries.csv").open(encoding="utf-8") as f:
        return [f"{r['Address']} {r['Zip']}".strip() for r in csv.DictReader(f)]


def _answers(geocoder: OfflineGeocoder, texts: list[str]) -> list[tuple]:
    out = []
    for text in texts:
        r = geocoder.geocode(text)
        where = (round(r.location.lat, 7), round(r.location.lon, 7)) if r.location else None
        out.append((text, where, r.precision, r.score, r.matched, r.reason, r.suggestion))
    return out


def test_the_index_is_kept_and_read_back_without_pandas():
    area = load_area("queens-village")
    built = OfflineGeocoder.from_area(area)
    kept = list((cache_dir() / "geocoder").glob("*.pickle"))
    assert len(kept) == 1 and kept[0] == _index_path(area)
    texts = _demo_addresses()
    expected = _answers(built, texts)
    assert sum(1 for e in expected if e[2] in ("exact", "interpolated")) > 0.8 * len(texts)
    # Another process (the next run) reads it back: the same answers, and pandas (which
    # reading the tables and building the index need) is never imported.
    probe = f"""
import json, sys
from routing.geocoding.offline import OfflineGeocoder
from routing.roads.area import load_area
from tests.routing.geocoding.test_index_cache import _answers
g = OfflineGeocoder.from_area(load_area("queens-village"))
print(json.dumps(["pandas" in sys.modules, _answers(g, {texts!r})]))
"""
    pandas_loaded, answers = fresh_python(probe)
    assert not pandas_loaded
    assert answers == json.loads(json.dumps(expected))


def test_a_changed_address_table_builds_a_new_index(tmp_path):
    """An area saved again with other addresses (a re-import of newer OSM data) is not
    geocoded from the old index."""
    area = load_area("queens-village")
    OfflineGeocoder.from_area(area)  # kept
    addresses = area.addresses
    gone = addresses["street"].str.contains("Hempstead", case=False)
    assert gone.any()
    fewer = Area(
        area.name,
        area.roads,
        addresses[~gone].reset_index(drop=True),
        area.bbox,
        dict(area.meta),
        places=area.places,
        crossings=area.crossings,
        streets=area.streets,
    )
    again = read_area(save_area(fewer, tmp_path / "queens-village"))
    assert _index_path(again) != _index_path(area)
    exact = OfflineGeocoder.from_area(area).geocode("21771 Hempstead Av, Queens Village NY 11429")
    assert exact.precision in ("exact", "interpolated")
    hempstead = OfflineGeocoder.from_area(again).geocode(
        "21771 Hempstead Av, Queens Village NY 11429"
    )
    assert hempstead.precision not in ("exact", "interpolated")
    assert len(list((cache_dir() / "geocoder").glob("*.pickle"))) == 2


def test_a_damaged_index_is_built_again():
    area = load_area("queens-village")
    OfflineGeocoder.from_area(area)
    path = _index_path(area)
    assert path is not None
    path.write_bytes(b"not a pickle")
    geocoder = OfflineGeocoder.from_area(area)
    assert geocoder.geocode("98-12 218th st 11429").precision in ("exact", "interpolated")
    assert path.read_bytes() != b"not a pickle"


def test_an_area_without_a_folder_keeps_no_index():
    """An area built in memory (no saved tables, no checksums) is indexed each time."""
    area = load_area("queens-village")
    loose = Area(area.name, area.roads, area.addresses, area.bbox)
    assert _index_path(loose) is None
    assert OfflineGeocoder.from_area(loose).geocode("98-12 218th st").location is not None
    assert not (cache_dir() / "geocoder").exists()


def test_a_home_that_cannot_be_written_keeps_nothing(tmp_path, monkeypatch):
    """With ``$AIDROUTE_HOME`` unusable (here a path under a file, which even root cannot
    create), the index is built each time and geocoding works."""
    area = load_area("queens-village")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("AIDROUTE_HOME", str(blocked / "home"))
    assert _index_path(area) is None
    geocoder = OfflineGeocoder.from_area(area)
    assert geocoder.geocode("98-12 218th st 11429").precision in ("exact", "interpolated")


class _Runs:
    """What a planted index could do when read: here, leave a file behind."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_an_index_others_could_have_written_is_not_read(tmp_path):
    """Reading a pickle runs it: a kept index is read only when this user alone could have
    written it (their file, not writable by others, not a link), and is written so."""
    area = load_area("queens-village")
    OfflineGeocoder.from_area(area)
    path = _index_path(area)
    assert path is not None and path.stat().st_mode & 0o777 == 0o600
    marker = tmp_path / "ran"

    def plant(mode: int) -> None:
        path.unlink(missing_ok=True)
        path.write_bytes(pickle.dumps(_Runs(marker)))
        path.chmod(mode)

    # This user's own file is trusted (as their other caches are): it is read.
    plant(0o600)
    OfflineGeocoder.from_area(area)
    assert marker.exists()
    marker.unlink()
    # Not what it should be: built again, and geocoding works.
    assert path.stat().st_mode & 0o777 == 0o600
    plant(0o666)  # anyone could have written it
    geocoder = OfflineGeocoder.from_area(area)
    assert not marker.exists()
    assert geocoder.geocode("98-12 218th st 11429").precision in ("exact", "interpolated")
    assert path.stat().st_mode & 0o777 == 0o600  # replaced by a good one
    # A link to a file this user owns: not followed.
    elsewhere = tmp_path / "elsewhere.pickle"
    elsewhere.write_bytes(pickle.dumps(_Runs(marker)))
    elsewhere.chmod(0o600)
    path.unlink()
    path.symlink_to(elsewhere)
    OfflineGeocoder.from_area(area)
    assert not marker.exists() and not path.is_symlink()
    if os.geteuid() == 0:  # only root can give a file to another user
        plant(0o600)
        os.chown(path, 4321, -1)
        OfflineGeocoder.from_area(area)
        assert not marker.exists()
