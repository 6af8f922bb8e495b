"""What an import changes: per file the rows that are new, changed (and in which columns) or
unchanged, and -- for an explicit full refresh -- the rows the database holds that the file
set no longer has.

Compared before anything is written, inside the import's transaction, on the natural keys the
writer upserts on; values are compared as the writer stores them (cents, ISO dates, external
ids of referenced rows). Rows missing from the file set are only reported, never deleted:
removing an allocation would take its claims, beoordelingen and audit trail with it, and the
source system retires an allocation itself (RedenWijziging 13, an end date).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from sdesk.services.exchange.importing.checks import Rows
from sdesk.services.exchange.importing.table import RawTable
from sdesk.services.exchange.outcome import ChangedRow, FileChanges

MAX_EXAMPLES = 20  # changed or missing rows listed by key per file; the rest is counted
_SEP = "\x1f"


@dataclass(frozen=True)
class _Spec:
    sql: str  # key columns, then compared columns, named as in the checked rows
    key: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (checked-rows name, column in the file)
    skip_missing: str | None = None  # a selected column: rows where it is true never "missing"
    # Keys that may hold a BSN (persons and households an iJw import made: "BSN-999900006")
    # are shown with the BSN masked: the report is printed and shown, the BSN is not needed.
    masks_bsn: bool = False


_ALLOCATION_COLUMNS = (
    ("person", "persoon_id"), ("category", "productcategorie"), ("product_code", "productcode"),
    ("description", "omschrijving"), ("provider", "aanbieder"), ("referrer", "verwijzer"),
    ("delivery_form", "leveringsvorm"), ("provision_kind", "voorziening"),
    ("start_date", "ingangsdatum"), ("end_date", "einddatum"), ("volume", "volume"),
    ("unit", "eenheid"), ("frequency", "frequentie"), ("tariff_cents", "tarief"),
    ("budget_cents", "budget"), ("employee", "medewerker_id"),
    ("change_reason", "reden_wijziging"), ("end_reason", "reden_beeindiging"))

SPECS: dict[str, _Spec] = {
    "huishoudens": _Spec(
        "SELECT external_id, wijk, postcode, composition FROM household", ("external_id",),
        (("wijk", "wijk"), ("postcode", "postcode"), ("composition", "samenstelling")),
        masks_bsn=True),
    "personen": _Spec(
        "SELECT p.external_id, h.external_id AS household, p.bsn, p.birth_date, p.gender, "
        "p.last_name, p.first_name FROM person p JOIN household h ON h.id = p.household_id",
        ("external_id",),
        (("household", "huishouden_id"), ("bsn", "bsn"), ("birth_date", "geboortedatum"),
         ("gender", "geslacht"), ("last_name", "achternaam"), ("first_name", "voornaam")),
        masks_bsn=True),
    "medewerkers": _Spec(
        "SELECT e.external_id, e.name, e.role, t.name AS team, e.fte, e.account "
        "FROM employee e LEFT JOIN team t ON t.id = e.team_id", ("external_id",),
        (("name", "naam"), ("role", "rol"), ("team", "team"), ("fte", "fte"),
         ("account", "account"))),
    "tarieven": _Spec(
        "SELECT law, product_code, valid_from, valid_to, cents, unit FROM tariff",
        ("law", "product_code", "valid_from"),
        (("valid_to", "geldig_tot"), ("cents", "tarief"), ("unit", "eenheid"))),
    "toewijzingen": _Spec(
        "SELECT a.law, a.toewijzingnummer, p.external_id AS person, a.category, "
        "a.product_code, a.description, a.provider, a.referrer, a.delivery_form, "
        "a.provision_kind, a.start_date, a.end_date, a.volume, a.unit, a.frequency, "
        "a.tariff_cents, a.budget_cents, e.external_id AS employee, a.change_reason, "
        "a.end_reason FROM allocation a JOIN person p ON p.id = a.person_id "
        "LEFT JOIN employee e ON e.id = a.employee_id", ("law", "toewijzingnummer"),
        _ALLOCATION_COLUMNS),
    # Rejected claims are no realisation and the format has no column for them (the export
    # leaves them out), so a full refresh does not call them missing.
    "declaraties": _Spec(
        "SELECT c.claim_key, a.law, a.toewijzingnummer, c.period_start, c.period_end, "
        "c.volume, c.amount_cents, c.rejected FROM claim c "
        "JOIN allocation a ON a.id = c.allocation_id", ("claim_key",),
        (("law", "wet"), ("toewijzingnummer", "toewijzingnummer"),
         ("period_start", "periode_begin"), ("period_end", "periode_eind"),
         ("volume", "volume"), ("amount_cents", "bedrag")), skip_missing="rejected"),
    "beoordelingen": _Spec(
        "SELECT a.law, a.toewijzingnummer, r.review_date, r.decision, "
        "COALESCE(e.external_id, ae.external_id) AS employee, r.new_volume, "
        "r.new_product_code, r.new_end_date, r.notes FROM review r "
        "JOIN allocation a ON a.id = r.allocation_id "
        "LEFT JOIN employee e ON e.id = r.employee_id "
        "LEFT JOIN employee ae ON ae.id = a.employee_id",
        ("law", "toewijzingnummer", "review_date", "decision"),
        (("employee", "medewerker_id"), ("new_volume", "nieuw_volume"),
         ("new_product_code", "nieuwe_productcode"), ("new_end_date", "nieuwe_einddatum"),
         ("notes", "notitie"))),
    "begroting": _Spec(
        "SELECT year, name, law, categories, delivery_form, amount_cents, forecast_cents, "
        "subtotal FROM budget_line", ("year", "name"),
        (("law", "wet"), ("categories", "productcategorieen"),
         ("delivery_form", "leveringsvorm"), ("amount_cents", "bedrag"),
         ("forecast_cents", "prognose"), ("subtotal", "subtotaal"))),
    "kostenkaart": _Spec(
        "SELECT name, year, unit, price_cents, payer, source FROM cost_map_item",
        ("name", "year"),
        (("unit", "eenheid"), ("price_cents", "prijs"), ("payer", "financier"),
         ("source", "bron"))),
    "interventies": _Spec(
        "SELECT i.natural_key, h.external_id AS household, p.external_id AS person, i.payer, "
        "i.description, c.name AS item, i.quantity, i.amount_cents, i.period_start, "
        "i.period_end FROM intervention i JOIN household h ON h.id = i.household_id "
        "LEFT JOIN person p ON p.id = i.person_id "
        "LEFT JOIN cost_map_item c ON c.id = i.cost_map_item_id", ("natural_key",),
        (("household", "huishouden_id"), ("person", "persoon_id"), ("payer", "financier"),
         ("description", "omschrijving"), ("item", "kostenkaart_item"),
         ("quantity", "aantal"), ("amount_cents", "bedrag"), ("period_start", "periode_begin"),
         ("period_end", "periode_eind"))),
    "inwoners": _Spec(
        "SELECT year, age_band, count FROM inhabitants", ("year", "age_band"),
        (("count", "aantal"),)),
    "prijsindex": _Spec(
        "SELECT year, law, percentage FROM price_index", ("year", "law"),
        (("percentage", "percentage"),)),
}


_NINE_DIGITS = re.compile(r"(?<!\d)\d{5}(\d{4})(?!\d)")


def _shown(key: str, spec: _Spec) -> str:
    text = key.replace(_SEP, " ").strip()
    return _NINE_DIGITS.sub(r"*****\1", text) if spec.masks_bsn else text


def _number_text(value: Any) -> str:
    if value is None or value != value:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _key_part(values: Any) -> pd.Series:
    """One key column as text, the same for the file's values and the database's."""
    # Object dtype: pandas' str dtype would copy and check every key first.
    series = pd.Series(np.asarray(values, dtype=object), dtype=object)
    kind = pd.api.types.infer_dtype(series, skipna=True)
    if kind in ("string", "empty"):  # the common case, vectorised: a million claim keys
        return series.where(series.notna(), "")
    # Years: 2024.0 from the file, 2024 (or NULL) from the database.
    return series.map(lambda v: "" if v is None else _number_text(v)
                      if isinstance(v, int | float) else str(v)).astype(object)


def _column(values: Any) -> Any:
    """Object arrays stay object: pandas' str dtype would copy and check every cell."""
    array = np.asarray(values)
    return pd.Series(array, dtype=object) if array.dtype == np.dtype(object) else array


def _keys(columns: Sequence[Any]) -> pd.Series:
    parts = [_key_part(c).reset_index(drop=True) for c in columns]
    out = parts[0]
    for part in parts[1:]:
        out = out + _SEP + part
    return out


def _differs(new: pd.Series, old: pd.Series) -> np.ndarray:
    """Per row: whether the file's value differs from the stored one (None equals NaN)."""
    new_null = new.isna().to_numpy(dtype=bool)
    old_null = old.isna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(new) or pd.api.types.is_numeric_dtype(old):
        x = pd.to_numeric(new, errors="coerce").to_numpy(dtype="float64")
        y = pd.to_numeric(old, errors="coerce").to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            same: np.ndarray = np.abs(x - y) <= 1e-9
    else:
        same = (new.astype(str).to_numpy() == old.astype(str).to_numpy())
    result: np.ndarray = (new_null != old_null) | (~new_null & ~old_null & ~same)
    return result


def compare(conn: Connection, name: str, table: RawTable, rows: Rows,
            full_refresh: bool) -> FileChanges:
    """New, changed and unchanged rows of one checked file against the database, and with
    `full_refresh` the stored rows the file does not have."""
    spec = SPECS[name]
    # Plain DBAPI tuples: a DataFrame of a million SQLAlchemy rows takes ten times as long.
    cursor = conn.connection.cursor()
    try:
        cursor.execute(spec.sql)
        names = [d[0] for d in cursor.description]
        stored = cursor.fetchall()
    finally:
        cursor.close()
    if not stored:  # a first import: every row is new, nothing to compare or miss
        return FileChanges(file=table.label, name=name, new=len(table.lines), changed=0,
                           unchanged=0, missing=0 if full_refresh else None)
    old = pd.DataFrame.from_records(stored, columns=names)
    new_keys = _keys([rows[k] for k in spec.key])
    old_keys = _keys([old[k] for k in spec.key])
    old = old.assign(_key=old_keys.to_numpy()).drop_duplicates("_key")
    new = pd.DataFrame({"_key": new_keys.to_numpy(), "_line": table.lines})
    for column, _label in spec.columns:
        new[column] = _column(rows[column])
    merged = new.merge(old[["_key", *[c for c, _ in spec.columns]]], how="left", on="_key",
                       suffixes=("", "_old"), indicator=True, sort=False)
    matched = (merged["_merge"] == "both").to_numpy()
    changed_in: list[tuple[str, np.ndarray]] = []
    for column, label in spec.columns:
        differs = _differs(merged[column], merged[f"{column}_old"]) & matched
        if differs.any():
            changed_in.append((label, differs))
    changed = np.zeros(len(merged), dtype=bool)
    for _label, differs in changed_in:
        changed |= differs
    examples: list[ChangedRow] = []
    keys = merged["_key"].to_numpy(dtype=object)
    lines = merged["_line"].to_numpy(dtype="int64")
    for i in np.flatnonzero(changed)[:MAX_EXAMPLES].tolist():
        key = _shown(str(keys[i]), spec)
        columns = tuple(label for label, differs in changed_in if differs[i])
        examples.append(ChangedRow(int(lines[i]), key, columns))
    missing: int | None = None
    missing_examples: tuple[str, ...] = ()
    if full_refresh:
        gone = ~old["_key"].isin(set(new_keys.tolist())).to_numpy(dtype=bool)
        if spec.skip_missing is not None:
            gone &= ~old[spec.skip_missing].fillna(0).astype(bool).to_numpy(dtype=bool)
        missing = int(gone.sum())
        shown = sorted(old["_key"].to_numpy()[gone].tolist())[:MAX_EXAMPLES]
        missing_examples = tuple(_shown(str(k), spec) for k in shown)
    n_changed = int(changed.sum())
    return FileChanges(file=table.label, name=name, new=int((~matched).sum()),
                       changed=n_changed, unchanged=int(matched.sum()) - n_changed,
                       examples=tuple(examples), missing=missing,
                       missing_examples=missing_examples)
