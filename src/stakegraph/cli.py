"""The ``stakegraph`` command line: ``demo``, ``analyze``, ``validate``, ``import``, ``map``, ``report``,
``html``, ``slides``, ``compare`` and ``what-if``.

A thin layer over the public API. Input problems are printed as
``file:line: field: message`` and end with exit status 1; no command shows a
traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stakegraph as sg
from stakegraph.io.registry import csv_header, csv_kind, format_for
from stakegraph.method import words

__all__ = ["main"]

_WIDTH = 100


# ----------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class Inputs:
    """How every command reads its files: the text encoding, the words accepted, the day/month order."""

    encoding: str = "auto"
    vocabulary: str | None = None
    dayfirst: bool | None = None

    @classmethod
    def of(cls, args: argparse.Namespace) -> Inputs:
        return cls(
            getattr(args, "encoding", "auto"),
            getattr(args, "vocabulary", None),
            getattr(args, "dayfirst", None),
        )

    def csv(self) -> dict[str, Any]:
        return {"encoding": self.encoding, "vocabulary": self.vocabulary, "dayfirst": self.dayfirst}

    def other(self, fmt: str) -> dict[str, Any]:
        """The keywords the reader of ``fmt`` takes."""
        if fmt == "json":
            return self.csv()
        if fmt == "xlsx":
            return {"vocabulary": self.vocabulary, "dayfirst": self.dayfirst}
        return {"vocabulary": self.vocabulary}


def _sniff(path: Path) -> str:
    """What a command-line input is: a folder, a people, ties or deal CSV file, or another format's name."""
    if path.is_dir():
        return "folder"
    fmt = format_for(path).name
    return csv_kind(path) if fmt == "csv" else fmt


def _kind(path: Path) -> str | None:
    try:
        return _sniff(path) if path.is_file() else None
    except sg.ValidationError:  # reported when the file's own turn comes
        return None


def _crm_export(path: Path) -> str | None:
    """The CRM a file (or a folder's CSV files) was exported from, judged by the header."""
    from stakegraph.io.crm import preset_of

    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    for f in files[:20]:
        found = preset_of(csv_header(f))
        if found:
            return found
    return None


def load_accounts(
    files: Sequence[str], inputs: Inputs | None = None
) -> list[tuple[str, sg.StakeholderGraph]]:
    """Load one graph per account from a list of files.

    A ``people.csv`` is paired with the ``ties.csv`` and ``deal.csv`` that
    follow it (or stands alone); JSON, GraphML, GEXF and xlsx files, folders of
    CSV files and the names of embedded examples (``bank``) are one account
    each. Every problem of every file is collected into one ValidationError.
    """
    how = inputs or Inputs()
    problems: list[sg.errors.Problem] = []
    out: list[tuple[str, sg.StakeholderGraph]] = []
    paths = [Path(f) for f in files]
    i = 0
    while i < len(paths):
        p = paths[i]
        try:
            if not p.exists() and str(p) in sg.datasets.names():
                out.append((str(p), sg.datasets.load(str(p))))  # type: ignore[arg-type]
                i += 1
                continue
            kind = _sniff(p) if p.exists() else "missing"
            if kind == "missing":
                hint = sg.errors.closest(str(p), sg.datasets.names())
                extra = f" (or the embedded example {hint!r}?)" if hint else ""
                problems.append(sg.errors.Problem(f"file not found; check the path{extra}", str(p)))
            elif kind == "people":
                parts: dict[str, Path] = {}
                while i + 1 < len(paths) and _kind(paths[i + 1]) in ("ties", "deal"):
                    k = _kind(paths[i + 1])
                    if k in parts:
                        break
                    parts[str(k)] = paths[i + 1]
                    i += 1
                g = sg.read_csv(p, parts.get("ties"), deal=parts.get("deal"), **how.csv())
                out.append((str(p), g))
            elif kind in ("ties", "deal"):
                problems.append(
                    sg.errors.Problem(
                        f"a {kind} file needs its people file first: "
                        "stakegraph validate people.csv ties.csv deal.csv",
                        str(p),
                    )
                )
            elif kind == "folder":
                out.append((str(p), sg.read_csv(p, **how.csv())))
            else:
                out.append((str(p), format_for(p, kind).read(p, **how.other(kind))))
        except sg.ValidationError as e:
            problems += e.problems
            crm = _crm_export(p)
            if crm is not None:
                problems.append(
                    sg.errors.Problem(
                        f"this looks like a {crm} export; read it with: stakegraph import --preset {crm} "
                        f"{p} -o account.json",
                        str(p),
                    )
                )
        i += 1
    if problems:
        raise sg.ValidationError(problems)
    return out


# ----------------------------------------------------------------------------- printing
def width(text: str) -> int:
    """The columns ``text`` takes in a terminal: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_TOKENS = re.compile(
    r"\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef][、。，；：！？）」』》]*|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+"
)


def _h(title: str) -> None:
    print()
    print(title)
    print("-" * width(title))


def _wrap(text: str, indent: str = "  ", subsequent: str | None = None) -> str:
    """``text`` filled to the terminal width by columns: Chinese text breaks between characters,
    other text between words."""
    later = subsequent if subsequent is not None else indent + "  "
    lines: list[str] = []
    line, used = indent, width(indent)
    fresh = True
    for tok in _TOKENS.findall(text):
        if tok.isspace():
            if not fresh:
                line, used = line + " ", used + 1
            continue
        w = width(tok)
        if not fresh and used + w > _WIDTH:
            lines.append(line.rstrip())
            line, used = later, width(later)
        line, used = line + tok, used + w
        fresh = False
    lines.append(line.rstrip())
    return "\n".join(lines)


def print_summary(g: sg.StakeholderGraph) -> None:
    """The account at a glance: people, stances, coverage, decision-maker, ties."""
    d = g.deal
    title = d.name or "Stakeholder graph"
    print(title)
    print("=" * width(title))
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
    shown = dd["findings"][:FINDINGS_SHOWN]
    for f in shown:
        print(f"  [{f['severity'].upper():8}] {f['code']}: {f['message']}")
        print(_wrap("-> " + f["action"], "             "))
    rest = dd["findings"][FINDINGS_SHOWN:]
    if rest:
        kinds = ", ".join(
            f"{n} {sev}"
            for sev in ("critical", "warning", "info")
            if (n := sum(f["severity"] == sev for f in rest))
        )
        print(
            f"  ... and {len(rest)} more findings ({kinds}); --json lists them all, and the report folds them open"
        )
    if g.observations:
        print_intelligence(g)


FINDINGS_SHOWN = 20
"""Findings printed (the most severe first); the rest are counted."""


def print_intelligence(g: sg.StakeholderGraph, *, questions: int = 3) -> None:
    """What the informants report, how far each is borne out, and what to ask next."""
    beliefs = sg.fuse(g, seed=0)
    _h("Intelligence (what the informants report)")
    informants = {o.informant for o in g.observations}
    print(f"  {len(g.observations)} reports from {len(informants)} informants")
    for r in beliefs.informants:
        acc = r["stance_accuracy"]
        if acc is None:
            continue
        lo, hi = r["stance_accuracy_90"]
        print(
            f"  {r['name']}: the others bear out {acc:.0%} of their stance reports "
            f"(90%: {lo:.0%}-{hi:.0%}, {r['stance_checked']} checked)"
        )
    _h("How sure (over 200 accounts the reports allow)")
    for line in [
        *sg.propagate(beliefs, samples=200, seed=0).describe().splitlines(),
        *sg.rank(beliefs, samples=200, seed=0).describe().splitlines(),
    ]:
        print(_wrap(line))
    _h("What to ask next")
    q = sg.next_questions(beliefs, k=questions, seed=0)
    if not q.questions:
        print("  nothing open: every reported stance and tie is settled")
    for line in q.lines():
        print(_wrap(line))


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
    accounts = load_accounts(args.files, Inputs.of(args))
    for i, (_name, g) in enumerate(accounts):
        if i:
            print("\n")
        if args.json:
            print(json.dumps(_analysis_dict(g), ensure_ascii=False, indent=2))
            continue
        print_summary(g)
        print_analyses(g, top=args.top)
    return 0


def cmd_analyze_many(args: argparse.Namespace) -> int:
    from .analysis.many import ANALYSES

    folder = Path(args.folder)
    if not folder.is_dir():
        raise sg.ValidationError(
            f"{folder}: not a folder; name the folder holding one sub-folder or file per account"
        )
    accounts = {
        p.name if p.is_dir() else p.stem: p
        for p in sorted(folder.iterdir())
        if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in _ACCOUNT_SUFFIXES)
    }
    if not accounts:
        raise sg.ValidationError(
            f"{folder}: no account in it; put one sub-folder of CSV files, or one JSON, GraphML, GEXF or .xlsx "
            "file, per account"
        )
    analyses = [a.strip() for a in args.analyses.split(",") if a.strip()] if args.analyses else list(ANALYSES)
    executor: Any = None
    pool = None
    if args.workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = executor = ProcessPoolExecutor(max_workers=args.workers)
    try:
        result = sg.analyze_many(
            accounts, analyses=analyses, executor=executor, progress=None if args.progress else False
        )
        rows = result.rows
    finally:
        if pool is not None:
            pool.shutdown()
    failed = [r for r in rows if r["error"]]
    if args.out:
        out = Path(args.out)
        table = [{k: (";".join(v) if isinstance(v, list) else v) for k, v in r.items()} for r in rows]
        import csv
        import io as _io

        from .io.csvio import guard_cell

        buf = _io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(result.columns), lineterminator="\n")
        w.writeheader()
        for r in table:
            w.writerow({k: guard_cell("" if v is None else str(v)) for k, v in r.items()})
        from .io._common import write_bytes

        write_bytes(
            buf.getvalue().encode("utf-8"), out
        )  # a temporary file renamed: an old summary survives a failure
        print(f"{len(rows) - len(failed)} of {len(rows)} accounts analysed; summary written to {out}")
    else:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
    for r in failed:
        print(f"error: {r['account']}: {r['error']}", file=sys.stderr)
    return 1 if failed else 0


_ACCOUNT_SUFFIXES = (".json", ".graphml", ".gexf", ".xlsx", ".xlsm")


def _analysis_dict(g: sg.StakeholderGraph) -> dict[str, Any]:
    return {
        "rank": sg.rank(g, seed=0).to_dict(),
        "propagate": sg.propagate(g).to_dict(),
        "targets": sg.targets(g).to_dict(),
        "diagnosis": sg.diagnose(g).to_dict(),
    }


def _print_problems(e: sg.ValidationError) -> int:
    for p in e.problems:
        print(str(p))
    print(f"{len(e.problems)} problem{'s' if len(e.problems) != 1 else ''} found", file=sys.stderr)
    return 1


def _sources(g: sg.StakeholderGraph) -> str:
    return ", ".join(
        f"{Path(s.file).name} ({s.encoding}{'' if s.confidence >= 1 else f', {s.confidence:.0%} sure'})"
        for s in g.provenance
    )


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        accounts = load_accounts(args.files, Inputs.of(args))
    except sg.ValidationError as e:
        return _print_problems(e)
    for name, g in accounts:
        read = f"; read {_sources(g)}" if g.provenance else ""
        print(f"{name}: ok ({len(g)} people, {len(g.ties)} ties{read})")
    return 0


def _load_one(files: Sequence[str], inputs: Inputs | None = None) -> sg.StakeholderGraph:
    accounts = load_accounts(files, inputs)
    if len(accounts) != 1:
        raise sg.ValidationError(
            f"expected one account, got {len(accounts)} ({', '.join(n for n, _ in accounts)}); "
            "name the files of one account"
        )
    return accounts[0][1]


def cmd_map(args: argparse.Namespace) -> int:
    g = _load_one(args.files, Inputs.of(args))
    fig = sg.influence_map(g, layout=args.layout, anonymise=args.anonymise)
    sg.save_figure(fig, args.output)
    print(args.output)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    g = _load_one(args.files, Inputs.of(args))
    sg.write_report(g, args.output, anonymise=args.anonymise)
    print(args.output)
    return 0


def cmd_html(args: argparse.Namespace) -> int:
    g = _load_one(args.files, Inputs.of(args))
    sg.export_html(g, args.output, layout=args.layout, anonymise=args.anonymise)
    print(args.output)
    return 0


def cmd_slides(args: argparse.Namespace) -> int:
    g = _load_one(args.files, Inputs.of(args))
    sg.export_pptx(g, args.output, layout=args.layout, anonymise=args.anonymise)
    print(args.output)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    inputs = Inputs.of(args)
    old = _load_one([args.old], inputs)
    new = _load_one([args.new], inputs)
    change = sg.compare(old, new)
    if args.json:
        print(json.dumps(change.to_dict(), ensure_ascii=False, indent=2))
        return 0
    _h(f"From {args.old} to {args.new}")
    for line in change.lines():
        print(_wrap(line))
    return 0


def _change(text: str, what: str) -> tuple[Any, ...]:
    parts = [p.strip() for p in text.split(",")]
    least = 3 if what == "add-tie" else 2
    shape = "SOURCE,TARGET,KIND[,STRENGTH]" if what == "add-tie" else "SOURCE,TARGET[,KIND]"
    if not least <= len(parts) <= 4 or not all(parts[:least]):
        raise sg.ValidationError(f"--{what} takes {shape} (e.g. us_am,cfo,knows,0.5); got {text!r}")
    if len(parts) == 4:
        try:
            return (parts[0], parts[1], parts[2], float(parts[3]))
        except ValueError:
            raise sg.ValidationError(f"--{what}: the strength must be a number; got {parts[3]!r}") from None
    return tuple(parts)


def cmd_what_if(args: argparse.Namespace) -> int:
    g = _load_one(args.files, Inputs.of(args))
    changes: dict[str, Any] = {}
    for item in args.set or []:
        pid, sep, value = item.partition("=")
        if not sep or not pid.strip() or not value.strip():
            raise sg.ValidationError(f"--set takes ID=STANCE (e.g. cfo=ally) or ID=SUPPORT; got {item!r}")
        try:
            changes[pid.strip()] = float(value)
        except ValueError:
            changes[pid.strip()] = value.strip()
    if args.add_tie:
        changes["add_tie"] = [_change(t, "add-tie") for t in args.add_tie]
    if args.remove_tie:
        changes["remove_tie"] = [_change(t, "remove-tie") for t in args.remove_tie]
    if not changes:
        raise sg.ValidationError("name a change: --set ID=STANCE, --add-tie S,T,KIND or --remove-tie S,T")
    w = sg.what_if(g, changes, model=args.model, seed=0)
    if args.json:
        print(json.dumps(w.to_dict(), ensure_ascii=False, indent=2))
        return 0
    (before, after), (rb, ra) = w.committee_support, w.reach
    _h("What if: " + "; ".join(w.changes))
    print(
        f"  committee support: {words.signed(before)} -> {words.signed(after)} ({words.signed(after - before)})"
    )
    print(f"  reach: {rb:.0f} -> {ra:.0f} customer people supportive")
    moved = sorted(w.to_dict()["people"], key=lambda r: -abs(r["after"] - r["before"]))
    moved = [r for r in moved if r["customer"] and abs(r["after"] - r["before"]) >= 0.005][: args.top]
    if moved:
        _h("Who moves most")
        for r in moved:
            print(f"  {words.who(g.person(r['id']))}: {r['before']:+.2f} -> {r['after']:+.2f}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    keep: Any = "*" if args.keep == ["*"] else (args.keep or ())
    g = sg.read_crm(
        args.files,
        preset=args.preset,
        mapping=args.mapping,
        vocabulary=args.vocabulary,
        keep=keep,
        opportunity=args.opportunity,
        encoding=args.encoding,
        dayfirst=args.dayfirst,
    )
    sg.io.write(g, args.output)
    print(f"{args.output}: {len(g)} people, {len(g.ties)} ties, deal {g.deal.name or '(none)'!r}")
    print(_wrap(f"read {_sources(g)}", "  "))
    return 0


# ----------------------------------------------------------------------------- parser
def _inputs(p: argparse.ArgumentParser, *, files: bool = True) -> None:
    if files:
        p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--encoding",
        default="auto",
        help="text encoding of the CSV and JSON files (default: detect; e.g. gb18030, big5, cp1252)",
    )
    p.add_argument(
        "--vocabulary", metavar="TOML", help="a file of the team's own words for stances, roles, ..."
    )
    p.add_argument(
        "--dayfirst",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="read 04/03/2026 as 4 March (--dayfirst) or 3 April (--no-dayfirst)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stakegraph",
        description="Stakeholder graph analytics: who decides, how far support reaches, whom to win next. "
        "FILE is people.csv [ties.csv] [deal.csv], a folder of them, a JSON, GraphML, GEXF or .xlsx file, "
        "or the name of an embedded example (bank).",
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
        description="Analyse accounts: people.csv [ties.csv] [deal.csv], a folder of CSV files, a JSON, "
        "GraphML, GEXF or .xlsx file, or an embedded example.",
    )
    _inputs(p)
    p.add_argument("--top", type=int, default=8, help="how many key people to list")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "analyze-many",
        aliases=["analyse-many"],
        help="summarise every account in a folder, one row each",
        description="Summarise every account in FOLDER (one sub-folder of CSV files, or one JSON, GraphML, "
        "GEXF or .xlsx file, per account): one row per account with its key person, committee support, "
        "route to the decision-maker, next target and deal health. An account that fails keeps its row "
        "with the error; the exit status is 1 when any failed.",
    )
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--workers", type=int, default=1, help="processes to run in parallel (default: 1)")
    p.add_argument(
        "--out", help="write the summary to this CSV file (default: print one JSON line per account)"
    )
    p.add_argument(
        "--analyses",
        help="comma-separated, of rank, propagate, paths, targets, diagnose (default: all)",
    )
    p.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=True, help="show a progress bar (tqdm)"
    )
    p.set_defaults(func=cmd_analyze_many)

    p = sub.add_parser(
        "validate",
        help="check input files and list every problem",
        description="Check input files; print every problem as file:line: field: message. "
        "Exit status 1 on any problem, 0 when clean.",
    )
    _inputs(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "import",
        help="read a CRM export (Salesforce, HubSpot, or your own columns) and save it",
        description="Read a CRM export (contacts, contact roles, the opportunity, an influence sheet: CSV "
        "files in any encoding, .xlsx workbooks or a folder) and write it as one account file.",
    )
    _inputs(p)
    p.add_argument("--preset", choices=["salesforce", "hubspot"], help="the CRM the files come from")
    p.add_argument("--mapping", metavar="TOML", help="your columns: [people] id = 'Employee No' ...")
    p.add_argument("--opportunity", help="the opportunity to read (id or name) when the export holds several")
    p.add_argument(
        "--keep",
        action="append",
        metavar="COLUMN",
        help="keep this column of the contacts as an attribute (repeatable; '*' keeps all); "
        "emails and phone numbers are dropped otherwise",
    )
    p.add_argument(
        "-o", "--output", required=True, help="the account file to write: .json, .xlsx, .graphml, or a folder"
    )
    p.set_defaults(func=cmd_import)

    outputs = (
        ("map", cmd_map, "influence_map.png", "draw the influence map (PNG, SVG or PDF by suffix)"),
        ("report", cmd_report, "report.html", "write the one-page HTML report"),
        ("html", cmd_html, "influence_map.html", "write the interactive influence map (one HTML file)"),
        ("slides", cmd_slides, "account.pptx", "write the account slides (PowerPoint)"),
    )
    for name, func, default, helptext in outputs:
        p = sub.add_parser(name, help=helptext, description=helptext.capitalize() + ".")
        _inputs(p)
        p.add_argument("-o", "--output", default=default, help="output file (default: %(default)s)")
        p.add_argument(
            "--anonymise",
            "--anonymize",
            action="store_true",
            help="replace names by role and department for sharing outside the account team",
        )
        if name != "report":
            p.add_argument("--layout", choices=["hierarchy", "spring", "coalitions"], default="hierarchy")
        p.set_defaults(func=func)

    p = sub.add_parser(
        "compare",
        help="what changed between two snapshots of an account",
        description="Compare two snapshots of one account (people matched by id): stances, ties, power, "
        "support and deal health.",
    )
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    _inputs(p, files=False)
    p.add_argument("--json", action="store_true", help="print the change as JSON")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "what-if",
        help="how support moves if someone changes side or a tie appears",
        description="Simulate changes (a person's stance, a new or lost tie) and print committee support "
        "and reach before and after.",
    )
    _inputs(p)
    p.add_argument("--set", action="append", metavar="ID=STANCE", help="e.g. cfo=ally (repeatable)")
    p.add_argument("--add-tie", action="append", metavar="S,T,KIND[,STRENGTH]", help="e.g. rep,cfo,knows,0.5")
    p.add_argument("--remove-tie", action="append", metavar="S,T[,KIND]")
    p.add_argument("--model", choices=["fj", "degroot", "ic", "lt"], default="fj")
    p.add_argument("--top", type=int, default=8, help="how many people to list")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_what_if)
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
        status = run(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:  # the reader (head, less) closed the pipe: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
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
