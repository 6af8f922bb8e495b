"""The council workbook ("Excel voor de raad"): KPIs, trends with native Excel charts, and the
budget with real formulas. Aggregates only; person-level sheets only on request.

Cells that count fewer than 10 persons read "<10" unless the export is for internal use
(DESIGN section 8). Every figure comes from the same service functions as the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from sdesk.services.budget import budget_report
from sdesk.services.kpi import (
    KPI_LABELS,
    MONEY,
    PERSON_COUNTS,
    SHARES,
    compare_periods,
    kpis_json,
    monthly_trend,
    quarterly_kpis,
    trend_window,
)
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.spreadsheet import formula, keep_text
from sdesk.services.platform.text import EXCEL_EURO, EXCEL_EURO_WHOLE, law_name, law_text

EURO = EXCEL_EURO
EURO_WHOLE = EXCEL_EURO_WHOLE
PERCENT = "0.0%"
SMALL = 10
SUPPRESSED = "<10"
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class CouncilRequest:
    start: date
    end: date
    law: str | None = None
    team: str | None = None
    budget_year: int | None = None
    at: date | None = None
    internal: bool = False  # True: no small-cell suppression (logged as such, DESIGN 8)
    trend_from: date | None = None


def _suppress(value: Any, count: int | None, internal: bool) -> Any:
    """1 to 9 persons read "<10"; zero identifies nobody and stays 0."""
    if internal or count is None or value is None:
        return value
    return SUPPRESSED if 0 < count < SMALL else value


def _put(ws: Worksheet, row: int, column: int, value: Any, number_format: str | None = None
         ) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if value == SUPPRESSED:
        cell.alignment = Alignment(horizontal="right")
    elif number_format:
        cell.number_format = number_format


def _heading(ws: Worksheet, title: str, request: CouncilRequest, user: str,
             printed_at: datetime) -> int:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (f"Periode {request.start:%d-%m-%Y} t/m {request.end:%d-%m-%Y}; wet: "
                f"{law_text(request.law)}; team: {request.team or 'alle'}")
    ws["A3"] = (f"Gemaakt {printed_at:%d-%m-%Y %H:%M} door {user}; "
                + ("intern gebruik (geen afscherming van kleine aantallen)" if request.internal
                   else f"aantallen onder {SMALL} personen zijn afgeschermd als '{SUPPRESSED}'"))
    return 5


def _header_row(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _kpi_sheet(ws: Worksheet, engine: Engine, request: CouncilRequest, user: str,
               printed_at: datetime) -> None:
    row = _heading(ws, "Kengetallen sociaal domein", request, user, printed_at)
    comparison = compare_periods(engine, request.start, request.end, request.law, request.team)
    data = [kpis_json(k) for k in (comparison.current, comparison.previous,
                                   comparison.year_earlier)]
    _header_row(ws, row, ["Kengetal", "Periode", "Vorige periode", "Jaar eerder",
                          "Verschil t.o.v. vorige periode"])
    ws.freeze_panes = ws.cell(row=row + 1, column=1).coordinate
    first = row + 1
    for key, label in KPI_LABELS.items():
        row += 1
        ws.cell(row=row, column=1, value=label)
        for col, values in enumerate(data, start=2):
            value = values[key]
            if key in SHARES and value is not None:
                number_format = PERCENT
            elif key in MONEY:
                number_format = EURO
            else:
                number_format = "#,##0.0" if isinstance(value, float) else "#,##0"
            count = value if key in PERSON_COUNTS else (
                values["clients"] if key in ("cost_per_client",) else None)
            _put(ws, row, col, _suppress(value, count, request.internal), number_format)
        current, previous = ws.cell(row=row, column=2), ws.cell(row=row, column=3)
        if isinstance(current.value, int | float) and isinstance(previous.value, int | float):
            diff = ws.cell(row=row, column=5, value=formula(
                ws, f"={current.coordinate}-{previous.coordinate}"))
            diff.number_format = current.number_format
    ws.auto_filter.ref = f"A{first - 1}:E{row}"

    # Breakdowns: by referrer and by category, for the current period.
    figures = data[0]
    row += 2
    _header_row(ws, row, ["Verwijzer (COD327)", "Kosten", "Aandeel"])
    total = figures["realised_cost"] or 0
    for code, euros in figures["cost_by_referrer"].items():
        row += 1
        ws.cell(row=row, column=1, value=code)
        ws.cell(row=row, column=2, value=euros).number_format = EURO
        ws.cell(row=row, column=3, value=(euros / total) if total else None).number_format = \
            PERCENT
    row += 2
    _header_row(ws, row, ["Productcategorie", "Kosten", "Cliënten"])
    for code, euros in figures["cost_by_category"].items():
        row += 1
        clients = figures["clients_by_category"].get(code, 0)
        ws.cell(row=row, column=1, value=code)
        _put(ws, row, 2, _suppress(euros, clients, request.internal), EURO)
        _put(ws, row, 3, _suppress(clients, clients, request.internal))
    for letter, width in zip("ABCDE", (38, 18, 18, 18, 22), strict=True):
        ws.column_dimensions[letter].width = width




def _trend_sheet(ws: Worksheet, engine: Engine, request: CouncilRequest, user: str,
                 printed_at: datetime) -> None:
    row = _heading(ws, "Trends", request, user, printed_at)
    window = trend_window(engine, request.law, request.team, end=request.end,
                          start=request.trend_from)
    start = window.first_month if window else request.start
    trend = monthly_trend(engine, start, request.end, request.law, request.team)
    frame = trend.frame
    laws = sorted(frame["law"].unique().tolist())
    labels = ["Maand"] + [f"Kosten {law_name(lw)}" for lw in laws] + [
        f"Constante prijzen {law_name(lw)}" for lw in laws] + [
        f"Cliënten {law_name(lw)}" for lw in laws]
    _header_row(ws, row, labels)
    header = row
    ws.freeze_panes = ws.cell(row=row + 1, column=2).coordinate
    # itertuples' fields are typed only as some pandas scalar: these rows are Any.
    pivot: dict[tuple[Any, Any], Any] = {(r.month, r.law): r for r in frame.itertuples()}
    for month in sorted(frame["month"].unique()):
        row += 1
        ws.cell(row=row, column=1, value=month).number_format = "mmm yyyy"
        for i, lw in enumerate(laws):
            r = pivot.get((month, lw))
            ws.cell(row=row, column=2 + i, value=(r.realised_cents / 100) if r else 0
                    ).number_format = EURO_WHOLE
            ws.cell(row=row, column=2 + len(laws) + i,
                    value=(r.constant_cents / 100) if r else 0).number_format = EURO_WHOLE
            clients = r.clients if r else 0
            _put(ws, row, 2 + 2 * len(laws) + i, _suppress(clients, clients, request.internal))
    last = row
    for col in range(1, len(labels) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16 if col > 1 else 12
    if last > header and laws:
        chart = LineChart()
        chart.title = "Gerealiseerde kosten per maand"
        chart.y_axis.title = "Euro"
        chart.height, chart.width = 9, 22
        chart.add_data(Reference(ws, min_col=2, max_col=1 + len(laws), min_row=header,
                                 max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        ws.add_chart(chart, f"{get_column_letter(len(labels) + 2)}{header}")

    # Inflow and outflow per quarter.
    row = last + 3
    ws.cell(row=row - 1, column=1, value="Instroom en uitstroom per kwartaal").font = BOLD
    _header_row(ws, row, ["Kwartaal", "Instroom", "Uitstroom", "Kosten per cliënt",
                          "Aandeel top-10"])
    q_header = row
    for k in quarterly_kpis(engine, start, request.end, request.law, request.team):
        row += 1
        ws.cell(row=row, column=1, value=f"{k.start.year}-K{(k.start.month - 1) // 3 + 1}")
        _put(ws, row, 2, _suppress(k.inflow, k.inflow, request.internal))
        _put(ws, row, 3, _suppress(k.outflow, k.outflow, request.internal))
        _put(ws, row, 4, _suppress(
            None if k.cost_per_client_cents is None else k.cost_per_client_cents / 100,
            k.clients, request.internal), EURO)
        ws.cell(row=row, column=5, value=k.top10_share).number_format = PERCENT
    if row > q_header:
        bars = BarChart()
        bars.type = "col"
        bars.title = "Instroom en uitstroom per kwartaal"
        bars.height, bars.width = 9, 22
        bars.add_data(Reference(ws, min_col=2, max_col=3, min_row=q_header, max_row=row),
                      titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=1, min_row=q_header + 1, max_row=row))
        ws.add_chart(bars, f"{get_column_letter(len(labels) + 2)}{q_header}")


def _budget_sheet(ws: Worksheet, engine: Engine, request: CouncilRequest, user: str,
                  printed_at: datetime) -> None:
    year = request.budget_year or request.end.year
    row = _heading(ws, f"Begroting {year}", request, user, printed_at)
    try:
        report = budget_report(engine, year, request.at or request.end)
    except NotFoundError as exc:
        ws.cell(row=row, column=1, value=str(exc))
        return
    ws.cell(row=row - 1, column=1, value=f"Peildatum {report.at:%d-%m-%Y}")
    _header_row(ws, row, ["Begrotingspost", "Begroting", "Realisatie", "Prognose",
                          "Bron prognose", "Restant", "V/N", "Afwijking %", "Toelichting"])
    ws.freeze_panes = ws.cell(row=row + 1, column=2).coordinate
    first = row + 1
    for line in report.lines:
        row += 1
        ws.cell(row=row, column=1, value=line.post)
        for col, cents in ((2, line.begroting_cents), (3, line.realisatie_cents),
                           (4, line.prognose_cents)):
            ws.cell(row=row, column=col, value=cents / 100).number_format = EURO
        ws.cell(row=row, column=5, value="handmatig" if line.prognose_source == "manual"
                else "berekend")
        ws.cell(row=row, column=6, value=formula(ws, f"=B{row}-D{row}")).number_format = EURO
        ws.cell(row=row, column=7, value=formula(ws, f'=IF(F{row}>=0,"V","N")'))
        ws.cell(row=row, column=8, value=formula(ws, f'=IF(B{row}=0,"",F{row}/ABS(B{row}))')
                ).number_format = PERCENT
        ws.cell(row=row, column=9, value=line.explanation)
    last = row
    row += 1
    ws.cell(row=row, column=1, value="Totaal").font = BOLD
    for col in (2, 3, 4):
        letter = get_column_letter(col)
        cell = ws.cell(row=row, column=col, value=formula(
            ws, f"=SUM({letter}{first}:{letter}{last})"))
        cell.number_format = EURO
        cell.font = BOLD
    ws.cell(row=row, column=6, value=formula(ws, f"=B{row}-D{row}")).number_format = EURO
    ws.cell(row=row, column=7, value=formula(ws, f'=IF(F{row}>=0,"V","N")'))
    ws.cell(row=row, column=8, value=formula(ws, f'=IF(B{row}=0,"",F{row}/ABS(B{row}))')
            ).number_format = PERCENT
    ws.auto_filter.ref = f"A{first - 1}:I{last}"
    for letter, width in zip("ABCDEFGHI", (42, 16, 16, 16, 13, 16, 6, 12, 50), strict=True):
        ws.column_dimensions[letter].width = width


def _persons_sheet(ws: Worksheet, engine: Engine, request: CouncilRequest, actor: Actor,
                   printed_at: datetime) -> None:
    from sdesk.services.kpi import drilldown

    row = _heading(ws, "Kosten per persoon (pseudoniem)", request, actor.signature, printed_at)
    rows = drilldown(engine, actor, request.start, request.end, "cost", request.law,
                     request.team, pseudonymous=True)
    per_person: dict[str, int] = {}
    for r in rows:
        per_person[r.person] = per_person.get(r.person, 0) + r.realised_cents
    _header_row(ws, row, ["Persoon (pseudoniem)", "Kosten"])
    for person, cents in sorted(per_person.items(), key=lambda kv: -kv[1]):
        row += 1
        ws.cell(row=row, column=1, value=person)
        ws.cell(row=row, column=2, value=cents / 100).number_format = EURO
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 16


def write_council_workbook(engine: Engine, path: Path, request: CouncilRequest, actor: Actor,
                           sheets: tuple[str, ...] = ("kpi", "trends", "budget"),
                           include_persons: bool = False,
                           printed_at: datetime | None = None) -> Path:
    """The council's workbook: the chosen sheets, plus pseudonymised costs per person when
    asked. `actor` is who makes it, as printed in every sheet's header."""
    printed_at = printed_at or datetime.now()
    user = actor.signature
    workbook = Workbook()
    for default_sheet in workbook.worksheets:  # the one empty sheet a new workbook has
        workbook.remove(default_sheet)
    builders = {"kpi": ("Kengetallen", _kpi_sheet), "trends": ("Trends", _trend_sheet),
                "budget": ("Begroting", _budget_sheet)}
    for key in sheets:
        title, build = builders[key]
        build(workbook.create_sheet(title), engine, request, user, printed_at)
    if include_persons:
        _persons_sheet(workbook.create_sheet("Personen"), engine, request, actor, printed_at)
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_text(workbook)
    workbook.save(path)
    return path
