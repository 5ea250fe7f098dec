"""The ``stakegraph`` command line: ``demo``, ``analyze``, ``validate``, ``map``, ``report``.

A thin layer over the public API. Input problems are printed as
``file:line: field: message`` and end with exit status 1; no command shows a
traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import stakegraph as sg
from stakegraph.io.registry import csv_kind, format_for
from stakegraph.method import words

__all__ = ["main"]

_WIDTH = 100


# ----------------------------------------------------------------------------- loading
def _sniff(path: Path) -> str:
    """What a command-line input is: a folder, a people or ties CSV file, or another format's name."""
    if path.is_dir():
        return "folder"
    fmt = format_for(path).name
    return csv_kind(path) if fmt == "csv" else fmt


def _is_ties(path: Path) -> bool:
    try:
        return path.is_file() and _sniff(path) == "ties"
    except sg.ValidationError:  # reported when the file's own turn comes
        return False


def load_accounts(files: Sequence[str]) -> list[tuple[str, sg.StakeholderGraph]]:
    """Load one graph per account from a list of files.

    A ``people.csv`` is paired with the ``ties.csv`` that follows it (or stands
    alone); JSON, GraphML, GEXF files and folders of CSV files are one account
    each. Every problem of every file is collected into one ValidationError.
    """
    problems: list[sg.errors.Problem] = []
    out: list[tuple[str, sg.StakeholderGraph]] = []
    paths = [Path(f) for f in files]
    i = 0
    while i < len(paths):
        p = paths[i]
        try:
            kind = _sniff(p) if p.exists() else "missing"
            if kind == "missing":
                problems.append(sg.errors.Problem("file not found", str(p)))
            elif kind == "people":
                ties = None
                if i + 1 < len(paths) and _is_ties(paths[i + 1]):
                    ties = paths[i + 1]
                    i += 1
                out.append((str(p), sg.read_csv(p, ties)))
            elif kind == "ties":
                problems.append(
                    sg.errors.Problem(
                        "a ties file needs its people file first: stakegraph validate people.csv ties.csv",
                        str(p),
                    )
                )
            elif kind == "folder":
                out.append((str(p), sg.read_csv(p)))
            else:
                out.append((str(p), format_for(p, kind).read(p)))
        except sg.ValidationError as e:
            problems += e.problems
        i += 1
    if problems:
        raise sg.ValidationError(problems)
    return out


# ----------------------------------------------------------------------------- printing
def _h(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def print_summary(g: sg.StakeholderGraph) -> None:
    """The account at a glance: people, stances, coverage, decision-maker, ties."""
    d = g.deal
    title = d.name or "Stakeholder graph"
    print(title)
    print("=" * len(title))
    facts = words.deal_facts(d, name=False)
    if facts:
        print(_wrap("; ".join(facts), ""))
    people = list(g.people.values())
    by_org: dict[str, int] = {}
    for p in people:
        by_org[p.org.value] = by_org.get(p.org.value, 0) + 1
    cust = [p for p in people if p.org is sg.Org.CUSTOMER]
    _h("People")
    print("  " + ", ".join(f"{n} {o}" for o, n in by_org.items()))
    depts: dict[str, int] = {}
    for p in cust:
        depts[p.department or "(none)"] = depts.get(p.department or "(none)", 0) + 1
    print(_wrap("customer departments: " + ", ".join(f"{k} {v}" for k, v in sorted(depts.items()))))
    counts = {s.value: 0 for s in sg.Stance}
    for p in cust:
        counts[p.stance.value] += 1
    print("  stances: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    known = [p for p in cust if (p.relationship or 0) > 0]
    us_ids = set(g.ids("us"))
    touched = {
        t.target if t.source in us_ids else t.source
        for t in g.ties
        if (t.source in us_ids) != (t.target in us_ids)
    }
    covered = [p for p in cust if p in known or p.id in touched]
    print(f"  coverage: we have a relationship with {len(covered)} of {len(cust)} customer people")
    dms = g.decision_makers()
    for dm in dms:
        p = g.person(dm)
        met = p.id in touched or (p.relationship or 0) > 0
        print(
            f"  decision-maker: {words.who(g.person(dm))} — stance {p.stance.value}; "
            + ("we have met" if met else "NEVER MET by our team")
        )
    if not dms:
        print("  decision-maker: none named (give someone the decision_maker role)")
    formal = sum(1 for t in g.ties if t.kind.formal)
    print(f"  ties: {formal} formal (reports_to, dotted_line), {len(g.ties) - formal} hidden/informal")


def print_analyses(g: sg.StakeholderGraph, *, top: int = 8) -> None:
    """Key people, support, paths, targets and deal health, in that order."""
    ranking = sg.rank(g, seed=0)
    _h("Key people (1 = most powerful)")
    for row in ranking.top(top):
        pid = row["id"]
        flag = "  [hidden influencer]" if row["hidden_influencer"] else ""
        print(f"  {row['rank']:>2}. {words.who(g.person(pid))} — power {row['power']:.2f}{flag}")
        print(_wrap(ranking.explain(pid, short=True), "      "))
    hidden = ranking.hidden_influencers()
    _h("Hidden influencers (informal rank far above formal rank)")
    if not hidden:
        print("  none")
    for row in hidden:
        print(_wrap(ranking.explain(row["id"], short=True)))

    fj = sg.propagate(g, model="fj")
    _h("Support")
    print(f"  committee support now (stances as assessed): {words.signed(fj.committee_support_before)}")
    print(f"  committee support after people talk (Friedkin–Johnsen): {words.signed(fj.committee_support)}")
    print(f"  reach: {fj.reach_before:.0f} customer people supportive now, {fj.reach:.0f} after")
    if fj.reach_by_department:
        parts = [f"{dep or '(none)'} {n:.0f}" for dep, n in fj.reach_by_department.items() if n]
        if parts:
            print(_wrap("supportive after, by department: " + ", ".join(parts)))

    _h("Best introduction paths to the decision-maker")
    try:
        p = sg.paths(g, k=3)
        for line in p.lines():
            print(_wrap(line))
    except sg.StakegraphError as e:
        print(f"  {e}")

    _h("Whom to win next")
    t = sg.targets(g, k=3)
    for i, row in enumerate(t.to_dict()["targets"], 1):
        print(
            f"  {i}. {words.who(g.person(row['id']))} — expected gain {row['expected_gain']:+.3f} "
            f"(gain {row['gain']:+.3f} × reachability {row['reachability']:.2f})"
        )
        print(_wrap(row["reason"], "      "))

    diag = sg.diagnose(g)
    dd = diag.to_dict()
    _h(f"Deal health: {dd['score']:.0f}/100")
    for f in dd["findings"]:
        print(f"  [{f['severity'].upper():8}] {f['code']}: {f['message']}")
        print(_wrap("-> " + f["action"], "             "))


# ----------------------------------------------------------------------------- commands
def cmd_demo(args: argparse.Namespace) -> int:
    g = sg.datasets.load("bank")
    print_summary(g)
    print_analyses(g)
    if not args.no_files:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        fig = sg.influence_map(g)
        sg.save_figure(fig, out / "influence_map.png")
        sg.write_report(g, out / "report.html")
        _h("Files")
        print(f"  {out / 'influence_map.png'}")
        print(f"  {out / 'report.html'}")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    accounts = load_accounts(args.files)
    for i, (_name, g) in enumerate(accounts):
        if i:
            print("\n")
        if args.json:
            print(json.dumps(_analysis_dict(g), ensure_ascii=False, indent=2))
            continue
        print_summary(g)
        print_analyses(g, top=args.top)
    return 0


def _analysis_dict(g: sg.StakeholderGraph) -> dict[str, Any]:
    return {
        "rank": sg.rank(g, seed=0).to_dict(),
        "propagate": sg.propagate(g).to_dict(),
        "targets": sg.targets(g).to_dict(),
        "diagnosis": sg.diagnose(g).to_dict(),
    }


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        accounts = load_accounts(args.files)
    except sg.ValidationError as e:
        for p in e.problems:
            print(str(p))
        print(f"{len(e.problems)} problem{'s' if len(e.problems) != 1 else ''} found", file=sys.stderr)
        return 1
    for name, g in accounts:
        print(f"{name}: ok ({len(g)} people, {len(g.ties)} ties)")
    return 0


def _load_one(files: Sequence[str]) -> sg.StakeholderGraph:
    if len(files) == 1 and files[0] in sg.datasets.names():
        return sg.datasets.load(files[0])  # type: ignore[arg-type]  # checked against names() just above
    accounts = load_accounts(files)
    if len(accounts) != 1:
        raise sg.ValidationError(f"expected one account, got {len(accounts)}")
    return accounts[0][1]


def cmd_map(args: argparse.Namespace) -> int:
    g = _load_one(args.files)
    fig = sg.influence_map(g, layout=args.layout, anonymise=args.anonymise)
    sg.save_figure(fig, args.output)
    print(args.output)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    g = _load_one(args.files)
    sg.write_report(g, args.output, anonymise=args.anonymise)
    print(args.output)
    return 0


# ----------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stakegraph",
        description="Stakeholder graph analytics: who decides, how far support reaches, whom to win next.",
    )
    parser.add_argument("--version", action="version", version=f"stakegraph {sg.__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "demo",
        help="analyse the embedded 'bank' example account",
        description="Load the embedded 'bank' example account, print the analysis and write "
        "influence_map.png and report.html into an output folder.",
    )
    p.add_argument("-o", "--out", default="stakegraph-out", help="output folder (default: %(default)s)")
    p.add_argument("--no-files", action="store_true", help="print only, write no files")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "analyze",
        aliases=["analyse"],
        help="analyse your own account",
        description="Analyse accounts: people.csv [ties.csv], a folder of CSV files, or a JSON, "
        "GraphML or GEXF file.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--top", type=int, default=8, help="how many key people to list")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "validate",
        help="check input files and list every problem",
        description="Check input files; print every problem as file:line: field: message. "
        "Exit status 1 on any problem, 0 when clean.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    for name, func, default, helptext in (
        ("map", cmd_map, "influence_map.png", "draw the influence map (PNG, SVG or PDF by suffix)"),
        ("report", cmd_report, "report.html", "write the one-page HTML report"),
    ):
        p = sub.add_parser(
            name,
            help=helptext,
            description=helptext.capitalize() + ". FILE may also be the "
            "name of an embedded example (e.g. bank).",
        )
        p.add_argument("files", nargs="+", metavar="FILE")
        p.add_argument("-o", "--output", default=default, help="output file (default: %(default)s)")
        p.add_argument(
            "--anonymise",
            "--anonymize",
            action="store_true",
            help="replace names by role and department for sharing outside the account team",
        )
        if name == "map":
            p.add_argument("--layout", choices=["hierarchy", "spring", "coalitions"], default="hierarchy")
        p.set_defaults(func=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    run: Callable[[argparse.Namespace], int] = args.func
    try:
        return run(args)
    except sg.ValidationError as e:
        if args.debug:
            raise
        for p in e.problems:
            print(f"error: {p}", file=sys.stderr)
        return 1
    except sg.StakegraphError as e:
        if args.debug:
            raise
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        if args.debug:
            raise
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except Exception as e:  # pragma: no cover - a bug: say so plainly, without a traceback
        if args.debug:
            raise
        print(
            f"internal error ({type(e).__name__}): {e}. Run again with --debug for details and report it.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
