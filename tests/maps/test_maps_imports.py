"""Importing ``maps`` loads no page, PDF or spreadsheet library: commands that write no
output (``aidroute --help``, ``aidroute import check``) do not pay for them."""

from __future__ import annotations

import pytest

from tests.helpers.probe import fresh_python

#: What only writing a page, a PDF or a workbook needs: each takes a noticeable part of a
#: second to import (pandas comes with folium).
HEAVY = ("folium", "branca", "jinja2", "pandas", "reportlab", "openpyxl", "qrcode", "PIL")

#: Every module of the package that others import at their top.
MODULES = (
    "maps.outputs",
    "maps.driver_page",
    "maps.overview",
    "maps.manifest",
    "maps.export",
    "maps.navigation",
    "maps.assets",
    "maps.basemap",
    "maps.i18n",
    "maps.words",
    "maps.privacy",
)


def _loaded_after(code: str) -> set[str]:
    """The top-level packages of :data:`HEAVY` loaded once ``code`` ran in a fresh Python."""
    modules = fresh_python(f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))")
    return {m.split(".")[0] for m in modules} & set(HEAVY)


@pytest.mark.parametrize("module", MODULES)
def test_importing_maps_loads_nothing_heavy(module):
    """Importing any module of ``maps`` loads none of folium, branca, jinja2, reportlab,
    openpyxl, qrcode (nor pandas, which folium brings)."""
    assert _loaded_after(f"import {module}") == set()


def test_the_probe_sees_what_a_page_loads():
    """The check above can fail: writing a page, a PDF and a workbook does load them."""
    code = (
        "from maps.driver_page import driver_page\n"
        "from maps.export import plan_xlsx\n"
        "from maps.manifest import manifest_pdf\n"
        "from tests.helpers.sample_plans import make_plan\n"
        "plan = make_plan()\n"
        "driver_page(plan, plan.routes[0].driver_id)\n"
        "manifest_pdf(plan, None)\n"
        "plan_xlsx(plan)\n"
    )
    assert _loaded_after(code) >= {"folium", "branca", "jinja2", "reportlab", "openpyxl"}
