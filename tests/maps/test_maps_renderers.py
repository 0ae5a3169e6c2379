"""Renderers: a process started before the plan exists loads the maps', PDFs' and workbook's
libraries meanwhile, then writes those files, with a copy of itself (issue 13: outputs
fast)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from maps.outputs import Renderers, _warm_up, write_outputs
from tests.helpers.probe import fresh_python
from tests.helpers.sample_plans import make_plan, many_routes_plan

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="renderers are forked, on Linux only"
)


def _same_folder(one: list[Path], two: list[Path], a_root: Path, b_root: Path) -> None:
    """The same files, each as complete (maps differ only in folium's random element ids)."""
    assert [p.relative_to(a_root) for p in one] == [p.relative_to(b_root) for p in two]
    for a, b in zip(one, two, strict=True):
        assert b.is_file(), b
        if a.suffix == ".pdf":
            texts = [[pg.extract_text() for pg in PdfReader(f).pages] for f in (a, b)]
            assert texts[0] == texts[1], a.name
        elif a.suffix in (".csv", ".gpx", ".json"):
            assert a.read_bytes() == b.read_bytes(), a.name
        elif a.suffix != ".xlsx":
            assert abs(a.stat().st_size - b.stat().st_size) < 200, a.name


def test_renderers_write_what_one_process_writes(tmp_path):
    plan = many_routes_plan(12, 5)
    one = write_outputs(plan, tmp_path / "one", workers=1)
    with Renderers() as renderers:
        assert renderers.started
        two = write_outputs(plan, tmp_path / "two", renderers=renderers)
        # The same processes serve the next plan too (the web service's re-plans).
        three = write_outputs(make_plan(), tmp_path / "three", renderers=renderers)
    _same_folder(one, two, tmp_path / "one", tmp_path / "two")
    assert {p.relative_to(tmp_path / "three").as_posix() for p in three} >= {
        "overview.html",
        "drivers/dana-rivera.html",
        "manifests/dana-rivera.pdf",
        "manifests/all.pdf",
        "plan.xlsx",
    }


def test_the_libraries_load_in_the_renderers_not_here(tmp_path):
    """A process that hands its maps, PDFs and workbook to renderers never imports folium,
    reportlab or openpyxl itself, yet every file is written."""
    probe = f"""
import json, sys
from pathlib import Path
from maps.outputs import Renderers, _warm_up, write_outputs
from tests.helpers.sample_plans import make_plan
with Renderers() as renderers:
    written = write_outputs(make_plan(), Path({str(tmp_path / "out")!r}), renderers=renderers)
heavy = {{m.split(".")[0] for m in sys.modules}} & {{"folium", "reportlab", "openpyxl"}}
print(json.dumps([sorted(heavy), [p.suffix for p in written if p.is_file()]]))
"""
    heavy, suffixes = fresh_python(probe)
    assert heavy == []
    assert {".html", ".pdf", ".xlsx", ".gpx", ".csv", ".json"} <= set(suffixes)


def test_a_renderer_gone_is_made_good_here(tmp_path):
    """Should a renderer die (killed, out of memory), this process renders its files: the
    folder is complete all the same."""
    plan = make_plan()
    one = write_outputs(plan, tmp_path / "one", workers=1)
    with Renderers() as renderers:
        renderers._process.kill()
        renderers._process.join()
        two = write_outputs(plan, tmp_path / "two", renderers=renderers)
    _same_folder(one, two, tmp_path / "one", tmp_path / "two")


def test_renderers_end_when_closed(tmp_path):
    """Closing ends a renderer that wrote by itself (its pipe's end seen), not by being
    killed; an unused one (the plan failed) is stopped: nothing lingers after the command."""
    renderers = Renderers()
    process = renderers._process
    assert process.is_alive()
    write_outputs(make_plan(), tmp_path, renderers=renderers)
    renderers.close()
    assert process.exitcode == 0
    assert not renderers.started
    unused = Renderers()
    process = unused._process
    unused.close()
    assert not process.is_alive()


def test_the_warm_up_renders_every_kind_of_file():
    """The renderer's warm-up (errors in it are silent there) renders a one-stop plan's
    every kind of file: pages, published pages, GPX, HTML and PDF manifests, the workbook."""
    names = _warm_up()
    suffixes = {Path(n).suffix for n in names}
    assert {".html", ".gpx", ".pdf", ".xlsx", ".csv", ".json"} <= suffixes
    assert "overview.html" in names and any(n.startswith("publish/") for n in names)


def test_the_warm_up_loads_every_page_language():
    """A roster with a Spanish-speaking driver finds Spanish loaded too: the warm-up renders
    in every page language, so no copy of the renderer loads a language's data on the way."""
    probe = """
import json
import babel.localedata
from maps.outputs import _warm_up
from routing.model import PAGE_LANGUAGES
_warm_up()
loaded = {name.split("_")[0] for name in babel.localedata._cache}
print(json.dumps([sorted(PAGE_LANGUAGES), sorted(loaded)]))
"""
    languages, loaded = fresh_python(probe)
    assert len(languages) > 1
    assert set(languages) <= set(loaded)


def test_the_renderer_loads_folium_without_pandas():
    """The renderer imports folium with pandas out of sight (folium would load it only to
    recognise DataFrames) and still renders every kind of file; pandas stays importable,
    and a process that has it loaded keeps it."""
    probe = """
import json, sys
from maps.outputs import _import_folium_without_pandas, _warm_up
_import_folium_without_pandas()
names = _warm_up()
unseen = "pandas" not in sys.modules
import pandas
import folium.utilities
print(json.dumps([unseen, len(names), folium.utilities.pd is None, bool(pandas.DataFrame)]))
"""
    assert fresh_python(probe) == [True, len(_warm_up()), True, True]
    kept = """
import json, sys
import pandas
from maps.outputs import _import_folium_without_pandas
_import_folium_without_pandas()
import folium.utilities
print(json.dumps([sys.modules["pandas"] is pandas, folium.utilities.pd is pandas]))
"""
    assert fresh_python(kept) == [True, True]
