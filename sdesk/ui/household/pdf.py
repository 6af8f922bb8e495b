"""The household cost overview (and the T0/T1 comparison) on one A4 page (landscape), as PDF.

The page is an HTML QTextDocument laid out at 96 dpi and painted onto a QPdfWriter. It always
fits on one page: when the content is taller than the page, the whole document is scaled down
(and laid out a little wider, so tables wrap less) until it fits. `render_household_image`
paints the same page into an image, for a preview and for checking the layout in tests.

The page is painted on the GUI thread (`household_pdf`); `write_pdf_export` is the writer the
export use case (`sdesk.services.exports.export`, report "household_pdf") calls to put those
bytes in the file, so the file and its audit row are written in one step off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from sdesk.services.platform.text import LAW_SHORT, euro, law_name, percent, short_date

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.exports import Written
    from sdesk.services.household import HouseholdOverview, PayerSaving
    from sdesk.services.platform.actor import Actor

LAYOUT_DPI = 96
PDF_DPI = 300
MARGIN_MM = 12.0
MIN_SCALE = 0.35
_MM_PER_INCH = 25.4

_STYLE = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; font-size: 8pt; color: #111111; }
p { margin-top: 0px; margin-bottom: 2px; }
.title { font-size: 14pt; font-weight: bold; color: #14304f; margin-bottom: 2px; }
.section { font-size: 10pt; font-weight: bold; color: #14304f; margin-top: 8px;
           margin-bottom: 3px; }
.caption { font-weight: bold; margin-top: 6px; margin-bottom: 2px; }
.meta { color: #444444; }
.flags { color: #9b1c1c; font-weight: bold; }
.noflags { color: #2d6a35; }
.key { font-size: 9pt; }
.note { color: #666666; font-size: 6.5pt; }
table.data { border-collapse: collapse; }
table.data th { background-color: #dde4ee; font-weight: bold; font-size: 7pt; }
table.data td { font-size: 7pt; }
tr.total td { font-weight: bold; background-color: #f1f3f6; }
tr.muted td { color: #808080; }
"""


def _e(text: object) -> str:
    return escape("" if text is None else str(text))


def _table(headers: list[str], rows: list[list[str]], *,
           numeric: frozenset[int] | set[int] = frozenset(),
           nowrap: frozenset[int] | set[int] = frozenset(), total: list[str] | None = None,
           muted: list[bool] | None = None, width: str = "100%") -> str:
    """A bordered table; `numeric` columns are right-aligned and, like `nowrap`, never wrap."""
    def cells(values: list[str], tag: str) -> str:
        out = []
        for i, v in enumerate(values):
            align = "right" if i in numeric else "left"
            keep = " nowrap" if (i in numeric or i in nowrap) and tag == "td" else ""
            out.append(f'<{tag} align="{align}"{keep}>{v}</{tag}>')
        return "".join(out)

    parts = [f'<table class="data" width="{width}" border="1" cellspacing="0" cellpadding="2" '
             f'style="border-color: #b8c2cf;">',
             f"<tr>{cells([_e(h) for h in headers], 'th')}</tr>"]
    for n, row in enumerate(rows):
        css = ' class="muted"' if muted and muted[n] else ""
        parts.append(f"<tr{css}>{cells(row, 'td')}</tr>")
    if total is not None:
        parts.append(f'<tr class="total">{cells(total, "td")}</tr>')
    parts.append("</table>")
    return "".join(parts)


def _section(text: str) -> str:
    return f'<p class="section">{_e(text)}</p>'


def _caption(text: str, block: str) -> str:
    return f'<p class="caption">{_e(text)}</p>{block}'


def _side_by_side(*blocks: str, widths: tuple[int, ...] | None = None) -> str:
    """Blocks next to each other in an invisible table."""
    widths = widths or tuple(100 // len(blocks) for _ in blocks)
    cells = []
    for i, (block, w) in enumerate(zip(blocks, widths, strict=True)):
        pad = "" if i == len(blocks) - 1 else "padding-right: 10px;"
        cells.append(f'<td width="{w}%" valign="top" style="{pad}">{block}</td>')
    return (f'<table width="100%" cellspacing="0" cellpadding="0" border="0"><tr>'
            f'{"".join(cells)}</tr></table>')


def household_html(o: HouseholdOverview, user: str, printed_at: datetime) -> str:
    from sdesk.services.household import (
        STATUS_LABELS,
        bucket_savings,
        category_text,
        flag_texts,
        member_names,
        municipal_and_other_cents,
        omvang_text_of,
        payer_label,
        payer_savings,
        payer_sort_key,
    )

    names = member_names(o)
    municipal, other = municipal_and_other_cents(o)
    place = " · ".join(_e(x) for x in (o.wijk, o.postcode, o.composition) if x)
    members = f"{len(o.members)} {'lid' if len(o.members) == 1 else 'leden'}"
    html = [f"<html><head><style>{_STYLE}</style></head><body>",
            f'<p class="title">Kostenoverzicht huishouden {_e(o.household_id)}</p>',
            f'<p class="meta">{place}{" · " if place else ""}{members}</p>',
            f'<p class="meta"><b>Peildatum:</b> {short_date(o.at)} &nbsp;·&nbsp; '
            f"<b>Filters:</b> peildatum {short_date(o.at)}, drempel jaarkosten "
            f"{_e(euro(o.threshold_cents))} &nbsp;·&nbsp; <b>Gebruiker:</b> {_e(user)} "
            f"&nbsp;·&nbsp; <b>Afgedrukt:</b> {printed_at:%d-%m-%Y %H:%M}</p>"]
    flags = flag_texts(o)
    if flags:
        html.append(f'<p class="flags">Signalen: {"; ".join(_e(f) for f in flags)}</p>')
    else:
        html.append('<p class="noflags">Signalen: geen</p>')
    html.append(
        f'<p class="key"><b>Jaarkosten totaal {_e(euro(o.total_annual_cost_cents))}</b>'
        f" &nbsp;—&nbsp; gemeente {_e(euro(municipal))}, andere financiers "
        f"{_e(euro(other))} &nbsp;—&nbsp; {o.providers_count} "
        f"{'aanbieder' if o.providers_count == 1 else 'aanbieders'}</p>")

    member_table = _table(["Persoon", "Naam", "Geboren"],
                          [[_e(m.person_id), _e(m.name),
                            short_date(m.birth_date) or str(m.birth_year)]
                           for m in o.members])
    law_order = ["jeugd", "wmo", "participatie"]
    laws = sorted(o.totals_by_law, key=lambda x: law_order.index(x) if x in law_order else 9)
    law_table = _table(["Wet", "Jaarbedrag"],
                       [[_e(law_name(law)), _e(euro(o.totals_by_law[law]))] for law in laws],
                       numeric={1}, total=["Totaal", _e(euro(sum(o.totals_by_law.values())))])
    payers = sorted(o.totals_by_payer, key=payer_sort_key)
    payer_table = _table(["Financier", "Jaarbedrag"],
                         [[_e(payer_label(p)), _e(euro(o.totals_by_payer[p]))] for p in payers],
                         numeric={1}, total=["Totaal", _e(euro(o.total_annual_cost_cents))])
    html.append(_side_by_side(
        _caption("Leden", member_table), _caption("Jaarkosten per wet", law_table),
        _caption("Jaarkosten per financier", payer_table), widths=(44, 26, 30)))

    html.append(_section(f"Toewijzingen ({len(o.allocations)})"))
    if o.allocations:
        html.append(_table(
            ["Cliënt", "Wet", "Categorie", "Product", "Aanbieder", "Omvang / budget", "Tarief",
             "Begin", "Einde", "Jaarbedrag", "Realisatie 12 mnd"],
            [[_e(names.get(a.person_id, a.person_id)), _e(LAW_SHORT.get(a.law, a.law)),
              _e(category_text(a)), _e(a.product or ""), _e(a.provider or ""),
              _e(omvang_text_of(a)), _e(euro(a.tariff_cents)), short_date(a.start),
              short_date(a.end), _e(euro(a.annual_cost_cents)),
              _e(euro(a.realised_12m_cents))] for a in o.allocations],
            numeric={6, 9, 10}, nowrap={1, 7, 8},
            total=["Totaal", *[""] * 8,
                   _e(euro(sum(a.annual_cost_cents for a in o.allocations))),
                   _e(euro(sum(a.realised_12m_cents for a in o.allocations)))],
            muted=[not a.active for a in o.allocations]))
    else:
        html.append("<p>Geen toewijzingen in de twaalf maanden tot en met de peildatum.</p>")

    html.append(_section(f"Interventies buiten de toewijzingen ({len(o.interventions)})"))
    if o.interventions:
        html.append(_table(
            ["Financier", "Omschrijving", "Cliënt", "Jaarbedrag"],
            [[_e(payer_label(i.payer)), _e(i.description),
              _e(names.get(i.person_id, i.person_id) if i.person_id else ""),
              _e(euro(i.annual_cost_cents))] for i in o.interventions],
            numeric={3},
            total=["Totaal", "", "", _e(euro(sum(i.annual_cost_cents
                                                   for i in o.interventions)))],
            muted=[i.annual_cost_cents == 0 for i in o.interventions]))
    else:
        html.append("<p>Geen interventies geregistreerd.</p>")

    c = o.coordination
    if c is not None:
        t1_note = "" if c.t1_frozen else " (nog niet geëvalueerd: pakket op de peildatum)"
        html.append(_section(f"Procescoördinatie: intake (T0) {short_date(c.t0_date)}, "
                             f"evaluatie (T1) {short_date(c.t1_date)}{t1_note}"))
        html.append(f'<p class="meta"><b>Coördinator:</b> {_e(c.coordinator or "-")} '
                    f"&nbsp;·&nbsp; <b>Status:</b> {_e(STATUS_LABELS.get(c.status, c.status))}"
                    f" &nbsp;·&nbsp; <b>Toerekening:</b> {percent(c.attribution)}</p>")

        def saving_table(first: str, lines: list[tuple[str, PayerSaving]]) -> str:
            return _table(
                [first, "T0", "T1", "Besparing"],
                [[_e(label), _e(euro(s.t0_cents)), _e(euro(s.t1_cents)),
                  _e(euro(s.saving_cents))] for label, s in lines],
                numeric={1, 2, 3},
                total=["Totaal", _e(euro(sum(s.t0_cents for _, s in lines))),
                       _e(euro(sum(s.t1_cents for _, s in lines))),
                       _e(euro(sum(s.saving_cents for _, s in lines)))])

        html.append(_side_by_side(saving_table("Financier", payer_savings(c.by_payer)),
                                  saving_table("Post", bucket_savings(c.by_bucket))))
        html.append(
            f'<p class="key">Totale besparing {_e(euro(c.total_saving_cents))} &nbsp;·&nbsp; '
            f"toerekening {percent(c.attribution)} &nbsp;·&nbsp; <b>toegerekende besparing "
            f"{_e(euro(c.attributed_saving_cents))}</b>, waarvan gemeentelijk "
            f"{_e(euro(c.municipal_saving_cents))} en maatschappelijk "
            f"{_e(euro(c.societal_saving_cents))}</p>")
        if c.notes:
            html.append(f'<p class="meta"><b>Notities:</b> {_e(c.notes)}</p>')

    html.append(
        '<p class="note"><br>Jaarbedrag: de jaarlijkse kosten van wat op de peildatum loopt '
        "(toewijzingen: volume × tarief of budget, omgerekend naar een jaar; interventies: "
        "prijs uit de kostenkaart). Realisatie: declaraties over de twaalf maanden tot en met "
        "de peildatum. Grijze regels lopen niet op de peildatum. Besparing = T0 − T1; de "
        "toerekening bepaalt welk deel aan de aanpak wordt toegeschreven.</p>")
    html.append("</body></html>")
    return "".join(html)


# -- painting ---------------------------------------------------------------------------------

def _a4_mm() -> QSizeF:
    """A4 landscape: the allocation table has eleven columns."""
    return QPageSize(QPageSize.PageSizeId.A4).size(QPageSize.Unit.Millimeter).transposed()


class _Page:
    """The printable area of the page, in inches (device independent)."""

    def __init__(self) -> None:
        size = _a4_mm()
        self.width_in = (size.width() - 2 * MARGIN_MM) / _MM_PER_INCH
        self.height_in = (size.height() - 2 * MARGIN_MM) / _MM_PER_INCH


def _layout_device() -> QImage:
    """A 96-dpi paint device, so the layout does not depend on the screen."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    dots_per_meter = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    return image


class HouseholdPage:
    """The document and the scale at which it fills one page."""

    def __init__(self, html: str) -> None:
        self.page = _Page()
        self._device = _layout_device()  # must outlive the document's layout
        self.document = QTextDocument()
        self.document.documentLayout().setPaintDevice(self._device)
        self.document.setDocumentMargin(0)
        self.document.setHtml(html)
        self.scale = self._fit()

    def _fits(self, scale: float) -> bool:
        """Lay out at the width that fills the page at `scale`; does it fit the height?"""
        self.document.setTextWidth(self.page.width_in * LAYOUT_DPI / scale)
        return self.document.size().height() * scale <= self.page.height_in * LAYOUT_DPI

    def _fit(self) -> float:
        """The largest scale (at most 1) at which the document fits on the page."""
        if self._fits(1.0):
            return 1.0
        low, high = MIN_SCALE, 1.0
        for _ in range(12):
            middle = (low + high) / 2
            if self._fits(middle):
                low = middle
            else:
                high = middle
        if self._fits(low):
            return low
        # Even the smallest scale overflows: shrink further at this width, it must fit.
        return self.page.height_in * LAYOUT_DPI / self.document.size().height()

    def paint(self, painter: QPainter, device_dpi: float) -> None:
        """Paint at the painter's origin (the top left of the printable area)."""
        factor = device_dpi / LAYOUT_DPI * self.scale
        painter.save()
        painter.scale(factor, factor)
        size = self.document.size()
        self.document.drawContents(painter, QRectF(0, 0, size.width(), size.height()))
        painter.restore()


def household_pdf(overview: HouseholdOverview, user: str,
                  printed_at: datetime | None = None) -> bytes:
    """One A4 page as the bytes of a PDF file (paint on the GUI thread)."""
    printed_at = printed_at or datetime.now()
    page = HouseholdPage(household_html(overview, user, printed_at))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setTitle(f"Kostenoverzicht huishouden {overview.household_id}")
    writer.setCreator("sdesk")
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        from sdesk.services.platform.errors import SdeskError

        raise SdeskError("Het PDF-bestand kan niet worden gemaakt.")
    try:
        page.paint(painter, writer.resolution())
    finally:
        painter.end()  # writes the whole file into the buffer
    buffer.close()
    return bytes(buffer.data().data())




def write_pdf_export(_engine: Engine, _actor: Actor, params: Mapping[str, Any],
                     path: Path) -> Written:
    """The export writer of report "household_pdf": `params["pdf"]` (from `household_pdf`)
    into `path`; `params["overview"]` names what was exported."""
    from sdesk.services.exports import Written

    overview: HouseholdOverview = params["overview"]
    path.write_bytes(params["pdf"])
    return Written(len(overview.allocations) + len(overview.interventions),
                   f"huishouden {overview.household_id} (PDF)")


def render_household_image(overview: HouseholdOverview, user: str,
                           printed_at: datetime | None = None, dpi: int = 110) -> QImage:
    """The same page as an image (white paper, margins included)."""
    page = HouseholdPage(household_html(overview, user, printed_at or datetime.now()))
    size = _a4_mm()
    px = QSizeF(size.width() / _MM_PER_INCH * dpi, size.height() / _MM_PER_INCH * dpi)
    image = QImage(round(px.width()), round(px.height()), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = MARGIN_MM / _MM_PER_INCH * dpi
    painter.translate(margin, margin)
    page.paint(painter, dpi)
    painter.end()
    return image
