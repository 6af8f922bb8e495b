"""The household cost overview as an Excel workbook (Qt-free; the screen and the CLI share it).

Sheets: Overzicht, Toewijzingen, Interventies, T0-T1. Every sheet starts with the same header
block (household, peildatum, user, print time, filters) that stays frozen while scrolling.
Money is written as numbers in euros with a euro format; totals are the overview's own values,
not formulas, so they read the same in any program and in tests.

The text helpers (`category_text`, `omvang_text_of`, ...) are shared with the screen and the
PDF so all three say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdesk.services.household.coordination import BUCKET_LABELS, BUCKETS
from sdesk.services.household.overview import HouseholdOverview
from sdesk.services.household.package import (
    FLAG_LABELS,
    MUNICIPAL_PAYER,
    AllocationLine,
    PayerSaving,
)
from sdesk.services.household.vocabulary import STATUS_LABELS
from sdesk.services.platform.spreadsheet import keep_text
from sdesk.services.platform.text import (
    EXCEL_DATE,
    EXCEL_DATETIME,
    EXCEL_EURO,
    EXCEL_PERCENT,
    LAW_NAMES,
    euro,
    euros,
    law_name,
)
from sdesk.services.platform.text import category_text as format_category

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

EURO_FORMAT = EXCEL_EURO
DATE_FORMAT = EXCEL_DATE
DATETIME_FORMAT = EXCEL_DATETIME
PERCENT_FORMAT = EXCEL_PERCENT

PAYER_LABELS = {"gemeente": "Gemeente", "zorgverzekeraar": "Zorgverzekeraar",
                "politie": "Politie", "justitie": "Justitie",
                "woningcorporatie": "Woningcorporatie", "onderwijs": "Onderwijs",
                "wlz": "Wlz", "overig": "Overig"}
PAYER_ORDER = tuple(PAYER_LABELS)
UNIT_CODELIST = "WJ756"

_HEADER_ROWS = 6  # the header block; tables start below it
_MAX_WIDTH = 60


# -- text shared by screen, PDF and workbook ---------------------------------------------------

def payer_label(payer: str) -> str:
    """The Dutch label of a payer."""
    return PAYER_LABELS.get(payer, payer.capitalize())


def payer_sort_key(payer: str) -> tuple[int, str]:
    """Gemeente first, then the other payers in their fixed order."""
    return (PAYER_ORDER.index(payer) if payer in PAYER_ORDER else len(PAYER_ORDER), payer)


def category_text(a: AllocationLine) -> str:
    """The allocation's category as shown (platform.text.category_text)."""
    return format_category(a.category, a.category_label)




def omvang_text_of(a: AllocationLine) -> str:
    """"3 × Uur per week", "Budget € 12.000,00" or "" (no omvang recorded)."""
    from sdesk.services.household.directory import omvang_text
    from sdesk.services.platform.reference_data import shipped_codelists

    if a.budget_cents is not None and a.volume is None:
        return f"Budget {euro(a.budget_cents)}"
    unit_label = shipped_codelists().get(UNIT_CODELIST, {}).get(a.unit or "")
    return omvang_text(a.volume, a.unit, unit_label, a.frequency, a.budget_cents)


def member_names(o: HouseholdOverview) -> dict[str, str]:
    """person_id (or pseudonym) -> the name shown for that member."""
    return {m.person_id: m.name for m in o.members}


def flag_texts(o: HouseholdOverview) -> list[str]:
    """The Dutch texts of the overview's flags."""
    return [FLAG_LABELS.get(f, f) for f in o.flags]


def municipal_and_other_cents(o: HouseholdOverview) -> tuple[int, int]:
    """The annual cost paid by the municipality and by others."""
    municipal = o.totals_by_payer.get(MUNICIPAL_PAYER, 0)
    return municipal, o.total_annual_cost_cents - municipal


def payer_savings(savings: dict[str, PayerSaving]) -> list[tuple[str, PayerSaving]]:
    """(payer label, saving) with gemeente first."""
    return [(payer_label(p), savings[p]) for p in sorted(savings, key=payer_sort_key)]


def bucket_savings(savings: dict[str, PayerSaving]) -> list[tuple[str, PayerSaving]]:
    """All five factsheet buckets in their fixed order, zero where nothing was spent."""
    return [(BUCKET_LABELS[b], savings.get(b, PayerSaving(0, 0))) for b in BUCKETS]


def filters_text(o: HouseholdOverview) -> str:
    """The overview's reference date and threshold as one header line."""
    return f"peildatum {o.at:%d-%m-%Y}; drempel jaarkosten {euro(o.threshold_cents)}"


# -- workbook ---------------------------------------------------------------------------------



class _Sheet:
    """Appends rows to one worksheet and remembers what each column needs to be wide."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.widths: dict[int, int] = {}
        self.last_row = 0
        self.freeze_row = _HEADER_ROWS + 1

    def _next_row(self) -> int:
        self.last_row += 1
        return self.last_row

    def row(self, values: Sequence[Any], *, formats: dict[int, str] | None = None,
            bold: bool = False, measure: bool = True) -> int:
        from openpyxl.styles import Font

        r = self._next_row()
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = self.ws.cell(row=r, column=c, value=value)
            if formats and c in formats:
                cell.number_format = formats[c]
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            if bold:
                cell.font = Font(bold=True)
            if measure:
                self.widths[c] = max(self.widths.get(c, 0), _display_width(value, formats, c))
        return r

    def header(self, values: Sequence[str], *, numeric: Iterable[int] = ()) -> int:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        r = self.row(values)
        fill = PatternFill("solid", start_color="DDE4EE")
        line = Border(bottom=Side(style="thin", color="7F8C9D"))
        right = set(numeric)
        for c in range(1, len(values) + 1):
            cell = self.ws.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.border = line
            if c in right:
                cell.alignment = Alignment(horizontal="right")
        return r

    def blank(self) -> None:
        self._next_row()

    def title(self, text: str) -> None:
        from openpyxl.styles import Font

        r = self.row([text], measure=False)
        self.ws.cell(row=r, column=1).font = Font(bold=True, size=12)

    def finish(self, freeze_row: int) -> None:
        from openpyxl.utils import get_column_letter

        self.freeze_row = freeze_row
        self.ws.freeze_panes = f"A{freeze_row}"
        for c, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 9),
                                                                         _MAX_WIDTH)
        self.ws.sheet_view.zoomScale = 100


def _display_width(value: Any, formats: dict[int, str] | None, column: int) -> int:
    if isinstance(value, float | int) and formats and formats.get(column) == EURO_FORMAT:
        return len(euro(round(value * 100)))
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value))


def _header_block(sheet: _Sheet, o: HouseholdOverview, user: str, printed_at: datetime,
                  subject: str) -> None:
    """Rows 1-5 of every sheet: what, when, who and with which filters."""
    from openpyxl.styles import Font

    ws = sheet.ws
    ws.cell(row=1, column=1, value=f"{subject} huishouden {o.household_id}").font = Font(
        bold=True, size=14)
    labels: tuple[tuple[str, date | datetime | str, str | None], ...] = (
        ("Peildatum", o.at, DATE_FORMAT), ("Gebruiker", user, None),
              ("Afgedrukt", printed_at, DATETIME_FORMAT), ("Filters", filters_text(o), None))
    for r, (label, value, fmt) in enumerate(labels, start=2):
        ws.cell(row=r, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=r, column=2, value=value)
        if fmt:
            cell.number_format = fmt
    sheet.widths[1] = max(sheet.widths.get(1, 0), len("Afgedrukt"))
    # Row 6 stays empty: the frozen block ends with a little air.
    ws.row_dimensions[_HEADER_ROWS].height = 6
    sheet.last_row = _HEADER_ROWS


def _overview_sheet(sheet: _Sheet, o: HouseholdOverview) -> None:
    money = {2: EURO_FORMAT}
    municipal, other = municipal_and_other_cents(o)
    sheet.row(["Huishouden", o.household_id])
    sheet.row(["Wijk", o.wijk or ""])
    sheet.row(["Postcode", o.postcode or ""])
    sheet.row(["Samenstelling", o.composition or ""])
    sheet.row(["Jaarkosten totaal", euros(o.total_annual_cost_cents)], formats=money, bold=True)
    sheet.row(["waarvan gemeente", euros(municipal)], formats=money)
    sheet.row(["waarvan andere financiers", euros(other)], formats=money)
    sheet.row(["Aantal aanbieders", o.providers_count])
    sheet.row(["Signalen", "; ".join(flag_texts(o)) or "geen"], measure=False)
    sheet.blank()

    sheet.title("Leden")
    sheet.header(["Persoon", "Naam", "Geboortedatum"])
    for m in o.members:
        sheet.row([m.person_id, m.name, m.birth_date or m.birth_year])
    sheet.blank()

    sheet.title("Jaarkosten per wet")
    sheet.header(["Wet", "Jaarbedrag"], numeric=[2])
    for law in sorted(o.totals_by_law, key=lambda x: list(LAW_NAMES).index(x)
                      if x in LAW_NAMES else len(LAW_NAMES)):
        sheet.row([law_name(law), euros(o.totals_by_law[law])], formats=money)
    sheet.row(["Totaal toewijzingen", euros(sum(o.totals_by_law.values()))], formats=money,
              bold=True)
    sheet.blank()

    sheet.title("Jaarkosten per financier")
    sheet.header(["Financier", "Jaarbedrag"], numeric=[2])
    for payer in sorted(o.totals_by_payer, key=payer_sort_key):
        sheet.row([payer_label(payer), euros(o.totals_by_payer[payer])], formats=money)
    sheet.row(["Totaal", euros(o.total_annual_cost_cents)], formats=money, bold=True)


ALLOCATION_HEADERS = ("Toewijzing", "Cliënt", "Wet", "Categorie", "Product", "Aanbieder",
                      "Omvang", "Tarief", "Budget", "Begin", "Einde", "Actief op peildatum",
                      "Jaarbedrag", "Realisatie 12 mnd")


def _allocation_sheet(sheet: _Sheet, o: HouseholdOverview) -> int:
    names = member_names(o)
    money = {8: EURO_FORMAT, 9: EURO_FORMAT, 13: EURO_FORMAT, 14: EURO_FORMAT}
    header = sheet.header(list(ALLOCATION_HEADERS), numeric=[8, 9, 13, 14])
    for a in o.allocations:
        sheet.row([
            a.toewijzingnummer, names.get(a.person_id, a.person_id), law_name(a.law),
            category_text(a), a.product or "", a.provider or "", omvang_text_of(a),
            None if a.tariff_cents is None else euros(a.tariff_cents),
            None if a.budget_cents is None else euros(a.budget_cents),
            a.start, a.end, "ja" if a.active else "nee",
            euros(a.annual_cost_cents), euros(a.realised_12m_cents)], formats=money)
    sheet.row(["Totaal", *[None] * 11, euros(sum(a.annual_cost_cents for a in o.allocations)),
               euros(sum(a.realised_12m_cents for a in o.allocations))], formats=money,
              bold=True)
    return header


def _intervention_sheet(sheet: _Sheet, o: HouseholdOverview) -> int:
    names = member_names(o)
    money = {5: EURO_FORMAT}
    header = sheet.header(["Financier", "Omschrijving", "Cliënt", "Kostenkaart-item",
                           "Jaarbedrag"], numeric=[5])
    for i in o.interventions:
        sheet.row([payer_label(i.payer), i.description,
                   names.get(i.person_id, i.person_id) if i.person_id else "", i.item or "",
                   euros(i.annual_cost_cents)], formats=money)
    sheet.row(["Totaal", None, None, None,
               euros(sum(i.annual_cost_cents for i in o.interventions))], formats=money,
              bold=True)
    return header


def _saving_table(sheet: _Sheet, first: str, lines: list[tuple[str, PayerSaving]]) -> None:
    money = {2: EURO_FORMAT, 3: EURO_FORMAT, 4: EURO_FORMAT}
    sheet.header([first, "T0 (intake)", "T1 (evaluatie)", "Besparing"], numeric=[2, 3, 4])
    for label, s in lines:
        sheet.row([label, euros(s.t0_cents), euros(s.t1_cents), euros(s.saving_cents)],
                  formats=money)
    sheet.row(["Totaal", euros(sum(s.t0_cents for _, s in lines)),
               euros(sum(s.t1_cents for _, s in lines)),
               euros(sum(s.saving_cents for _, s in lines))], formats=money, bold=True)


def _coordination_sheet(sheet: _Sheet, o: HouseholdOverview) -> None:
    c = o.coordination
    if c is None:
        sheet.row(["Geen procescoördinatietraject voor dit huishouden op de peildatum."],
                  measure=False)
        return
    money = {2: EURO_FORMAT}
    sheet.row(["Traject", c.case_id])
    sheet.row(["Coördinator", c.coordinator or "-"])
    sheet.row(["Status", STATUS_LABELS.get(c.status, c.status)])
    sheet.row(["T0 (intake)", c.t0_date])
    sheet.row(["T1 (evaluatie)", c.t1_date])
    if not c.t1_frozen:
        sheet.row(["", "Nog niet geëvalueerd: T1 is het pakket op de peildatum."],
                  measure=False)
    sheet.row(["Toerekening", c.attribution], formats={2: PERCENT_FORMAT})
    sheet.blank()
    sheet.title("Jaarkosten per financier")
    _saving_table(sheet, "Financier", payer_savings(c.by_payer))
    sheet.blank()
    sheet.title("Jaarkosten per post")
    _saving_table(sheet, "Post", bucket_savings(c.by_bucket))
    sheet.blank()
    sheet.title("Besparing")
    sheet.row(["Totale besparing", euros(c.total_saving_cents)], formats=money)
    sheet.row(["Toerekening", c.attribution], formats={2: PERCENT_FORMAT})
    sheet.row(["Toegerekende besparing", euros(c.attributed_saving_cents)], formats=money,
              bold=True)
    sheet.row(["waarvan gemeentelijk", euros(c.municipal_saving_cents)], formats=money)
    sheet.row(["waarvan maatschappelijk", euros(c.societal_saving_cents)], formats=money)
    if c.notes:
        sheet.row(["Notities", c.notes], measure=False)


def write_household_workbook(overview: HouseholdOverview, path: Path, user: str,
                             printed_at: datetime | None = None) -> Path:
    """Write the overview to `path` (.xlsx) and return the path."""
    from openpyxl import Workbook

    printed_at = (printed_at or datetime.now()).replace(microsecond=0)
    path = Path(path)
    wb = Workbook()
    sheets = []
    for index, (title, subject) in enumerate((
            ("Overzicht", "Kostenoverzicht"), ("Toewijzingen", "Toewijzingen"),
            ("Interventies", "Interventies"), ("T0-T1", "T0-T1-vergelijking"))):
        ws = wb.active if index == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = title
        sheet = _Sheet(ws)
        _header_block(sheet, overview, user, printed_at, subject)
        sheets.append(sheet)
    overview_sheet, allocation_sheet, intervention_sheet, t0t1_sheet = sheets

    _overview_sheet(overview_sheet, overview)
    overview_sheet.finish(_HEADER_ROWS + 1)
    header = _allocation_sheet(allocation_sheet, overview)
    allocation_sheet.finish(header + 1)
    header = _intervention_sheet(intervention_sheet, overview)
    intervention_sheet.finish(header + 1)
    _coordination_sheet(t0t1_sheet, overview)
    t0t1_sheet.finish(_HEADER_ROWS + 1)

    for sheet in sheets:
        ws = sheet.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.fitToPage = True
        ws.print_title_rows = f"1:{sheet.freeze_row - 1}"
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_text(wb)
    wb.save(path)
    return path
