"""The worklist's inputs: the allocations active on a peildatum with everything the rules
need, gathered in one pass (SQLite sums the claims and reads persons, ended allocations and
products in a worker thread meanwhile), kept against the one cache key in memory and in the
database, and prepared after every import for the default peildatum."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.afschaling.ladder import LadderStep, default_ladder
from sdesk.services.afschaling.rules import (
    LOW_UTILISATION,
    NO_CLAIMS,
    RuleParameters,
    history_from,
    prepare,
    row_codes,
    spell_starts,
    windows,
)
from sdesk.services.household import omvang_text
from sdesk.services.platform import stored_frames
from sdesk.services.platform.cache import key as cache_key
from sdesk.services.platform.cache import remember
from sdesk.services.platform.completeness import claims_completeness
from sdesk.services.platform.costs import daily_rates, overlap_days
from sdesk.services.platform.peildatum import last_day_with_data
from sdesk.services.platform.readers import (
    PERSON_COLUMNS,
    SPAN_COLUMNS,
    allocations_active_on,
    claim_sums_frame,
    claim_sums_query,
    ended_allocations_query,
    fetch_rows,
    persons_active_query,
    persons_by_id_query,
    persons_frame,
    products_used_query,
    read_aside,
    spans_frame,
)

UNIT_CODELIST = "WJ756"


def _opt(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


log = logging.getLogger(__name__)
# Entries kept per kind; the allocation frames are the big ones (about 60 MB at the
# "large" preset), so only the last two peildatums are kept.
KEEP = 2


THROUGH_KIND = "claims_through"


def claims_through(engine: Engine, at: date) -> date:
    """The last day of the claim windows on `at`: the end of the last complete claim month
    (platform.completeness), so a peildatum on the 1st or months not yet declared never make
    a well-used allocation look unused. Kept per data version and peildatum."""
    stored_key = repr((cache_key(engine), at))

    def build() -> date:
        # Kept in the database too: a new process (every CLI call, every window) reads the
        # date back instead of judging the months again (a second at the medium preset).
        found = stored_frames.load(engine, THROUGH_KIND, stored_key)
        if found is not None and isinstance(found[1], dict) and "through" in found[1]:
            return date.fromisoformat(found[1]["through"])
        through = min(at, claims_completeness(engine, at).complete_through)
        stored_frames.save(engine, THROUGH_KIND, stored_key, pd.DataFrame(),
                           {"through": through.isoformat()}, keep=KEEP)
        return through
    return remember("claims_through", engine, (cache_key(engine), at), build, keep=KEEP)


def load_inputs(engine: Engine, at: date, params: RuleParameters
                 ) -> tuple[pd.DataFrame, dict[tuple[str, str], tuple[LadderStep, ...]]]:
    """The allocations active on `at`, sorted by law and toewijzingnummer, with their persons,
    claim sums (utilisation and no-claims windows), commitment over the utilisation window,
    the start of their spell, the PREPARED rule columns and their omvang text; and the
    default product ladder, built from the products of these allocations and of those that
    ended within the long-duration horizon (a product nobody got in that time is no
    step-down). SQLite sums the claims and finds the persons in a worker thread meanwhile.
    The claim windows are whole, complete months up to `claims_through`."""
    claim_windows = windows(claims_through(engine, at), params)
    util_window = claim_windows[LOW_UTILISATION]
    since = history_from(at, params)
    aside = {"claims": claim_sums_query(util_window, claim_windows[NO_CLAIMS]),
             "persons": persons_active_query(at),
             "ended": ended_allocations_query(since, at),
             "products": products_used_query(since, at)}
    with read_aside(engine, aside) as side_rows:
        active = allocations_active_on(engine, at)
        order = np.lexsort((active["toewijzingnummer"].to_numpy(dtype=object).astype(str),
                            active["law"].to_numpy(dtype=object).astype(str)))
        active = active.take(order).reset_index(drop=True)
        daily = daily_rates(active)
        frame = prepare(active.assign(
            commitment_cents=daily * overlap_days(active, *util_window),
            omvang=omvang_texts(active["volume"].to_numpy(), active["unit"].to_numpy(),
                                 active["frequency"].to_numpy(),
                                 active["budget_cents"].to_numpy())), daily)
        rows = side_rows()
    ids = frame["id"].to_numpy()
    spans = pd.concat([spans_frame(rows["ended"]), active[list(SPAN_COLUMNS)]],
                      ignore_index=True)
    ladder = default_ladder(engine, at, used=pd.DataFrame(
        rows["products"], columns=["law", "category", "product_code", "label"]))
    sums = claim_sums_frame(rows["claims"]).set_index("allocation_id").reindex(ids)
    persons = persons_frame(rows["persons"])
    missing = np.setdiff1d(frame["person_id"].to_numpy(), persons.index.to_numpy())
    if len(missing):  # an import committed between the two reads: read those by id
        persons = pd.concat([persons, persons_frame(fetch_rows(
            engine, persons_by_id_query(), (json.dumps(missing.tolist()),)))])
    persons = persons.reindex(frame["person_id"].to_numpy())
    frame = frame.assign(
        spell_start=spell_starts(spans).reindex(ids).to_numpy(),
        realised_cents=sums["amount_cents"].fillna(0).to_numpy(dtype="int64"),
        no_claims_lines=sums["lines"].fillna(0).to_numpy(dtype="int64"),
        household_id=persons["household_id"].to_numpy(dtype="int64"),
        **{c: persons[c].to_numpy(dtype=object) for c in PERSON_COLUMNS[1:]})
    return frame, ladder


def inputs(engine: Engine, at: date, params: RuleParameters
            ) -> tuple[pd.DataFrame, dict[tuple[str, str], tuple[LadderStep, ...]]]:
    """load_inputs, kept in memory and in the database (stored_frames) per data key,
    peildatum, windows and history: a new process reads them back instead of gathering them
    from the allocations and claims again."""
    claim_windows = windows(claims_through(engine, at), params)
    version = (INPUTS_FORMAT, cache_key(engine), at, claim_windows[LOW_UTILISATION],
               claim_windows[NO_CLAIMS], history_from(at, params))
    stored_key = repr(version)

    def build() -> tuple[pd.DataFrame, dict[tuple[str, str], tuple[LadderStep, ...]]]:
        found = stored_frames.load(engine, STORED_KIND, stored_key)
        if found is not None:
            frame, ladder = found
            return frame, _ladder_from_json(ladder)
        frame, ladder = load_inputs(engine, at, params)
        stored_frames.save(engine, STORED_KIND, stored_key, frame, _ladder_to_json(ladder))
        return frame, ladder
    return remember("worklist_inputs", engine, version, build, keep=KEEP)


def default_peildatum(engine: Engine) -> date:
    """The worklist's peildatum when none is given (screen and `sdesk review`): the last day
    with data, so the claim windows end where the claims do; today without claims."""
    return last_day_with_data(engine) or date.today()


def prepare_default_inputs(engine: Engine) -> date | None:
    """Gather and store the inputs for the default peildatum (the last day with data) and
    the default rule parameters, so the first worklist after an import or a demo reads them
    back instead of gathering them (DESIGN 7: summaries refreshed on import). Returns that
    peildatum; None when there are no claims yet, or when the database would not let us (a
    cache must never fail the import that calls this)."""
    try:
        at = last_day_with_data(engine)
        if at is not None:
            inputs(engine, at, RuleParameters().validate())
    # Any failure, not only the database's (sqlite3 errors come through the raw cursor
    # unwrapped; memory; odd data): the import has committed, and calling it failed would
    # tell the user that nothing was saved.
    except Exception:
        log.warning("Werklijst niet voorbereid", exc_info=True)
        return None
    return at


STORED_KIND = "worklist_inputs"
# Part of the stored key: raise it whenever load_inputs computes something differently, so a
# new version of sdesk never reads inputs stored by an older one.
INPUTS_FORMAT = 1


def _ladder_to_json(ladder: dict[tuple[str, str], tuple[LadderStep, ...]]) -> list[Any]:
    return [[law, category, [[s.product_code, s.tariff_cents, s.unit, s.label] for s in steps]]
            for (law, category), steps in ladder.items()]


def _ladder_from_json(items: list[Any]) -> dict[tuple[str, str], tuple[LadderStep, ...]]:
    return {(law, category): tuple(LadderStep(*step) for step in steps)
            for law, category, steps in items}


_unit_labels: dict[str, str] | None = None


def _unit_label(unit: str | None) -> str | None:
    global _unit_labels
    if _unit_labels is None:
        from sdesk.services.platform.reference_data import shipped_codelists

        _unit_labels = shipped_codelists().get(UNIT_CODELIST, {})
    return _unit_labels.get(unit or "")


def _omvang(volume: Any, unit: Any, frequency: Any, has_budget: bool = False) -> str:
    vol = None if volume is None or pd.isna(volume) else float(volume)
    unit = _opt(unit)
    return omvang_text(vol, unit, _unit_label(unit), _opt(frequency), 0 if has_budget else None)


def omvang_texts(volume: Any, unit: Any, frequency: Any, budget: Any) -> np.ndarray:
    """The omvang text per row, formatted once per distinct omvang."""
    v = np.asarray(volume, dtype="float64")
    if len(v) == 0:
        return np.zeros(0, dtype=object)
    u = np.asarray(unit, dtype=object)
    fq = np.asarray(frequency, dtype=object)
    b = pd.notna(np.asarray(budget, dtype="float64"))
    codes = row_codes(v, u, fq, b)
    unique, first = np.unique(codes, return_index=True)
    lookup = np.empty(int(unique.max()) + 1, dtype=object)
    lookup[unique] = [_omvang(v[i], u[i], fq[i], bool(b[i])) for i in first]
    texts: np.ndarray = lookup[codes]
    return texts
