"""The import report: its JSON shape."""

from __future__ import annotations

import json

import pytest

from routing.geocoding.offline import OfflineGeocoder
from routing.intake.deliveries import import_deliveries
from tests.helpers.intake import FIXTURES


def test_report_json_shape(geocoder: OfflineGeocoder) -> None:
    """to_json() has the documented keys and round-trips through json."""
    result = import_deliveries(FIXTURES / "messy_deliveries.csv", geocoder=geocoder)
    body = json.loads(result.to_json())
    assert set(body) == {
        "kind",
        "summary",
        "columns",
        "ignored_columns",
        "column_notes",
        "guessed_columns",
        "rows",
        "problems",
    }
    assert body["summary"] == {"rows": 13, "placed": 8, "warnings": 5, "errors": 4, "blank_rows": 2}
    assert body["columns"]["address"] == "Street address"
    assert body["columns"]["postcode"] == "Zip code"
    row = body["rows"][0]
    assert set(row) == {
        "row",
        "id",
        "status",
        "precision",
        "score",
        "matched",
        "lat",
        "lon",
        "suggestion",
        "name",
        "address",
        "problems",
    }
    assert row["lat"] == pytest.approx(40.7078, abs=1e-3)
    assert body["rows"][2]["problems"][0]["row"] == 5
