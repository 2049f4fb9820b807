"""``tierwise doctor``: ids stored before imports wrote them alike, found and mended."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tierwise.cli.main import app, current_lang, open_workspace, out, pick


@app.command()
def doctor(
    fix: Annotated[bool, typer.Option(
        "--fix", help="Rewrite the ids and drop the duplicate rows (one transaction, audited); without it "
                      "nothing changes.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find ids stored before imports wrote them alike (17850.0 beside 17850: two customers, order
    lines inserted twice) and, with --fix, merge them (admins)."""
    lang = current_lang()
    with open_workspace() as ws:
        found = ws.system.doctor(fix=fix)
    if as_json:
        print(json.dumps(found, ensure_ascii=False))
        return
    if found["clean"]:
        out.print(pick(lang, "every id is written as an import writes it: nothing to mend",
                        "所有编号均已规范，无需修复"))
        return
    for column, n in found["ids"].items():
        shown = ", ".join(f"{a} → {b}" for a, b in found["examples"].get(column, []))
        out.print(pick(lang, f"{column}: {n:,} ids to rewrite (e.g. {shown})",
                        f"{column}：{n:,} 个编号需规范（如 {shown}）"))
    for table, n in found["duplicates"].items():
        rows = found["rows"][table]
        out.print(pick(lang, f"{table}: {n:,} of {rows:,} rows duplicate another once the ids are rewritten "
                             f"(the one imported last is kept)",
                        f"{table}：规范后 {rows:,} 行中有 {n:,} 行重复（保留最后导入的一行）"))
    if found["mended"]:
        merged, renamed = found["customers_merged"], found["customers_renamed"]
        out.print(pick(lang, f"mended: {merged:,} customers merged, {renamed:,} renamed (audited); classify "
                             f"again to grade them",
                        f"已修复：合并客户 {merged:,} 个，更名 {renamed:,} 个（已记入审计）；请重新分类"))
    else:
        out.print(pick(lang, "nothing changed: run `tierwise doctor --fix` to mend",
                        "未做修改：运行 tierwise doctor --fix 进行修复"))
