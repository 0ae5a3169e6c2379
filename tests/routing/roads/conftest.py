"""Areas the road tests share, built or loaded once for the whole package."""

from __future__ import annotations

import pytest

from routing.roads.area import Area, load_area
from routing.roads.build import import_area
from tests.conftest import shared_file
from tests.helpers.roads import AGS_PBF, AGS_XML


@pytest.fixture(scope="package")
def ags_pair(tmp_path_factory) -> tuple[Area, Area]:
    """The Aguascalientes fixture imported from .pbf and from .osm.bz2."""
    out = tmp_path_factory.mktemp("ags")
    pbf = import_area(shared_file(AGS_PBF), "ags", out_dir=out / "pbf")
    xml = import_area(shared_file(AGS_XML), "ags", out_dir=out / "xml")
    return pbf, xml


@pytest.fixture(scope="package")
def demo() -> Area:
    """The bundled demo area."""
    return load_area("queens-village")
