"""`argoplane status`: the tag matrix with its drift, as one report and three formatters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from argoplane.layout.inventory import Platform
from argoplane.release.drift import Drift, detect
from argoplane.release.matrix import Cell, Row, read_matrix

STYLES = {"behind": "yellow", "ahead": "magenta", "differs": "yellow", "regions-differ": "red"}


@dataclass(frozen=True)
class ServiceStatus:
    row: Row
    drift: tuple[Drift, ...]

    def drifting(self, cell: Cell) -> Drift | None:
        return next((d for d in self.drift if d.env == cell.env and cell.region in d.regions),
                    None)


@dataclass(frozen=True)
class Status:
    platform: Platform
    services: tuple[ServiceStatus, ...]

    @property
    def drifting(self) -> int:
        return sum(bool(s.drift) for s in self.services)


def build(root: Path, platform: Platform) -> Status:
    rows = read_matrix(root, platform)
    return Status(platform, tuple(ServiceStatus(r, tuple(detect(r, platform))) for r in rows))


def _columns(platform: Platform) -> list[str]:
    return [f"{t.env}/{t.region}" for t in platform.targets]


def _cell_text(cell: Cell) -> str:
    if cell.tag is None:
        return "-"
    return f"{cell.tag}*" if cell.pinned else cell.tag


def summary_line(status: Status) -> str:
    count = len(status.services)
    missing = sum(len(s.row.missing) for s in status.services)
    return (f"{count} service{'s' if count != 1 else ''}, {status.drifting} with drift"
            + (f", {missing} layout file{'s' if missing != 1 else ''} missing (`argoplane init`"
               " restores them)" if missing else "")
            + ("  (* pinned in the region's values file)"
               if any(c.pinned for s in status.services for c in s.row.cells) else ""))


def to_json(status: Status) -> dict[str, Any]:
    p = status.platform
    return {
        "platform": p.name,
        "environments": [{"name": e.name, "short": e.short, "production": e.production,
                          "regions": list(e.regions)} for e in p.environments],
        "services": [{
            "name": s.row.service.name,
            "group": s.row.service.group,
            "tags": [{"env": c.env, "region": c.region, "tag": c.tag, "source": c.source,
                      "pinned": c.pinned} for c in s.row.cells],
            "drift": [{"kind": d.kind, "env": d.env, "other": d.other,
                       "regions": list(d.regions), "text": d.text} for d in s.drift],
            "missing": list(s.row.missing),
        } for s in status.services],
        "summary": {"services": len(status.services), "drifting": status.drifting},
    }


def to_markdown(status: Status) -> str:
    columns = _columns(status.platform)
    lines = [
        f"## {status.platform.name}: image tags",
        "",
        "| service | " + " | ".join(columns) + " | drift |",
        "|---|" + "---|" * len(columns) + "---|",
    ]
    for s in status.services:
        cells = []
        for cell in s.row.cells:
            text = _cell_text(cell).replace("*", "\\*")
            cells.append(f"**{text}**" if s.drifting(cell) else text)
        drift = "; ".join(d.text for d in s.drift) or ""
        lines.append(f"| {s.row.service.name} | " + " | ".join(cells) + f" | {drift} |")
    lines += ["", summary_line(status).replace("*", "\\*")]
    return "\n".join(lines) + "\n"


def to_table(status: Status) -> Table:
    table = Table(title=f"{status.platform.name}: image tags", title_justify="left",
                  show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("service", no_wrap=True)
    for column in _columns(status.platform):
        table.add_column(column, no_wrap=True)
    table.add_column("drift")
    for s in status.services:
        cells: list[Text] = []
        for cell in s.row.cells:
            drift = s.drifting(cell)
            cells.append(Text(_cell_text(cell), style=STYLES[drift.kind] if drift else ""))
        drift_text = Text("; ".join(d.text for d in s.drift),
                          style=STYLES[s.drift[0].kind] if s.drift else "")
        table.add_row(Text(s.row.service.name), *cells, drift_text)
    return table
