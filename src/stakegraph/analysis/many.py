"""Many accounts at once: one summary row per account, streamed as they finish (``sg.analyze_many``).

Each account is a graph, a path (a file or a folder any loader reads) or a
callable that returns a graph; paths and callables are loaded where the work
runs, so a worker reads its own account and nothing big crosses the wire.
The work goes to any ``concurrent.futures.Executor`` (a local process pool
with ``executor="processes"``, a Dask cluster through
``distributed.Client.get_executor()``) in chunks of accounts, so that
scheduling costs little beside the analyses.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from typing import Any

from ..errors import ValidationError
from ..method.words import finite_or_none
from ..model import StakeholderGraph
from ..results import Result
from .diagnose import diagnose
from .paths import paths
from .propagate import propagate
from .rank import rank
from .targets import targets

__all__ = [
    "ANALYSES",
    "AccountSummaries",
    "analyze_many",
    "failed_row",
    "summarize_account",
    "summarize_chunk",
    "summarize_or_fail",
]

ANALYSES: tuple[str, ...] = ("rank", "propagate", "paths", "targets", "diagnose")
"""The analyses a summary row can hold, in the order their columns come."""

_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "rank": ("top_person", "top_power"),
    "propagate": ("committee_support_now", "committee_support_after", "reach"),
    "paths": ("decision_maker", "route", "route_probability"),
    "targets": ("next_target", "next_target_gain"),
    "diagnose": ("health", "critical", "warnings", "findings"),
}
_BASE = ("account", "deal", "stage", "people", "customer_people")

Account = StakeholderGraph | str | os.PathLike[str] | Callable[[], StakeholderGraph]


def _columns(analyses: Sequence[str]) -> tuple[str, ...]:
    return _BASE + tuple(c for a in ANALYSES if a in analyses for c in _COLUMNS[a]) + ("error",)


def summarize_account(
    name: str, graph: StakeholderGraph, analyses: Sequence[str] = ANALYSES
) -> dict[str, Any]:
    """One account's summary row: stage and size, then the columns of each analysis asked for.

    ``rank``: the most powerful person and their power; ``propagate``: committee
    support now and after Friedkin–Johnsen, and our reach; ``paths``: the top
    decision-maker, the strongest route to them (ids ``;``-joined) and its
    probability; ``targets``: whom to win next and the committee support it
    gains; ``diagnose``: the health score, the count of critical findings and
    warnings, and the finding codes.
    """
    row: dict[str, Any] = {
        "account": name,
        "deal": graph.deal.name,
        "stage": graph.deal.stage.value if graph.deal.stage else None,
        "people": len(graph),
        "customer_people": len(graph.ids("customer")),
    }
    if "rank" in analyses:
        top = rank(graph, seed=0).top(1)
        row.update(
            top_person=top[0]["id"] if top else None,
            top_power=finite_or_none(top[0]["power"]) if top else None,
        )
    if "propagate" in analyses:
        p = propagate(graph, model="fj")
        pd_ = p.to_dict()
        row.update(
            committee_support_now=finite_or_none(p.committee_support_before),
            committee_support_after=pd_["committee_support"],
            reach=pd_["reach"],
        )
    if "paths" in analyses:
        found = paths(graph).to_dict()["targets"]
        best = found[0]["paths"][0] if found and found[0]["paths"] else None
        row.update(
            decision_maker=found[0]["target"] if found else None,
            route=";".join(best["people"]) if best else None,
            route_probability=finite_or_none(best["probability"]) if best else None,
        )
    if "targets" in analyses:
        picks = targets(graph).to_dict()["targets"]
        row.update(
            next_target=picks[0]["id"] if picks else None,
            next_target_gain=finite_or_none(picks[0]["gain"]) if picks else None,
        )
    if "diagnose" in analyses:
        dd = diagnose(graph).to_dict()
        severities = [f["severity"] for f in dd["findings"]]
        row.update(
            health=dd["score"],
            critical=severities.count("critical"),
            warnings=severities.count("warning"),
            findings=[f["code"] for f in dd["findings"]],
        )
    row["error"] = None
    return row


def failed_row(name: str, error: str, analyses: Sequence[str] = ANALYSES) -> dict[str, Any]:
    """The row of an account that could not be analysed: its name, empty figures and what went wrong."""
    row: dict[str, Any] = dict.fromkeys(_columns(analyses))
    row.update(account=name, error=error)
    if "findings" in row:
        row["findings"] = []
    return row


def _load(account: Any) -> StakeholderGraph:
    """The graph of one account: as given, read from its path, or made by its callable."""
    if isinstance(account, StakeholderGraph):
        return account
    if isinstance(account, (str, os.PathLike)):
        from ..io.registry import read

        return read(account)
    if callable(account):
        graph = account()
        if not isinstance(graph, StakeholderGraph):
            raise ValidationError(
                f"the account's loader returned {type(graph).__name__}, not a StakeholderGraph; "
                "return the graph it reads"
            )
        return graph
    raise ValidationError(
        f"an account is a StakeholderGraph, a path or a function returning a graph, not {type(account).__name__}"
    )


def summarize_or_fail(name: str, account: Any, analyses: Sequence[str] = ANALYSES) -> dict[str, Any]:
    """:func:`summarize_account` of the account loaded where this runs, or its :func:`failed_row` when it
    cannot be loaded or an analysis fails.

    A module-level function so that process pools can pickle it.
    """
    try:
        return summarize_account(name, _load(account), analyses)
    except Exception as e:  # one account that fails must not cost the others their rows
        return failed_row(name, f"{type(e).__name__}: {e}", analyses)


def summarize_chunk(
    chunk: Sequence[tuple[int, str, Any]], analyses: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a chunk of ``(position, name, account)``, each with its position; what a worker runs."""
    return [(i, summarize_or_fail(name, account, analyses)) for i, name, account in chunk]


class AccountSummaries(Result):
    """One summary row per account: iterate to take the rows as they finish; ``rows``, ``to_dict()`` and
    ``to_frame()`` wait for all and give them in the order the accounts were given.

    Attributes
    ----------
    columns : tuple of str
        The columns of every row, the account's name first and ``error`` last.
    """

    _title = "Accounts"

    def __init__(
        self,
        arrivals: Iterator[tuple[int, dict[str, Any]]],
        total: int,
        columns: tuple[str, ...],
        *,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        self._arrivals = arrivals
        self._got: dict[int, dict[str, Any]] = {}
        self._order: list[int] = []
        self._total = total
        self._lock = threading.Lock()
        self._on_done = on_done
        self.columns = columns

    def __len__(self) -> int:
        return self._total

    def _next(self) -> bool:
        """Take one more row; False when all have arrived."""
        with self._lock:
            if len(self._got) >= self._total:
                return False
            try:
                i, row = next(self._arrivals)
            except StopIteration:
                self._total = len(self._got)
                return False
            self._got[i] = row
            self._order.append(i)
            if len(self._got) >= self._total and self._on_done is not None:
                self._on_done()
                self._on_done = None
            return True

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The rows as they finish: those already in first, then each as it arrives."""
        k = 0
        while True:
            if k < len(self._order):
                yield self._got[self._order[k]]
                k += 1
            elif not self._next():
                return

    @property
    def rows(self) -> tuple[dict[str, Any], ...]:
        """Every row, in the order the accounts were given (waits for the ones still running)."""
        while self._next():
            pass
        return tuple(self._got[i] for i in sorted(self._got))

    @property
    def done(self) -> int:
        """How many rows have arrived so far."""
        return len(self._got)

    def to_dict(self) -> dict[str, Any]:
        """``{"accounts": [row, ...]}`` in the order given."""
        return {"accounts": [dict(r) for r in self.rows]}

    def _table(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "findings"} for r in self.rows]

    def to_frame(self) -> Any:
        """The rows as a DataFrame indexed by account."""
        frame = super().to_frame()
        return frame.set_index("account") if "account" in frame.columns else frame

    def __repr__(self) -> str:
        return f"<AccountSummaries: {self.done} of {self._total} accounts done>"

    def __getstate__(self) -> dict[str, Any]:
        """Pickled complete: the rows still running are waited for."""
        return {"rows": self.rows, "columns": self.columns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        rows = state["rows"]
        self.__init__(iter(enumerate(rows)), len(rows), state["columns"])  # type: ignore[misc]
        self.rows  # noqa: B018  (take them all in)


def _named(accounts: Any) -> list[tuple[int, str, Any]]:
    if isinstance(accounts, Mapping):
        return [(i, str(k), v) for i, (k, v) in enumerate(accounts.items())]
    out = []
    for i, a in enumerate(accounts):
        if isinstance(a, StakeholderGraph):
            name = a.deal.name or f"account {i + 1}"
        elif isinstance(a, (str, os.PathLike)):
            name = os.path.basename(os.path.normpath(os.fspath(a))) or f"account {i + 1}"
        else:
            name = getattr(a, "__name__", "") or f"account {i + 1}"
        out.append((i, name, a))
    return out


def _progress_bar(progress: bool | None, total: int) -> Any:
    """A tqdm bar when asked for, or by default in a terminal or a notebook (shown after 2 s); else None."""
    if progress is False or total == 0:
        return None
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]
    except ImportError:
        if progress:
            raise ValidationError("progress=True needs tqdm: pip install tqdm") from None
        return None
    if progress is None:
        interactive = sys.stderr.isatty() or "ipykernel" in sys.modules
        if not interactive:
            return None
    return tqdm(total=total, unit="account", delay=0 if progress else 2)


def analyze_many(
    accounts: Mapping[str, Account] | Iterable[Account],
    analyses: Sequence[str] = ANALYSES,
    executor: Executor | str | None = None,
    progress: bool | None = None,
    *,
    chunk_size: int | None = None,
) -> AccountSummaries:
    """Summarise many accounts, streamed as they finish, optionally in parallel on any Executor.

    Parameters
    ----------
    accounts : mapping of name -> account, or iterable of accounts
        An account is a :class:`~stakegraph.StakeholderGraph`, a path (a
        file or a folder :func:`stakegraph.io.read` reads) or a callable
        returning a graph. Paths and callables are loaded where the work runs.
        Unnamed accounts are named by the deal, the file or folder name, or
        their position.
    analyses : sequence of {"rank", "propagate", "paths", "targets", "diagnose"}
        The analyses whose columns the rows hold (default: all five).
    executor : Executor, "processes" or None
        Any ``concurrent.futures.Executor`` (a ``ProcessPoolExecutor``, a
        Dask ``distributed.Client(...).get_executor()``...); ``"processes"``
        runs a local process pool on every core; None runs in this thread,
        each account when its row is asked for.
    progress : bool or None
        A progress bar (tqdm). None: shown in a terminal or a notebook once
        a batch has run for 2 seconds (when tqdm is installed).
    chunk_size : int, optional
        Accounts per task sent to the executor (default: enough for about
        four tasks per worker, at most 64 accounts each).

    Returns
    -------
    AccountSummaries
        Iterable row by row as accounts finish; ``rows``, ``to_dict()`` and
        ``to_frame()`` once all are done, in the order given. An account
        that cannot be loaded or whose analysis fails keeps its row, with
        empty figures and ``error`` saying what went wrong (``None`` on the
        others); the batch goes on.

    Raises
    ------
    ValidationError
        For an analysis name that does not exist, or a bad ``executor``.

    Examples
    --------
    >>> import stakegraph as sg
    >>> rows = sg.analyze_many({"bank": sg.datasets.load("bank"), "later": sg.datasets.load("bank_later")})
    >>> [(r["account"], r["next_target"]) for r in rows.rows]
    [('bank', 'ceo'), ('later', 'coo')]
    >>> broken = sg.analyze_many([sg.datasets.load("bank"), "no/such/folder"], analyses=["rank"])
    >>> [r["error"] is None for r in broken.rows]
    [True, False]
    """
    from ..method.checks import check_choice

    analyses = tuple(check_choice(a, "analyses", "analyze_many", ANALYSES) for a in analyses)
    if not analyses:
        raise ValidationError(f"analyze_many needs at least one analysis; choose among {', '.join(ANALYSES)}")
    items = _named(accounts)
    columns = _columns(analyses)
    bar = _progress_bar(progress, len(items))
    own_pool: Executor | None = None
    if isinstance(executor, str):
        if executor != "processes":
            raise ValidationError(f"executor={executor!r}: give an Executor, 'processes' or None")
        own_pool = executor = ProcessPoolExecutor(max_workers=os.cpu_count() or 1)
    elif executor is not None and not isinstance(executor, Executor):
        raise ValidationError(
            f"executor must be a concurrent.futures.Executor, 'processes' or None, not {type(executor).__name__}"
        )

    def finish() -> None:
        if bar is not None:
            bar.close()
        if own_pool is not None:
            own_pool.shutdown(wait=False)

    def serial() -> Iterator[tuple[int, dict[str, Any]]]:
        for i, name, account in items:
            row = summarize_or_fail(name, account, analyses)
            if bar is not None:
                bar.update(1)
            yield i, row

    if executor is None:
        return AccountSummaries(serial(), len(items), columns, on_done=finish)
    workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
    size = chunk_size or max(1, min(64, math.ceil(len(items) / (4 * workers))))
    chunks = [items[k : k + size] for k in range(0, len(items), size)]
    futures: dict[Future[Any], list[tuple[int, str, Any]]] = {
        executor.submit(summarize_chunk, chunk, analyses): chunk for chunk in chunks
    }

    def parallel() -> Iterator[tuple[int, dict[str, Any]]]:
        for f in as_completed(futures):
            try:
                rows = f.result()
            except Exception as e:  # the worker itself died, or could not unpickle an account
                rows = [
                    (i, failed_row(name, f"{type(e).__name__}: {e}", analyses)) for i, name, _ in futures[f]
                ]
            if bar is not None:
                bar.update(len(rows))
            yield from rows

    return AccountSummaries(parallel(), len(items), columns, on_done=finish)
