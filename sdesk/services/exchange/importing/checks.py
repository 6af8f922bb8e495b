"""Per-file checks. Each returns the rows ready to write and adds its keys to `known`."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from stdnum.nl import bsn as stdnum_bsn

from sdesk.models.enums import Decision
from sdesk.services.budget import LineSelection, find_overlaps, overlap_message
from sdesk.services.exchange.importing.existing import Known
from sdesk.services.exchange.importing.parsing import Columns, Dates, member, pad_codes
from sdesk.services.platform.bounds import (
    MAX_BUDGET_CENTS,
    MAX_VOLUME,
    claim_limit_text,
    euros_text,
    max_claim_cents,
)
from sdesk.services.platform.text import euro, group_thousands
from sdesk.services.platform.vocabulary import (
    CATEGORY_CODELIST,
    CHANGE_REASON_CODELIST,
    DELIVERY_FORMS,
    END_REASON_CODELIST,
    LAW_ALIASES,
    LAWS,
    PAYERS,
    PROVISION_KINDS,
    ROLES,
    UNKNOWN_BSN,
)

Rows = dict[str, Any]

ROLE_ALIASES = {"procescoördinator": "procescoordinator"}
GENDER_ALIASES = {"m": "M", "v": "V", "o": "O", "1": "M", "2": "V", "0": "O", "man": "M",
                  "vrouw": "V", "onbekend": "O", "x": "O"}
POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
VOLUME_LIMIT = f"het maximum van {group_thousands(MAX_VOLUME)}"
BUDGET_LIMIT = f"het maximum van {euros_text(MAX_BUDGET_CENTS)} per begrotingspost"


def _money(cols: Columns, column: str, required: bool = False) -> np.ndarray:
    """An amount of one claim line, tariff, allocation budget or price, in cents: at most
    EUR 10 million (SDESK_MAX_CLAIM_EUR)."""
    return cols.cents(column, required, limit_cents=max_claim_cents(),
                      limit_text=claim_limit_text())


def _volume(cols: Columns, column: str) -> np.ndarray:
    return cols.numbers(column, limit=MAX_VOLUME, limit_text=VOLUME_LIMIT)


def _width(known: Known, codelist: str) -> int:
    codes = known.codelists.get(codelist, set())
    lengths = {len(c) for c in codes}
    return lengths.pop() if len(lengths) == 1 and all(c.isdigit() for c in codes) else 0


def _codes(cols: Columns, column: str, codelist: str, known: Known,
           values: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
    """Normalise codes and refuse those not in the codelist (only rows where mask is true)."""
    raw = cols.text(column) if values is None else values
    padded = pad_codes(raw, _width(known, codelist))
    allowed = known.codelists.get(codelist, set())
    present = ~pd.isna(padded)
    if mask is not None:
        present &= mask
    bad = present & ~member(padded, allowed)
    if bad.any():
        cols.bad(bad, column, [f"code '{v}' staat niet in codelijst {codelist}" for v in padded])
    return padded


def _duplicates(cols: Columns, keys: pd.Series, column: str) -> None:
    # Object dtype: pandas' str dtype would copy and check every key first.
    keys = pd.Series(keys.to_numpy(dtype=object), dtype=object)
    dup = keys.duplicated(keep="first").to_numpy() & keys.notna().to_numpy()
    if not dup.any():
        return
    first_line: dict[object, int] = {}
    for key, line in zip(keys.tolist(), cols.table.lines.tolist(), strict=True):
        first_line.setdefault(key, line)
    cols.bad(dup, column, [f"dubbele sleutel '{k}' (ook op regel {first_line.get(k)})"
                           for k in keys.tolist()])


def _laws(cols: Columns) -> np.ndarray:
    return cols.choice("wet", LAWS, required=True, aliases=LAW_ALIASES)


def _references(cols: Columns, values: np.ndarray, known_keys: Any, column: str,
                what: str) -> np.ndarray:
    unknown: np.ndarray = ~pd.isna(values) & ~member(values, known_keys)
    if unknown.any():
        cols.bad(unknown, column, [f"onbekend(e) {what} '{v}'" for v in values])
    return unknown


def _end_not_before_start(cols: Columns, start: Dates, end: Dates, column: str) -> None:
    bad = (end.values < start.values).to_numpy()
    cols.bad(bad, column, "einddatum ligt voor de begindatum")


def check_huishoudens(cols: Columns, known: Known) -> Rows:
    """Check huishoudens; returns its columns for the writer."""
    ids = cols.text("huishouden_id", required=True)
    _duplicates(cols, pd.Series(ids), "huishouden_id")
    postcode = cols.text("postcode")
    normalised = np.array([p.replace(" ", "").upper() if p else None for p in postcode],
                          dtype=object)
    bad = np.array([p is not None and not POSTCODE.match(p) for p in normalised], dtype=bool)
    cols.bad(bad, "postcode", [f"ongeldige postcode '{p}' (verwacht 1234AB)" for p in postcode])
    known.households.update(i for i in ids if i)
    return {"external_id": ids, "wijk": cols.text("wijk"), "postcode": normalised,
            "composition": cols.text("samenstelling")}


def check_personen(cols: Columns, known: Known) -> Rows:
    """Check personen (households known, BSN 11-proef); returns its columns."""
    ids = cols.text("persoon_id", required=True)
    _duplicates(cols, pd.Series(ids), "persoon_id")
    households = cols.text("huishouden_id", required=True)
    _references(cols, households, known.households, "huishouden_id", "huishouden")
    birth = cols.dates("geboortedatum", required=True)
    raw_bsn = cols.text("bsn")
    bsn = np.empty(cols.n, dtype=object)
    reasons: list[str] = [""] * cols.n
    bad = np.zeros(cols.n, dtype=bool)
    for i, value in enumerate(raw_bsn):
        if value is None:
            continue
        compact = value.replace(" ", "").replace(".", "").replace("-", "")
        if not (compact.isascii() and compact.isdigit()):
            # Full-width digits and invisible spaces were normalised when the file was read;
            # what is left (letters, other scripts' digits) is no BSN.
            bad[i] = True
            reasons[i] = f"BSN '{value}' bevat andere tekens dan de cijfers 0-9"
            continue
        if len(compact) <= 9:
            compact = compact.zfill(9)
        if compact == UNKNOWN_BSN:
            continue  # CBS placeholder for "unknown": accepted, stored as empty
        if stdnum_bsn.is_valid(compact):
            bsn[i] = compact
        else:
            bad[i] = True
            reasons[i] = f"BSN '{value}' voldoet niet aan de 11-proef"
    cols.bad(bad, "bsn", reasons)
    gender = cols.choice("geslacht", ("M", "V", "O"),
                         aliases={k: v for k, v in GENDER_ALIASES.items()})
    gender = np.array([g.upper() if isinstance(g, str) else None for g in gender], dtype=object)
    known.persons.update((p, h) for p, h in zip(ids, households, strict=True) if p)
    return {"external_id": ids, "household": households, "bsn": bsn, "birth_date": birth.iso,
            "gender": gender, "last_name": cols.text("achternaam"),
            "first_name": cols.text("voornaam")}


def check_medewerkers(cols: Columns, known: Known) -> Rows:
    """Check medewerkers (role, fte in range); returns its columns."""
    ids = cols.text("medewerker_id", required=True)
    _duplicates(cols, pd.Series(ids), "medewerker_id")
    fte = cols.numbers("fte")
    out_of_range = np.isfinite(fte) & ((fte < 0) | (fte > 2))
    cols.bad(out_of_range, "fte", "fte moet tussen 0 en 2 liggen")
    known.employees.update(i for i in ids if i)
    # The operating-system account sdesk recognises the employee by (case does not matter on
    # Windows): one employee per account, or nobody could be chosen.
    account = cols.text("account")
    too_long = np.array([a is not None and len(a) > 64 for a in account], dtype=bool)
    cols.bad(too_long, "account", "een account is hoogstens 64 tekens")
    _duplicates(cols, pd.Series([a.lower() if a else None for a in account]), "account")
    return {"external_id": ids, "name": cols.text("naam", required=True),
            "role": cols.choice("rol", ROLES, required=True, aliases=ROLE_ALIASES),
            "team": cols.text("team"), "fte": fte, "account": account}


def check_tarieven(cols: Columns, known: Known) -> Rows:
    """Check tarieven (periods, one row per product and start date); returns its columns."""
    laws = _laws(cols)
    codes = cols.text("productcode", required=True)
    valid_from = cols.dates("geldig_vanaf", required=True)
    valid_to = cols.dates("geldig_tot")
    _end_not_before_start(cols, valid_from, valid_to, "geldig_tot")
    cents = _money(cols, "tarief", required=True)
    cols.not_negative(cents, "tarief")
    unit = _codes(cols, "eenheid", "WJ756", known)
    from_iso, to_iso = valid_from.iso, valid_to.iso
    _duplicates(cols, pd.Series(list(zip(laws, codes, from_iso, strict=True))).map(
        lambda k: None if None in k else f"{k[0]} {k[1]} {k[2]}"), "geldig_vanaf")
    for law, code, f, t, c in zip(laws, codes, from_iso, to_iso, cents, strict=True):
        if law and code and f and np.isfinite(c):
            entries = [e for e in known.tariffs.get((law, code), []) if e[0] != f]
            known.tariffs[(law, code)] = [*entries, (f, t, int(c))]
    return {"law": laws, "product_code": codes, "valid_from": from_iso, "valid_to": to_iso,
            "cents": cents, "unit": unit}


def check_toewijzingen(cols: Columns, known: Known) -> Rows:
    """Check toewijzingen (persons, employees, codes, volume or budget); returns its columns."""
    n = cols.n
    numbers = cols.text("toewijzingnummer", required=True)
    laws = _laws(cols)
    _duplicates(cols, pd.Series([f"{law} {nr}" if law and nr else None
                                 for law, nr in zip(laws, numbers, strict=True)]),
                "toewijzingnummer")
    persons = cols.text("persoon_id", required=True)
    _references(cols, persons, known.persons, "persoon_id", "persoon")
    employees = cols.text("medewerker_id")
    _references(cols, employees, known.employees, "medewerker_id", "medewerker")

    raw_category = cols.text("productcategorie", required=True)
    category = np.empty(n, dtype=object)
    change_reason = cols.text("reden_wijziging")
    end_reason = cols.text("reden_beeindiging")
    for law, codelist in CATEGORY_CODELIST.items():
        mask = laws == law
        if mask.any():
            padded = _codes(cols, "productcategorie", codelist, known, raw_category, mask)
            category[mask] = padded[mask]
    for law, codelist in END_REASON_CODELIST.items():
        mask = laws == law
        end_reason[mask] = _codes(cols, "reden_beeindiging", codelist, known, end_reason,
                                  mask)[mask]
    for law, codelist in CHANGE_REASON_CODELIST.items():
        mask = laws == law
        change_reason[mask] = _codes(cols, "reden_wijziging", codelist, known, change_reason,
                                     mask)[mask]

    referrer = _codes(cols, "verwijzer", "COD327", known)
    unit = _codes(cols, "eenheid", "WJ756", known)
    frequency = _codes(cols, "frequentie", "WMO757", known)
    start = cols.dates("ingangsdatum", required=True)
    end = cols.dates("einddatum")
    _end_not_before_start(cols, start, end, "einddatum")
    volume = _volume(cols, "volume")
    cols.not_negative(volume, "volume")
    tariff = _money(cols, "tarief")
    cols.not_negative(tariff, "tarief")
    budget = _money(cols, "budget")
    cols.not_negative(budget, "budget")

    has_volume = np.isfinite(volume)
    has_budget = np.isfinite(budget)
    cols.bad(has_volume & has_budget, "budget",
             "omvang (volume) en budget zijn allebei gevuld; vul er één")
    no_unit = np.array([u is None for u in unit], dtype=bool)
    no_freq = np.array([f is None for f in frequency], dtype=bool)
    cols.bad(has_volume & no_unit, "eenheid", "volume zonder eenheid")
    cols.bad(has_volume & no_freq, "frequentie", "volume zonder frequentie")
    open_ended = end.values.isna().to_numpy()
    cols.bad(open_ended & (has_budget | (frequency == "6")), "einddatum",
             "een budget of frequentie 6 (totaal binnen geldigheidsduur) vraagt een einddatum")

    codes = cols.text("productcode")
    start_iso, end_iso = start.iso, end.iso
    # A missing tariff comes from the tarieven table (valid on the start date); a tariff that
    # was given but refused above is never replaced by it.
    no_tariff = (cols.raw("tarief") == "").to_numpy()
    for i in np.flatnonzero(has_volume & ~np.isfinite(tariff) & no_tariff):
        if unit[i] == "83":
            tariff[i] = 100.0
            continue
        if start_iso[i] is None:  # the start date itself was reported: no tariff to look up
            continue
        found = (known.tariff_at(laws[i], codes[i], start_iso[i])
                 if laws[i] and codes[i] and start_iso[i] else None)
        if found is None:
            cols.report.add(cols.table.label, int(cols.table.lines[i]), "tarief",
                            f"tarief ontbreekt en er is geen tarief bekend voor productcode "
                            f"'{codes[i] or ''}' op {start_iso[i]}")
        else:
            tariff[i] = found
    # One period's cost above the claim-line cap cannot be right, and would run through every
    # figure (a year of daily periods) to amounts no report can show.
    per_period = volume * tariff
    limit = max_claim_cents()
    with np.errstate(invalid="ignore"):
        costly = np.isfinite(per_period) & (per_period > limit)
    if costly.any():
        cols.bad(costly, "volume", [f"volume × tarief is {euro(c) if costly[i] else ''} per "
                                    f"periode, meer dan {claim_limit_text()}"
                                    for i, c in enumerate(per_period)])
    for law, nr, s, e in zip(laws, numbers, start_iso, end_iso, strict=True):
        if law and nr and s:
            known.allocations[(law, nr)] = (s, e)
    return {
        "toewijzingnummer": numbers, "person": persons, "law": laws, "category": category,
        "product_code": codes, "description": cols.text("omschrijving"),
        "provider": cols.text("aanbieder"), "referrer": referrer,
        "delivery_form": cols.choice("leveringsvorm", DELIVERY_FORMS, default="zin"),
        "provision_kind": cols.choice("voorziening", PROVISION_KINDS, default="maatwerk"),
        "start_date": start_iso, "end_date": end_iso, "volume": volume, "unit": unit,
        "frequency": frequency, "tariff_cents": tariff, "budget_cents": budget,
        "employee": employees, "change_reason": change_reason, "end_reason": end_reason,
    }


def check_declaraties(cols: Columns, known: Known) -> Rows:
    """Check declaraties against their allocations; returns its columns. Column-wise
    throughout: this file has a million lines where the others have thousands."""
    numbers = cols.text("toewijzingnummer", required=True)
    laws = _laws(cols)
    begin = cols.dates("periode_begin", required=True)
    end = cols.dates("periode_eind", required=True)
    amount = _money(cols, "bedrag", required=True)
    volume = _volume(cols, "volume")
    cols.not_negative(volume, "volume")
    ids = cols.text("declaratie_id")

    first = begin.values.to_numpy(dtype="datetime64[ns]")
    last = end.values.to_numpy(dtype="datetime64[ns]")
    both = ~np.isnat(first) & ~np.isnat(last)
    before = both & (last < first)
    cols.bad(before, "periode_eind", "einde van de periode ligt voor het begin")
    two_months = both & ~before & (first.astype("datetime64[M]") != last.astype("datetime64[M]"))
    cols.bad(two_months, "periode_eind",
             "declaratieperiode beslaat meer dan één kalendermaand")

    begin_iso, end_iso = begin.iso, end.iso
    has_key = ~pd.isna(laws) & ~pd.isna(numbers)
    spans = known.spans(laws, numbers)
    unknown = has_key & ~spans.found
    cols.bad(unknown, "toewijzingnummer", lambda i: f"onbekende toewijzing {laws[i]} {numbers[i]}")
    # ISO texts compare as dates; only rows with both dates and a known allocation.
    rows = np.flatnonzero(has_key & spans.found & both)
    outside = np.zeros(cols.n, dtype=bool)
    outside[rows] = ((begin_iso[rows] < spans.start[rows])
                     | (end_iso[rows] > spans.end[rows])).astype(bool)
    cols.bad(outside, "periode_begin", lambda i: (
        f"declaratieperiode {begin_iso[i]}..{end_iso[i]} valt buiten de toewijzing "
        f"({spans.start[i]}..{'open' if spans.end[i] == '9999-12-31' else spans.end[i]})"))

    # Without a declaratie_id the line's own content is its key, so a re-import updates it.
    claim_keys = pd.Series(ids, dtype=object)
    no_id = claim_keys.isna().to_numpy()
    if no_id.any():
        claim_keys[no_id] = [
            f"{law}:{nr}:{b}:{e}:{a:.0f}:{v:g}" for law, nr, b, e, a, v in zip(
                laws[no_id], numbers[no_id], begin_iso[no_id], end_iso[no_id], amount[no_id],
                np.nan_to_num(volume[no_id], nan=-1), strict=True)]
    _duplicates(cols, claim_keys, "declaratie_id")
    return {"claim_key": claim_keys.to_numpy(dtype=object), "law": laws,
            "toewijzingnummer": numbers, "period_start": begin_iso, "period_end": end_iso,
            "volume": volume, "amount_cents": amount}


def check_beoordelingen(cols: Columns, known: Known) -> Rows:
    """Check beoordelingen (reviews kept in a spreadsheet) against their allocations and
    employees, as `record_decision` would; returns its columns."""
    from sdesk.services.afschaling import DECISION_ALIASES, DECISIONS

    numbers = cols.text("toewijzingnummer", required=True)
    laws = _laws(cols)
    day = cols.dates("datum", required=True)
    decision = cols.choice("besluit", DECISIONS, required=True, aliases=DECISION_ALIASES)
    employees = cols.text("medewerker_id", required=True)
    _references(cols, employees, known.employees, "medewerker_id", "medewerker")
    volume = _volume(cols, "nieuw_volume")
    cols.bad(np.isfinite(volume) & (volume <= 0), "nieuw_volume", "moet groter dan 0 zijn")
    product = cols.text("nieuwe_productcode")
    end_iso = cols.dates("nieuwe_einddatum").iso
    notes = cols.text("notitie")
    day_iso = day.iso
    # One reason per row and column, reported at once (a row-by-row report is quadratic).
    reasons: dict[str, list[str | None]] = {c: [None] * cols.n for c in (
        "toewijzingnummer", "nieuw_volume", "nieuwe_einddatum")}
    scale_down = Decision.SCALE_DOWN.value
    for i, (law, nr, when, what) in enumerate(zip(laws, numbers, day_iso, decision,
                                                  strict=True)):
        span = known.allocations.get((law, nr)) if law and nr else None
        if law and nr and span is None:
            reasons["toewijzingnummer"][i] = f"onbekende toewijzing {law} {nr}"
        elif span is not None and when and not span[0] <= when <= (span[1] or when):
            # A warning, not a refusal: the backoffice may end an allocation with an earlier
            # date after the review (and an export of sdesk's own reviews must come back).
            cols.report.warnings.append(
                f"{cols.table.label}:{int(cols.table.lines[i])}: datum: beoordelingsdatum "
                f"{when} valt buiten toewijzing {law} {nr} ({span[0]}..{span[1] or 'open'}); "
                "de beoordeling is ingelezen, controleer de datum")
        changes = bool(np.isfinite(volume[i])) or product[i] is not None
        if what == scale_down and not changes:
            reasons["nieuw_volume"][i] = ("afschalen vraagt een nieuw_volume (lager dan nu) "
                                          "of een nieuwe_productcode")
        elif what is not None and what != scale_down and changes:
            reasons["nieuw_volume"][i] = (f"bij besluit '{what}' horen geen nieuw_volume en "
                                          "geen nieuwe_productcode")
        if end_iso[i] is not None and when and end_iso[i] < when:
            reasons["nieuwe_einddatum"][i] = "nieuwe einddatum ligt vóór de beoordelingsdatum"
    for column, texts in reasons.items():
        mask = np.array([t is not None for t in texts], dtype=bool)
        if mask.any():
            cols.bad(mask, column, [t or "" for t in texts])
    # As record_decision: an ending decision without an end date ends on the review date.
    ending = np.array([w is not None and w not in (Decision.CONTINUE.value, scale_down)
                       for w in decision], dtype=bool)
    end_iso = np.where(ending & np.array([e is None for e in end_iso], dtype=bool), day_iso,
                       end_iso)
    keys = pd.Series([f"{law}:{nr}:{when}:{what}" if law and nr and when and what else None
                      for law, nr, when, what in zip(laws, numbers, day_iso, decision,
                                                     strict=True)], dtype=object)
    _duplicates(cols, keys, "toewijzingnummer")
    return {"law": laws, "toewijzingnummer": numbers, "review_date": day_iso,
            "decision": decision, "employee": employees, "new_volume": volume,
            "new_product_code": product, "new_end_date": end_iso, "notes": notes}


def check_begroting(cols: Columns, known: Known) -> Rows:
    """Check begroting (year, law, categories); returns its columns."""
    year = cols.years("jaar", required=True)
    name = cols.text("post", required=True)
    _duplicates(cols, pd.Series([f"{y:.0f} {p}" if np.isfinite(y) and p else None
                                 for y, p in zip(year, name, strict=True)]), "post")
    laws = cols.choice("wet", LAWS, aliases=LAW_ALIASES)
    raw = cols.text("productcategorieen")
    categories = np.empty(cols.n, dtype=object)
    for i, (law, text) in enumerate(zip(laws, raw, strict=True)):
        if text is None:
            continue
        codes = [c for c in re.split(r"[,;|\s]+", text) if c]
        if law is None:
            cols.report.add(cols.table.label, int(cols.table.lines[i]), "productcategorieen",
                            "productcategorieën zonder wet; vul ook de kolom wet")
            continue
        codelist = CATEGORY_CODELIST[law]
        width = _width(known, codelist)
        codes = [c.zfill(width) if c.isdigit() and width else c for c in codes]
        wrong = [c for c in codes if c not in known.codelists.get(codelist, set())]
        if wrong:
            cols.report.add(cols.table.label, int(cols.table.lines[i]), "productcategorieen",
                            f"code(s) {', '.join(wrong)} staan niet in codelijst {codelist}")
        categories[i] = ",".join(codes)
    forms = cols.choice("leveringsvorm", DELIVERY_FORMS)
    amount = cols.cents("bedrag", required=True, limit_cents=MAX_BUDGET_CENTS,
                        limit_text=BUDGET_LIMIT)
    subtotal = np.array([v == "ja" for v in cols.choice("subtotaal", ("ja", "nee"))],
                        dtype=bool)
    _overlapping_lines(cols, known, year, name, laws, categories, forms, amount, subtotal)
    return {"year": year, "name": name, "law": laws, "categories": categories,
            "delivery_form": forms, "amount_cents": amount,
            "forecast_cents": cols.cents("prognose", limit_cents=MAX_BUDGET_CENTS,
                                         limit_text=BUDGET_LIMIT),
            "subtotal": subtotal.astype(np.int64)}


def _overlapping_lines(cols: Columns, known: Known, year: np.ndarray, name: np.ndarray,
                       laws: np.ndarray, categories: np.ndarray, forms: np.ndarray,
                       amount: np.ndarray, subtotal: np.ndarray) -> None:
    """Refuse a line whose selection overlaps another line of the same year, in the file or
    already stored (#15): the same claims would count twice in the total, unless one of them
    is a subtotal. A stored line the file sends again is judged as the file has it."""
    in_file = {(int(y), str(n)) for y, n in zip(year, name, strict=True)
               if np.isfinite(y) and n is not None}
    by_year: dict[int, list[LineSelection]] = {}
    for stored_year, stored in known.budget_lines.items():
        by_year[stored_year] = [
            LineSelection(n, law, tuple(c for c in (cats or "").split(",") if c), form, cents,
                          sub, "al in de database")
            for n, law, cats, form, cents, sub in stored if (stored_year, n) not in in_file]
    row_of: dict[str, int] = {}
    for i, line in enumerate(cols.table.lines.tolist()):
        if not np.isfinite(year[i]) or name[i] is None:
            continue
        where = f"{cols.table.label}:{int(line)}"
        row_of[where] = i
        by_year.setdefault(int(year[i]), []).append(LineSelection(
            str(name[i]), laws[i], tuple(c for c in (categories[i] or "").split(",") if c),
            forms[i], int(amount[i]) if np.isfinite(amount[i]) else 0, bool(subtotal[i]),
            where))
    for selections in by_year.values():
        for first, second in find_overlaps(selections):
            if second.where not in row_of:  # two stored lines: not this import's doing
                continue
            cols.report.add(cols.table.label, int(cols.table.lines[row_of[second.where]]),
                            "post", overlap_message(first, second))


def check_kostenkaart(cols: Columns, known: Known) -> Rows:
    """Check kostenkaart (price, payer); returns its columns."""
    names = cols.text("item", required=True)
    year = cols.years("jaar")
    _duplicates(cols, pd.Series([f"{n} {y:.0f}" if np.isfinite(y) else n
                                 for n, y in zip(names, year, strict=True)]), "item")
    missing_price = (cols.raw("prijs") == "").to_numpy()
    cols.bad(missing_price, "prijs", "kostenkaart-item zonder prijs")
    price = _money(cols, "prijs")
    cols.not_negative(price, "prijs")
    known.cost_items.update(n for n in names if n)
    return {"name": names, "unit": cols.text("eenheid", required=True), "price_cents": price,
            "year": year, "payer": cols.choice("financier", PAYERS, required=True),
            "source": cols.text("bron")}


def check_interventies(cols: Columns, known: Known) -> Rows:
    """Check interventies against households, persons and items; returns its columns."""
    households = cols.text("huishouden_id", required=True)
    _references(cols, households, known.households, "huishouden_id", "huishouden")
    persons = cols.text("persoon_id")
    unknown = _references(cols, persons, known.persons, "persoon_id", "persoon")
    elsewhere = np.array([p is not None and not unknown[i] and h is not None
                          and known.persons.get(p) != h
                          for i, (p, h) in enumerate(zip(persons, households, strict=True))],
                         dtype=bool)
    cols.bad(elsewhere, "persoon_id", "persoon hoort niet bij dit huishouden")
    items = cols.text("kostenkaart_item")
    _references(cols, items, known.cost_items, "kostenkaart_item", "kostenkaart-item")
    quantity = _volume(cols, "aantal")
    cols.not_negative(quantity, "aantal")
    amount = _money(cols, "bedrag")
    no_price = np.array([i is None for i in items], dtype=bool) & ~np.isfinite(amount)
    cols.bad(no_price, "bedrag", "vul een kostenkaart_item of een bedrag")
    begin = cols.dates("periode_begin")
    end = cols.dates("periode_eind")
    _end_not_before_start(cols, begin, end, "periode_eind")
    payer = cols.choice("financier", PAYERS, required=True)
    description = cols.text("omschrijving", required=True)
    begin_iso = begin.iso
    keys = pd.Series([f"{h}|{p}|{d}|{b or ''}" for h, p, d, b in
                      zip(households, payer, description, begin_iso, strict=True)])
    _duplicates(cols, keys, "omschrijving")
    quantity = np.where(np.isfinite(quantity) | no_price, quantity,
                        np.where([i is not None for i in items], 1.0, np.nan))
    return {"natural_key": keys.to_numpy(dtype=object), "household": households,
            "person": persons, "payer": payer, "description": description, "item": items,
            "quantity": quantity, "amount_cents": amount, "period_start": begin_iso,
            "period_end": end.iso}


def check_inwoners(cols: Columns, known: Known) -> Rows:
    """Check inwoners (one count per year and age band); returns its columns."""
    year = cols.years("jaar", required=True)
    band = cols.text("leeftijdsgroep", required=True)
    _duplicates(cols, pd.Series([f"{y:.0f} {b}" if np.isfinite(y) and b else None
                                 for y, b in zip(year, band, strict=True)]), "leeftijdsgroep")
    count = cols.integers("aantal", required=True, limit=MAX_VOLUME, limit_text=VOLUME_LIMIT)
    cols.not_negative(count, "aantal")
    return {"year": year, "age_band": band, "count": count}


def check_prijsindex(cols: Columns, known: Known) -> Rows:
    """Check prijsindex (one percentage per year and law); returns its columns."""
    year = cols.years("jaar", required=True)
    laws = _laws(cols)
    _duplicates(cols, pd.Series([f"{y:.0f} {w}" if np.isfinite(y) and w else None
                                 for y, w in zip(year, laws, strict=True)]), "wet")
    percentage = cols.numbers("percentage", required=True, limit=100,
                              limit_text="100 procent (in grootte)")
    return {"year": year, "law": laws, "percentage": percentage}


CHECKS = {
    "huishoudens": check_huishoudens, "personen": check_personen,
    "medewerkers": check_medewerkers, "tarieven": check_tarieven,
    "toewijzingen": check_toewijzingen, "declaraties": check_declaraties,
    "beoordelingen": check_beoordelingen, "begroting": check_begroting,
    "kostenkaart": check_kostenkaart,
    "interventies": check_interventies, "inwoners": check_inwoners,
    "prijsindex": check_prijsindex,
}
