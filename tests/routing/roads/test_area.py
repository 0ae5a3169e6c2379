"""Finding areas: by name (imported or bundled), by folder, by OSM file with a cache."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from routing import paths
from routing.errors import AreaError, InputError, InputProblem
from routing.roads.area import check_area_name, load_area, load_named_area
from routing.roads.build import import_area
from routing.roads.cache import file_cache_dir, read_area
from tests.conftest import shared_file
from tests.helpers.roads import AGS_PBF, assert_same_area


def test_load_by_name_from_areas_dir():
    """An area imported by name is found again by that name in AIDROUTE_HOME."""
    area = import_area(shared_file(AGS_PBF), "ags-by-name")
    assert area.path == paths.areas_dir() / "ags-by-name"
    assert_same_area(area, load_area("ags-by-name"))


def test_osm_file_is_cached_and_second_load_is_fast(ags_pair):
    """Loading an OSM file imports it once; the second load reads the cache."""
    src = shared_file(AGS_PBF)
    first = load_area(src)
    cache = file_cache_dir(src, ("drive",))
    assert (cache / "meta.json").is_file()
    t0 = time.perf_counter()
    second = load_area(src)
    assert time.perf_counter() - t0 < 0.5
    assert second.path == cache
    assert_same_area(first, second)
    assert_same_area(first, ags_pair[0])


def test_damaged_or_foreign_cache_is_rebuilt():
    """A cache with a damaged file or from another aidroute version is rebuilt, not used."""
    src = shared_file(AGS_PBF)
    fresh = load_area(src)
    cache = file_cache_dir(src, ("drive",))
    npz = cache / "roads-drive.npz"
    npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    with pytest.raises(AreaError, match="damaged"):
        read_area(cache)
    assert_same_area(fresh, load_area(src))
    meta = json.loads((cache / "meta.json").read_text())
    meta["aidroute_version"] = "0.0.1-old"
    (cache / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(AreaError, match=r"0\.0\.1-old"):
        read_area(cache, check_version=True)
    rebuilt = load_area(src)
    assert rebuilt.meta["aidroute_version"] != "0.0.1-old"
    assert_same_area(fresh, rebuilt)


def test_unknown_area_name_says_how_to_import(tmp_path):
    """An unknown name lists where it looked and the import command; a missing file says so."""
    with pytest.raises(AreaError, match=r"aidroute area import .* --name nowhere"):
        load_area("nowhere")
    with pytest.raises(AreaError, match="no such OpenStreetMap file"):
        load_area(tmp_path / "gone.osm.pbf")


def test_bundled_demo_area_loads_without_shared_data(demo):
    """The committed queens-village area loads from data/ alone, with all three profiles."""
    assert demo.path == paths.bundled_data() / "areas" / "queens-village"
    assert set(demo.roads) == {"drive", "bike", "walk"}
    assert 1800 < demo.graph("drive").n_nodes < 2100
    assert len(demo.addresses) > 30_000
    row = demo.addresses[
        (demo.addresses.housenumber == "203-06") & (demo.addresses.street == "109th Avenue")
    ]
    assert len(row) == 1 and row.iloc[0]["postcode"] == "11412"
    assert demo.addresses["city"].map(type).eq(str).all()
    min_lat, min_lon, max_lat, max_lon = demo.bbox
    assert 40.69 < min_lat < max_lat < 40.75 and -73.78 < min_lon < max_lon < -73.71
    assert "OpenStreetMap" in (paths.bundled_data() / "README.md").read_text()
    size = sum(f.stat().st_size for f in demo.path.iterdir())
    assert size < 5_000_000


def test_load_named_area_finds_bundled_and_imported_areas(demo):
    """A bundled area and one saved under AIDROUTE_HOME load by name, like load_area."""
    import shutil

    assert_same_area(load_named_area("queens-village"), demo)
    shutil.copytree(demo.path, paths.areas_dir() / "qv.copy")
    copy = load_named_area("qv.copy")
    assert copy.path == paths.areas_dir() / "qv.copy"
    assert_same_area(copy, demo)


@pytest.mark.parametrize(
    "name",
    ["../queens-village", "data/areas/queens-village", "/tmp", ".hidden", "", "two words", "-x"],
)
def test_load_named_area_refuses_paths(name):
    """Anything but a plain name is an InputError on the ``area`` field, naming the fix."""
    with pytest.raises(InputError) as caught:
        load_named_area(name)
    assert caught.value.problems == [
        InputProblem(
            "area",
            name,
            "expected the name of an imported area (`aidroute area list`), not a path",
        )
    ]
    with pytest.raises(InputError):
        check_area_name(name)


def test_load_named_area_never_reads_folders_or_imports_files(tmp_path, monkeypatch, demo):
    """A name that is also a folder or an OSM file here is looked up as a name only."""
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copytree(demo.path, tmp_path / "here")
    (tmp_path / "west.osm").write_text('<osm version="0.6"></osm>\n')
    assert load_area("here").path == Path("here")  # load_area would read the folder
    for name in ("here", "west.osm"):
        with pytest.raises(AreaError, match=rf"no area '{name}' .*--name {name}"):
            load_named_area(name)
    assert check_area_name("queens-village") == "queens-village"
    assert not (paths.areas_dir() / ".from-file").exists()


def test_threads_asking_at_once_read_a_table_once(demo):
    """A server's threads asking for an area's addresses at once read the table once and
    all get it."""
    import threading

    area = read_area(demo.path)
    reads = []
    read = area._tables["addresses"]
    assert callable(read)  # not read yet

    def slow_read():
        reads.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive meanwhile
        return read()

    area._tables["addresses"] = slow_read
    start = threading.Barrier(8)
    got = []

    def ask():
        start.wait()
        got.append(area.addresses)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(reads) == 1 and len(got) == 8 and all(g is got[0] for g in got)
    assert len(got[0]) == len(demo.addresses)
