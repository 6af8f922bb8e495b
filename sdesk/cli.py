"""The headless front door: `sdesk COMMAND`. Thin: parse, call a service, print."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdesk.config import default_db_path
from sdesk.services.platform.errors import SdeskError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.platform.actor import Actor


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"ongeldige datum '{text}' (verwacht JJJJ-MM-DD)") from exc


def _progress_printer(enabled: bool) -> Callable[[float, str], None] | None:
    if not enabled:
        return None
    last = {"pct": -1}

    def report(fraction: float, message: str) -> None:
        pct = int(fraction * 100)
        if pct != last["pct"]:
            last["pct"] = pct
            print(f"\r{pct:3d}% {message[:60]:<60}", end="", file=sys.stderr, flush=True)
            if pct >= 100:
                print(file=sys.stderr)

    return report


# Commands that write source data and may run as the batch actor 'systeem' without --user.
_BATCH_COMMANDS = frozenset({"import"})


def _actor(args: argparse.Namespace, engine: Engine) -> Actor:
    """--user EMPLOYEE_ID applies that employee's role (the controller sees pseudonyms);
    without it the employee whose `account` is the operating-system account; else an import
    runs as 'systeem' and everything else as an unknown user, who sees no names or BSN and
    may not change or export anything (the services refuse it, in Dutch)."""
    import getpass

    from sdesk.services.platform.actor import ANONYMOUS, SYSTEM
    from sdesk.services.platform.users import actor_for, actor_for_account

    user = getattr(args, "user", None)
    if user:
        return actor_for(engine, user)
    try:
        account: str | None = getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the password database
        account = None
    mapped = actor_for_account(engine, account)
    if mapped is not None:
        return mapped
    return SYSTEM if args.command in _BATCH_COMMANDS else ANONYMOUS


def _cmd_demo(args: argparse.Namespace) -> int:
    from sdesk.services.demo import generate_demo
    from sdesk.services.exchange import export_exchange
    from sdesk.services.platform.db import open_database

    db = Path(args.db)
    engine = open_database(db)
    try:
        summary = generate_demo(engine, size=args.size, seed=args.seed, until=args.until,
                                progress=_progress_printer(sys.stderr.isatty()))
        result: dict[str, object] = {"db": str(db), **summary.as_dict()}
        if args.export:
            result["exported"] = export_exchange(engine, Path(args.export))
        if args.export_istandaarden:
            from sdesk.services.exchange import export_istandaarden

            result["exported_istandaarden"] = export_istandaarden(
                engine, Path(args.export_istandaarden))
    finally:
        engine.dispose()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from sdesk.services.exchange import import_sources
    from sdesk.services.platform.db import open_database

    engine = open_database(Path(args.db))
    try:
        result = import_sources(engine, [Path(s) for s in args.sources],
                                progress=_progress_printer(sys.stderr.isatty()),
                                actor=_actor(args, engine), full_refresh=args.volledig)
    finally:
        engine.dispose()
    for warning in result.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    if not result.ok:
        for issue in result.issues:
            print(str(issue), file=sys.stderr)
        print(f"Import geweigerd: {len(result.issues)} fout(en); er is niets opgeslagen.",
              file=sys.stderr)
        return 1
    changes = {c.name: c for c in result.changes}
    if args.json:
        print(json.dumps({"imported": result.counts, "changes": {
            c.name: {"file": c.file, "new": c.new, "changed": c.changed,
                     "unchanged": c.unchanged,
                     "changed_examples": [{"line": e.line, "key": e.key,
                                           "columns": list(e.columns)} for e in c.examples],
                     "missing": c.missing, "missing_examples": list(c.missing_examples)}
            for c in result.changes}}, ensure_ascii=False))
        return 0
    for name, count in result.counts.items():
        change = changes.get(name)
        if change is None:
            print(f"{name}: {count} rijen")
            continue
        print(f"{name}: {change.summary()}")
        for example in change.examples:
            print(f"  gewijzigd: regel {example.line} {example.key}: "
                  f"{', '.join(example.columns)}")
        if change.changed > len(change.examples):
            print(f"  … en nog {change.changed - len(change.examples)} gewijzigd")
        if change.missing:
            print(f"  niet meer in de bestanden: {', '.join(change.missing_examples)}"
                  + (f" … en nog {change.missing - len(change.missing_examples)}"
                     if change.missing > len(change.missing_examples) else ""))
    if result.full_refresh and result.missing:
        print(f"Volledige verversing: {result.missing} rij(en) staan in de database maar niet "
              "in de bestanden; sdesk verwijdert niets. Gelden ze niet meer, lever dan een "
              "toewijzing nog eens aan met een einddatum of reden wijziging 13 (verwijderd) "
              "en een declaratie met een creditregel.")
    elif result.full_refresh:
        print("Volledige verversing: de database bevat geen rijen die niet in de bestanden "
              "staan.")
    return 0


def _cmd_household(args: argparse.Namespace) -> int:
    from sdesk.services.household import household_overview, overview_json
    from sdesk.services.platform.db import open_database

    engine = open_database(Path(args.db), create=False)
    try:
        overview = household_overview(engine, _actor(args, engine), args.household_id,
                                      args.at or date.today(),
                                      threshold_cents=round(args.threshold * 100))
    finally:
        engine.dispose()
    data = overview_json(overview)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Huishouden {data['household_id']} op {data['at']}")
    for a in data["allocations"]:
        print(f"  {a['law']:<12} {a['category']:<20} {a['product'] or '':<45.45} "
              f"{a['annual_cost']:>12,.2f} {a['realised_12m']:>12,.2f}")
    for i in data["interventions"]:
        print(f"  {i['payer']:<12} {i['description']:<66.66} {i['annual_cost']:>12,.2f}")
    print(f"  totaal per jaar: {data['total_annual_cost']:,.2f}; aanbieders: "
          f"{data['providers_count']}; signalen: {', '.join(data['flags']) or '-'}")
    return 0


def _cmd_kpi(args: argparse.Namespace) -> int:
    from sdesk.services.kpi import compare_periods, kpis_json, kpis_text
    from sdesk.services.platform.db import open_database

    engine = open_database(Path(args.db), create=False)
    try:
        comparison = compare_periods(engine, args.start, args.end, args.law, args.team,
                                     args.base_year)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(kpis_json(comparison), ensure_ascii=False))
    else:
        print("\n".join(kpis_text(comparison)))  # rounded once, from the unrounded figures
    return 0


def _cmd_budget(args: argparse.Namespace) -> int:
    from sdesk.services.budget import budget_json, budget_report
    from sdesk.services.platform.db import open_database
    from sdesk.services.platform.peildatum import peildatum_warning

    engine = open_database(Path(args.db), create=False)
    try:
        report = budget_report(engine, args.year, args.at)
        warning = peildatum_warning(engine, report.at)
        data = budget_json(report)
    finally:
        engine.dispose()
    if warning:
        print(warning, file=sys.stderr)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Begroting {data['year']}, peildatum {data['at']}")
    if data["complete_through"] and data["complete_through"] < data["at"]:
        print(f"Declaraties compleet t/m {data['complete_through']}; geschat nog te "
              f"declareren {data['total']['lag_estimate']:,.2f} (zit in de prognose)")
    for row in [*data["lines"], {"post": "Totaal", **data["total"]}]:
        pct = "" if row["afwijking_pct"] is None else f"{row['afwijking_pct']:7.1f}%"
        print(f"  {row['post'][:40]:<40} {row['begroting']:>15,.2f} {row['realisatie']:>15,.2f} "
              f"{row['prognose']:>15,.2f} {row['restant']:>14,.2f} {row['v_n']} {pct}")
    return 0


def _cmd_review(args: argparse.Namespace) -> int:
    if args.action == "decide":
        return _cmd_review_decide(args)
    if args.action == "business-case":
        return _cmd_review_business_case(args)
    if args.number is not None:
        raise SdeskError(f"Onverwacht argument '{args.number}': alleen 'sdesk review decide "
                         "TOEWIJZINGNUMMER ...' neemt een toewijzingnummer.")
    from sdesk.services.afschaling import default_peildatum, worklist, worklist_json
    from sdesk.services.platform.db import open_database

    engine = open_database(Path(args.db), create=False)
    try:
        from sdesk.services.platform.permissions import ALL_TEAMS

        work = worklist(engine, _actor(args, engine), args.at or default_peildatum(engine),
                        law=args.law, team=ALL_TEAMS if args.all_teams else args.team,
                        employee=args.employee, rule=args.rule,
                        scope="apart" if args.apart else "standaard",
                        everything=args.all_candidates)
    finally:
        engine.dispose()
    data = worklist_json(work)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Werklijst afschaling op {data['at']}: {data['summary']['candidates']} kandidaten, "
          f"verwachte besparing {data['summary']['expected_saving_total']:,.2f} per jaar")
    print(f"Lijst: {data['scope']['text']}")
    summary = data["summary"]
    if summary["beyond_capacity"]:
        print(f"Het werk van {summary['capacity_months']} maand(en) bij "
              f"{summary['capacity_per_month']} beoordelingen per maand; nog "
              f"{summary['beyond_capacity']} kandidaten met een lagere verwachte besparing "
              "(--all-candidates toont ze)")
    for c in data["candidates"][:50]:
        print(f"  {c['toewijzingnummer']:<12} {c['law']:<12} {str(c['product'])[:36]:<36} "
              f"{c['annual_cost']:>12,.2f} {c['expected_saving']:>12,.2f}  {','.join(c['rules'])}")
    return 0


def _cmd_review_decide(args: argparse.Namespace) -> int:
    """`sdesk review decide NR --law L --decision D --date DATE ...`: record_decision, as the
    decision panel does (it checks the permission and everything before it writes)."""
    from sdesk.services.afschaling import decision_choices, decision_code, record_decision
    from sdesk.services.platform.db import open_database

    missing = [flag for flag, value in (("TOEWIJZINGNUMMER", args.number), ("--law", args.law),
                                        ("--decision", args.decision), ("--date", args.date))
               if value is None]
    if missing:
        raise SdeskError(f"Geef ook {', '.join(missing)} op: sdesk review decide "
                         "TOEWIJZINGNUMMER --law WET --decision BESLUIT --date DATUM --user ID")
    decision = decision_code(args.decision)
    if decision is None:
        raise SdeskError(f"Onbekend besluit '{args.decision}'; kies uit {decision_choices()}.")
    engine = open_database(Path(args.db), create=False)
    try:
        review_id = record_decision(
            engine, _actor(args, engine), args.number, args.law, decision, args.date,
            [r for r in (args.rule or "").split(",") if r.strip()],
            new_product_code=args.new_product, new_volume=args.new_volume,
            new_end_date=args.new_end, notes=args.note)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"review_id": review_id, "toewijzingnummer": args.number,
                          "law": args.law, "decision": decision,
                          "review_date": args.date.isoformat()}, ensure_ascii=False))
    else:
        print(f"Beoordeling {review_id} vastgelegd: toewijzing {args.number} ({args.law}), "
              f"{decision} op {args.date.isoformat()}.")
    return 0


def _business_case_inputs(args: argparse.Namespace) -> tuple[float, int]:
    if args.fte is None or args.cost_per_fte is None:
        raise SdeskError("Geef de capaciteit op met --fte en de loonkosten per fte per jaar "
                         "met --cost-per-fte (in euro), bijvoorbeeld --fte 1 "
                         "--cost-per-fte 85000.")
    return float(args.fte), round(float(args.cost_per_fte) * 100)


def _cmd_review_business_case(args: argparse.Namespace) -> int:
    """`sdesk review business-case --at DATE --fte F --cost-per-fte EUR ... --json`."""
    from sdesk.services.afschaling import business_case, business_case_json, default_peildatum
    from sdesk.services.platform.db import open_database

    fte, cost_cents = _business_case_inputs(args)
    engine = open_database(Path(args.db), create=False)
    try:
        case = business_case(engine, args.at or default_peildatum(engine), fte, cost_cents,
                             team=args.team, employee=args.employee, since=args.since,
                             actor=_actor(args, engine))
    finally:
        engine.dispose()
    data = business_case_json(case)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Business case beoordelen {data['since']} t/m {data['at']}: {data['reviews']} "
          f"beoordelingen, {data['executed']} uitgevoerd, {data['not_executed']} niet "
          f"uitgevoerd")
    print(f"  verwachte besparing per jaar {data['expected_annual_saving']:>14,.2f}")
    print(f"  gerealiseerde besparing      {data['realised_saving']:>14,.2f}")
    print(f"  herinstroom binnen 31 dagen {data['reentry_31d']['total']}, binnen 12 maanden "
          f"{data['reentry_12m']['total']}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from sdesk.services.exports import export
    from sdesk.services.platform.db import open_database

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise SdeskError(f"Het uitvoerbestand moet op .xlsx eindigen: {out}")
    if not (args.purpose or "").strip():
        raise SdeskError("Geef het doel van de export op met --purpose (het wordt vastgelegd "
                         "in de auditlog), bijvoorbeeld --purpose \"kwartaalrapportage raad\".")
    engine = open_database(Path(args.db), create=False)
    try:
        actor = _actor(args, engine)
        report, params = _export_request(args, engine)
        export(engine, actor, report, params, out, args.purpose, internal=args.internal)
    finally:
        engine.dispose()
    print(str(out))
    return 0


def _export_request(args: argparse.Namespace, engine: Any) -> tuple[str, dict[str, Any]]:
    """The export use case's report name and parameters for `sdesk export REPORT ...`."""
    if args.report == "household":
        if not args.household_id:
            raise SdeskError("Geef het huishouden op: sdesk export household ID --out ...")
        return "household", {"household_id": args.household_id, "at": args.at or date.today(),
                             "threshold_cents": round(args.threshold * 100)}
    if args.report == "business-case":
        from sdesk.services.afschaling import business_case
        from sdesk.services.afschaling import default_peildatum as review_peildatum

        fte, cost_cents = _business_case_inputs(args)
        case = business_case(engine, args.at or review_peildatum(engine), fte, cost_cents,
                             team=args.team, employee=args.employee, since=args.start,
                             actor=_actor(args, engine))
        return "business_case", {"case": case}
    if args.report == "review":
        from sdesk.services.afschaling import default_peildatum
        from sdesk.services.platform.permissions import ALL_TEAMS

        return "worklist", {"at": args.at or default_peildatum(engine), "law": args.law,
                            "team": ALL_TEAMS if args.all_teams else args.team,
                            "everything": args.all_candidates}
    from sdesk.services.council import CouncilRequest

    if args.report == "kpi" and (args.start is None or args.end is None):
        raise SdeskError("Geef de periode op: sdesk export kpi --from DATUM --to DATUM")
    from sdesk.services.budget import report_peildatum
    from sdesk.services.platform.peildatum import default_peildatum, peildatum_warning

    # One peildatum (#15): the budget sheet uses the same default as `sdesk budget`.
    year = args.year or (args.end or args.at or default_peildatum(engine)).year
    warning = peildatum_warning(engine, report_peildatum(engine, year, args.at))
    if warning:
        print(warning, file=sys.stderr)
    request = CouncilRequest(start=args.start or date(year, 1, 1),
                             end=args.end or date(year, 12, 31), law=args.law, team=args.team,
                             budget_year=year, at=args.at, internal=args.internal)
    sheets = ("kpi", "trends", "budget") if args.report == "kpi" else ("budget",)
    return "council", {"request": request, "sheets": sheets, "include_persons": args.persons}


def _cmd_check(args: argparse.Namespace) -> int:
    """`sdesk check`: every page of the file (opening reads only the schema)."""
    from sdesk.services.platform.db import check_database, open_database

    path = Path(args.db)
    engine = open_database(path, create=False)
    try:
        check_database(engine, path)
    finally:
        engine.dispose()
    print(f"De database {path} is in orde: elke pagina is gelezen en gecontroleerd.")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from sdesk.services.platform import audit
    from sdesk.services.platform.db import open_database

    engine = open_database(Path(args.db), create=False)
    try:
        if args.audit_command == "verify":
            result = audit.check_chain(engine, _actor(args, engine))
            print(result.message, file=sys.stdout if result.ok else sys.stderr)
            return 0 if result.ok else 1
        events = audit.list_events(engine, _actor(args, engine), action=args.action,
                                   limit=args.limit)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([e.__dict__ for e in events], ensure_ascii=False))
    else:
        for e in events:
            print(f"{e.id:>6} {e.at_utc[:19]} {e.user or '-':<20} {e.role or '-':<17} "
                  f"{e.action:<8} {e.object or ''} {e.purpose or ''}")
    return 0


def _ask_passphrase(confirm: bool) -> str:
    import getpass
    import os

    value = os.environ.get("SDESK_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise SdeskError("Geef het wachtwoord via de omgevingsvariabele SDESK_PASSPHRASE.")
    first = getpass.getpass("Wachtwoord: ")
    if confirm and getpass.getpass("Nogmaals: ") != first:
        raise SdeskError("De wachtwoorden zijn niet gelijk; er is niets gewijzigd.")
    return first


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from sdesk.services.platform.encryption import encrypt

    done = encrypt(Path(args.db), _ask_passphrase(confirm=True), _actor_of_file(args))
    print(f"{args.db} is versleuteld, met hetzelfde wachtwoord ook {len(done.backups)} "
          f"back-up(s); {len(done.removed)} onbruikbare of achtergebleven kopie(ën) verwijderd.")
    for path in done.backups:
        print(f"  versleuteld: {path}")
    for path in done.removed:
        print(f"  verwijderd:  {path}")
    return 0


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from sdesk.services.platform.encryption import decrypt

    decrypt(Path(args.db), _ask_passphrase(confirm=False), _actor_of_file(args))
    print(f"{args.db} is niet langer versleuteld; de back-ups blijven versleuteld.")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from sdesk.services.platform.backup import make_backup

    path = make_backup(Path(args.db), Path(args.out) if args.out else None)
    print(str(path))
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from sdesk.services.platform.recovery import restore

    done = restore(Path(args.db), Path(args.backup), _actor_of_file(args))
    print(f"Teruggezet: {args.backup} -> {args.db}; {done.carried} latere auditregel(s) "
          "overgenomen" + (f"; de vorige versie staat in {done.aside}" if done.aside else ""))
    if done.note:
        print(f"Let op: {done.note}.")
    return 0


def _actor_of_file(args: argparse.Namespace) -> Actor:
    """Who converts or restores a file, for its audit log, as for every command; the system
    when the file cannot tell (damaged, or encrypted without SDESK_PASSPHRASE)."""
    from sdesk.services.platform.actor import SYSTEM
    from sdesk.services.platform.db import open_database

    try:
        engine = open_database(Path(args.db), create=False)
    except SdeskError:
        return SYSTEM
    try:
        return _actor(args, engine)
    finally:
        engine.dispose()


class _Version(argparse.Action):
    """`--version`: the package metadata is read only when asked (40 ms every command saves)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from sdesk import __version__

        print(f"sdesk {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sdesk", description="sdesk: kosten en sturing in het sociaal domein.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="toon het versienummer en stop")
    parser.add_argument("--db", default=str(default_db_path()),
                        help="databasebestand (standaard in de gebruikersmap)")
    parser.add_argument("--user", help="medewerker-id; de rol bepaalt wat zichtbaar is (zonder "
                        "--user: de medewerker van dit computeraccount, anders een onbekende "
                        "gebruiker die geen namen of BSN ziet)")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("demo", help="maak een demogemeente")
    demo.add_argument("--db", default=argparse.SUPPRESS)
    demo.add_argument("--size", choices=["tiny", "small", "medium", "large", "g4"],
                      default="small")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--until", type=_date, default=None,
                      help="laatste dag met declaraties (standaard 2026-10-31)")
    demo.add_argument("--export", metavar="DIR", help="schrijf ook als uitwisselformaat (CSV)")
    demo.add_argument("--export-istandaarden", metavar="DIR",
                      help="schrijf ook als iJw/iWmo 3.2-berichten (XML)")
    demo.set_defaults(func=_cmd_demo)

    imp = sub.add_parser("import", help="importeer uitwisselformaat (CSV-map, .xlsx, .csv) of "
                                        "iJw/iWmo-berichten (.xml, map, .zip)")
    imp.add_argument("--db", default=argparse.SUPPRESS)
    imp.add_argument("--json", action="store_true")
    imp.add_argument("--user", default=argparse.SUPPRESS, help="medewerker-id van wie importeert")
    imp.add_argument("--volledig", action="store_true",
                     help="volledige verversing: meld ook rijen die in de database staan maar "
                          "niet meer in de bestanden (ze worden niet verwijderd)")
    imp.add_argument("sources", nargs="+")
    imp.set_defaults(func=_cmd_import)

    hh = sub.add_parser("household", help="kostenoverzicht van een huishouden")
    hh.add_argument("--db", default=argparse.SUPPRESS)
    hh.add_argument("household_id")
    hh.add_argument("--at", type=_date, help="peildatum (standaard vandaag)")
    hh.add_argument("--threshold", type=float, default=100_000.0,
                    help="drempel jaarkosten in euro (standaard 100000)")
    hh.add_argument("--json", action="store_true")
    hh.add_argument("--user", default=argparse.SUPPRESS,
                    help="medewerker-id; de rol bepaalt wat zichtbaar is")
    hh.set_defaults(func=_cmd_household)

    kpi = sub.add_parser("kpi", help="kengetallen over een periode")
    kpi.add_argument("--db", default=argparse.SUPPRESS)
    kpi.add_argument("--from", dest="start", type=_date, required=True)
    kpi.add_argument("--to", dest="end", type=_date, required=True)
    kpi.add_argument("--law", choices=["jeugd", "wmo", "participatie"])
    kpi.add_argument("--team")
    kpi.add_argument("--base-year", type=int, help="basisjaar voor constante prijzen")
    kpi.add_argument("--json", action="store_true")
    kpi.set_defaults(func=_cmd_kpi)

    bud = sub.add_parser("budget", help="begroting, realisatie en prognose")
    bud.add_argument("--db", default=argparse.SUPPRESS)
    bud.add_argument("--year", type=int, required=True)
    bud.add_argument("--at", type=_date,
                     help="peildatum (standaard de laatste dag met declaraties)")
    bud.add_argument("--json", action="store_true")
    bud.set_defaults(func=_cmd_budget)

    rev = sub.add_parser("review", help="werklijst afschaling; 'review decide' legt een besluit "
                         "vast, 'review business-case' toont wat beoordelen opleverde")
    rev.add_argument("action", nargs="?", choices=["decide", "business-case"],
                     help="zonder: de werklijst")
    rev.add_argument("number", nargs="?", metavar="TOEWIJZINGNUMMER",
                     help="bij decide: de toewijzing")
    rev.add_argument("--db", default=argparse.SUPPRESS)
    rev.add_argument("--at", type=_date,
                     help="peildatum (standaard de laatste dag met declaraties)")
    rev.add_argument("--law", choices=["jeugd", "wmo", "participatie"])
    rev.add_argument("--team", help="alleen dit team (een klantmanager ziet standaard het "
                     "eigen team)")
    rev.add_argument("--all-teams", action="store_true", help="alle teams")
    rev.add_argument("--employee", help="medewerker (naam of id, zoals de werklijst filtert)")
    rev.add_argument("--rule", help="alleen kandidaten waarvoor deze regel afgaat")
    rev.add_argument("--apart", action="store_true",
                     help="de aparte lijst: Participatiewet-uitkeringen, jeugdreclassering en "
                     "jeugdbescherming (niet door de klantmanager af te schalen)")
    rev.add_argument("--all-candidates", action="store_true",
                     help="alle kandidaten, niet alleen wat het team in een maand kan "
                     "beoordelen")
    rev.add_argument("--decision", help="bij decide: continue, scale_down, stop, "
                     "to_general_provision, to_other_law (of het Nederlandse label)")
    rev.add_argument("--date", type=_date, help="bij decide: de beoordelingsdatum")
    rev.add_argument("--new-volume", type=float, help="bij decide: het nieuwe volume")
    rev.add_argument("--new-product", help="bij decide: het lichtere product")
    rev.add_argument("--new-end", type=_date, help="bij decide: de nieuwe einddatum")
    rev.add_argument("--note", help="bij decide: toelichting")
    rev.add_argument("--since", type=_date, help="bij business-case: beoordelingen vanaf "
                     "(standaard de twaalf maanden tot de peildatum)")
    rev.add_argument("--fte", type=float, help="bij business-case: capaciteit in fte")
    rev.add_argument("--cost-per-fte", type=float,
                     help="bij business-case: loonkosten per fte per jaar in euro")
    rev.add_argument("--user", default=argparse.SUPPRESS, help="medewerker-id")
    rev.add_argument("--json", action="store_true")
    rev.set_defaults(func=_cmd_review)

    exp = sub.add_parser("export", help="schrijf een rapport als Excel-werkmap")
    exp.add_argument("--db", default=argparse.SUPPRESS)
    exp.add_argument("report", choices=["household", "kpi", "budget", "review",
                                        "business-case"])
    exp.add_argument("household_id", nargs="?", help="bij household: het huishouden")
    exp.add_argument("--out", required=True, metavar="FILE.xlsx")
    exp.add_argument("--at", type=_date, help="peildatum (standaard de laatste dag met "
                     "declaraties; voor household vandaag)")
    exp.add_argument("--threshold", type=float, default=100_000.0)
    exp.add_argument("--from", dest="start", type=_date)
    exp.add_argument("--to", dest="end", type=_date)
    exp.add_argument("--law", choices=["jeugd", "wmo", "participatie"])
    exp.add_argument("--team")
    exp.add_argument("--all-teams", action="store_true",
                     help="bij review: alle teams (een klantmanager krijgt standaard het eigen "
                          "team)")
    exp.add_argument("--all-candidates", action="store_true",
                     help="bij review: alle kandidaten, niet alleen het werk van een maand")
    exp.add_argument("--employee", help="bij business-case: alleen deze medewerker (id)")
    exp.add_argument("--fte", type=float, help="bij business-case: capaciteit in fte")
    exp.add_argument("--cost-per-fte", type=float,
                     help="bij business-case: loonkosten per fte per jaar in euro")
    exp.add_argument("--year", type=int)
    exp.add_argument("--internal", action="store_true",
                     help="intern gebruik: kleine aantallen niet afschermen")
    exp.add_argument("--persons", action="store_true",
                     help="ook een blad met kosten per persoon (pseudoniem)")
    exp.add_argument("--purpose", help="doel van de export (verplicht; komt in de auditlog)")
    exp.add_argument("--user", default=argparse.SUPPRESS, help="medewerker-id van wie exporteert")
    exp.set_defaults(func=_cmd_export)

    chk = sub.add_parser("check", help="controleer de hele database op beschadiging (het "
                         "openen leest alleen het schema)")
    chk.add_argument("--db", default=argparse.SUPPRESS)
    chk.set_defaults(func=_cmd_check)

    aud = sub.add_parser("audit", help="auditlog controleren of bekijken")
    aud.add_argument("--db", default=argparse.SUPPRESS)
    aud.add_argument("--user", default=argparse.SUPPRESS)
    aud_sub = aud.add_subparsers(dest="audit_command", required=True)
    verify = aud_sub.add_parser("verify", help="controleer de hash-keten")
    verify.add_argument("--db", default=argparse.SUPPRESS)
    verify.add_argument("--user", default=argparse.SUPPRESS, help="medewerker-id")
    listing = aud_sub.add_parser("list", help="laatste auditregels (procescoördinator en "
                                              "teamleider)")
    listing.add_argument("--db", default=argparse.SUPPRESS)
    listing.add_argument("--user", default=argparse.SUPPRESS, help="medewerker-id")
    listing.add_argument("--action", choices=["view", "change", "import", "export", "verify"])
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true")
    aud.set_defaults(func=_cmd_audit)

    bak = sub.add_parser("backup", help="maak een consistente kopie van de database")
    bak.add_argument("--db", default=argparse.SUPPRESS)
    bak.add_argument("--out", help="doelbestand (standaard in de map backups)")
    bak.set_defaults(func=_cmd_backup)

    enc = sub.add_parser("encrypt", help="versleutel de database (SQLCipher)")
    enc.add_argument("--db", default=argparse.SUPPRESS)
    enc.set_defaults(func=_cmd_encrypt)
    dec = sub.add_parser("decrypt", help="haal de versleuteling van de database")
    dec.add_argument("--db", default=argparse.SUPPRESS)
    dec.set_defaults(func=_cmd_decrypt)

    res = sub.add_parser("restore", help="zet een back-up terug")
    res.add_argument("--db", default=argparse.SUPPRESS)
    res.add_argument("backup")
    res.set_defaults(func=_cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from sdesk.app import run_gui

        return run_gui(Path(args.db), user=args.user)
    try:
        return int(args.func(args))
    except SdeskError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"fout: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2
    except Exception as exc:  # last line of defence: a message and a log, never a traceback
        from sdesk.services.platform.sqlite import explain, is_damaged

        if is_damaged(exc) and getattr(args, "db", None):
            from sdesk.services.platform.db import damage_report

            # Opening reads the schema, not every page: a damaged page shows up here.
            print(f"fout: {damage_report(Path(args.db), exc)}", file=sys.stderr)
            return 2
        explained = explain(exc)
        if explained:  # another process's lock, a full disk: the user can act on it
            print(f"fout: {explained}", file=sys.stderr)
            return 4
        log = _write_crash_log()
        print(f"interne fout: {exc.__class__.__name__}: {exc}\nDetails staan in {log}",
              file=sys.stderr)
        return 3


def _write_crash_log() -> Path:
    import traceback

    from sdesk.config import data_dir

    path = data_dir() / "sdesk-fouten.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(traceback.format_exc() + "\n")
    return path
