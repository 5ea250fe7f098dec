"""Privacy: stable pseudonyms, the documented policy, and no original name in any anonymised output."""

from __future__ import annotations

import hashlib
import hmac
import html as _html
import json
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import stakegraph as sg
from stakegraph.privacy import anonymise_with_map, pseudonym, role_label, scrub_text
from strategies import graphs


@pytest.fixture(scope="module")
def bank() -> sg.StakeholderGraph:
    return sg.datasets.load("bank")


def _secrets(g: sg.StakeholderGraph) -> list[str]:
    """Every identifying text of the original graph that must not survive anonymisation."""
    out: set[str] = set()
    for p in g.people.values():
        for text in (p.name, p.title, p.notes, p.needs, p.interests, p.extra.get("name_latin")):
            if isinstance(text, str) and len(text.strip()) >= 3:
                out.add(text.strip())
        for token in re.split(r"[\s,.;()]+", p.name):
            if len(token) >= 4 and token not in {"Head", "Chief"}:
                out.add(token)
        if p.org.value != "customer" and p.department:
            out.add(p.department)  # company names of our team, partners, competitors
    d = g.deal
    out |= {x for x in (d.name, *d.competitors) if x}
    out |= {str(v) for v in d.extra.values() if isinstance(v, str) and len(v) >= 3}
    return sorted(out, key=len, reverse=True)


def _leaks(text: str, secrets: list[str]) -> list[str]:
    text = _html.unescape(text)
    return [s for s in secrets if s in text]


# ----------------------------------------------------------------------------- the policy
def test_pseudonym_is_hmac_sha256():
    expected = "p" + hmac.new(b"salt", b"wang", hashlib.sha256).hexdigest()[:10]
    assert pseudonym("wang", salt="salt") == expected
    assert pseudonym("wang") != pseudonym("wang", salt="salt")


def test_role_label():
    assert role_label(["user", "coach", "sponsor"]) == "Sponsor"
    assert role_label([], "competitor") == "Competitor"
    assert role_label(["gatekeeper"]) == "Gatekeeper"


def test_policy_on_bank(bank):
    a, ids = anonymise_with_map(bank)
    assert len(a) == len(bank) and len(a.ties) == len(bank.ties)
    for pid, p in bank.people.items():
        q = a.person(ids[pid])
        assert q.name == f"{role_label(p.roles, p.org)} {ids[pid][1:5].upper()}"
        assert (q.title, q.notes, q.needs, q.interests) == ("", "", "", "")
        assert dict(q.extra) == {}
        assert (q.stance, q.roles, q.level, q.org, q.support, q.power, q.reason) == (
            p.stance,
            p.roles,
            p.level,
            p.org,
            p.support,
            p.power,
            p.reason,
        )
        assert q.relationship == p.relationship and q.last_contact == p.last_contact
        if p.org.value == "customer":
            assert q.department == p.department
        if p.owner:
            assert q.owner == ids[p.owner]  # owners are people of the graph here
    assert a.deal.stage == bank.deal.stage and a.deal.decision_date == bank.deal.decision_date
    assert a.deal.competitors == ("Competitor 1",)
    assert not _leaks(json.dumps(a.to_dict(), ensure_ascii=False), _secrets(bank))


def test_analyses_agree_on_the_anonymised_graph(bank):
    a, ids = anonymise_with_map(bank)
    c, ca = bank.compiled(), a.compiled()
    rows = [ca.index[ids[pid]] for pid in c.ids]
    np.testing.assert_allclose(ca.power[rows], c.power)
    np.testing.assert_allclose(ca.support[rows], c.support)
    perm = np.array(rows)
    dense = ca.influence.toarray()[np.ix_(perm, perm)]
    np.testing.assert_allclose(dense, c.influence.toarray())


def test_stable_across_snapshots_and_salt(bank):
    later = sg.datasets.load("bank_later")
    _, ids1 = anonymise_with_map(bank, salt="k")
    _, ids2 = anonymise_with_map(later, salt="k")
    for pid in set(bank.people) & set(later.people):
        assert ids1[pid] == ids2[pid]
    assert sg.anonymise(bank) == sg.anonymise(bank)
    assert bank.anonymise(salt="x") != bank.anonymise(salt="y")
    assert set(bank.anonymise().people) == set(sg.anonymise(bank).people)


def test_keep_titles(bank):
    a = sg.anonymise(bank, keep_titles=True)
    assert {p.title for p in a.people.values()} == {p.title for p in bank.people.values()}


def test_scrub_text(bank):
    a, ids = anonymise_with_map(bank)
    text = "Helen Park (cfo) asked Olivia Brennan; the Chief Financial Officer wants proof. Helen agreed."
    out = scrub_text(text, bank, ids, anonymous=a)
    assert "Helen" not in out and "Park" not in out and "Brennan" not in out and "cfo" not in out
    assert "Chief Financial Officer" not in out
    assert a.person(ids["cfo"]).name in out
    assert out.endswith("agreed.")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(max_people=8))
def test_anonymise_any_graph(g):
    from stakegraph.model import tie_key

    a, ids = anonymise_with_map(g, salt="s")
    assert len(set(ids.values())) == len(g)
    assert set(a.people) == set(ids.values())
    for pid, p in g.people.items():
        q = a.person(ids[pid])
        assert (q.title, q.notes, q.needs, q.interests, dict(q.extra)) == ("", "", "", "", {})
        assert q.name.endswith(ids[pid][1:5].upper()) and (p.stance, p.level, p.roles) == (
            q.stance,
            q.level,
            q.roles,
        )
        assert q.owner == "" or q.owner in a or q.owner.startswith("owner-")
    assert {tie_key(ids[t.source], ids[t.target], t.kind) + (t.strength,) for t in g.ties} == {
        t.key + (t.strength,) for t in a.ties
    }
    assert all(t.note == "" and dict(t.extra) == {} for t in a.ties)


# ----------------------------------------------------------------------------- every output
def test_no_name_survives_in_any_output(bank, tmp_path):
    from pptx import Presentation

    from stakegraph.viz.svg import small_svg

    secrets = _secrets(bank)
    a, ids = anonymise_with_map(bank)
    old_ids = set(bank.people) - set(ids.values())
    later = sg.datasets.load("bank_later")

    # map and grid: every text artist of the figures
    fig = sg.influence_map(bank, anonymise=True, highlight="cfo", engine="python")
    texts = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]
    assert texts and not _leaks("\n".join(texts), secrets)
    gids = {o.get_gid() for o in fig.findobj() if o.get_gid()}
    assert not any(gid.split(":")[-1] in old_ids for gid in gids)
    assert "highlight:" + ids["cfo"] in gids
    grid = sg.support_grid(later, previous=bank, anonymise=True)
    texts = [t.get_text() for t in grid.findobj(lambda o: hasattr(o, "get_text"))]
    assert not _leaks("\n".join(texts), secrets + _secrets(later))

    # SVG and PDF files
    svg = sg.save_figure(fig, tmp_path / "map.svg").read_text(encoding="utf-8")
    assert not _leaks(svg, secrets)
    # interactive HTML: the page and its embedded data
    page = sg.export_html(bank, tmp_path / "map.html", anonymise=True).read_text(encoding="utf-8")
    assert not _leaks(page, secrets)
    blob = re.search(r'id="stakegraph-data">(.*?)</script>', page, re.S).group(1).replace("<\\/", "</")
    data = json.loads(blob)
    assert not ({n["id"] for n in data["nodes"]} & old_ids)
    # report, with results computed before anonymising (their texts name people)
    rep = sg.write_report(bank, tmp_path / "report.html", anonymise=True).read_text(encoding="utf-8")
    assert not _leaks(rep, secrets)
    assert not any(f'data-id="{pid}"' in rep for pid in old_ids)
    try:
        diagnosis = sg.diagnose(bank)
    except (ImportError, AttributeError):
        diagnosis = None
    if diagnosis is not None:
        rep2 = sg.write_report(bank, tmp_path / "report2.html", anonymise=True, diagnosis=diagnosis)
        assert not _leaks(rep2.read_text(encoding="utf-8"), secrets)
    # slides
    deck = sg.export_pptx(bank, tmp_path / "deck.pptx", anonymise=True)
    words = []
    for slide in Presentation(str(deck)).slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                words.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                words += [c.text for row in sh.table.rows for c in row.cells]
    assert words and not _leaks("\n".join(words), secrets)
    # notebook view
    assert not _leaks(small_svg(bank, anonymise=True), secrets)
