"""Publishing a week's plan on the web page: each driver's link with a copy button, its QR
code and one-tap share links (the dispatcher's own phone apps send the text: ``sms:`` and
WhatsApp's ``wa.me``; the server sends nothing), every manifest on one printable page, and
the plan as plan.json, CSV or XLSX."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from api.deps import SessionDep, absolute
from api.planning import plan_in_group
from api.routers.common import links_out
from api.settings import Settings
from api.storage.models import PlanRecord, PlanVersion
from api.storage.plans import current_version, links_of, version_of
from api.web.render import PageCaller, lang_of, not_found
from maps.export import plan_csv, plan_xlsx
from maps.i18n import Language, language
from maps.manifest import manifest_html, qr_svg
from routing.phones import is_valid_phone, tel_uri
from routing.serialize import plan_from_dict

router = APIRouter(include_in_schema=False)


def share_text(lang: Language, name: str, day: str, url: str) -> str:
    """What the dispatcher sends a driver with their link, in the driver's language."""
    if day:
        return lang.gettext(
            "Hi %(name)s, here is your delivery route for %(day)s: %(url)s",
            name=name,
            day=day,
            url=url,
        )
    return lang.gettext("Hi %(name)s, here is your delivery route: %(url)s", name=name, url=url)


def links_context(
    s: Session, request: Request, plan: PlanRecord, settings: Settings, lang: Language
) -> dict[str, Any] | None:
    """The published version's drivers with their links, QR codes and share links; None
    before anything is published."""
    shown = version_of(s, plan.id, plan.published_version)
    if shown is None:
        return None
    body = shown.plan_dict()
    problem = body.get("problem") or {}
    region = problem.get("region")
    drivers = {d["id"]: d for d in problem.get("drivers", [])}
    names = {r["driver_id"]: r["driver"] for r in body.get("routes", [])}
    rows = []
    for link in links_out(s, request, plan, names, settings):
        if link.driver_id not in names:
            continue
        driver = drivers.get(link.driver_id, {})
        own = language(driver.get("locale") or lang.code)
        day = own.date(plan.day) if plan.day else ""
        text = share_text(own, link.driver, day, link.url)
        written = str(driver.get("phone") or "").strip()
        phone = _dialled(written, region)
        rows.append(
            {
                "driver_id": link.driver_id,
                "driver": link.driver,
                "url": link.url,
                "qr": Markup(qr_svg(link.url)),  # made by qrcode from our own URL
                "sms": f"sms:{phone}?&body={quote(text)}",
                # WhatsApp takes a number with its country code only; none: choose the chat.
                "whatsapp": f"https://wa.me/{phone[1:] if phone.startswith('+') else ''}"
                f"?text={quote(text)}",
                "undialled": written if written and not phone else "",
            }
        )
    return {"version": shown.number, "drivers": rows}


def _dialled(phone: str, region: str | None) -> str:
    """The number the share links send to (``"+17185550155"``), or ``""`` when ``phone``
    cannot be dialled (in ``region`` as its numbering plan says; with no country known, 7
    to 15 digits): the links then open the app without one, for the dispatcher to choose
    the contact, rather than send the driver's link to a wrong number."""
    if not phone:
        return ""
    if region:
        return tel_uri(phone, region)[len("tel:") :] if is_valid_phone(phone, region) else ""
    digits = tel_uri(phone)[len("tel:") :]
    return digits if 7 <= len(digits.lstrip("+")) <= 15 else ""


def _plan_and_version(
    s: Session, caller: Any, plan_id: str, number: int | None
) -> tuple[PlanRecord, PlanVersion] | None:
    plan = plan_in_group(s, caller.group_id, plan_id)
    if plan is None:
        return None
    version = version_of(s, plan.id, number) if number else current_version(s, plan)
    if version is None or not version.body:
        return None
    return plan, version


Number = Annotated[int | None, Query(ge=1, le=1_000_000)]


@router.get("/app/plans/{plan_id}/manifests", response_class=HTMLResponse)
def all_manifests(
    request: Request, plan_id: str, caller: PageCaller, s: SessionDep, version: Number = None
) -> HTMLResponse:
    """Every driver's manifest on one page, each starting a new sheet, ready to print
    (the published version unless another is asked for)."""
    found = _plan_and_version(s, caller, plan_id, version)
    if found is None:
        return not_found(request, caller, lang_of(request).gettext("No such plan."))
    plan, shown = found
    urls = {
        link.driver_id: absolute(request, "driver_view", token=link.token)
        for link in links_of(s, plan.id)
    }
    html = manifest_html(
        plan_from_dict(shown.plan_dict()),
        None,
        privacy=plan.privacy,
        driver_page_url=urls if plan.published_version else None,
        locale=lang_of(request).code,
    )
    return HTMLResponse(html)


EXPORTS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/app/plans/{plan_id}/plan.{kind}")
def export_plan(
    request: Request,
    plan_id: str,
    kind: str,
    caller: PageCaller,
    s: SessionDep,
    version: Number = None,
) -> Response:
    """The plan for the group's spreadsheet or scripts: plan.json, plan.csv, plan.xlsx."""
    found = _plan_and_version(s, caller, plan_id, version) if kind in EXPORTS else None
    if found is None:
        return not_found(request, caller, lang_of(request).gettext("No such plan."))
    plan, shown = found
    body = shown.plan_dict()
    if kind == "json":
        content: str | bytes = json.dumps(body, ensure_ascii=False, indent=1)
    elif kind == "csv":
        content = plan_csv(plan_from_dict(body))
    else:
        content = plan_xlsx(plan_from_dict(body))
    day = plan.day.isoformat() if plan.day else "plan"
    name = f"plan-{day}-v{shown.number}.{kind}"
    return Response(
        content,
        media_type=EXPORTS[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
