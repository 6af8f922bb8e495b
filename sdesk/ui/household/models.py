"""Table models of the household screens: search, members and allocations, the cost overview,
the T0/T1 comparison, the Trajecten portfolio and the cost map."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from sdesk.services.platform.text import (
    LAW_SHORT,
    category_text,
    euro,
    law_name,
    percent,
    short_date,
)
from sdesk.ui.shell.labels import payer_name, status_name
from sdesk.ui.shell.table_models import Column, RowTableModel, cents_key, date_key

if TYPE_CHECKING:
    from sdesk.services.household import (
        AllocationLine,
        AllocationRow,
        CostMapItem,
        HouseholdRow,
        InterventionLine,
        MemberLine,
        PersonRow,
        PortfolioRow,
    )

T = TypeVar("T")


def _born(r: PersonRow | MemberLine) -> str:
    """The birth date, or only the year for roles without identity (data minimisation)."""
    return short_date(r.birth_date) if r.birth_date else str(r.birth_year or "")


class HouseholdTableModel(RowTableModel["HouseholdRow"]):
    COL_ID, COL_NAMES, COL_WIJK, COL_POSTCODE, COL_COMPOSITION, COL_MEMBERS, COL_LAWS = range(7)
    width_caps = {COL_NAMES: 140, COL_WIJK: 110, COL_COMPOSITION: 140}
    columns: ClassVar[Sequence[Column[HouseholdRow]]] = (
        Column("Huishouden", lambda r: r.external_id),
        Column("Namen", lambda r: r.names),
        Column("Wijk", lambda r: r.wijk or ""),
        Column("Postcode", lambda r: r.postcode or ""),
        Column("Samenstelling", lambda r: r.composition or ""),
        Column("Leden", lambda r: str(r.member_count), lambda r: r.member_count, numeric=True),
        Column("Wetten", lambda r: ", ".join(LAW_SHORT.get(x, x) for x in r.laws)),
    )


class MemberTableModel(RowTableModel["PersonRow"]):
    COL_NUMBER, COL_NAME, COL_BSN, COL_BIRTH, COL_GENDER, COL_ALLOCATIONS = range(6)
    width_caps = {COL_NAME: 180}
    columns: ClassVar[Sequence[Column[PersonRow]]] = (
        Column("Persoon", lambda r: r.person_number),
        Column("Naam", lambda r: r.name),
        Column("BSN", lambda r: r.bsn or ""),
        Column("Geboren", _born, lambda r: r.birth_date or date(r.birth_year, 1, 1)),
        Column("Geslacht", lambda r: r.gender or ""),
        Column("Toewijzingen", lambda r: str(r.allocation_count),
               lambda r: r.allocation_count, numeric=True),
    )


def _category_text(r: AllocationRow) -> str:
    return category_text(r.category, r.category_label)


def _product_text(r: AllocationRow) -> str:
    return " ".join(x for x in (r.product_code, r.description) if x)


def _omvang_text(r: AllocationRow) -> str:
    if r.budget_cents is not None:
        return f"Budget {euro(r.budget_cents)}"
    return r.omvang


class AllocationTableModel(RowTableModel["AllocationRow"]):
    (COL_LAW, COL_CATEGORY, COL_PRODUCT, COL_PROVIDER, COL_START, COL_END, COL_OMVANG,
     COL_TARIFF, COL_ANNUAL) = range(9)
    # Widest a column may start at (px); the rest of the text is elided and in the tooltip.
    width_caps = {COL_CATEGORY: 200, COL_PRODUCT: 200, COL_PROVIDER: 170, COL_OMVANG: 210}
    columns: ClassVar[Sequence[Column[AllocationRow]]] = (
        Column("Wet", lambda r: law_name(r.law)),
        Column("Categorie", _category_text),
        Column("Product", _product_text),
        Column("Aanbieder", lambda r: r.provider or ""),
        Column("Begin", lambda r: short_date(r.start), lambda r: r.start),
        Column("Einde", lambda r: short_date(r.end), lambda r: date_key(r.end)),
        Column("Omvang / budget", _omvang_text),
        Column("Tarief", lambda r: euro(r.tariff_cents), lambda r: cents_key(r.tariff_cents),
               numeric=True),
        Column("Jaarbedrag", lambda r: euro(r.annual_run_rate_cents),
               lambda r: cents_key(r.annual_run_rate_cents), numeric=True),
    )

    def tooltip(self, row: AllocationRow) -> str | None:
        form = "pgb" if row.delivery_form == "pgb" else "zorg in natura"
        return f"Toewijzing {row.toewijzingnummer} ({law_name(row.law)}, {form})"


# -- household cost overview ---------------------------------------------------------------------

@dataclass(frozen=True)
class ClientLine(Generic[T]):
    """A line of the overview with the name of the member it belongs to."""

    line: T
    client: str


def _category(a: AllocationLine) -> str:
    from sdesk.services.household import category_text

    return category_text(a)


def _omvang(a: AllocationLine) -> str:
    from sdesk.services.household import omvang_text_of

    return omvang_text_of(a)


class OverviewMemberModel(RowTableModel["MemberLine"]):
    COL_NUMBER, COL_NAME, COL_BIRTH = range(3)
    width_caps = {COL_NAME: 200}
    columns: ClassVar[Sequence[Column[MemberLine]]] = (
        Column("Persoon", lambda r: r.person_id),
        Column("Naam", lambda r: r.name),
        Column("Geboren", _born, lambda r: r.birth_date or date(max(r.birth_year, 1), 1, 1)),
    )


class OverviewAllocationModel(RowTableModel["ClientLine[AllocationLine]"]):
    (COL_CLIENT, COL_LAW, COL_CATEGORY, COL_PRODUCT, COL_PROVIDER, COL_OMVANG, COL_TARIFF,
     COL_START, COL_END, COL_ANNUAL, COL_REALISED) = range(11)
    width_caps = {COL_CLIENT: 130, COL_CATEGORY: 180, COL_PRODUCT: 190, COL_PROVIDER: 170,
                  COL_OMVANG: 170}
    columns: ClassVar[Sequence[Column[ClientLine[AllocationLine]]]] = (
        Column("Cliënt", lambda r: r.client),
        Column("Wet", lambda r: law_name(r.line.law)),
        Column("Categorie", lambda r: _category(r.line)),
        Column("Product", lambda r: r.line.product or ""),
        Column("Aanbieder", lambda r: r.line.provider or ""),
        Column("Omvang / budget", lambda r: _omvang(r.line)),
        Column("Tarief", lambda r: euro(r.line.tariff_cents),
               lambda r: cents_key(r.line.tariff_cents), numeric=True),
        Column("Begin", lambda r: short_date(r.line.start), lambda r: r.line.start),
        Column("Einde", lambda r: short_date(r.line.end), lambda r: date_key(r.line.end)),
        Column("Jaarbedrag", lambda r: euro(r.line.annual_cost_cents),
               lambda r: r.line.annual_cost_cents, numeric=True,
               header_tooltip="Jaarlijkse kosten (run-rate) op de peildatum; 0 als de "
                              "toewijzing dan niet loopt"),
        Column("Realisatie 12 mnd", lambda r: euro(r.line.realised_12m_cents),
               lambda r: r.line.realised_12m_cents, numeric=True,
               header_tooltip="Gedeclareerd over de twaalf maanden tot en met de peildatum"),
    )

    def muted(self, row: ClientLine[AllocationLine]) -> bool:
        return not row.line.active

    def tooltip(self, row: ClientLine[AllocationLine]) -> str | None:
        state = "loopt op de peildatum" if row.line.active else "loopt niet op de peildatum"
        return f"Toewijzing {row.line.toewijzingnummer} ({law_name(row.line.law)}, {state})"


class InterventionTableModel(RowTableModel["ClientLine[InterventionLine]"]):
    COL_PAYER, COL_DESCRIPTION, COL_CLIENT, COL_ANNUAL = range(4)
    width_caps = {COL_DESCRIPTION: 320, COL_CLIENT: 130}
    columns: ClassVar[Sequence[Column[ClientLine[InterventionLine]]]] = (
        Column("Financier", lambda r: payer_name(r.line.payer)),
        Column("Omschrijving", lambda r: r.line.description),
        Column("Cliënt", lambda r: r.client),
        Column("Jaarbedrag", lambda r: euro(r.line.annual_cost_cents),
               lambda r: r.line.annual_cost_cents, numeric=True),
    )

    def muted(self, row: ClientLine[InterventionLine]) -> bool:
        return row.line.annual_cost_cents == 0

    def tooltip(self, row: ClientLine[InterventionLine]) -> str | None:
        return f"Kostenkaart: {row.line.item}" if row.line.item else None


@dataclass(frozen=True)
class AmountRow:
    label: str
    cents: int
    total: bool = False


class _AmountModel(RowTableModel[AmountRow]):
    COL_LABEL, COL_AMOUNT = range(2)

    def emphasised(self, row: AmountRow) -> bool:
        return row.total


class LawTotalModel(_AmountModel):
    columns: ClassVar[Sequence[Column[AmountRow]]] = (
        Column("Wet", lambda r: r.label),
        Column("Jaarbedrag", lambda r: euro(r.cents), lambda r: r.cents, numeric=True),
    )


class PayerTotalModel(_AmountModel):
    columns: ClassVar[Sequence[Column[AmountRow]]] = (
        Column("Financier", lambda r: r.label),
        Column("Jaarbedrag", lambda r: euro(r.cents), lambda r: r.cents, numeric=True),
    )


@dataclass(frozen=True)
class SavingRow:
    label: str
    t0_cents: int
    t1_cents: int
    total: bool = False

    @property
    def saving_cents(self) -> int:
        return self.t0_cents - self.t1_cents


def _saving_columns(first: str) -> tuple[Column[SavingRow], ...]:
    return (
        Column(first, lambda r: r.label),
        Column("T0", lambda r: euro(r.t0_cents), lambda r: r.t0_cents, numeric=True,
               header_tooltip="Jaarkosten bij de intake"),
        Column("T1", lambda r: euro(r.t1_cents), lambda r: r.t1_cents, numeric=True,
               header_tooltip="Jaarkosten bij de evaluatie"),
        Column("Besparing", lambda r: euro(r.saving_cents), lambda r: r.saving_cents,
               numeric=True, header_tooltip="T0 min T1, vóór toerekening"),
    )


class _SavingModel(RowTableModel[SavingRow]):
    COL_LABEL, COL_T0, COL_T1, COL_SAVING = range(4)

    def emphasised(self, row: SavingRow) -> bool:
        return row.total


class PayerSavingModel(_SavingModel):
    columns: ClassVar[Sequence[Column[SavingRow]]] = _saving_columns("Financier")


class BucketSavingModel(_SavingModel):
    columns: ClassVar[Sequence[Column[SavingRow]]] = _saving_columns("Post")


def _attributed_bucket(row: PortfolioRow, bucket: str) -> int:
    saving = row.summary.by_bucket.get(bucket)
    return 0 if saving is None else round(saving.saving_cents * row.summary.attribution)


def _attributed_total(row: PortfolioRow) -> int:
    # The sum of the rounded buckets, so the rows add up to the factsheet total.
    return sum(_attributed_bucket(row, b) for b in row.summary.by_bucket)


def _bucket_column(bucket: str, header: str, tooltip: str) -> Column[PortfolioRow]:
    return Column(header, lambda r: euro(_attributed_bucket(r, bucket)),
                  lambda r: _attributed_bucket(r, bucket), numeric=True,
                  header_tooltip=f"Besparing {tooltip}, na toerekening")


class PortfolioTableModel(RowTableModel["PortfolioRow"]):
    (COL_HOUSEHOLD, COL_COORDINATOR, COL_STATUS, COL_T0, COL_T1, COL_JEUGD, COL_WMO,
     COL_PARTICIPATIE, COL_GEMEENTE, COL_MAATSCHAPPELIJK, COL_ATTRIBUTION,
     COL_SAVING) = range(12)
    width_caps = {COL_COORDINATOR: 170}
    columns: ClassVar[Sequence[Column[PortfolioRow]]] = (
        Column("Huishouden", lambda r: r.household_id),
        Column("Coördinator", lambda r: r.coordinator or ""),
        Column("Status", lambda r: status_name(r.status)),
        Column("T0 totaal", lambda r: euro(r.t0_total_cents), lambda r: r.t0_total_cents,
               numeric=True, header_tooltip="Jaarkosten van het pakket bij de intake"),
        Column("T1 totaal", lambda r: euro(r.t1_total_cents), lambda r: r.t1_total_cents,
               numeric=True, header_tooltip="Jaarkosten bij de evaluatie (of nu, als het "
                                            "traject nog loopt)"),
        _bucket_column("jeugd", "Jeugd", "Jeugdhulp"),
        _bucket_column("wmo", "Wmo", "Wmo"),
        _bucket_column("participatie", "Participatie", "Participatiewet"),
        _bucket_column("overig_gemeente", "Ov. gem.", "overig gemeentelijk"),
        _bucket_column("maatschappelijk", "Ov. maatsch.", "overig maatschappelijk"),
        Column("Toerek.", lambda r: percent(r.summary.attribution),
               lambda r: r.summary.attribution, numeric=True,
               header_tooltip="Toerekening: het deel van de besparing dat aan de aanpak "
                              "wordt toegeschreven"),
        Column("Totale besparing", lambda r: euro(_attributed_total(r)), _attributed_total,
               numeric=True, header_tooltip="Besparing over alle posten, na toerekening"),
    )

    def tooltip(self, row: PortfolioRow) -> str | None:
        s = row.summary
        t1 = short_date(s.t1_date) + ("" if s.t1_frozen else " (voorlopig)")
        return f"Intake (T0) {short_date(s.t0_date)}, evaluatie (T1) {t1}"


class CostMapTableModel(RowTableModel["CostMapItem"]):
    COL_NAME, COL_UNIT, COL_PRICE, COL_YEAR, COL_PAYER, COL_SOURCE, COL_ESTIMATE = range(7)
    width_caps = {COL_NAME: 320, COL_SOURCE: 360}
    columns: ClassVar[Sequence[Column[CostMapItem]]] = (
        Column("Item", lambda r: r.name),
        Column("Eenheid", lambda r: r.unit),
        Column("Prijs", lambda r: euro(r.price_cents), lambda r: cents_key(r.price_cents),
               numeric=True),
        Column("Jaar", lambda r: "" if r.year is None else str(r.year),
               lambda r: r.year or 0, numeric=True),
        Column("Financier", lambda r: payer_name(r.payer)),
        Column("Bron", lambda r: r.source or ""),
        Column("Schatting", lambda r: "Schatting" if r.is_estimate else "",
               header_tooltip="De prijs is een schatting zonder harde bron"),
    )
