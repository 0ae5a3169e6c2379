"""A driver reports each stop from their link's page: the page carries the buttons (only when
served through a link), its script and service worker are served by aidroute, and reports are
idempotent: the same report sent again changes nothing, a newer one replaces it."""

from __future__ import annotations

import json
import time

from maps.driver_page import driver_page
from routing.serialize import plan_from_dict
from tests.helpers.api import plan_body
from tests.helpers.html import Tags


def _plan_and_link(api, body=None):
    out = api.post("/plans", json=body or plan_body(4)).json()
    route = next(r for r in out["plan"]["routes"] if r["stops"])
    link = next(x for x in out["driver_links"] if x["driver_id"] == route["driver_id"])
    return out, route, link["url"]


def test_served_page_has_status_buttons_per_stop_and_its_script(api):
    """One report section per stop, named by its stop id, three labelled buttons and a labelled
    note; the page's data says where to send; status.js and the worker are served here."""
    _out, route, url = _plan_and_link(api)
    page = api.get(url).text
    tags = Tags(page).tags
    main = next(a for t, a in tags if t == "main")
    token = url.rsplit("/", 1)[1]
    assert main["data-status-url"] == f"{token}/status"
    assert main["data-stops-url"] == f"{token}/stops"
    words = json.loads(main["data-words"])
    assert words["waiting"] == "waiting to send" and "{n}" in words["outbox_other"]
    sections = [a for t, a in tags if t == "div" and "aid-report" in (a.get("class") or "")]
    assert [a["data-stop"] for a in sections] == [s["id"] for s in route["stops"]]
    buttons = [a for t, a in tags if t == "button" and "aid-mark" in (a.get("class") or "")]
    assert len(buttons) == 3 * len(route["stops"])
    assert buttons[0]["aria-label"] == "Delivered: stop 1"
    assert buttons[2]["aria-label"] == "Refused: stop 1"
    assert '<label for="aid-note-1">Note for stop 1 (optional)</label>' in page
    scripts = [a["src"] for t, a in tags if t == "script" and a.get("src")]
    assert "/static/aidroute/status.js" in scripts
    js = api.get("/static/aidroute/status.js")
    assert js.status_code == 200 and "localStorage" in js.text
    worker = api.get("/d/worker.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "connect-src 'self'" in worker.headers["content-security-policy"]
    assert "caches" in worker.text


def test_page_from_the_results_folder_has_no_buttons(api):
    """The same driver's page written for the CLI's folder: no buttons, no status script."""
    out, route, _url = _plan_and_link(api)
    page = driver_page(plan_from_dict(out["plan"]), route["driver_id"])
    assert "aid-report" not in page and "status.js" not in page and "data-status-url" not in page


def test_reports_are_idempotent_and_the_latest_wins(api):
    """Sending one report twice (a lost answer) records it once: its time does not move and a
    watcher polling with ``since`` sees it once; a newer report replaces it; the link's stops
    and the dispatcher's status both show the latest."""
    out, route, url = _plan_and_link(api)
    stop = route["stops"][0]["id"]
    report = {"stop_id": stop, "status": "delivered", "note": "left with neighbour"}
    first = api.post(url + "/status", json=report)
    assert first.status_code == 201
    since = api.get(f"/plans/{out['id']}/status").json()["updated_at"]
    time.sleep(0.01)
    again = api.post(url + "/status", json=report)
    assert again.status_code == 201 and again.json()["at"] == first.json()["at"]
    changed = api.get(f"/plans/{out['id']}/status", params={"since": since}).json()
    assert changed["stops"] == []
    newer = api.post(url + "/status", json={"stop_id": stop, "status": "refused", "note": "no"})
    assert newer.json()["at"] > first.json()["at"]
    status = api.get(f"/plans/{out['id']}/status").json()
    assert status["counts"]["delivered"] == 0 and status["counts"]["refused"] == 1
    mine = api.get(url + "/stops").json()["stops"][0]
    assert (mine["status"], mine["status_note"]) == ("refused", "no")


def test_spanish_driver_gets_spanish_buttons(api):
    """A driver whose roster language is Spanish gets the buttons and states in Spanish."""
    body = plan_body(4)
    for d in body["drivers"]:
        d["locale"] = "es"
    _out, _route, url = _plan_and_link(api, body)
    page = api.get(url).text
    tags = Tags(page).tags
    main = next(a for t, a in tags if t == "main")
    words = json.loads(main["data-words"])
    assert words["waiting"] == "pendiente de enviar" and words["sent"] == "enviado"
    assert 'aria-label="Entregado: parada 1"' in page
    assert ">Nadie en casa<" in page and ">Rechazado<" in page


def test_reveal_mode_reports_move_on_instead_of_its_delivered_button(api):
    """In the reveal mode a served link has the report buttons (any report shows the next
    stop) and not the results folder's lone "Delivered" button."""
    body = plan_body(4)
    body["privacy"] = "reveal"
    _out, route, url = _plan_and_link(api, body)
    page = api.get(url).text
    assert 'class="aid-btn aid-done"' not in page and "aidroute:reported" in page
    assert page.count('class="aid-report"') == len(route["stops"])
