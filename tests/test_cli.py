"""The command line: exit codes, messages without tracebacks, the demo's sections and files."""

from __future__ import annotations

import subprocess
import sys

import pytest

import stakegraph as sg
from stakegraph.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stakegraph.cli", *args], capture_output=True, text=True)


@pytest.mark.parametrize("sub", [[], ["demo"], ["analyze"], ["validate"], ["map"], ["report"]])
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
