"""Many accounts at once: one summary row per account (``sg.analyze_many``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from ..method.words import finite_or_none
from ..model import StakeholderGraph
from ..results import Result
from .diagnose import diagnose
from .propagate import propagate
from .rank import rank

__all__ = ["AccountSummaries", "analyze_many", "failed_row", "summarize_account", "summarize_or_fail"]


def summarize_account(name: str, graph: StakeholderGraph) -> dict[str, Any]:
    """One account's summary row: stage, size, support now and after, reach, health, top person.

    A module-level function so that process pools can pickle it.
    """

    r = rank(graph, seed=0)
    p = propagate(graph, model="fj")
    d = diagnose(graph)
    pd_ = p.to_dict()
    dd = d.to_dict()
    top = r.top(1)
    severities = [f["severity"] for f in dd["findings"]]
    return {
        "account": name,
        "deal": graph.deal.name,
        "stage": graph.deal.stage.value if graph.deal.stage else None,
        "people": len(graph),
        "customer_people": len(graph.ids("customer")),
        "committee_support_now": finite_or_none(p.committee_support_before),
        "committee_support_after": pd_["committee_support"],
        "reach": pd_["reach"],
        "health": dd["score"],
        "critical": severities.count("critical"),
        "warnings": severities.count("warning"),
        "top_person": top[0]["id"] if top else None,
        "findings": [f["code"] for f in dd["findings"]],
        "error": None,
    }


_ROW_KEYS = (
    "deal",
    "stage",
    "people",
    "customer_people",
    "committee_support_now",
    "committee_support_after",
    "reach",
    "health",
    "critical",
    "warnings",
    "top_person",
)


def failed_row(name: str, error: str) -> dict[str, Any]:
    """The row of an account that could not be analysed: its name, empty figures and what went wrong."""
    return {"account": name, **dict.fromkeys(_ROW_KEYS), "findings": [], "error": error}


def summarize_or_fail(name: str, graph: Any) -> dict[str, Any]:
    """:func:`summarize_account`, or the account's :func:`failed_row` when it is no graph or an analysis fails.

    A module-level function so that process pools can pickle it.
    """
    if not isinstance(graph, StakeholderGraph):
        return failed_row(name, f"not a StakeholderGraph but {type(graph).__name__}; load the account first")
    try:
        return summarize_account(name, graph)
    except Exception as e:  # one account that fails must not cost the others their rows
        return failed_row(name, f"{type(e).__name__}: {e}")


@dataclass(frozen=True)
class AccountSummaries(Result):
    """One summary row per account, in the order given."""

    rows: tuple[dict[str, Any], ...]
    _title = "Accounts"

    def to_dict(self) -> dict[str, Any]:
        """``{"accounts": [row, ...]}``."""
        return {"accounts": [dict(r) for r in self.rows]}

    def _table(self) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "findings"} for r in self.rows]

    def to_frame(self) -> Any:
        """The rows as a DataFrame indexed by account."""
        frame = super().to_frame()
        return frame.set_index("account") if "account" in frame.columns else frame


def analyze_many(
    accounts: Mapping[str, StakeholderGraph] | Iterable[StakeholderGraph],
    executor: Executor | None = None,
) -> AccountSummaries:
    """Summarise many accounts, optionally in parallel on any ``concurrent.futures`` Executor.

    Parameters
    ----------
    accounts : mapping of name -> StakeholderGraph, or iterable of graphs
        Graphs without a name are named by their deal name or position.
    executor : Executor, optional
        E.g. a ``ProcessPoolExecutor``; the work is submitted with
        :func:`summarize_account`, which pickles. Default: run in this thread.

    Returns
    -------
    AccountSummaries
        One row per account: stage, size, committee support now and after
        propagation, reach, deal health score, count of critical findings,
        the most powerful person and the finding codes. An account that is
        not a graph, or whose analysis fails, keeps its row with empty
        figures and ``error`` saying what went wrong (``None`` on the others);
        the other accounts are not affected.

    Examples
    --------
    >>> import stakegraph as sg
    >>> rows = sg.analyze_many({"bank": sg.datasets.load("bank"), "later": sg.datasets.load("bank_later")})
    >>> [r["account"] for r in rows.to_dict()["accounts"]]
    ['bank', 'later']
    """
    if isinstance(accounts, Mapping):
        items = [(str(k), v) for k, v in accounts.items()]
    else:
        items = [
            ((g.deal.name if isinstance(g, StakeholderGraph) else "") or f"account {i + 1}", g)
            for i, g in enumerate(accounts)
        ]
    if executor is None:
        rows = [summarize_or_fail(n, g) for n, g in items]
    else:
        futures = [executor.submit(summarize_or_fail, n, g) for n, g in items]
        rows = []
        for (n, _), f in zip(items, futures):
            try:
                rows.append(f.result())
            except Exception as e:  # the worker itself died (or could not unpickle the graph)
                rows.append(failed_row(n, f"{type(e).__name__}: {e}"))
    return AccountSummaries(rows=tuple(rows))
