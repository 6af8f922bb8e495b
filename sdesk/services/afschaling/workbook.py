"""The afschaling worklist and the business case of reviewing as Excel workbooks (Qt-free).

openpyxl write-only mode (rows are streamed to the file, 50,000 rows in a few seconds). Every
sheet starts with a header block (what, peildatum, user, print time, filters) and freezes the
panes below the column headers. Money is written as numbers in euros with a euro format;
totals are the service's own values, not formulas, so they read the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sdesk.services.afschaling.catalogue import rules_label
from sdesk.services.afschaling.decisions import DECISIONS
from sdesk.services.afschaling.listing import Worklist, chance_label
from sdesk.services.afschaling.results import BusinessCase, GroupResult
from sdesk.services.afschaling.rules import RULE_IDS, RULES_BY_ID, RuleParameters
from sdesk.services.afschaling.vocabulary import decision_label
from sdesk.services.platform.spreadsheet import guard
from sdesk.services.platform.text import EXCEL_DATE as DATE_FORMAT
from sdesk.services.platform.text import EXCEL_DATETIME as DATETIME_FORMAT
from sdesk.services.platform.text import EXCEL_EURO as EURO_FORMAT
from sdesk.services.platform.text import EXCEL_PERCENT as PERCENT_FORMAT
from sdesk.services.platform.text import euro, euros, law_name
from sdesk.services.platform.xlsx_rows import DATE, NUMBER, TEXT, Column, marker_row, splice

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

RATIO_FORMAT = "0.00"
_MAX_WIDTH = 60


class _Writer:
    """Styled cells for one write-only workbook (styles are made once, not per cell)."""

    def __init__(self, wb: Workbook) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.wb = wb
        self._cell = WriteOnlyCell
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=14)
        self.fill = PatternFill("solid", start_color="DDE4EE")
        self.line = Border(bottom=Side(style="thin", color="7F8C9D"))
        self.right = Alignment(horizontal="right")

    def cell(self, ws: WriteOnlyWorksheet, value: Any, fmt: str | None = None,
             bold: bool = False) -> Any:
        c = self._cell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if bold:
            c.font = self.bold
        return c

    def header_row(self, ws: WriteOnlyWorksheet, names: Sequence[str],
                   numeric: Iterable[int] = ()) -> list[Any]:
        right = set(numeric)
        row = []
        for i, name in enumerate(names):
            c = self._cell(ws, value=name)
            c.font = self.bold
            c.fill = self.fill
            c.border = self.line
            if i in right:
                c.alignment = self.right
            row.append(c)
        return row

    def header_block(self, ws: WriteOnlyWorksheet, title: str, at: date, user: str,
                     printed_at: datetime, filters: str) -> int:
        """Rows 1-6 (title, peildatum, user, print time, filters, blank); returns 6."""
        t = self._cell(ws, value=title)
        t.font = self.title_font
        ws.append([t])
        for label, value, fmt in (("Peildatum", at, DATE_FORMAT), ("Gebruiker", user, None),
                                  ("Afgedrukt", printed_at, DATETIME_FORMAT),
                                  ("Filters", filters, None)):
            ws.append([self.cell(ws, label, bold=True), self.cell(ws, value, fmt)])
        ws.append([])
        return 6


def _widths(ws: WriteOnlyWorksheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        # types-openpyxl leaves out what a write-only sheet takes over from Worksheet._setup
        # (column_dimensions, page_setup); openpyxl has them.
        ws.column_dimensions[  # type: ignore[attr-defined]
            get_column_letter(i)].width = min(max(width, 9), _MAX_WIDTH)


def _finish(ws: WriteOnlyWorksheet, header_row: int) -> None:
    """Freeze below `header_row` and repeat it on every printed page. Call before the first
    row: a write-only sheet writes these settings when the first row arrives."""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    # page_setup, sheet_properties: see _widths (types-openpyxl lacks them on write-only sheets).
    setup = ws.page_setup  # type: ignore[attr-defined]
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[attr-defined]




def _eur_array(values: pd.Series | np.ndarray) -> list[float | None]:
    arr = np.asarray(values, dtype="float64") / 100
    return [None if np.isnan(v) else v for v in np.round(arr, 2).tolist()]


def _texts(values: pd.Series) -> list[str | None]:
    """Strings with None for missing values (pandas gives NaN, which is no cell value)."""
    return values.astype(object).where(values.notna(), None).tolist()


def _dates(values: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else v.date() for v in pd.to_datetime(values)]


def parameters_text(params: RuleParameters) -> str:
    """The rule parameters in one Dutch line (for the header block and the screen)."""
    return (f"einddatum binnen {params.ending_soon_weeks} wk; zonder einddatum "
            f"{params.open_ended_months} mnd; lange duur {params.long_duration_months} mnd; "
            f"intensiteit groep ≥ {params.group_norm_dagdelen:g} dagdelen, individueel ≥ "
            f"{params.individual_norm_hours:g} uur, hbh > {params.household_help_max_hours:g} "
            f"uur per week; uitnutting < {params.utilisation_min_pct:g} % over "
            f"{params.utilisation_months} mnd; geen declaraties {params.no_claims_months} mnd; "
            f"stapeling {params.stacking_laws} wetten; hoge kosten top "
            f"{params.high_cost_top_n} of > € "
            + f"{params.high_cost_threshold_cents // 100:,}".replace(",", ".")
            + f"; afschalingsdeel {params.step_down_share_pct:g} %; "
            f"recent besluit {params.recent_decision_days} dagen")


def worklist_filters_text(w: Worklist) -> str:
    """The worklist's filters and rule parameters as one header line."""
    return f"{w.filters.text()} | regels: {parameters_text(w.params)}"


# -- worklist ---------------------------------------------------------------------------------

def _rule_titles(rules: pd.Series) -> list[str]:
    cache: dict[str, str] = {}
    out = []
    for text in rules.tolist():
        found = cache.get(text)
        if found is None:
            found = cache[text] = rules_label([r for r in text.split(",") if r])
        out.append(found)
    return out


def write_worklist_workbook(worklist: Worklist, path: Path | str, user: str,
                            printed_at: datetime | None = None) -> Path:
    """Sheets Werklijst (one row per candidate, totals at the end) and Regels (each rule with
    its explanation and how often it fired). Returns the path."""
    from openpyxl import Workbook

    printed_at = (printed_at or datetime.now()).replace(microsecond=0)
    path = Path(path)
    wb = Workbook(write_only=True)
    out = _Writer(wb)
    ws = guard(wb.create_sheet("Werklijst"))
    f = worklist.frame
    identity = worklist.sees_identity
    names = ["Toewijzing", "Wet", "Cliënt", *(["Naam", "BSN"] if identity else []),
             "Categorie", "Product", "Aanbieder", "Medewerker", "Team", "Begin", "Einde",
             "Omvang", "Jaarkosten", "Regels", "Voorstel", "Verwachte besparing",
             "Laatste beoordeling", "Besparing bij uitvoering", "Kans", "Herkomst kans"]
    money = {names.index("Jaarkosten"), names.index("Verwachte besparing"),
             names.index("Besparing bij uitvoering")}
    widths = [12, 14, 14, *([24, 11] if identity else []), 30, 28, 30, 20, 22, 11, 11, 24,
              14, 40, 50, 20, 20, 20, 8, 26]
    _widths(ws, widths)
    header_row = 10  # header block (6), two summary lines, a blank line, column headers
    # A write-only sheet writes its view and print settings before the first row.
    _finish(ws, header_row)
    ws.auto_filter.ref = f"A{header_row}:{_column(len(names))}{header_row + len(f)}"
    out.header_block(ws, "Werklijst afschaling", worklist.at, user, printed_at,
                     worklist_filters_text(worklist))
    s = worklist.summary
    months = f"{s.qualifying / s.capacity_per_month:.1f}".replace(".", ",")
    reach = (f"alle kandidaten ({months} maanden werk bij "
             f"{s.capacity_per_month} beoordelingen per maand)"
             if worklist.filters.everything or not s.beyond_capacity else
             f"het werk van {s.capacity_months} maand(en) bij {s.capacity_per_month} "
             f"beoordelingen per maand, van {s.qualifying} kandidaten")
    ws.append([out.cell(ws, "Kandidaten", bold=True), out.cell(ws, s.candidates),
               out.cell(ws, reach)])
    ws.append([out.cell(ws, "Verwachte besparing per jaar", bold=True),
               out.cell(ws, euros(worklist.summary.expected_saving_total_cents), EURO_FORMAT),
               out.cell(ws, f"kans × besparing bij uitvoering (bij uitvoering van alles "
                            f"{euro(worklist.summary.saving_if_done_total_cents)}); "
                            f"capaciteit {worklist.summary.capacity_per_month} beoordelingen "
                            "per maand")])
    ws.append([])
    ws.append(out.header_row(ws, names, numeric=money))

    category = [f"{c} {label}" if label and str(c).isdigit() else (label or c)
                for c, label in zip(_texts(f["category"]), _texts(f["category_label"]),
                                    strict=True)]
    product = [" ".join(p for p in (code, desc) if p) or None
               for code, desc in zip(_texts(f["product_code"]),
                                     _texts(f["product_description"]), strict=True)]
    columns: list[list[Any]] = [
        _texts(f["toewijzingnummer"]), [law_name(x) for x in f["law"].tolist()],
        _texts(f["person"])]
    if identity:
        columns += [_texts(f["person_name"]), _texts(f["bsn"])]
    columns += [category, product, _texts(f["provider"]), _texts(f["employee"]),
                _texts(f["team"]), _dates(f["start_date"]), _dates(f["end_date"]),
                _texts(f["omvang"]), _eur_array(f["annual_cost_cents"]),
                _rule_titles(f["rules"]), _texts(f["proposal"]),
                _eur_array(f["expected_saving_cents"]), _review_texts(f),
                _eur_array(f["saving_if_done_cents"]), f["chance"].round(4).tolist(),
                [chance_label(c, s, n).split(" ", 2)[-1].strip("()") for c, s, n in zip(
                    f["chance"].tolist(), f["chance_source"].tolist(),
                    f["chance_decisions"].tolist(), strict=True)]]
    # The rows themselves are written as sheet XML after openpyxl saved the rest (xlsx_rows:
    # openpyxl's cells cost 10 to 17 s for 50,000 rows); the marker row carries the styles.
    styles = {"euro": out.cell(ws, None, EURO_FORMAT), "date": out.cell(ws, None, DATE_FORMAT),
              "percent": out.cell(ws, None, PERCENT_FORMAT),
              "bold": out.cell(ws, None, bold=True),
              "bold_euro": out.cell(ws, None, EURO_FORMAT, bold=True)}
    ws.append(marker_row(ws, styles))
    kinds = {names.index(n): (DATE, "date") for n in ("Begin", "Einde")}
    kinds.update({i: (NUMBER, "euro") for i in money})
    kinds[names.index("Kans")] = (NUMBER, "percent")
    rows = [Column(values, *kinds.get(i, (TEXT, None))) for i, values in enumerate(columns)]
    total: list[Any] = [None] * len(names)
    total[0] = Column(["Totaal"], TEXT, "bold")
    for name, cents in (("Jaarkosten", s.annual_cost_total_cents),
                        ("Verwachte besparing", s.expected_saving_total_cents),
                        ("Besparing bij uitvoering", s.saving_if_done_total_cents)):
        total[names.index(name)] = Column([euros(cents)], NUMBER, "bold_euro")
    totals = [c if c is not None else Column([None]) for c in total]

    rules = guard(wb.create_sheet("Regels"))
    _widths(rules, [24, 30, 100, 12, 34])
    _finish(rules, 7)
    out.header_block(rules, "Regels van de werklijst", worklist.at, user, printed_at,
                     worklist_filters_text(worklist))
    rules.append(out.header_row(rules, ["Regel", "Titel", "Uitleg", "Kandidaten",
                                        "Kans op afschaling"], numeric=[3]))
    chances = worklist.summary.chances
    for rule_id in RULE_IDS:
        rules.append([rule_id, RULES_BY_ID[rule_id].title, worklist.explanations[rule_id],
                      worklist.summary.by_rule.get(rule_id, 0),
                      chances[rule_id].text if rule_id in chances else None])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    splice(path, 1, list(styles), [rows, totals])
    return path


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _review_texts(f: pd.DataFrame) -> list[str | None]:
    return [None if pd.isna(day) else f"{pd.Timestamp(day):%d-%m-%Y} "
            f"{decision_label(decision) if isinstance(decision, str) else ''}".strip()
            for day, decision in zip(f["last_review_date"].tolist(),
                                     f["last_decision"].tolist(), strict=True)]


# -- business case ----------------------------------------------------------------------------

def _group_sheet(out: _Writer, ws: WriteOnlyWorksheet, first: str,
                 groups: Sequence[GroupResult], case: BusinessCase, user: str,
                 printed_at: datetime, title: str) -> None:
    names = [first, "Beoordelingen", *[decision_label(d) for d in DECISIONS],
             "Verwachte besparing per jaar", "Gerealiseerde besparing",
             "Gerealiseerd per jaar"]
    _widths(ws, [30, 14, *[16] * len(DECISIONS), 22, 22, 22])
    _finish(ws, 7)
    out.header_block(ws, title, case.at, user, printed_at, _case_filters(case))
    ws.append(out.header_row(ws, names, numeric=range(1, len(names))))
    for g in groups:
        ws.append([g.name, g.reviews, *[g.by_decision.get(d, 0) for d in DECISIONS],
                   out.cell(ws, euros(g.expected_annual_saving_cents), EURO_FORMAT),
                   out.cell(ws, euros(g.realised_saving_cents), EURO_FORMAT),
                   out.cell(ws, euros(g.realised_saving_per_year_cents), EURO_FORMAT)])
    ws.append([out.cell(ws, "Totaal", bold=True), out.cell(ws, case.review_count, bold=True),
               *[out.cell(ws, o.count, bold=True) for o in case.outcomes],
               out.cell(ws, euros(case.expected_annual_saving_cents), EURO_FORMAT, True),
               out.cell(ws, euros(case.realised_saving_cents), EURO_FORMAT, True),
               out.cell(ws, euros(case.realised_saving_per_year_cents), EURO_FORMAT, True)])


def _case_filters(case: BusinessCase) -> str:
    parts = [f"beoordelingen {case.since:%d-%m-%Y} t/m {case.at:%d-%m-%Y}"]
    if case.team:
        parts.append(f"team {case.team}")
    if case.employee:
        parts.append(f"medewerker {case.employee}")
    return "; ".join(parts)


def write_business_case_workbook(case: BusinessCase, path: Path | str, user: str,
                                 printed_at: datetime | None = None) -> Path:
    """Sheets Business case (totals, outcomes, return on capacity), Per team, Per medewerker
    and Beoordelingen (one row per review). Returns the path."""
    from openpyxl import Workbook

    printed_at = (printed_at or datetime.now()).replace(microsecond=0)
    path = Path(path)
    wb = Workbook(write_only=True)
    out = _Writer(wb)

    ws = guard(wb.create_sheet("Business case"))
    _widths(ws, [36, 18, 14])
    _finish(ws, 6)
    out.header_block(ws, "Business case beoordelen", case.at, user, printed_at,
                     _case_filters(case))
    lines: list[tuple[str, Any, str | None]] = [
        ("Capaciteit (fte)", case.fte, "0.00"),
        ("Kosten per fte", euros(case.cost_per_fte_cents), EURO_FORMAT),
        ("Kosten beoordelingscapaciteit", euros(case.capacity_cost_cents), EURO_FORMAT),
        ("Beoordelingen", case.review_count, None),
        ("Verwachte besparing per jaar", euros(case.expected_annual_saving_cents), EURO_FORMAT),
        ("Gerealiseerde besparing tot peildatum", euros(case.realised_saving_cents),
         EURO_FORMAT),
        ("Gerealiseerde besparing per jaar", euros(case.realised_saving_per_year_cents),
         EURO_FORMAT),
        ("Rendement (besparing per jaar ÷ kosten capaciteit)", case.return_on_capacity,
         RATIO_FORMAT),
    ]
    for label, value, fmt in lines:
        ws.append([out.cell(ws, label, bold=True), out.cell(ws, value, fmt)])
    ws.append([])
    ws.append(out.header_row(ws, ["Besluit", "Aantal", "Aandeel"], numeric=[1, 2]))
    for o in case.outcomes:
        ws.append([o.label, o.count, out.cell(ws, o.share, PERCENT_FORMAT)])
    ws.append([out.cell(ws, "Totaal", bold=True), out.cell(ws, case.review_count, bold=True),
               out.cell(ws, 1.0 if case.review_count else None, PERCENT_FORMAT, True)])

    _group_sheet(out, guard(wb.create_sheet("Per team")), "Team", case.by_team, case, user,
                 printed_at, "Business case per team")
    _group_sheet(out, guard(wb.create_sheet("Per medewerker")), "Medewerker",
                 case.by_employee, case, user, printed_at, "Business case per medewerker")

    ws = guard(wb.create_sheet("Beoordelingen"))
    names = ["Beoordeling", "Datum", "Toewijzing", "Wet", "Besluit", "Medewerker", "Team",
             "Uitgevoerd", "Jaarkosten vooraf", "Verwachte besparing per jaar",
             "Dagen in venster", "Basislijn", "Betaald na besluit", "Vervangende zorg",
             "Gerealiseerde besparing", "Gerealiseerd per jaar"]
    _widths(ws, [12, 11, 12, 14, 24, 22, 22, 16, 18, 22, 12, 16, 16, 16, 20, 20])
    _finish(ws, 7)
    out.header_block(ws, "Beoordelingen", case.at, user, printed_at, _case_filters(case))
    ws.append(out.header_row(ws, names, numeric=range(8, len(names))))
    for r in case.reviews:
        ws.append([r.review_id, out.cell(ws, r.review_date, DATE_FORMAT), r.toewijzingnummer,
                   law_name(r.law), r.decision_label, r.employee, r.team, r.execution_label,
                   out.cell(ws, euros(r.annual_cost_before_cents), EURO_FORMAT),
                   out.cell(ws, euros(r.expected_annual_saving_cents), EURO_FORMAT),
                   r.window_days, out.cell(ws, euros(r.baseline_cents), EURO_FORMAT),
                   out.cell(ws, euros(r.paid_after_cents), EURO_FORMAT),
                   out.cell(ws, euros(r.replacement_cost_cents), EURO_FORMAT),
                   out.cell(ws, euros(r.realised_saving_cents), EURO_FORMAT),
                   out.cell(ws, euros(r.realised_saving_per_year_cents), EURO_FORMAT)])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
