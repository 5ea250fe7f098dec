"""Time reading account files: what encoding detection costs, against pandas in the same run.

For each size, a synthetic organisation (``sg.datasets.synthetic_org``) is
written as ``people.csv`` twice: in UTF-8, and in GB18030 with every name in
Chinese (as Excel saves a Chinese sheet). Each file is read with its encoding
named and with ``encoding="auto"``, in turn (byte-order mark, UTF-8, then
charset-normalizer among GB18030, Big5, Shift_JIS and cp1252); the ratio
auto / named is the cost of detection, which should stay under 1.3. The table
also times detection on its own, ``pandas.read_csv`` on the same file
(parsing only: no validation, no graph), and ``sg.read_crm`` on the same
people written as a Salesforce Contact export with ReportsToId.

Usage::

    python benchmarks/bench_import.py                    # 10k and 100k rows
    python benchmarks/bench_import.py --sizes 10000 --repeats 5
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import stakegraph as sg
from stakegraph.io._common import detect

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玲晶燕"


def _median(fn: Callable[[], Any], repeats: int) -> float:
    fn()  # warm-up: imports and first-call set-up are not counted
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _paired(a: Callable[[], Any], b: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` run in turn (a, b, a, b, ...), so drift on a noisy machine hits both."""
    a()
    b()
    ta, tb = [], []
    for _ in range(repeats):
        for fn, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return statistics.median(ta), statistics.median(tb)


def _chinese(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)]


def _files(n: int, folder: Path) -> dict[str, Path]:
    g = sg.datasets.synthetic_org(n, seed=1)
    sg.write_csv(g, folder)
    text = (folder / "people.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    name = rows[0].index("name")
    for i, row in enumerate(rows[1:]):
        row[name] = _chinese(i)
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (folder / "people_gb18030.csv").write_bytes(buf.getvalue().encode("gb18030"))
    boss = {t.source: t.target for t in g.ties if t.kind is sg.TieKind.REPORTS_TO}
    sf = io.StringIO(newline="")
    w = csv.writer(sf, lineterminator="\r\n")
    w.writerow(["Id", "FirstName", "LastName", "Title", "Department", "ReportsToId", "Email"])
    for p in g.people.values():
        first, _, last = p.name.partition(" ")
        w.writerow([p.id, first, last, p.title, p.department, boss.get(p.id, ""), f"{p.id}@example.com"])
    (folder / "Contact.csv").write_bytes(sf.getvalue().encode("utf-8"))
    return {
        "utf-8": folder / "people.csv",
        "gb18030": folder / "people_gb18030.csv",
        "contact": folder / "Contact.csv",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - the bench extra installs it
        pd = None
    print("| rows | file | MB | named encoding | auto | auto / named | detection alone | pandas.read_csv |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    crm_rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            files = _files(n, Path(tmp))
            for enc in ("utf-8", "gb18030"):
                path = files[enc]
                raw = path.read_bytes()
                named, auto = _paired(
                    lambda p=path, e=enc: sg.read_csv(p, encoding=e),
                    lambda p=path: sg.read_csv(p, encoding="auto"),
                    args.repeats,
                )
                found = detect(raw, path.name)
                assert found.encoding == enc, (found.encoding, enc)
                alone = _median(lambda r=raw: detect(r, "x"), args.repeats)
                peer = (
                    f"{_median(lambda p=path, e=enc: pd.read_csv(p, encoding=e, dtype=str, keep_default_na=False), args.repeats):.3f} s"
                    if pd is not None
                    else "—"
                )
                print(
                    f"| {n:,} | {enc} | {len(raw) / 1e6:.1f} | {named:.3f} s | {auto:.3f} s | "
                    f"{auto / named:.2f} | {alone * 1e3:.1f} ms | {peer} |"
                )
            contact = files["contact"]
            crm = _median(lambda p=contact: sg.read_crm(p, preset="salesforce"), args.repeats)
            plain = _median(lambda p=files["utf-8"]: sg.read_csv(p), args.repeats)
            crm_rows.append((n, crm, plain))
    print()
    print("| rows | read_crm (Salesforce Contact.csv, ReportsToId) | read_csv (people.csv) | ratio |")
    print("|---:|---:|---:|---:|")
    for n, crm, plain in crm_rows:
        print(f"| {n:,} | {crm:.3f} s | {plain:.3f} s | {crm / plain:.2f} |")


if __name__ == "__main__":
    main()
