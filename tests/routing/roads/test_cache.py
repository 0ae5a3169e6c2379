"""Area folders: saved and read back exactly; damaged or foreign folders refused."""

from __future__ import annotations

import json
import shutil

import pytest

from routing.errors import AreaError
from routing.roads.area import load_area
from routing.roads.cache import FORMAT_VERSION
from tests.helpers.roads import assert_same_area


def test_saved_area_loads_equal_to_fresh_import(ags_pair):
    """Loading the saved folder gives back exactly the imported area, meta included."""
    pbf, _ = ags_pair
    loaded = load_area(pbf.path)
    assert_same_area(pbf, loaded)
    assert loaded.meta["format_version"] == FORMAT_VERSION
    assert loaded.meta["source_file"] == "aguascalientes_mx.osm.pbf"
    assert loaded.meta["osm_timestamp"].startswith("2026-")
    assert loaded.meta["aidroute_version"] and loaded.meta["built"]


def test_named_area_from_other_format_version_is_refused(tmp_path, demo):
    """A saved area of another format version raises AreaError saying how to rebuild it."""
    folder = tmp_path / "qv"
    shutil.copytree(demo.path, folder)
    meta = json.loads((folder / "meta.json").read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    (folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(AreaError, match=r"format version .* aidroute area import"):
        load_area(folder)


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "meta"])
def test_damaged_saved_area_is_refused(tmp_path, demo, damage):
    """Flipped bytes, a truncated or missing file, or broken meta.json: a clear AreaError."""
    folder = tmp_path / "qv"
    shutil.copytree(demo.path, folder)
    target = folder / "addresses.csv.gz"
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:100])
    elif damage == "delete":
        (folder / "roads-walk.npz").unlink()
    else:
        (folder / "meta.json").write_text("{not json")
    with pytest.raises(AreaError, match="damaged"):
        load_area(folder)
