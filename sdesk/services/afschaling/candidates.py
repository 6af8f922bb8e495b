"""Afschaling: the klantmanager's review worklist.

`worklist(engine, actor, at, params, law=, team=, employee=, rule=)` runs the rules of
sdesk.services.afschaling.rules over every allocation active on `at` (removed ones never) and
returns the candidates sorted by expected annual saving, highest first (ties: law,
toewijzingnummer). The rules and the saving per rule if the step-down is done are defined and
documented in rules; the expected saving of a rule is that saving x the chance that a review
for that reason ends in a step-down (chances: the municipality's own decisions once there are
enough, conservative defaults until then). Only a reason puts a row on the list; a signal
(rules.PRIORITY_RULES: high cost, long duration, stacking) raises its `priority` (asked for
by name with `rule`, a signal lists what it fires on). A row's expected saving is the maximum
over the reasons that fired, and the rule that gives it (ties: the most concrete step-down)
leads and proposes the step-down; the row keeps its `saving_if_done_cents`, `chance` (0..1),
`chance_source` and `chance_decisions`.

Capacity: a team reviews `RuleParameters.reviews_per_fte_month` (20) x its fte a month: the
fte of the klantmanagers the list is for (the employee's; the team's; every team's), or
`RuleParameters.team_fte` when set. The list holds the head a team reviews in
`capacity_months` (1) -- what it can work, ranked by expected saving -- and the summary counts
every candidate (`qualifying`) and what lies beyond; `everything=True` shows them all.

Rules are always evaluated on the whole municipality (top-10 persons, household stacking);
the filters only choose which candidate rows are shown. The `team` is the team of the
allocation's responsible employee; `employee` is an employee's external id.

Recent decisions: when the latest review of an allocation on or before `at` is at most
`recent_decision_days` days old, the allocation leaves the worklist -- unless a rule fires
that is not among that review's rules (a new reason); then it comes back, with `new_rules`.

Identity: `person` is the source person id for roles that see identity and
pseudonym(person id) for the controller; name and BSN are only filled for roles that see
identity (actor.sees_identity), and `toewijzingnummer` is the allocation's pseudonym for the
others (no source numbers: what-if and history take the pseudonym back).

Team: without `team` the klantmanager sees their own team (platform.permissions.team_scope);
`team=ALL_TEAMS` is the explicit choice for every team.

Speed: the inputs -- the allocations active on `at` with their persons, the claim sums of the
two windows, the start of each allocation's spell and the products in use -- are gathered by
`inputs.load_inputs` in one pass: SQLite sums the claims and reads persons, ended allocations
and products in a worker thread while this thread reads the active allocations (read_aside).
They are kept per cache key (platform.cache: every write to the source data moves it), peildatum,
windows and history, in memory and in the database (stored_frames), so a new process reads
them back instead of gathering them again; every import and the demo prepare them for the
default peildatum (prepare_default_inputs). Reviews, employees and labels are read fresh on
every call. Everything else is vectorised with pandas/numpy, so a call with other filters or
rule parameters skips the SQL. `platform.cache.forget(engine)` drops what is kept.

Every call is written to the audit log as a view (DESIGN 8) with the number of rows shown.

`Worklist.frame` (listing.py) holds one row per candidate (columns in FRAME_COLUMNS plus
`saving_<rule>` per rule, cents); `Worklist.candidate(i)` turns one row into a frozen
`Candidate` (tables build only the rows they show), `Worklist.rows` all of them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.afschaling.catalogue import check_rule_ids, rule_explanation
from sdesk.services.afschaling.chances import Chance, rule_chances
from sdesk.services.afschaling.inputs import KEEP, claims_through, omvang_texts
from sdesk.services.afschaling.inputs import inputs as gathered_inputs
from sdesk.services.afschaling.ladders import confirmed_ladder
from sdesk.services.afschaling.listing import Worklist, WorklistFilters, WorklistSummary
from sdesk.services.afschaling.rules import (
    ENDING_SOON,
    HIGH_COST,
    HIGH_INTENSITY,
    HIGH_PRIORITY_RULES,
    LIGHTER_PRODUCT,
    LONG_DURATION,
    LOW_UTILISATION,
    NO_CLAIMS,
    OPEN_ENDED_UNREVIEWED,
    PRIORITY_RULES,
    PROPOSAL_PRIORITY,
    RULE_IDS,
    STACKING,
    ReviewError,
    RuleOutcome,
    RuleParameters,
    evaluate_rules,
    history_from,
    windows,
)
from sdesk.services.afschaling.scope import (
    SCOPES,
    SEPARATE_SCOPE,
    STANDARD_SCOPE,
    separate_review,
)
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, allocation_pseudonym, pseudonym
from sdesk.services.platform.cache import key as cache_key
from sdesk.services.platform.cache import remember
from sdesk.services.platform.permissions import ALL_TEAMS, team_scope
from sdesk.services.platform.readers import (
    fetch_rows,
)
from sdesk.services.platform.text import euros
from sdesk.services.platform.vocabulary import CATEGORY_CODELIST, LAWS


def _pseudonyms(engine: Engine, at: date, params: RuleParameters,
                frame: pd.DataFrame) -> np.ndarray:
    claim_windows = windows(claims_through(engine, at), params)
    key = (cache_key(engine), at,
           claim_windows[LOW_UTILISATION], claim_windows[NO_CLAIMS], history_from(at, params))

    def build() -> np.ndarray:
        codes, uniques = pd.factorize(frame["person_external_id"].to_numpy(dtype=object))
        return np.asarray([pseudonym(str(p)) for p in uniques], dtype=object)[codes]
    return remember("worklist_pseudonyms", engine, key, build, keep=KEEP)


def _allocation_pseudonyms(laws: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """The allocation pseudonym of each (law, toewijzingnummer) pair."""
    return np.asarray([allocation_pseudonym(str(law), str(nr))
                       for law, nr in zip(laws, numbers, strict=True)], dtype=object)


def _reviews(engine: Engine, at: date) -> pd.DataFrame:
    """The latest review on or before `at` per allocation, indexed by allocation id:
    last_review (datetime64), last_rules, last_decision."""
    rows = fetch_rows(engine, (
        "SELECT r.allocation_id, r.review_date, r.rules, r.decision FROM review r "
        "WHERE r.review_date <= ? ORDER BY r.allocation_id, r.review_date, r.id"),
        (at.isoformat(),))
    frame = pd.DataFrame.from_records(rows, columns=["id", "last_review", "last_rules",
                                                     "last_decision"])
    frame = frame.drop_duplicates("id", keep="last").set_index("id")
    frame["last_review"] = pd.to_datetime(frame["last_review"], format="%Y-%m-%d")
    return frame


def _employees(engine: Engine) -> pd.DataFrame:
    """Indexed by employee id: employee_external_id, employee (name), team."""
    return pd.DataFrame.from_records(fetch_rows(
        engine, "SELECT e.id, e.external_id, e.name, t.name FROM employee e "
                "LEFT JOIN team t ON t.id = e.team_id"),
        columns=["employee_id", "employee_external_id", "employee", "team"]).set_index(
        "employee_id")


def _category_labels(engine: Engine, frame: pd.DataFrame, idx: np.ndarray) -> np.ndarray:
    """The category label of rows `idx` (codelist of the law; None when unknown)."""
    lists = {cl: law for law, cl in CATEGORY_CODELIST.items()}
    marks = ",".join("?" for _ in lists)
    labels = {(lists[cl], code): label for cl, code, label in fetch_rows(
        engine, f"SELECT codelist, code, label FROM codelist_entry WHERE codelist IN ({marks})",
        tuple(lists))}
    codes = frame["law_category_code"].to_numpy(dtype=np.int64)
    out = np.full(len(idx), None, dtype=object)
    if len(idx):
        unique, first = np.unique(codes, return_index=True)
        law = frame["law"].to_numpy(dtype=object)
        category = frame["category"].to_numpy(dtype=object)
        lookup = np.empty(int(unique.max()) + 1, dtype=object)
        lookup[unique] = [labels.get((law[i], category[i])) for i in first]
        out = lookup[codes[idx]]
    return out


def _check_filters(filters: WorklistFilters) -> None:
    if filters.law is not None and filters.law not in LAWS:
        raise ReviewError(f"Onbekende wet '{filters.law}'; kies uit {', '.join(LAWS)}.")
    if filters.rule is not None:
        check_rule_ids([filters.rule])
    if filters.scope not in SCOPES:
        raise ReviewError(f"Onbekende lijst '{filters.scope}'; kies uit {', '.join(SCOPES)}.")


# -- the worklist -----------------------------------------------------------------------------

def worklist(engine: Engine, actor: Actor, at: date, params: RuleParameters | None = None,
             law: str | None = None, team: str | None = None, employee: str | None = None,
             rule: str | None = None, scope: str = STANDARD_SCOPE,
             everything: bool = False) -> Worklist:
    """The candidates for afschaling on `at` (see the module docstring); the head the team
    can review in `params.capacity_months`, or with `everything` every candidate."""
    params = (params or RuleParameters()).validate()
    team = team_scope(actor, team)
    filters = WorklistFilters(law, team, employee, rule, scope, everything)
    _check_filters(filters)
    inputs, default = gathered_inputs(engine, at, params)
    # The user's ladder, or the default one with the ladders the municipality keeps.
    ladder = params.ladder if params.ladder is not None else confirmed_ladder(engine, at,
                                                                              default)
    ids = inputs["id"].to_numpy()
    reviews = _reviews(engine, at).reindex(ids)
    frame = inputs.assign(last_review=reviews["last_review"].to_numpy(dtype="datetime64[ns]"))

    outcome = evaluate_rules(frame, at, params, ladder, claims_through(engine, at))
    fired = np.column_stack([outcome.fired[r] for r in RULE_IDS]) if len(frame) else np.zeros(
        (0, len(RULE_IDS)), dtype=bool)
    # A rule that only says "look here first" never puts a row on the list alone -- unless
    # the user asks for that rule by name.
    reasons = [j for j, r in enumerate(RULE_IDS) if r not in PRIORITY_RULES]
    keep = (outcome.fired[rule].copy() if rule in PRIORITY_RULES
            else np.asarray(fired[:, reasons].any(axis=1)))
    separate = separate_review(frame["law"].to_numpy(dtype=object),
                               frame["category"].to_numpy(dtype=object))
    keep &= separate if scope == SEPARATE_SCOPE else ~separate

    # A recent decision takes the allocation off the list until a rule fires for a new reason.
    new_rules = np.full(len(frame), "", dtype=object)
    last_rules = reviews["last_rules"].to_numpy(dtype=object)
    recent = np.flatnonzero(
        keep & frame["last_review"].notna().to_numpy()
        & ((pd.Timestamp(at) - frame["last_review"]).dt.days.to_numpy()
           <= params.recent_decision_days))
    for i in recent:
        reviewed = set((last_rules[i] or "").split(","))
        fresh = [r for j, r in enumerate(RULE_IDS) if fired[i, j] and r not in reviewed]
        new_rules[i] = ",".join(fresh)
        keep[i] = bool(fresh)

    # Filters choose rows; the rules saw everyone.
    staff = _employees(engine).reindex(frame["employee_id"].to_numpy())
    if law:
        keep &= frame["law"].to_numpy(dtype=object) == law
    if team:
        keep &= staff["team"].to_numpy(dtype=object) == team
    if employee:
        keep &= staff["employee_external_id"].to_numpy(dtype=object) == employee
    if rule:
        keep &= outcome.fired[rule]

    idx = np.flatnonzero(keep)
    person = (frame["person_external_id"].to_numpy(dtype=object) if actor.sees_identity
              else _pseudonyms(engine, at, params, inputs))
    chances = rule_chances(engine, at, params)
    rows = _candidate_frame(engine, actor, at, params, frame, outcome, fired, idx,
                            new_rules, reviews, staff, person, chances)
    fte = params.team_fte if params.team_fte is not None else team_fte(engine, team, employee)
    capacity = max(1, int(params.reviews_per_fte_month * fte))  # whole reviews, at least one
    qualifying = len(rows)
    qualifying_saving = int(rows["expected_saving_cents"].sum())
    # The list is ranked by expected saving: what the team reviews in the months asked for
    # is its head.
    first_month = int(rows["expected_saving_cents"].to_numpy()[:capacity].sum())
    if not everything:
        rows = rows.head(capacity * params.capacity_months)
    audit.log(engine, actor, audit.VIEW,
              f"werklijst afschaling op {at} (filters: {filters.text()})", len(rows))
    summary = WorklistSummary(
        candidates=len(rows),
        expected_saving_total_cents=int(rows["expected_saving_cents"].sum()),
        annual_cost_total_cents=int(rows["annual_cost_cents"].sum()),
        by_rule=_by_rule(rows),
        saving_if_done_total_cents=int(rows["saving_if_done_cents"].sum()),
        capacity_per_month=capacity,
        capacity_saving_cents=first_month,
        running_allocations=len(frame),
        running_annual_cost_cents=int(np.rint(outcome.run_rate.sum())),
        chances=chances, qualifying=qualifying,
        qualifying_expected_saving_cents=qualifying_saving, team_fte=fte,
        capacity_months=params.capacity_months)
    return Worklist(at=at, params=params, filters=filters, sees_identity=actor.sees_identity,
                    frame=rows, summary=summary,
                    explanations={r: rule_explanation(r, params) for r in RULE_IDS},
                    ladder=ladder)


def team_fte(engine: Engine, team: str | None, employee: str | None) -> float:
    """The reviewing capacity a list is for, in fte: the employee's, or the klantmanagers' of
    the team (of every team when `team` is None or ALL_TEAMS); an unknown fte counts as 1.
    A list no klantmanager is known for shows a month's work for one fte."""
    if employee:
        rows = fetch_rows(engine, "SELECT COALESCE(fte, 1.0) FROM employee WHERE external_id = ?",
                          (employee,))
    else:
        sql = ("SELECT COALESCE(e.fte, 1.0) FROM employee e LEFT JOIN team t ON t.id = e.team_id "
               "WHERE e.role = 'klantmanager'")
        one_team = team is not None and team != ALL_TEAMS
        rows = fetch_rows(engine, sql + (" AND t.name = ?" if one_team else ""),
                          (team,) if one_team else ())
    total = float(sum(float(fte) for (fte,) in rows))
    return total if total > 0 else 1.0


def _by_rule(rows: pd.DataFrame) -> dict[str, int]:
    """Per rule id (registry order) on how many rows of the list it fired."""
    counts = rows["rules"].astype(object).str.split(",").explode().value_counts()
    return {r: int(counts.get(r, 0)) for r in RULE_IDS}


def _candidate_frame(engine: Engine, actor: Actor, at: date, params: RuleParameters,
                     frame: pd.DataFrame, outcome: RuleOutcome, fired: np.ndarray,
                     idx: np.ndarray, new_rules: np.ndarray, reviews: pd.DataFrame,
                     staff: pd.DataFrame, person: np.ndarray,
                     chances: dict[str, Chance]) -> pd.DataFrame:
    fired = fired[idx]
    n = len(idx)
    saving = {r: np.rint(np.where(outcome.fired[r][idx], outcome.savings[r][idx], 0.0))
              for r in RULE_IDS}
    # Expected saving per rule: chance x saving if done; the highest leads (ties: the most
    # concrete step-down, PROPOSAL_PRIORITY order).
    chance = np.asarray([chances[r].value for r in PROPOSAL_PRIORITY])
    if n:
        done = np.column_stack([saving[r] for r in PROPOSAL_PRIORITY])
        ranked = np.column_stack([np.where(outcome.fired[r][idx], saving[r] * chances[r].value,
                                           -1.0) for r in PROPOSAL_PRIORITY])
        # A signal leads only where no reason fired (a row asked for by the signal's name).
        signal = np.asarray([r in PRIORITY_RULES for r in PROPOSAL_PRIORITY])
        has_reason = (ranked[:, ~signal] >= 0).any(axis=1)
        ranked[np.ix_(has_reason, signal)] = -1.0
        lead = np.argmax(ranked, axis=1)
        lead_rule = np.asarray(PROPOSAL_PRIORITY, dtype=object)[lead]
        best = np.rint(np.maximum(ranked.max(axis=1), 0.0))
        if_done = done[np.arange(n), lead]
        lead_chance = chance[lead]
    else:
        lead_rule, best = np.zeros(0, dtype=object), np.zeros(0)
        if_done, lead_chance = np.zeros(0), np.zeros(0)

    # "rule_a,rule_b" per row from the bit pattern of the fired rules.
    pattern = (fired * (1 << np.arange(len(RULE_IDS)))).sum(axis=1) if n else np.zeros(
        0, dtype=np.int64)
    texts = {int(b): ",".join(r for j, r in enumerate(RULE_IDS) if b >> j & 1)
             for b in np.unique(pattern)}
    rules_text = np.asarray([texts[int(b)] for b in pattern], dtype=object) if n else (
        np.zeros(0, dtype=object))

    def col(name: str, dtype: Any = object) -> np.ndarray:
        values: np.ndarray = frame[name].to_numpy(dtype=dtype)[idx]
        return values

    identity = actor.sees_identity
    out = pd.DataFrame({
        "allocation_id": col("id", "int64"),
        "toewijzingnummer": (col("toewijzingnummer") if identity else
                             _allocation_pseudonyms(col("law"), col("toewijzingnummer"))),
        "law": col("law"),
        "person": person[idx],
        "person_name": col("person_name") if identity else np.full(n, None, dtype=object),
        "bsn": col("bsn") if identity else np.full(n, None, dtype=object),
        "category": col("category"),
        "category_label": _category_labels(engine, frame, idx),
        "product_code": col("product_code"),
        "product_description": col("description"),
        "provider": col("provider"),
        "employee": staff["employee"].to_numpy(dtype=object)[idx],
        "team": staff["team"].to_numpy(dtype=object)[idx],
        "start_date": col("start_date", "datetime64[ns]"),
        "end_date": col("end_date", "datetime64[ns]"),
        "volume": col("volume", "float64"), "unit": col("unit"), "frequency": col("frequency"),
        "omvang": col("omvang"),
        "tariff_cents": col("tariff_cents", "float64"),
        "budget_cents": col("budget_cents", "float64"),
        "annual_cost_cents": np.rint(outcome.run_rate[idx]).astype("int64"),
        "rules": rules_text, "new_rules": new_rules[idx],
        "expected_saving_cents": best.astype("int64"),
        "lead_rule": lead_rule,
        "saving_if_done_cents": if_done.astype("int64"),
        "chance": lead_chance.astype("float64"),
        "chance_source": np.asarray([chances[r].source for r in lead_rule], dtype=object),
        "chance_decisions": np.asarray([chances[r].decisions for r in lead_rule],
                                       dtype="int64"),
        # High cost says "look here first": it raises the priority of a row other rules put
        # on the list (never the row itself).
        "priority": _priority(outcome, idx),
        "utilisation": outcome.utilisation[idx],
        "spell_start": outcome.spell_start[idx],
        "last_review_date": col("last_review", "datetime64[ns]"),
        "last_decision": reviews["last_decision"].to_numpy(dtype=object)[idx],
    })
    _proposals(out, frame, idx, at, params, outcome)
    for r in RULE_IDS:
        out[f"saving_{r}"] = saving[r].astype("int64")
    # The frame comes sorted by law and toewijzingnummer: a stable sort keeps that for ties.
    order = np.argsort(-out["expected_saving_cents"].to_numpy(), kind="stable")
    return out.take(order).reset_index(drop=True)


def _priority(outcome: RuleOutcome, idx: np.ndarray) -> np.ndarray:
    """"hoog" where high cost fired, "verhoogd" where another signal did, else "normaal"."""
    high = np.zeros(len(idx), dtype=bool)
    raised = np.zeros(len(idx), dtype=bool)
    for r in PRIORITY_RULES:
        if r in HIGH_PRIORITY_RULES:
            high |= outcome.fired[r][idx]
        else:
            raised |= outcome.fired[r][idx]
    return np.where(high, "hoog", np.where(raised, "verhoogd", "normaal")).astype(object)


def _proposals(out: pd.DataFrame, frame: pd.DataFrame, idx: np.ndarray, at: date,
               params: RuleParameters, outcome: RuleOutcome) -> None:
    """Fill proposal_kind, proposed_*, proposal (Dutch) from each row's leading rule."""
    n = len(out)
    kind = np.full(n, "review", dtype=object)
    product = np.full(n, None, dtype=object)
    volume = np.full(n, np.nan)
    end = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    text = np.full(n, "", dtype=object)
    lead = out["lead_rule"].to_numpy()
    utilisation = outcome.utilisation[idx]
    current_volume = out["volume"].to_numpy(dtype="float64")
    unit = out["unit"].to_numpy(dtype=object)
    frequency = out["frequency"].to_numpy(dtype=object)
    new_omvang = {}

    rows = lead == LIGHTER_PRODUCT
    kind[rows] = "product"
    product[rows] = outcome.lighter_code[idx][rows]
    text[rows] = [f"Overstappen op het lichtere product {code}" + (f" ({label})" if label
                                                                  else "")
                  for code, label in zip(product[rows], outcome.lighter_label[idx][rows],
                                         strict=True)]

    rows = lead == HIGH_INTENSITY
    kind[rows] = "volume"
    volume[rows] = np.round(outcome.intensity_volume[idx][rows], 2)
    new_omvang[HIGH_INTENSITY] = rows

    rows = lead == LOW_UTILISATION
    used = np.clip(np.nan_to_num(utilisation, nan=0.0), 0.0, None)
    stop = rows & (used <= 0)
    kind[stop] = "stop"
    end[stop] = np.datetime64(at)
    lower = rows & ~stop & ~np.isnan(current_volume)
    kind[lower] = "volume"
    volume[lower] = np.round(current_volume[lower] * used[lower], 2)
    new_omvang[LOW_UTILISATION] = lower
    pct = np.array([f"{u * 100:.0f} %" for u in used[rows]], dtype=object)
    text[rows] = "Omvang afstemmen op het gebruik (" + pct + " benut): "
    text[rows & ~stop & np.isnan(current_volume)] = (
        "Budget afstemmen op het gebruik (" + pct[
            np.isnan(current_volume[rows]) & ~stop[rows]] + " benut)")
    text[stop] = (f"Beëindigen: niets benut in de laatste {params.utilisation_months} "
                  f"maanden")

    for rule, rows in new_omvang.items():
        prefix = "Omvang verlagen tot de norm: " if rule == HIGH_INTENSITY else text[rows]
        omvang = omvang_texts(volume[rows], unit[rows], frequency[rows],
                               np.full(int(rows.sum()), np.nan))
        text[rows] = prefix + omvang

    rows = lead == NO_CLAIMS
    kind[rows] = "stop"
    end[rows] = np.datetime64(at)
    since = outcome.no_claims_since or windows(at, params)[NO_CLAIMS][0]
    text[rows] = f"Beëindigen: geen declaraties sinds {since:%d-%m-%Y}"

    rows = lead == ENDING_SOON
    kind[rows] = "end"
    end[rows] = out["end_date"].to_numpy()[rows]
    text[rows] = "Niet verlengen: laten aflopen op " + _day_texts(end[rows])

    rows = lead == LONG_DURATION
    text[rows] = ("Herbeoordelen: aaneengesloten ondersteuning sinds "
                  + _day_texts(outcome.spell_start[idx][rows]) + "; afbouwen of overdragen")
    text[lead == OPEN_ENDED_UNREVIEWED] = "Herbeoordelen en een einddatum vastleggen"
    text[lead == STACKING] = "Afstemmen: één plan en één aanbieder per categorie"
    text[lead == HIGH_COST] = "Herbeoordelen: hoge jaarkosten, zoek een lichtere inzet"

    out["proposal_kind"] = kind
    out["proposed_product_code"] = product
    out["proposed_volume"] = volume
    out["proposed_end_date"] = end
    out["proposal"] = text


def _day_texts(days: np.ndarray) -> np.ndarray:
    """datetime64 -> "dd-mm-yyyy" (object array)."""
    if len(days) == 0:
        return np.zeros(0, dtype=object)
    return pd.DatetimeIndex(days).strftime("%d-%m-%Y").to_numpy(dtype=object)


# -- JSON -------------------------------------------------------------------------------------



def worklist_json(w: Worklist) -> dict[str, Any]:
    """The fixed keys of `sdesk review --json` (pinned by the tests); euros rounded to cents.
    `product` is the product code (null for aspecifieke/budget allocations). Per candidate
    `expected_saving` = `chance` (0..1, of a step-down for the leading rule's reason) x
    `saving_if_done`; `chance_source` is "standaard" or "eigen besluiten" (then
    `chance_decisions` says how many). The summary's `expected_saving_total` and
    `expected_saving_weighted` are the same probability-weighted total; `saving_if_done_total`
    is the unweighted one, `capacity_per_month` the reviews a team does in a month and
    `capacity_expected_saving` what the first month's work is expected to save. The list
    holds what the team (`team_fte`) reviews in `capacity_months`; `qualifying` counts every
    candidate (`qualifying_expected_saving` their weighted total), `beyond_capacity` those
    left off (all of them come with `--all-candidates`)."""
    f = w.frame
    products = f["product_code"].astype(object).where(f["product_code"].notna(), None)
    candidates = [
        {"toewijzingnummer": nr, "law": law, "person": person, "category": category,
         "product": product, "annual_cost": cost, "rules": rules.split(",") if rules else [],
         "expected_saving": saving, "priority": priority, "chance": round(chance, 4),
         "chance_source": source, "chance_decisions": decisions, "saving_if_done": if_done}
        for (nr, law, person, category, product, cost, rules, saving, priority, chance, source,
             decisions, if_done) in zip(
            f["toewijzingnummer"].tolist(), f["law"].tolist(), f["person"].tolist(),
            f["category"].tolist(), products.tolist(),
            np.round(f["annual_cost_cents"].to_numpy() / 100, 2).tolist(), f["rules"].tolist(),
            np.round(f["expected_saving_cents"].to_numpy() / 100, 2).tolist(),
            f["priority"].tolist(), f["chance"].tolist(), f["chance_source"].tolist(),
            f["chance_decisions"].tolist(),
            np.round(f["saving_if_done_cents"].to_numpy() / 100, 2).tolist(), strict=True)]
    s = w.summary
    return {
        "at": w.at.isoformat(),
        "scope": {"name": w.filters.scope, "text": w.filters.scope_text},
        "candidates": candidates,
        "summary": {"candidates": s.candidates,
                    "expected_saving_total": euros(s.expected_saving_total_cents),
                    "by_rule": dict(s.by_rule),
                    "expected_saving_weighted": euros(s.expected_saving_total_cents),
                    "saving_if_done_total": euros(s.saving_if_done_total_cents),
                    "capacity_per_month": s.capacity_per_month,
                    "capacity_expected_saving": euros(s.capacity_saving_cents),
                    "running_allocations": s.running_allocations,
                    "running_annual_cost": euros(s.running_annual_cost_cents),
                    "chances": {r: {"chance": round(c.value, 4), "source": c.source,
                                    "decisions": c.decisions}
                                for r, c in s.chances.items()},
                    "team_fte": round(s.team_fte, 2),
                    "capacity_months": s.capacity_months,
                    "qualifying": s.qualifying,
                    "qualifying_expected_saving": euros(s.qualifying_expected_saving_cents),
                    "beyond_capacity": s.beyond_capacity},
    }

