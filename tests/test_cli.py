"""The command line: exit codes, messages without tracebacks, the demo's sections and files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import stakegraph as sg
from stakegraph.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stakegraph.cli", *args], capture_output=True, text=True)


SUBCOMMANDS = [
    "demo",
    "analyze",
    "validate",
    "import",
    "map",
    "report",
    "html",
    "slides",
    "compare",
    "what-if",
]


@pytest.mark.parametrize("sub", [[]] + [[c] for c in SUBCOMMANDS])
def test_help_everywhere(sub, capsys):
    with pytest.raises(SystemExit) as e:
        main([*sub, "--help"])
    assert e.value.code == 0
    assert "usage: stakegraph" in capsys.readouterr().out


def test_validate_clean_files(tmp_path, capsys):
    sg.write_csv(sg.datasets.load("bank"), tmp_path)
    code = main(["validate", str(tmp_path / "people.csv"), str(tmp_path / "ties.csv")])
    out = capsys.readouterr().out
    assert code == 0
    assert "ok (" in out


def test_validate_lists_every_problem_with_location(tmp_path, capsys):
    people = tmp_path / "people.csv"
    ties = tmp_path / "ties.csv"
    people.write_text(
        "id,name,stance,openness\na,Ann,alley,0.5\nb,Bo,neutral,1.5\na,Again,ally,0.1\n", encoding="utf-8"
    )
    ties.write_text(
        "source,target,kind,strength\na,b,advises,0.5\na,zz,friend,0.3\nb,a,frend,2\n", encoding="utf-8"
    )
    code = main(["validate", str(people), str(ties)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 1
    text = "\n".join(lines)
    assert f"{people}:2: stance: 'alley' is not a stance; did you mean 'ally'?" in text
    assert f"{people}:3: openness:" in text
    assert f"{people}:4: id: duplicate id 'a'" in text
    assert f"{ties}:3: target:" in text and "'zz'" in text
    assert f"{ties}:4: kind: 'frend' is not a tie kind; did you mean 'friend'?" in text
    assert f"{ties}:4: strength:" in text
    assert len(lines) == 6


def test_missing_file_is_a_message_not_a_traceback(tmp_path):
    r = run("analyze", str(tmp_path / "nope.csv"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "file not found" in r.stderr


def test_validate_bad_json_names_line(tmp_path):
    f = tmp_path / "acct.json"
    f.write_text('{"stakegraph": 1,\n "people": [}\n', encoding="utf-8")
    r = run("validate", str(f))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert f"{f}:2:" in r.stdout


def test_demo_prints_every_section_and_writes_files(tmp_path):
    r = run("demo", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for heading in (
        "People",
        "Key people",
        "Hidden influencers",
        "Support",
        "introduction paths",
        "Whom to win next",
        "Deal health",
    ):
        assert heading in out, heading
    assert "NEVER MET" in out
    assert "DM_NOT_MET" in out
    assert "Intelligence (what the informants report)" in out and "30 reports from 4 informants" in out
    assert "What to ask next" in out and "\n  1. Where does" in out
    assert (tmp_path / "out" / "influence_map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<html" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8").lower()


def test_analyze_own_account_matches_demo_sections(tmp_path):
    sg.write_csv(sg.datasets.load("bank"), tmp_path)
    r = run("analyze", str(tmp_path / "people.csv"), str(tmp_path / "ties.csv"))
    assert r.returncode == 0, r.stderr
    assert "Deal health" in r.stdout and "Key people" in r.stdout


def test_analyze_json_output_is_json(tmp_path):
    import json

    sg.write_json(sg.datasets.load("bank"), tmp_path / "bank.json")
    r = run("analyze", "--json", str(tmp_path / "bank.json"))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert set(doc) == {"rank", "propagate", "targets", "diagnosis"}


# ----------------------------------------------------------------------------- real files in
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_analyze_the_chinese_gbk_example_to_the_end():
    r = run("analyze", str(EXAMPLES / "zh"))
    assert r.returncode == 0, r.stderr
    assert "城商行新一代核心系统" in r.stdout and "赵志刚" in r.stdout and "Deal health" in r.stdout
    assert "=" * 20 + "\n" in r.stdout  # the title's rule spans its double-width characters


@pytest.mark.parametrize("encoding", ["big5", "cp1252", "utf-16"])
def test_validate_takes_any_encoding(tmp_path, encoding):
    text = "id,name,stance\na,Zoë Çelik,支持者\n" if encoding != "cp1252" else "id,name\na,Zoë Çelik\n"
    if encoding == "big5":
        text = "id,name,stance\na,王建國,支持者\n"
    (tmp_path / "people.csv").write_bytes(text.encode(encoding))
    (tmp_path / "ties.csv").write_bytes("source,target,kind\n".encode(encoding))
    r = run("validate", str(tmp_path / "people.csv"), str(tmp_path / "ties.csv"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ok (1 people, 0 ties" in r.stdout


def test_a_deal_file_named_after_the_ties_is_the_deal(tmp_path):
    sg.write_csv(sg.datasets.load("bank"), tmp_path)
    files = [str(tmp_path / f) for f in ("people.csv", "ties.csv", "deal.csv")]
    r = run("analyze", *files)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Northbridge core banking replacement\n")
    r = run("validate", str(tmp_path / "deal.csv"))
    assert r.returncode == 1 and "a deal file needs its people file first" in r.stdout


def test_every_command_takes_the_embedded_example_and_a_workbook(tmp_path):
    assert main(["validate", "bank"]) == 0
    book = tmp_path / "bank.xlsx"
    sg.io.write(sg.datasets.load("bank"), book)
    r = run("validate", str(book))
    assert r.returncode == 0 and "ok (37 people, 104 ties" in r.stdout, r.stdout + r.stderr
    assert main(["map", str(book), "-o", str(tmp_path / "m.png")]) == 0
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["report", "bank", "-o", str(tmp_path / "r.html")]) == 0
    r = run("validate", "bnak")
    assert r.returncode == 1 and "the embedded example 'bank'?" in r.stdout


def test_vocabulary_file_on_the_command_line(tmp_path):
    (tmp_path / "people.csv").write_text("id,stance\na,Fan\n", encoding="utf-8")
    (tmp_path / "words.toml").write_text('[stance]\nFan = "champion"\n', encoding="utf-8")
    assert run("validate", str(tmp_path / "people.csv")).returncode == 1
    r = run("validate", str(tmp_path / "people.csv"), "--vocabulary", str(tmp_path / "words.toml"))
    assert r.returncode == 0, r.stdout


def test_import_a_salesforce_export(tmp_path):
    out = tmp_path / "meridian.json"
    r = run("import", "--preset", "salesforce", str(EXAMPLES / "salesforce"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "9 people, 12 ties" in r.stdout
    assert sg.read_json(out) == sg.read_crm(EXAMPLES / "salesforce", preset="salesforce")
    r = run(
        "import",
        "--preset",
        "salesforce",
        str(EXAMPLES / "salesforce" / "Contact.csv"),
        "--keep",
        "Email",
        "-o",
        str(tmp_path / "c.json"),
    )
    assert r.returncode == 0, r.stderr
    assert sg.read_json(tmp_path / "c.json").person("0035g00000Qa001AAA").extra["Email"].startswith("helen")
    bad = tmp_path / "Contact.csv"
    bad.write_text("Id,LastName,ReportsToId\n003A,Ng,003Z\n", encoding="utf-8")
    r = run("import", "--preset", "salesforce", str(bad), "-o", str(tmp_path / "x.json"))
    assert r.returncode == 1 and f"{bad}:2: ReportsToId: no contact with Id 003Z" in r.stderr
    assert not (tmp_path / "x.json").exists()


def test_html_slides_compare_and_what_if(tmp_path):
    pytest.importorskip("pptx")
    assert main(["html", "bank", "-o", str(tmp_path / "m.html")]) == 0
    assert "</html>" in (tmp_path / "m.html").read_text(encoding="utf-8")
    assert main(["slides", "bank", "-o", str(tmp_path / "a.pptx")]) == 0
    assert (tmp_path / "a.pptx").read_bytes()[:2] == b"PK"
    g = sg.datasets.load("bank")
    new = g.copy()
    new.update_person("cfo", stance="ally", reason=None)
    sg.write_json(new, tmp_path / "new.json")
    r = run("compare", "bank", str(tmp_path / "new.json"))
    assert r.returncode == 0, r.stderr
    assert "cfo" in r.stdout or g.person("cfo").name in r.stdout
    w = sg.what_if(g, {"cfo": "ally"}, seed=0)
    r = run("what-if", "bank", "--set", "cfo=ally")
    assert r.returncode == 0, r.stderr
    before, after = w.committee_support
    assert f"committee support: {before:+.2f} -> {after:+.2f}" in r.stdout
    r = run("what-if", "bank", "--set", "cfo")
    assert r.returncode == 1 and "--set takes ID=STANCE" in r.stderr
    r = run("what-if", "bank", "--add-tie", "us_am,cfo")
    assert r.returncode == 1 and "--add-tie takes SOURCE,TARGET,KIND[,STRENGTH]" in r.stderr
    r = run("what-if", "bank", "--add-tie", "us_se,ceo,knows,0.5", "--remove-tie", "arch_lead,cio")
    assert r.returncode == 0 and "committee support:" in r.stdout


def test_piping_into_head_is_quiet():
    r = subprocess.run(
        f"{sys.executable} -m stakegraph.cli demo --no-files | head -1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert r.stdout.strip() == "Northbridge core banking replacement"
    assert r.stderr == ""


def test_lines_are_filled_by_display_columns():
    from stakegraph.cli import _wrap, width

    assert width("王建國 CFO") == 10
    text = "決" * 60
    lines = _wrap(text).splitlines()
    assert lines[0] == "  " + "決" * 49  # 2 + 49 × 2 = 100 columns
    assert lines[1] == "    " + "決" * 11
    words = _wrap("alpha " * 30).splitlines()
    assert all(len(line) <= 100 for line in words) and len(words) == 2


def test_a_crm_export_given_to_validate_points_to_import():
    r = run("validate", str(EXAMPLES / "salesforce"))
    assert r.returncode == 1
    assert (
        "this looks like a salesforce export; read it with: stakegraph import --preset salesforce" in r.stdout
    )


def test_analyze_many_writes_one_row_per_account_and_keeps_going_past_a_bad_one(tmp_path, capsys):
    import csv

    from stakegraph.cli import main

    folder = tmp_path / "accounts"
    folder.mkdir()
    sg.write_csv(sg.datasets.load("bank"), folder / "northbridge")
    sg.write_json(sg.datasets.load("bank_later"), folder / "later.json")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "notes.txt").write_text("not an account", encoding="utf-8")
    out = tmp_path / "summary.csv"
    status = main(["analyze-many", str(folder), "--workers", "2", "--out", str(out), "--no-progress"])
    assert status == 1  # one account failed
    captured = capsys.readouterr()
    assert "2 of 3 accounts analysed" in captured.out and "error: broken:" in captured.err
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["account"] for r in rows] == ["broken", "later", "northbridge"]
    expected = sg.analyze_many({"n": sg.datasets.load("bank")}).rows[0]
    assert rows[2]["next_target"] == expected["next_target"] and rows[2]["health"] == str(expected["health"])
    assert rows[2]["findings"] == ";".join(expected["findings"]) and rows[2]["error"] == ""
    assert rows[0]["error"].startswith("ValidationError") and rows[0]["health"] == ""
    assert main(["analyze-many", str(tmp_path / "nowhere")]) == 1
    assert "not a folder" in capsys.readouterr().err


def test_analyze_prints_the_most_severe_findings_and_counts_the_rest(capsys):
    from stakegraph.cli import FINDINGS_SHOWN, print_analyses

    g = sg.datasets.synthetic_org(300, seed=1)
    findings = sg.diagnose(g).findings
    print_analyses(g, top=3)
    out = capsys.readouterr().out
    rest = findings[FINDINGS_SHOWN:]
    assert f"... and {len(rest)} more findings" in out
    assert sum(f"] {f.code}: {f.message}" in out for f in findings[:FINDINGS_SHOWN]) == FINDINGS_SHOWN
    assert all(f"] {f.code}: {f.message}" not in out for f in rest)
