"""The council workbook ("Excel voor de raad"): KPIs, trends with native Excel charts, and the
budget with real formulas, behind a sheet that explains them. Aggregates only; person-level
sheets only on request and only for internal use.

Unless the export is for internal use, small cells are protected across the whole workbook
(DESIGN section 8, suppression.py): a figure about 1 to 9 persons reads "<10", and a figure
from which such a cell could be derived (a total minus the other parts, the same money on
another sheet, a share of a shown total) reads "x". Every figure comes from the same service
functions as the dashboard (content.py); figures.py says what each one adds up.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from sdesk.services.council.content import CouncilContent, CouncilRequest, gather
from sdesk.services.council.figures import protect_workbook
from sdesk.services.council.suppression import (
    COMPLEMENTARY,
    SMALL,
    SUPPRESSED,
    Status,
)
from sdesk.services.kpi import KPI_LABELS, MONEY, SHARES, kpis_json
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.spreadsheet import formula, keep_text
from sdesk.services.platform.text import EXCEL_EURO, EXCEL_EURO_WHOLE, law_name, law_text

EURO = EXCEL_EURO
EURO_WHOLE = EXCEL_EURO_WHOLE
PERCENT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
PROVISIONAL_FILL = PatternFill("solid", fgColor="EEF3FA")  # claims not yet complete (#15)
DATE = "dd-mm-yyyy"
SOURCE_TEXT = {"manual": "handmatig", "computed": "berekend", "begroting": "begroting"}
BOLD = Font(bold=True)
RIGHT = Alignment(horizontal="right")
PERSONS_ONLY_INTERNAL = (
    "Een tabblad met kosten per persoon kan alleen in een werkmap voor intern gebruik: per "
    "persoon valt niets af te schermen. Kies 'intern gebruik' of laat het tabblad weg.")


class _Shield:
    """Writes a figure's value, or "<10" / "x" when the protection hides it, and counts
    what it hid for the explanation sheet."""

    def __init__(self, status: Mapping[Hashable, Status] | None) -> None:
        self.status = status or {}
        self.written = {Status.PRIMARY: 0, Status.SECONDARY: 0}

    def of(self, key: Hashable) -> Status:
        return self.status.get(key, Status.SHOWN)

    def put(self, ws: Worksheet, row: int, column: int, key: Hashable, value: Any,
            number_format: str | None = None) -> None:
        """Write the figure `key` into the cell (an empty figure stays empty)."""
        status = self.of(key)
        if status.hidden and value is not None:
            self.written[status] += 1
            ws.cell(row=row, column=column, value=status.marker).alignment = RIGHT
            return
        cell = ws.cell(row=row, column=column, value=value)
        if number_format:
            cell.number_format = number_format


def _heading(ws: Worksheet, title: str, request: CouncilRequest, user: str,
             printed_at: datetime, width: int = 1) -> int:
    """Title, scope and who made it; the two text lines wrap over `width` columns."""
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (f"Periode {request.start:%d-%m-%Y} t/m {request.end:%d-%m-%Y}; wet: "
                f"{law_text(request.law)}; team: {request.team or 'alle'}")
    ws["A3"] = (f"Gemaakt {printed_at:%d-%m-%Y %H:%M} door {user}; "
                + ("intern gebruik (geen afscherming van kleine aantallen)" if request.internal
                   else f"aantallen onder {SMALL} personen zijn afgeschermd als '{SUPPRESSED}', "
                        f"cellen waaruit ze terug te rekenen zijn als '{COMPLEMENTARY}' "
                        "(zie Toelichting)"))
    for row in (2, 3):
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 30
    return 5


def _printable(ws: Worksheet, landscape: bool = False) -> None:
    """Print on pages as wide as the sheet: a council member reads it on paper too."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _header_row(ws: Worksheet, row: int, labels: list[str]) -> None:
    ws.row_dimensions[row].height = 30  # two lines for "Verschil t.o.v. vorige periode"
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _kpi_format(key: str, value: Any) -> str:
    if key in SHARES and value is not None:
        return PERCENT
    if key in MONEY:
        return EURO
    return "#,##0.0" if isinstance(value, float) else "#,##0"


def _kpi_sheet(ws: Worksheet, content: CouncilContent, shield: _Shield, user: str,
               printed_at: datetime) -> None:
    comparison = content.comparison
    assert comparison is not None
    row = _heading(ws, "Kengetallen sociaal domein", content.request, user, printed_at, 5)
    data = [kpis_json(k) for k in (comparison.current, comparison.previous,
                                   comparison.year_earlier)]
    _header_row(ws, row, ["Kengetal", "Periode", "Vorige periode", "Jaar eerder",
                          "Verschil t.o.v. vorige periode"])
    ws.freeze_panes = ws.cell(row=row + 1, column=1).coordinate
    first = row + 1
    for key, label in KPI_LABELS.items():
        row += 1
        ws.cell(row=row, column=1, value=label)
        for column, values in enumerate(data):
            value = values[key]
            shield.put(ws, row, column + 2, ("kpi", key, column), value,
                       _kpi_format(key, value))
        current, previous = ws.cell(row=row, column=2), ws.cell(row=row, column=3)
        if isinstance(current.value, int | float) and isinstance(previous.value, int | float):
            diff = ws.cell(row=row, column=5, value=formula(
                ws, f"={current.coordinate}-{previous.coordinate}"))
            diff.number_format = current.number_format
    ws.auto_filter.ref = f"A{first - 1}:E{row}"

    # Breakdowns of the current period: by referrer and by category.
    k = comparison.current
    row += 2
    _header_row(ws, row, ["Verwijzer (COD327)", "Kosten", "Aandeel"])
    total = k.realised_cost_cents
    for code, cents in k.cost_by_referrer_cents.items():
        row += 1
        ws.cell(row=row, column=1, value=code)
        shield.put(ws, row, 2, ("referrer", code), cents / 100, EURO)
        shield.put(ws, row, 3, ("referrer_share", code), (cents / total) if total else None,
                   PERCENT)
    row += 2
    _header_row(ws, row, ["Productcategorie", "Kosten", "Cliënten"])
    for code, cents in k.cost_by_category_cents.items():
        row += 1
        clients = k.clients_by_category.get(code, 0)
        ws.cell(row=row, column=1, value=code)
        shield.put(ws, row, 2, ("category", code), cents / 100, EURO)
        shield.put(ws, row, 3, ("category_clients", code), clients)
    for letter, width in zip("ABCDE", (38, 18, 18, 18, 22), strict=True):
        ws.column_dimensions[letter].width = width
    _printable(ws)


def _trend_sheet(ws: Worksheet, content: CouncilContent, shield: _Shield, user: str,
                 printed_at: datetime) -> None:
    trend = content.trend
    assert trend is not None
    frame, laws = trend.frame, trend.laws
    row = _heading(ws, "Trends", content.request, user, printed_at, max(5, 1 + 3 * len(laws)))
    labels = ["Maand"] + [f"Kosten {law_name(lw)}" for lw in laws] + [
        f"Constante prijzen {law_name(lw)}" for lw in laws] + [
        f"Cliënten {law_name(lw)}" for lw in laws]
    _header_row(ws, row, labels)
    header = row
    ws.freeze_panes = ws.cell(row=row + 1, column=2).coordinate
    # itertuples' fields are typed only as some pandas scalar: these rows are Any.
    pivot: dict[tuple[Any, Any], Any] = {(r.month, r.law): r for r in frame.itertuples()}
    complete = content.trend_complete_through
    provisional_rows = 0
    for month in sorted(frame["month"].unique()):
        row += 1
        ws.cell(row=row, column=1, value=month).number_format = "mmm yyyy"
        if complete is not None and pd.Timestamp(month).date() > complete:
            provisional_rows += 1
            for col in range(1, len(labels) + 1):
                ws.cell(row=row, column=col).fill = PROVISIONAL_FILL
        for i, lw in enumerate(laws):
            r = pivot.get((month, lw))
            shield.put(ws, row, 2 + i, ("month", month, lw),
                       (r.realised_cents / 100) if r else 0, EURO_WHOLE)
            shield.put(ws, row, 2 + len(laws) + i, ("month_constant", month, lw),
                       (r.constant_cents / 100) if r else 0, EURO_WHOLE)
            shield.put(ws, row, 2 + 2 * len(laws) + i, ("month_clients", month, lw),
                       int(r.clients) if r else 0)
    last = row
    if provisional_rows and complete is not None:
        ws.cell(row=last + 1, column=1, value=(
            f"Lichte vulling: maanden na {complete:%d-%m-%Y}; daarvan zijn nog niet alle "
            "declaraties binnen, de kosten worden nog hoger.")).font = Font(italic=True)
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
    for i, k in enumerate(trend.quarters):
        row += 1
        ws.cell(row=row, column=1, value=f"{k.start.year}-K{(k.start.month - 1) // 3 + 1}")
        shield.put(ws, row, 2, ("quarter", "inflow", i), k.inflow)
        shield.put(ws, row, 3, ("quarter", "outflow", i), k.outflow)
        shield.put(ws, row, 4, ("quarter", "cost_per_client", i),
                   None if k.cost_per_client_cents is None else k.cost_per_client_cents / 100,
                   EURO)
        shield.put(ws, row, 5, ("quarter", "top10_share", i), k.top10_share, PERCENT)
    if row > q_header:
        bars = BarChart()
        bars.type = "col"
        bars.title = "Instroom en uitstroom per kwartaal"
        bars.height, bars.width = 9, 22
        bars.add_data(Reference(ws, min_col=2, max_col=3, min_row=q_header, max_row=row),
                      titles_from_data=True)
        bars.set_categories(Reference(ws, min_col=1, min_row=q_header + 1, max_row=row))
        ws.add_chart(bars, f"{get_column_letter(len(labels) + 2)}{q_header}")


def _budget_sheet(ws: Worksheet, content: CouncilContent, shield: _Shield, user: str,
                  printed_at: datetime) -> None:
    row = _heading(ws, f"Begroting {content.budget_year}", content.request, user, printed_at,
                   12)
    report = content.budget
    if report is None:
        ws.cell(row=row, column=1, value=content.budget_missing)
        return
    ws.cell(row=row - 1, column=1, value=f"Peildatum {report.at:%d-%m-%Y}")
    _header_row(ws, row, ["Begrotingspost", "Begroting", "Realisatie", "Prognose",
                          "Bron prognose", "Restant", "V/N", "Afwijking %", "Toelichting",
                          "Nog te declareren (schatting)", "Compleet t/m", "Subtotaal"])
    ws.freeze_panes = ws.cell(row=row + 1, column=2).coordinate
    first = row + 1
    hidden = {3: False, 4: False, 10: False}  # a column with a hidden line cannot be summed
    for i, line in enumerate(report.lines):
        row += 1
        ws.cell(row=row, column=1, value=line.post)
        ws.cell(row=row, column=2, value=line.begroting_cents / 100).number_format = EURO
        for col, name, cents in ((3, "realisation", line.realisatie_cents),
                                 (4, "forecast", line.prognose_cents)):
            shield.put(ws, row, col, (name, i), cents / 100, EURO)
            hidden[col] |= shield.of((name, i)).hidden
        ws.cell(row=row, column=5, value=SOURCE_TEXT.get(line.prognose_source,
                                                         line.prognose_source))
        _remainder(ws, row, shield, ("forecast", i))
        ws.cell(row=row, column=9, value="; ".join(
            t for t in (line.explanation, line.note) if t) or None)
        # What the forecast adds for care not yet declared. Forecast minus it is the
        # realisation (plus the rest of the year), so it is hidden with either of them.
        lag_key = _lag_key(shield, i)
        shield.put(ws, row, 10, lag_key, line.lag_estimate_cents / 100, EURO)
        hidden[10] |= shield.of(lag_key).hidden
        if line.complete_through is not None:
            ws.cell(row=row, column=11, value=line.complete_through).number_format = DATE
        ws.cell(row=row, column=12, value="ja" if line.subtotal else "nee")
        if line.provisional(report.at):
            for col in (3, 4, 10, 11):
                ws.cell(row=row, column=col).fill = PROVISIONAL_FILL
    last = row
    row += 1
    ws.cell(row=row, column=1, value="Totaal").font = BOLD
    totals = {2: None, 3: ("realisation", "total"), 4: ("forecast", "total"),
              10: ("forecast", "total")}
    amounts = {2: report.begroting_cents, 3: report.realisatie_cents, 4: report.prognose_cents,
               10: report.lag_estimate_cents}
    subtotals = any(line.subtotal for line in report.lines)
    for col, key in totals.items():
        letter = get_column_letter(col)
        if key is None or not hidden[col]:
            # Subtotal lines are shown but not added: they overlap the other lines.
            value: Any = formula(ws, (f'=SUMIF(L{first}:L{last},"nee",{letter}{first}:'
                                      f"{letter}{last})") if subtotals
                                 else f"=SUM({letter}{first}:{letter}{last})")
        elif col == 10:  # a hidden line's estimate would be this total minus the others
            shield.written[Status.SECONDARY] += 1
            ws.cell(row=row, column=col, value=COMPLEMENTARY).alignment = RIGHT
            ws.cell(row=row, column=col).font = BOLD
            continue
        else:  # the sum of what is shown would be a wrong total: the amount itself
            value = amounts[col] / 100
        shield.put(ws, row, col, key or ("begroting", "total"), value, EURO)
        ws.cell(row=row, column=col).font = BOLD
    _remainder(ws, row, shield, ("forecast", "total"))
    if report.complete_through is not None:
        ws.cell(row=row, column=11, value=report.complete_through).number_format = DATE
    notes = [n for n in (content.peildatum_warning, report.provisional_note()) if n]
    if report.provisional:
        notes.append("Lichte vulling: de post heeft maanden waarvan nog niet alle declaraties "
                     "binnen zijn; de prognose rekent voor die maanden met wat de lopende "
                     "toewijzingen vastleggen maal de uitnutting (zie Toelichting).")
    if subtotals:
        notes.append("Posten met Subtotaal = ja tellen niet mee in het totaal: hun declaraties "
                     "zitten al in andere posten.")
    for text in notes:
        row += 2 if text is notes[0] else 1
        ws.cell(row=row, column=1, value=text).font = Font(italic=True)
    ws.auto_filter.ref = f"A{first - 1}:L{last}"
    for letter, width in zip("ABCDEFGHIJKL", (42, 16, 16, 16, 13, 16, 6, 12, 50, 20, 12, 10),
                             strict=True):
        ws.column_dimensions[letter].width = width
    _printable(ws, landscape=True)


def _lag_key(shield: _Shield, i: int) -> Hashable:
    """The figure a line's lag estimate is hidden with: its realisation or its forecast."""
    for key in (("realisation", i), ("forecast", i)):
        if shield.of(key).hidden:
            return key
    return ("forecast", i)


def _remainder(ws: Worksheet, row: int, shield: _Shield, forecast: Hashable) -> None:
    """Restant, V/N and afwijking: formulas on the forecast, hidden with it."""
    status = shield.of(forecast)
    if status.hidden:
        for col in (6, 7, 8):
            shield.put(ws, row, col, forecast, "")
        return
    ws.cell(row=row, column=6, value=formula(ws, f"=B{row}-D{row}")).number_format = EURO
    ws.cell(row=row, column=7, value=formula(ws, f'=IF(F{row}>=0,"V","N")'))
    ws.cell(row=row, column=8, value=formula(ws, f'=IF(B{row}=0,"",F{row}/ABS(B{row}))')
            ).number_format = PERCENT


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


def _lag_lines(content: CouncilContent) -> list[str]:
    """The peildatum, its warning and how the forecast treats late declarations (#15)."""
    lines = [content.peildatum_warning] if content.peildatum_warning else []
    report = content.budget
    if report is not None:
        lines.append(
            f"Peildatum {report.at:%d-%m-%Y}: standaard de laatste dag met gegevens, dezelfde "
            "als op het scherm Begroting en in sdesk budget. Zorgaanbieders declareren een "
            "maand zorg één tot drie maanden later; de laatste maanden voor de peildatum zijn "
            "dus nog niet compleet. De prognose telt de complete maanden zoals gedeclareerd, "
            "rekent voor de nog niet complete maanden met het grootste van wat al gedeclareerd "
            "is en wat de lopende toewijzingen vastleggen maal de uitnutting, en voor de rest "
            "van het jaar met de toewijzingen maal de uitnutting (over de laatste twaalf "
            "complete maanden).")
        note = report.provisional_note()
        if note:
            lines.append(note + " Die maanden hebben op de tabbladen een lichte vulling.")
    return lines


def _explanation_sheet(ws: Worksheet, content: CouncilContent, shield: _Shield, user: str,
                       printed_at: datetime, titles: list[str]) -> None:
    """The first sheet: what the workbook holds and which protection rule applied."""
    request = content.request
    row = _heading(ws, "Excel voor de raad: toelichting", request, user, printed_at)
    ws.cell(row=row, column=1, value=f"Tabbladen: {', '.join(titles)}.")
    lag = _lag_lines(content)
    if lag:
        row += 2
        ws.cell(row=row, column=1, value="Peildatum en declaraties").font = BOLD
        for text in lag:
            row += 1
            cell = ws.cell(row=row, column=1, value=text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 15 * (1 + len(text) // 65)
    row += 2
    ws.cell(row=row, column=1, value="Afscherming van kleine aantallen").font = BOLD
    if request.internal:
        lines = [
            "Intern gebruik: deze werkmap toont alle aantallen en bedragen, ook die over minder "
            f"dan {SMALL} personen. Er is niets afgeschermd; deel hem niet buiten de "
            "organisatie (de export en het doel staan in de auditlog)."]
    else:
        lines = [
            f"Regel: een aantal van 1 tot en met {SMALL - 1} personen staat als "
            f"'{SUPPRESSED}'. Dat geldt ook voor een bedrag, gemiddelde of aandeel over zo'n "
            f"kleine groep: de kosten van een verwijzer of productcategorie met minder dan "
            f"{SMALL} cliënten, de realisatie en prognose van een begrotingspost die minder dan "
            f"{SMALL} personen betreft, de kosten van een maand met minder dan {SMALL} "
            "cliënten. Nul staat er gewoon: dat wijst niemand aan.",
            f"Aanvullende afscherming: een cel met '{COMPLEMENTARY}' is afgeschermd omdat een "
            f"'{SUPPRESSED}'-cel anders exact terug te rekenen is: uit een totaal min de andere "
            "regels, uit hetzelfde bedrag op een ander tabblad (zoals de realisatie per "
            "begrotingspost naast de kosten per productcategorie), uit een aandeel of bedrag "
            "per cliënt naast een zichtbaar totaal, of uit kwartalen die samen de periode "
            "vormen. Totalen blijven waar het kan zichtbaar; eerst worden de kleinste andere "
            "regels afgeschermd.",
            "Wat van een afgeschermde cel is afgeleid (kosten per cliënt, aandeel, cliënten per "
            "1.000 inwoners, restant, V/N en afwijking) is mee afgeschermd. Staat in een "
            "kolom een afgeschermde regel, dan is het totaal een vast bedrag in plaats van "
            "een formule: een SOM over de zichtbare regels zou een verkeerd totaal geven.",
            f"In deze werkmap: {shield.written[Status.PRIMARY]} cellen '{SUPPRESSED}' en "
            f"{shield.written[Status.SECONDARY]} cellen '{COMPLEMENTARY}'.",
        ]
    for text in lines:
        row += 1
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * (1 + len(text) // 65)
    ws.column_dimensions["A"].width = 75
    _printable(ws)


def write_council_workbook(engine: Engine, path: Path, request: CouncilRequest, actor: Actor,
                           sheets: tuple[str, ...] = ("kpi", "trends", "budget"),
                           include_persons: bool = False,
                           printed_at: datetime | None = None) -> Path:
    """The council's workbook: an explanation sheet and the chosen sheets, plus pseudonymised
    costs per person when asked (internal use only). `actor` is who makes it, as printed in
    every sheet's header."""
    if include_persons and not request.internal:
        raise SdeskError(PERSONS_ONLY_INTERNAL)
    printed_at = printed_at or datetime.now()
    user = actor.signature
    content = gather(engine, request, sheets)
    shield = _Shield(None if request.internal else protect_workbook(engine, content))
    workbook = Workbook()
    for default_sheet in workbook.worksheets:  # the one empty sheet a new workbook has
        workbook.remove(default_sheet)
    explanation = workbook.create_sheet("Toelichting")
    builders = {"kpi": ("Kengetallen", _kpi_sheet), "trends": ("Trends", _trend_sheet),
                "budget": ("Begroting", _budget_sheet)}
    titles = []
    for key in sheets:
        title, build = builders[key]
        titles.append(title)
        build(workbook.create_sheet(title), content, shield, user, printed_at)
    if include_persons:
        titles.append("Personen")
        _persons_sheet(workbook.create_sheet("Personen"), engine, request, actor, printed_at)
    _explanation_sheet(explanation, content, shield, user, printed_at, titles)
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_text(workbook)
    workbook.save(path)
    return path
