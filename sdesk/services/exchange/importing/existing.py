"""What the database already holds, for checking references in an import."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection


@dataclass
class Known:
    """Keys known from the database, extended with each file as it is checked."""

    households: set[str] = field(default_factory=set)
    persons: dict[str, str] = field(default_factory=dict)  # person -> household external id
    employees: set[str] = field(default_factory=set)
    # (law, toewijzingnummer) -> (start ISO, end ISO or None)
    allocations: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    # (law, product_code) -> [(valid_from ISO, valid_to ISO or None, cents)]
    tariffs: dict[tuple[str, str], list[tuple[str, str | None, int]]] = field(default_factory=dict)
    cost_items: set[str] = field(default_factory=set)
    codelists: dict[str, set[str]] = field(default_factory=dict)
    # year -> the stored budget lines (name, law, categories, delivery form, cents, subtotal)
    budget_lines: dict[int, list[tuple[str, str | None, str | None, str | None, int, bool]]] = (
        field(default_factory=dict))

    def tariff_at(self, law: str, product_code: str, day: str) -> int | None:
        """The tariff in cents valid on `day` (ISO) for a product, None when there is none."""
        best: tuple[str, int] | None = None
        for valid_from, valid_to, cents in self.tariffs.get((law, product_code), []):
            if valid_from <= day and (valid_to is None or day <= valid_to) and (
                    best is None or valid_from > best[0]):
                best = (valid_from, cents)
        return best[1] if best else None


def load_known(conn: Connection) -> Known:
    """What the database already holds that imported rows may refer to."""
    known = Known()
    known.households = {r[0] for r in conn.exec_driver_sql("SELECT external_id FROM household")}
    known.persons = dict(conn.exec_driver_sql(
        "SELECT p.external_id, h.external_id FROM person p JOIN household h "
        "ON h.id = p.household_id").all())
    known.employees = {r[0] for r in conn.exec_driver_sql("SELECT external_id FROM employee")}
    known.allocations = {(law, nr): (start, end) for law, nr, start, end in conn.exec_driver_sql(
        "SELECT law, toewijzingnummer, start_date, end_date FROM allocation")}
    for law, code, valid_from, valid_to, cents in conn.exec_driver_sql(
            "SELECT law, product_code, valid_from, valid_to, cents FROM tariff"):
        known.tariffs.setdefault((law, code), []).append((valid_from, valid_to, cents))
    known.cost_items = {r[0] for r in conn.exec_driver_sql("SELECT name FROM cost_map_item")}
    for codelist, code in conn.exec_driver_sql("SELECT codelist, code FROM codelist_entry"):
        known.codelists.setdefault(codelist, set()).add(code)
    for year, name, law, cats, form, cents, subtotal in conn.exec_driver_sql(
            "SELECT year, name, law, categories, delivery_form, amount_cents, subtotal "
            "FROM budget_line ORDER BY id"):
        known.budget_lines.setdefault(int(year), []).append(
            (name, law, cats, form, int(cents), bool(subtotal)))
    return known
