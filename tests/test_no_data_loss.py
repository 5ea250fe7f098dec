"""A failed or interrupted export leaves the previous files byte-identical and no temporary file behind.

Each writer first writes a good file; then the disk "fills up" halfway through
the next write (the temporary file gets half its bytes, then ENOSPC), or a
rename fails midway through a multi-file export.
"""

from __future__ import annotations

import errno

import pytest

import stakegraph as sg
from stakegraph.io import _common


def _writers():
    return [
        ("g.json", lambda g, p: sg.write_json(g, p)),
        ("g.graphml", lambda g, p: sg.write_graphml(g, p)),
        ("g.gexf", lambda g, p: sg.write_gexf(g, p)),
        ("g.xlsx", lambda g, p: sg.write_xlsx(g, p)),
        ("map.png", lambda g, p: sg.save_figure(sg.influence_map(g), p)),
        ("map.svg", lambda g, p: sg.save_figure(sg.influence_map(g), p)),
        ("map.pdf", lambda g, p: sg.save_figure(sg.influence_map(g), p)),
        ("map.html", lambda g, p: sg.export_html(g, p)),
        ("report.html", lambda g, p: sg.write_report(g, p)),
        ("deck.pptx", lambda g, p: sg.export_pptx(g, p)),
    ]


def _full_disk(tmp: str, data: bytes) -> None:
    with open(tmp, "xb") as fh:
        fh.write(data[: len(data) // 2])
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.filterwarnings("ignore:.*does not carry the .* informants:UserWarning")
@pytest.mark.parametrize("name,write", _writers(), ids=[n for n, _ in _writers()])
def test_a_write_that_fails_halfway_leaves_the_previous_file(tmp_path, monkeypatch, name, write):
    import matplotlib.pyplot as plt

    g = sg.datasets.load("bank")
    target = tmp_path / name
    write(g, target)
    before = target.read_bytes()
    assert len(before) > 100
    g.set_stance("cfo", "champion")  # the next file would differ
    monkeypatch.setattr(_common, "_write_temp", _full_disk)
    with pytest.raises(OSError, match="No space left"):
        write(g, target)
    plt.close("all")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_csv_folder_is_replaced_as_a_whole_or_not_at_all(tmp_path, monkeypatch):
    import os

    g = sg.datasets.load("bank")
    sg.write_csv(g, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert {"people.csv", "ties.csv", "deal.csv", "observations.csv"} <= set(before)
    g.set_stance("cfo", "champion")
    g.remove_tie("head_core_it", "cio")
    real = os.replace
    calls = []

    def second_rename_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(_common.os, "replace", second_rename_fails)
    with pytest.raises(OSError, match="Input/output"):
        sg.write_csv(g, tmp_path)
    monkeypatch.setattr(_common.os, "replace", real)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    # and when nothing fails, the new graph is what is read back
    sg.write_csv(g, tmp_path)
    back = sg.read_csv(tmp_path)
    assert back.person("cfo").stance is sg.Stance.CHAMPION
    assert {t.key for t in back.ties} == {t.key for t in g.ties}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)


def test_a_failed_folder_write_into_a_new_folder_leaves_nothing(tmp_path, monkeypatch):
    g = sg.datasets.load("bank")
    monkeypatch.setattr(_common, "_write_temp", _full_disk)
    with pytest.raises(OSError):
        sg.write_csv(g, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
