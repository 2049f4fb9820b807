"""The pages of the team's operations around the grades: service given vs plan, handing
customers over, and the public pool (公海): its list, claims and assignments, releases and the
recycling preview."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from tierwise.access.roles import can
from tierwise.errors import ConfigError, ConflictError, DataError, ForbiddenError, NotFoundError
from tierwise.web.pages import Acting, Csrf, _pick, redirect, render
from tierwise.web.session import check_csrf

if TYPE_CHECKING:
    from tierwise.playbook.pool import Moved

router = APIRouter(include_in_schema=False)
IDS = re.compile(r"[\s,，、]+")


# -- service given vs plan --------------------------------------------------------------
@router.get("/service", response_class=HTMLResponse)
def service_page(request: Request, ws: Acting, scheme: str | None = None) -> HTMLResponse:
    """Service given against the plan per class and per rep (managers see their department, a
    rep their own customers), with the seeds' warnings (倒置, 大锅饭)."""
    error, found = None, None
    try:
        found = ws.reports.service(scheme=scheme or None)
    except (ConfigError, DataError) as exc:
        error = str(exc)
    schemes = [s for s in ws.schemes.list() if s["snapshot_id"]]
    return render(request, "service.html.j2", user=ws.actor, found=found, error=error, schemes=schemes,
                  scheme=scheme or (found.scheme if found else ""),
                  warnings=found.warnings(ws.lang()) if found else [])


# -- handover -------------------------------------------------------------------------
@router.get("/handover", response_class=HTMLResponse)
def handover_page(request: Request, ws: Acting, from_rep: Annotated[str, Query(alias="from")] = "",
                  customer: str = "") -> HTMLResponse:
    """The handover form (managers and admins): whose customers, or which, to whom, and why."""
    if not can(ws.actor, "customers.write"):
        raise ForbiddenError(f"{ws.actor.name}: only managers and admins hand customers over / "
                             "无权移交客户：只有经理和管理员可以移交")
    return render(request, "handover.html.j2", user=ws.actor, found=None, error=None,
                  values={"from": from_rep, "customers": customer, "to": "", "reason": ""})


@router.post("/handover", response_class=HTMLResponse)
def handover_post(
    request: Request, ws: Acting, csrf: Csrf,
    to: Annotated[str, Form(max_length=1000)],
    from_rep: Annotated[str, Form(alias="from", max_length=64)] = "",
    customers: Annotated[str, Form(max_length=200_000)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    action: Annotated[str, Form()] = "preview",
) -> Response:
    """Preview the moves (the page again, with them), or apply them (back to the form, flashed)."""
    check_csrf(request.state.csrf, csrf)
    values = {"from": from_rep, "customers": customers, "to": to, "reason": reason}
    targets = [t for t in re.split(r"[\s,，、]+", to) if t]
    ids = [c for c in re.split(r"[\s,，、]+", customers) if c]
    try:
        found = ws.customers.handover(targets, customer_ids=ids or None, from_rep=from_rep or None,
                                      reason=reason or None, apply=action == "apply")
    except (ConfigError, DataError) as exc:
        return render(request, "handover.html.j2", user=ws.actor, found=None, error=str(exc), values=values,
                      status=400 if not isinstance(exc, NotFoundError) else 404)
    if found.applied:
        n = len(found.moves)
        flash = _pick(ws, f"handed over {n:,} customers and {found.open_tasks:,} open tasks; audited",
                      f"已移交 {n:,} 个客户及 {found.open_tasks:,} 项待办任务，已记入审计日志")
        return redirect(request, "/handover", flash)
    return render(request, "handover.html.j2", user=ws.actor, found=found, error=None, values=values)




# -- the public pool --------------------------------------------------------------------
@router.get("/pool", response_class=HTMLResponse)
def pool_page(request: Request, ws: Acting, q: Annotated[str, Query(max_length=200)] = "",
              page: Annotated[int, Query(ge=1, le=100_000)] = 1, preview: bool = False) -> HTMLResponse:
    """The pool's customers the person may see, with claim (a rep) or assign (a manager or
    admin) for the ticked ones; for managers and admins, who the rules send to the pool today."""
    found = ws.pool.list(q=q or None, page=page, page_size=50)
    recycling = None
    if preview and ws.actor.role in ("admin", "manager"):
        recycling = ws.pool.recycle()
    pages = max(1, -(-found["total"] // 50))
    return render(request, "pool.html.j2", user=ws.actor, found=found, q=q, pages=pages, recycling=recycling,
                  today=date.today(), can_recycle=can(ws.actor, "pool.recycle"))


def _ids(text: list[str]) -> list[str]:
    return [i for item in text for i in IDS.split(item) if i]


def _move(request: Request, ws: Acting, back: str, act: Callable[[], Moved], en: str, zh: str) -> Response:
    """Run ``act`` (a claim or release) and go ``back`` (a path of this site), flashing what
    happened (``en``/``zh`` with ``{n}`` customers and ``{rep}``) or why it was refused."""
    to = back if back.startswith("/") and not back.startswith("//") else "/pool"
    try:
        moved = act()
    except (ConfigError, DataError, ConflictError, ForbiddenError) as exc:
        return redirect(request, to, str(exc))
    n, rep = f"{len(moved.customer_ids):,}", moved.rep_id
    return redirect(request, to, _pick(ws, en.format(n=n, rep=rep), zh.format(n=n, rep=rep)))


@router.post("/pool/claim", response_class=HTMLResponse)
def pool_claim(request: Request, ws: Acting, csrf: Csrf,
               customer: Annotated[list[str], Form(max_length=10_000)],
               rep_id: Annotated[str, Form(max_length=64)] = "",
               back: Annotated[str, Form(max_length=300)] = "/pool") -> Response:
    """Claim (a rep) or assign (``rep_id``: a manager or admin) the ticked customers."""
    check_csrf(request.state.csrf, csrf)
    return _move(request, ws, back, lambda: ws.pool.claim(_ids(customer), rep_id=rep_id.strip() or None),
                 "{n} customers now with {rep}; audited", "{n} 个客户已归 {rep} 负责，已记入审计日志")


@router.post("/pool/release", response_class=HTMLResponse)
def pool_release(request: Request, ws: Acting, csrf: Csrf,
                 customer: Annotated[list[str], Form(max_length=10_000)],
                 reason: Annotated[str, Form(max_length=500)] = "",
                 back: Annotated[str, Form(max_length=300)] = "/pool") -> Response:
    """Return a customer to the pool, with the reason."""
    check_csrf(request.state.csrf, csrf)
    return _move(request, ws, back, lambda: ws.pool.release(_ids(customer), reason=reason),
                 "{n} customers back in the public pool; audited", "{n} 个客户已退回公海，已记入审计日志")


@router.post("/pool/recycle", response_class=HTMLResponse)
def pool_recycle(request: Request, ws: Acting, csrf: Csrf) -> Response:
    """Recycle today's due customers now, as a job (admins): its page follows it."""
    check_csrf(request.state.csrf, csrf)
    job = ws.jobs.submit("pool", apply=True, origin="web")
    return redirect(request, f"/jobs/{job['job_id']}")


# -- approval chains --------------------------------------------------------------------
@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, ws: Acting) -> HTMLResponse:
    """The requests waiting for this person's step (approve, or reject with a reason), and the
    others under way that they see."""
    waiting = ws.approvals.list(mine=True)
    mine = {a["approval_id"] for a in waiting}
    others = [a for a in ws.approvals.list() if a["approval_id"] not in mine]
    return render(request, "approvals.html.j2", user=ws.actor, waiting=waiting, others=others,
                  chains=ws.approvals.chains()["chains"])


@router.post("/approvals/{approval_id}", response_class=HTMLResponse)
def approvals_decide(request: Request, ws: Acting, csrf: Csrf, approval_id: int,
                     decision: Annotated[str, Form(pattern="^(approve|reject)$")],
                     note: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Approve or reject the request's next step; back to the list, flashed."""
    check_csrf(request.state.csrf, csrf)
    try:
        done = (ws.approvals.approve(approval_id, note=note or None) if decision == "approve"
                else ws.approvals.reject(approval_id, reason=note))
    except (ConfigError, DataError, ConflictError, ForbiddenError) as exc:
        return redirect(request, "/approvals", str(exc))
    if done["status"] == "pending":
        n, step, who = done["done"], done["next"], done["next_who"]
        flash = _pick(ws, f"#{approval_id}: step {n} approved; next {step} ({who})",
                      f"#{approval_id}：第 {n} 步已批准；下一步 {step}（{who}）")
    elif done["status"] == "approved":
        flash = _pick(ws, f"#{approval_id} approved at its last step: it takes effect",
                      f"#{approval_id} 已完成最后一步审批，已生效")
    else:
        flash = _pick(ws, f"#{approval_id} rejected", f"#{approval_id} 已驳回")
    return redirect(request, "/approvals", flash)


# -- targets ----------------------------------------------------------------------------
@router.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request, ws: Acting,
                 period: Annotated[str, Query(pattern="^(month|quarter|year)$")] = "quarter") -> HTMLResponse:
    """Targets against what was done, by month, quarter or year (the person's scope)."""
    from tierwise.reports.targets import METRIC_NAMES, METRICS

    error, found = None, None
    try:
        found = ws.reports.targets(period=period).to_json(ws.lang())
    except (ConfigError, DataError) as exc:
        error = str(exc)
    return render(request, "targets.html.j2", user=ws.actor, found=found, error=error, period=period,
                  metrics=[(m, METRIC_NAMES[m]) for m in METRICS])
