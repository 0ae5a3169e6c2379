"""The web page's Deliveries and Drivers steps, for tests: with a TestClient (``headers``,
``new_week``, ``choose_columns``, ``read``) and in a real browser through Playwright (``login``,
``open_week``, ``upload``, ``set_column``, ``read_rows``, ``fix_with_suggestion``,
``pin_row``, ``skip_row``, ``tick_driver``, ``add_hub``), so that one end-to-end test can
chain them with the plan's steps."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

#: A spot inside the bundled Queens Village area (near 109th Avenue).
INSIDE = (40.7078, -73.7548)


# --- TestClient -----------------------------------------------------------------------------


def headers(c: Any, path: str = "/app") -> dict[str, str]:
    """What htmx sends with a change: the session's CSRF token, HX-Request."""
    page = c.get(path).text
    token = re.search(r'"X-CSRF-Token": "([\w-]+)"', page)
    assert token, page[:500]
    return {"X-CSRF-Token": token.group(1), "HX-Request": "true"}


def day(offset_days: int) -> str:
    """The ISO day ``offset_days`` after today: weeks a test makes stay plannable (within a
    year of today) whenever the tests run."""
    return (dt.date.today() + dt.timedelta(days=offset_days)).isoformat()


def new_week(c: Any, when: str | None = None) -> str:
    """The path of a new delivery day's page (default: 3 days from today)."""
    r = c.post("/app/weeks", data={"date": when or day(3)}, headers=headers(c))
    assert r.status_code == 204, r.text
    return str(r.headers["HX-Redirect"])


def chosen_columns(html: str) -> dict[str, str]:
    """field -> header, as the column step's selects show them chosen."""
    out = {}
    for value in re.findall(r'<option value="([a-z_]+=[^"]*)" selected>', html):
        fld, _, header = value.partition("=")
        out[fld] = header.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    return out


def choose_columns(
    c: Any, week: str, name: str, data: bytes, kind: str = "deliveries"
) -> tuple[Any, dict[str, str]]:
    """Step 1: the column step's answer and the columns it chose."""
    path = f"{week}/deliveries/columns" if kind == "deliveries" else f"{week}/drivers-file/columns"
    r = c.post(path, files={"file": (name, data)}, headers=headers(c, week))
    return r, chosen_columns(r.text) if r.status_code == 200 else {}


def read(
    c: Any,
    week: str,
    name: str,
    data: bytes,
    columns: dict[str, str] | None = None,
    kind: str = "deliveries",
    sheet: str = "",
) -> Any:
    """Step 2: read the rows with ``columns`` (field -> header) as the selects send them."""
    path = f"{week}/deliveries/read" if kind == "deliveries" else f"{week}/drivers-file/read"
    pairs = [f"{f}={h}" for f, h in (columns or {}).items()]
    return c.post(
        path,
        files={"file": (name, data)},
        data={"columns": pairs, "sheet": sheet},
        headers=headers(c, week),
    )


def row_action(c: Any, week: str, html: str, row: int, action: str, **form: str) -> Any:
    """A change to row ``row`` of the table shown in ``html`` (fix, pin, skip, restore)."""
    found = re.search(r"/app/weeks/\w+/imports/(\w+)/rows/", html)
    assert found, "no table of rows in the page"
    path = f"{week}/imports/{found.group(1)}/rows/{row}"
    return c.post(f"{path}/{action}", data=form, headers=headers(c, week))


# --- Playwright -------------------------------------------------------------------------------


def shot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(re.compile("Email|Correo")).fill(email)
    page.get_by_label(re.compile("Password|Contraseña")).fill(password)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/app(/weeks/\w+)?$"))


def choose_language(page: Any, code: str) -> None:
    page.locator("#language-choice").select_option(code)
    page.locator("#language-choice").locator("xpath=..").locator("button").click()
    page.wait_for_load_state()


def open_week(page: Any, day: str) -> str:
    """Open (or make) the delivery day ``day`` (YYYY-MM-DD); its path."""
    page.locator("#week-date").fill(day)
    page.locator("form[hx-post='/app/weeks'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/app/weeks/\w+$"))
    page.locator("#deliveries-file, #deliveries-counts").first.wait_for()
    return str(page.url)


def upload(page: Any, path: Path) -> None:
    """Choose the deliveries spreadsheet: the column step appears."""
    page.locator("#deliveries-file").set_input_files(str(path))
    page.locator("#deliveries-columns select").first.wait_for()


def set_column(page: Any, field: str, header: str, kind: str = "deliveries") -> None:
    page.locator(f"#{kind}-col-{field}").select_option(f"{field}={header}")


def read_rows(page: Any) -> None:
    page.locator("#deliveries-columns button[type=submit]").click()
    page.locator("#deliveries-counts").wait_for()


def counts(page: Any) -> str:
    return str(page.locator("#deliveries-counts").inner_text())


def fix_with_suggestion(page: Any, row: int, typed: str) -> str:
    """Type ``typed`` as row ``row``'s address; it is refused (a street without that door),
    then the first suggestion is chosen. Returns the suggestion."""
    page.locator(f"#fix-{row}").fill(typed)
    page.locator(f"#row-{row} form.fix button[type=submit]").first.click()
    page.locator(f"#row-{row}-error").wait_for()
    suggestion = page.locator(f"#row-{row} button.suggestion").first
    text = str(suggestion.get_attribute("value"))
    suggestion.click()
    page.locator(f"#row-{row}.state-fixed").wait_for()
    return text


def pin_row(page: Any, row: int, folder: Path | None = None) -> None:
    """Drop a pin on the map for row ``row``: open the map, click its middle, use it."""
    page.locator(f"#row-{row} button.pin-open").click()
    page.locator("#pin-map .leaflet-container, #pin-map.leaflet-container").first.wait_for()
    page.wait_for_timeout(300)
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#pin-use:not([disabled])").wait_for()
    if folder is not None:
        shot(page, folder, "pin-map")
    page.locator("#pin-use").click()
    page.locator(f"#row-{row}.state-pinned").wait_for()


def skip_row(page: Any, row: int) -> None:
    page.locator(f"#row-{row} > td.actions > button").last.click()
    page.locator(f"#row-{row}.state-skipped").wait_for()


def tick_driver(page: Any, name: str, available: bool = True) -> None:
    """Tick (or untick) a driver of the roster by name."""
    row = page.locator("table.roster tr", has_text=name)
    box = row.locator("input[type=checkbox]")
    if box.is_checked() != available:
        box.click()
        page.wait_for_load_state("networkidle")
    row = page.locator("table.roster tr", has_text=name)
    assert row.locator("input[type=checkbox]").is_checked() == available


def upload_roster(page: Any, path: Path) -> None:
    page.locator("#drivers-body details", has=page.locator("#drivers-file")).locator(
        "summary"
    ).click()
    page.locator("#drivers-file").set_input_files(str(path))
    page.locator("#drivers-columns select").first.wait_for()
    page.locator("#drivers-columns button[type=submit]").click()
    page.locator("table.roster").wait_for()


def add_hub(page: Any, place: str) -> None:
    page.locator("#hub-place").fill(place)
    page.locator("#hub-place").locator("xpath=..").locator("button[type=submit]").click()
    page.locator("ul.hubs li").first.wait_for()
