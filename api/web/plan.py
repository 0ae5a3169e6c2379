"""The week page's Plan section: send the week to the workers, watch the search, then the
routes on a map with the stops left out and their fixes; move or pin a stop, apply a fix,
go back to an earlier version. Every change is a new version, re-planned with minimal change
by the workers (the same jobs and edits as the JSON API); publishing is in
:mod:`api.web.publish`.

The section is one fragment (``#plan-panel``) that htmx swaps whole: the page asks for it
when it loads, and every button answers with it again (the progress bar polls until the
plan is there).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.deps import QueueDep, SessionDep, SettingsDep, get_queue
from api.planning import Base, plan_in_group
from api.queue import NO_WORKER, phase_now
from api.resources import Edit
from api.routers.common import PlanningAlreadyError, submit, submit_week
from api.routers.versions import EDIT_TIME_LIMIT_S, edit_plan, publish_version
from api.schemas import PlanCreate, reason_of
from api.storage import jobs as jobstore
from api.storage.accounts import Caller
from api.storage.models import JobRecord, PlanRecord, PlanVersion, WeekRecord
from api.storage.plans import add_version, version_of
from api.storage.weeks import active_job, input_counts, week_inputs, week_plan
from api.web.fixes import apply_fix, read_fix
from api.web.plan_view import plan_context
from api.web.publish import links_context
from api.web.render import PageCaller, lang_of, not_found, render
from api.web.weeks import week_of
from maps.i18n import N_, Language
from routing.errors import AreaError, InputError

router = APIRouter(include_in_schema=False)

#: The workers' phases (``JobRecord.phase``), in words.
PHASES = {
    "waiting for a worker": N_("Waiting for a free worker"),
    "waiting for a worker (restarted)": N_("Waiting for a free worker"),
    NO_WORKER: N_("Waiting: no worker is running. Ask whoever runs aidroute to start one."),
    "starting": N_("Starting"),
    "checking the request": N_("Placing the addresses on the map"),
    "travel times": N_("Working out travel times"),
    "solving": N_("Looking for the best routes"),
    "drawing routes": N_("Drawing the routes"),
    "storing the plan": N_("Saving the plan"),
    "done": N_("Done"),
}

Number = Annotated[int | None, Query(ge=1, le=1_000_000)]


def _problems(e: Exception | dict[str, Any], lang: Language) -> tuple[str, list[dict[str, Any]]]:
    """An error of a request in words, and its problems (row, field, value, reason); a
    failed job's error (``{"detail", "problems"}``) as it is."""
    if isinstance(e, dict):
        detail = str(e.get("detail") or lang.gettext("Planning failed."))
        return lang.gettext("Planning failed: %(reason)s", reason=detail), e.get("problems", [])
    if isinstance(e, InputError):
        return lang.gettext("Some of this week's details cannot be planned:"), [
            p.to_dict() for p in e.problems
        ]
    if isinstance(e, ValidationError):
        rows = [
            {"row": None, "field": ".".join(str(x) for x in err["loc"]), "value": "",
             "reason": reason_of(err)}
            for err in e.errors()[:50]
        ]  # fmt: skip
        return lang.gettext("Some of this week's details cannot be planned:"), rows
    if isinstance(e, HTTPException):
        return str(e.detail), []
    return str(e), []


def panel(
    request: Request,
    caller: Caller,
    s: Any,
    settings: Any,
    week: WeekRecord,
    *,
    version: int | None = None,
    error: Exception | dict[str, Any] | None = None,
    message: str = "",
    status_code: int = 200,
    job: JobRecord | None = None,
    first_cost: int | None = None,
) -> HTMLResponse:
    """The Plan section as it is now: a job's progress, else the plan, else the button."""
    lang = lang_of(request)
    plan = week_plan(s, week)
    job = job or (None if error else active_job(s, week, plan))
    context: dict[str, Any] = {"week": week, "message": message, "error": None, "problems": []}
    if error is not None:
        context["error"], context["problems"] = _problems(error, lang)
    if job is not None and job.status in jobstore.ACTIVE:
        context["job"] = _progress(request, job, lang, first_cost)
    elif plan is not None:
        context.update(plan_context(s, plan, version, lang, settings))
        context["links"] = links_context(s, request, plan, settings, lang)
    context["inputs"] = input_counts(s, week.group_id, week.id)
    return render(request, "plan_panel.html", caller, status_code=status_code, **context)


def _progress(
    request: Request, job: JobRecord, lang: Language, first_cost: int | None
) -> dict[str, Any]:
    from api.storage.models import utcnow

    elapsed = 0.0 if job.started_at is None else (utcnow() - job.started_at).total_seconds()
    limit = max(1.0, job.time_limit_s or 1.0)
    # Placing the addresses and the travel times come first: a few seconds more.
    percent = 2 if job.status == "queued" else min(95, round(5 + 90 * elapsed / (limit + 3)))
    now = phase_now(job, get_queue(request))
    phase = PHASES.get(now)
    return {
        "id": job.id,
        "phase": lang.gettext(phase) if phase else now,
        "percent": percent,
        "stops": job.stops,
        "assigned": job.assigned,
        "cost": job.objective,
        "first_cost": first_cost if first_cost is not None else job.objective,
        "cancelling": job.cancel_requested,
    }


def _week_or_404(request: Request, caller: Caller, s: Any, week_id: str) -> Any:
    week = week_of(s, caller.group_id, week_id)
    if week is None:
        return None, not_found(request, caller, lang_of(request).gettext("No such delivery day."))
    return week, None


def _plan_of_week(s: Any, caller: Caller, week: WeekRecord, plan_id: str) -> PlanRecord | None:
    plan = plan_in_group(s, caller.group_id, plan_id)
    return plan if plan is not None and plan.week_id == week.id else None


def _found(
    request: Request, caller: Caller, s: Any, settings: Any, week_id: str, plan_id: str, number: int
) -> tuple[tuple[WeekRecord, PlanRecord, PlanVersion] | None, HTMLResponse | None]:
    """The group's week, its plan and that plan's version ``number``; else the answer to
    give instead (404 for a week not the group's, the section for a plan not the week's)."""
    week, missing = _week_or_404(request, caller, s, week_id)
    if missing is not None:
        return None, missing
    plan = _plan_of_week(s, caller, week, plan_id)
    version = version_of(s, plan.id, number) if plan is not None else None
    if plan is None or version is None or not version.body:
        return None, panel(request, caller, s, settings, week)
    return (week, plan, version), None


@router.get("/app/weeks/{week_id}/plan", response_class=HTMLResponse)
def plan_section(
    request: Request,
    week_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    version: Number = None,
) -> HTMLResponse:
    week, missing = _week_or_404(request, caller, s, week_id)
    if missing is not None:
        return missing  # type: ignore[no-any-return]
    return panel(request, caller, s, settings, week, version=version)


@router.post("/app/weeks/{week_id}/plan", response_class=HTMLResponse)
def start_plan(
    request: Request,
    week_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
    time_limit_s: Annotated[str, Form(max_length=20)] = "",
) -> HTMLResponse:
    """Plan the week with its lists as they are now: the first plan, or a new version of
    the week's plan moving as few stops as possible (drivers keep their links)."""
    week, missing = _week_or_404(request, caller, s, week_id)
    if missing is not None:
        return missing  # type: ignore[no-any-return]
    lang = lang_of(request)
    inputs = week_inputs(s, caller.group_id, week.id)
    lacking = [
        text
        for key, text in (
            ("stops", lang.gettext("Add this week's deliveries first.")),
            ("drivers", lang.gettext("Choose at least one driver for this week.")),
            ("hubs", lang.gettext("Add the hub where drivers pick up the groceries.")),
        )
        if not inputs[key]
    ]
    if lacking:
        return panel(
            request, caller, s, settings, week,
            error=ValueError(" ".join(lacking)), status_code=422,
        )  # fmt: skip
    options: dict[str, Any] = {}
    if time_limit_s.strip():
        try:
            options["time_limit_s"] = float(time_limit_s)
        except ValueError:
            error = ValueError(
                lang.gettext("%(value)s is not a number of seconds.", value=time_limit_s)
            )
            return panel(request, caller, s, settings, week, error=error, status_code=422)
    try:
        job = submit_week(s, caller, settings, queue, week, inputs, options)
    except PlanningAlreadyError as e:  # a second click, or another dispatcher: follow it
        return panel(request, caller, s, settings, week, job=e.job)
    except (InputError, AreaError, ValidationError, HTTPException) as e:
        return panel(request, caller, s, settings, week, error=e, status_code=422)
    return panel(request, caller, s, settings, week, job=job)


@router.get("/app/weeks/{week_id}/jobs/{job_id}", response_class=HTMLResponse)
def job_progress(
    request: Request,
    week_id: str,
    job_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    first: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    """The progress bar while the job runs; the plan (or why it failed) once it ended."""
    week, missing = _week_or_404(request, caller, s, week_id)
    if missing is not None:
        return missing  # type: ignore[no-any-return]
    lang = lang_of(request)
    job = jobstore.job_for_group(s, caller.group_id, job_id)
    if job is None:
        answer = panel(request, caller, s, settings, week)
        answer.headers["HX-Retarget"] = "#plan-panel"
        answer.headers["HX-Reswap"] = "innerHTML"
        return answer
    if job.status in jobstore.ACTIVE:  # the bar alone: the Stop button keeps its focus
        context = {"week": week, "job": _progress(request, job, lang, first)}
        return render(request, "plan_progress_bar.html", caller, **context)
    if job.status == "failed":
        answer = panel(request, caller, s, settings, week, error=json.loads(job.error or "{}"))
    elif job.status == "cancelled":
        message = lang.gettext("Planning was stopped. Nothing changed.")
        answer = panel(request, caller, s, settings, week, message=message)
    else:
        answer = panel(request, caller, s, settings, week, version=job.result_version)
    # The bar asked; the whole section answers.
    answer.headers["HX-Retarget"] = "#plan-panel"
    answer.headers["HX-Reswap"] = "innerHTML"
    return answer


@router.post("/app/weeks/{week_id}/jobs/{job_id}/cancel", response_class=HTMLResponse)
def cancel_job(
    request: Request,
    week_id: str,
    job_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    week, missing = _week_or_404(request, caller, s, week_id)
    if missing is not None:
        return missing  # type: ignore[no-any-return]
    job = jobstore.job_for_group(s, caller.group_id, job_id)
    if job is not None:
        jobstore.cancel(s, job)
        if job.status == "cancelled":
            message = lang_of(request).gettext("Planning was stopped. Nothing changed.")
            return panel(request, caller, s, settings, week, message=message)
        return panel(request, caller, s, settings, week, job=job)
    return panel(request, caller, s, settings, week)


def _edit_time_limit(request_body: dict[str, Any]) -> float:
    """An edit searches no longer than the first plan did (and at most the edits' default)."""
    asked = (request_body.get("options") or {}).get("time_limit_s")
    return min(float(asked), EDIT_TIME_LIMIT_S) if asked else EDIT_TIME_LIMIT_S


@router.post("/app/weeks/{week_id}/plans/{plan_id}/edit", response_class=HTMLResponse)
def edit_stop(
    request: Request,
    week_id: str,
    plan_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
    stop_id: Annotated[str, Form(max_length=200)] = "",
    version: Annotated[int, Form(ge=1, le=1_000_000)] = 1,
    change: Annotated[str, Form(max_length=10)] = "move",
    driver_id: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Move a stop to another driver (pinned there), pin it with its driver, or unpin it:
    a new version, re-planned with minimal change."""
    found, answer = _found(request, caller, s, settings, week_id, plan_id, version)
    if found is None:
        return answer  # type: ignore[return-value]
    week, plan, base = found
    body = base.plan_dict()
    names = {d["id"]: d["name"] for d in (body.get("problem") or {}).get("drivers", [])}
    stop: dict[str, Any] = next(
        (st for st in (body.get("problem") or {}).get("stops", []) if st["id"] == stop_id), {}
    )
    who = stop.get("recipient") or stop_id
    to = "" if change == "unpin" else driver_id
    try:
        edit = Edit(
            change="move" if change == "move" else "pin",
            stop_id=stop_id,
            driver_id=to or None,
            note=f"{who} → {names.get(to, to)}" if to else f"{who} ✕",
            version=version,
            time_limit_s=_edit_time_limit(json.loads(base.request or "{}")),
        )
        out = edit_plan(plan.id, edit, request, caller, s, settings, queue)
    except (InputError, AreaError, ValidationError, HTTPException) as e:
        return panel(request, caller, s, settings, week, version=version, error=e, status_code=422)
    job = jobstore.job_for_group(s, caller.group_id, out.id)
    return panel(request, caller, s, settings, week, job=job)


@router.post("/app/weeks/{week_id}/plans/{plan_id}/fix", response_class=HTMLResponse)
def apply_suggested_fix(
    request: Request,
    week_id: str,
    plan_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
    stop_id: Annotated[str, Form(max_length=200)] = "",
    version: Annotated[int, Form(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Apply the fix the solver suggested for an unassigned stop, and plan again."""
    found, answer = _found(request, caller, s, settings, week_id, plan_id, version)
    if found is None:
        return answer  # type: ignore[return-value]
    week, plan, base = found
    lang = lang_of(request)
    body = base.plan_dict()
    sentence = next(
        (u.get("fix", "") for u in body.get("unassigned", []) if u["id"] == stop_id), ""
    )
    fix = read_fix(sentence, body) if sentence and base.request else None
    if fix is None or not base.request:
        error = ValueError(lang.gettext("This fix cannot be applied from here."))
        return panel(request, caller, s, settings, week, version=version, error=error)
    try:
        edited = apply_fix(json.loads(base.request or "{}"), fix, lang)
        options = edited.setdefault("options", {})
        options["time_limit_s"] = _edit_time_limit(edited)
        options["previous_plan_id"] = None
        job = submit(
            s, caller, settings, queue, PlanCreate.model_validate(edited),
            base=Base(plan.id, base.number), change=fix.kind, note=fix.label(lang),
        )  # fmt: skip
    except LookupError:
        error = ValueError(lang.gettext("This fix cannot be applied from here."))
        return panel(request, caller, s, settings, week, version=version, error=error)
    except (InputError, AreaError, ValidationError, HTTPException) as e:
        return panel(request, caller, s, settings, week, version=version, error=e, status_code=422)
    return panel(request, caller, s, settings, week, job=job)


@router.post("/app/weeks/{week_id}/plans/{plan_id}/restore", response_class=HTMLResponse)
def restore_version(
    request: Request,
    week_id: str,
    plan_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    version: Annotated[int, Form(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Undo: an earlier version again, as a new version (nothing is re-planned)."""
    found, answer = _found(request, caller, s, settings, week_id, plan_id, version)
    if found is None:
        return answer  # type: ignore[return-value]
    week, plan, earlier = found
    request_body = json.loads(earlier.request) if earlier.request else None
    new = add_version(s, plan, earlier.plan_dict(), request_body, "restore", str(version))
    return panel(request, caller, s, settings, week, version=new.number)


@router.post("/app/weeks/{week_id}/plans/{plan_id}/publish", response_class=HTMLResponse)
def publish_shown(
    request: Request,
    week_id: str,
    plan_id: str,
    caller: PageCaller,
    s: SessionDep,
    settings: SettingsDep,
    version: Annotated[int, Form(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """Drivers' links show this version from now on; the answer names the drivers whose
    route changed (to tell them) and lists every driver's link."""
    found, answer = _found(request, caller, s, settings, week_id, plan_id, version)
    if found is None:
        return answer  # type: ignore[return-value]
    week, plan, _shown = found
    lang = lang_of(request)
    published = publish_version(plan.id, version, request, caller, s, settings)
    names = {x.driver_id: x.driver for x in published.driver_links}
    changed = [names.get(d, d) for d in published.changed_drivers]
    message = lang.gettext("Version %(number)s is published.", number=version)
    if changed:
        message += " " + lang.gettext(
            "Tell these drivers their route changed: %(names)s.", names=", ".join(changed)
        )
    return panel(request, caller, s, settings, week, version=version, message=message)
