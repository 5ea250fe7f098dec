"""The words users bring for the method's values: CRM picklists, sales methods and the team's own language.

A :class:`Vocabulary` maps a word to the canonical value it stands for, per
field: ``stance``, ``reason``, ``role``, ``kind`` (tie kind), ``org`` and
``stage``. Words are matched case- and width-insensitively (full-width letters
and digits, surrounding spaces, and runs of spaces, ``-`` and ``_`` count as
one ``_``). Some words stand for two values at once: the method's 懷疑者
(doubter) is a skeptic whose reason is doubt. A word that stands for nothing
(Salesforce's contact role "Other") gives no value.

Aliases never change what is stored: the graph holds canonical values and
writers write canonical values.

Examples
--------
>>> v = Vocabulary()
>>> v.parse("stance", "內線")
Meaning(value=<Stance.CHAMPION: 'champion'>, also={})
>>> v.parse("stance", "懷疑者").also
{'reason': <Reason.DOUBT: 'doubt'>}
>>> v.parse("role", "Economic Buyer").value
<Role.DECISION_MAKER: 'decision_maker'>
>>> v.parse("stage", "深度接觸 30%").value
<Stage.DEEP_CONTACT: 'deep_contact'>
>>> Vocabulary({"stance": {"fan": "champion"}}).parse("stance", "FAN").value
<Stance.CHAMPION: 'champion'>
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ..errors import Problem, ValidationError, closest
from .vocabulary import Org, Reason, Role, Stage, Stance, Term, TieKind

__all__ = [
    "FIELDS",
    "FIELD_OF",
    "Meaning",
    "Vocabulary",
    "VocabularySource",
    "parse_date",
    "read_toml",
    "word_key",
]

FIELDS: dict[str, type[Term]] = {
    "stance": Stance,
    "reason": Reason,
    "role": Role,
    "kind": TieKind,
    "org": Org,
    "stage": Stage,
}
"""The fields a vocabulary covers and the enum each one's values belong to."""

FIELD_OF: dict[type[Term], str] = {cls: name for name, cls in FIELDS.items()}

_SEPARATORS = re.compile(r"[\s_\-]+")
_PERCENT = re.compile(r"^(.*?)[\s_]*[(\[]?\s*(\d{1,3})\s*%\s*[)\]]?$")


def is_missing(v: Any) -> bool:
    """True for a value that means "not given": None, NaN, blank text, pandas' NA and NaT.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "  ", 0, "x")]
    [True, True, True, False, False]
    """
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    if isinstance(v, str) and v.strip() == "":
        return True
    # pandas NA / NaT; only possible once pandas is imported (never import it here)
    pd = sys.modules.get("pandas")
    if pd is None:
        return False
    try:
        return bool(v is pd.NA or v is pd.NaT)
    except Exception:  # pragma: no cover - odd object
        return False


def word_key(text: str) -> str:
    """The form in which words are compared: NFKC (full width to half width), case-folded, spaces as ``_``.

    Examples
    --------
    >>> word_key("  Non-Supporter "), word_key("ＤＥＣＩＳＩＯＮ　ＭＡＫＥＲ")
    ('non_supporter', 'decision_maker')
    """
    return _SEPARATORS.sub("_", unicodedata.normalize("NFKC", text).strip().casefold()).strip("_")


# ----------------------------------------------------------------------------- built-in words
# Each entry: word -> canonical value ("" for no value), or a mapping of fields for a word that
# sets two (the method's three kinds of non-supporter are skeptics with their reason).
def _non_supporter(reason: str) -> dict[str, str]:
    return {"stance": "skeptic", "reason": reason}


_BUILT_IN: dict[str, dict[str, str | dict[str, str]]] = {
    "stance": {
        # Altify support levels
        "Mentor": "champion",
        "Non-Supporter": "skeptic",
        "Enemy": "hostile",
        # the decision-chain method, traditional and simplified script
        "內線": "champion",
        "内线": "champion",
        "結盟者": "ally",
        "结盟者": "ally",
        "支持者": "supporter",
        "中立者": "neutral",
        "反對者": "skeptic",
        "反对者": "skeptic",
        "敵對者": "hostile",
        "敌对者": "hostile",
        "未知": "unknown",
        "懷疑者": _non_supporter("doubt"),
        "怀疑者": _non_supporter("doubt"),
        "誤解者": _non_supporter("misinformed"),
        "误解者": _non_supporter("misinformed"),
        "倒退者": _non_supporter("backsliding"),
    },
    "reason": {
        "懷疑": "doubt",
        "怀疑": "doubt",
        "誤解": "misinformed",
        "误解": "misinformed",
        "倒退": "backsliding",
    },
    "role": {
        # Salesforce contact roles
        "Economic Buyer": "decision_maker",
        "Executive Sponsor": "sponsor",
        "Technical Buyer": "evaluator",
        "Business User": "user",
        "Other": "",
        # HubSpot buying roles (the contact property hs_buying_role)
        "Budget Holder": "approver",
        "End User": "user",
        "Legal & Compliance": "approver",
        "Champion": {"role": "", "stance": "champion"},
        "Blocker": {"role": "", "stance": "hostile"},
        # Miller Heiman Blue Sheet buying influences
        "Economic": "decision_maker",
        "Technical": "evaluator",
        # the decision-chain method
        "決策者": "decision_maker",
        "决策者": "decision_maker",
        "最高決策者": "decision_maker",
        "最高决策者": "decision_maker",
        "拍板人": "decision_maker",
        "教練": "coach",
        "教练": "coach",
        "線人": "coach",
        "线人": "coach",
        "小秘": "gatekeeper",
        "秘書": "gatekeeper",
        "秘书": "gatekeeper",
        "採購": "procurement",
        "采购": "procurement",
        "評估者": "evaluator",
        "评估者": "evaluator",
        "審批人": "approver",
        "审批人": "approver",
        "使用者": "user",
        "用戶": "user",
        "用户": "user",
        "影響者": "influencer",
        "影响者": "influencer",
        "發起人": "sponsor",
        "发起人": "sponsor",
    },
    "kind": {
        "匯報": "reports_to",
        "汇报": "reports_to",
        "虛線匯報": "dotted_line",
        "虚线汇报": "dotted_line",
        "建議": "advises",
        "建议": "advises",
        "影響": "influences",
        "影响": "influences",
        "朋友": "friend",
        "對手": "rival",
        "对手": "rival",
        "認識": "knows",
        "认识": "knows",
    },
    "org": {
        "客戶": "customer",
        "客户": "customer",
        "我方": "us",
        "夥伴": "partner",
        "伙伴": "partner",
        "合作夥伴": "partner",
        "合作伙伴": "partner",
        "競爭對手": "competitor",
        "竞争对手": "competitor",
    },
    "stage": {
        # the method's eight stages, traditional and simplified script
        "項目立項": "initiation",
        "项目立项": "initiation",
        "方案設定": "solution",
        "方案设定": "solution",
        "深度接觸": "deep_contact",
        "深度接触": "deep_contact",
        "產品確定": "product_fixed",
        "产品确定": "product_fixed",
        "商務公關": "commercial",
        "商务公关": "commercial",
        "簽約成交": "signed",
        "签约成交": "signed",
        "合同執行": "executing",
        "合同执行": "executing",
        "客戶服務": "service",
        "客户服务": "service",
        # Salesforce opportunity stages (the default picklist)
        "Prospecting": "initiation",
        "Qualification": "solution",
        "Needs Analysis": "deep_contact",
        "Value Proposition": "deep_contact",
        "Id. Decision Makers": "deep_contact",
        "Perception Analysis": "product_fixed",
        "Proposal/Price Quote": "commercial",
        "Negotiation/Review": "commercial",
        "Closed Won": "signed",
        # HubSpot's default sales pipeline (labels and internal values)
        "Appointment Scheduled": "initiation",
        "appointmentscheduled": "initiation",
        "Qualified To Buy": "solution",
        "qualifiedtobuy": "solution",
        "Presentation Scheduled": "deep_contact",
        "presentationscheduled": "deep_contact",
        "Decision Maker Bought-In": "product_fixed",
        "decisionmakerboughtin": "product_fixed",
        "Contract Sent": "commercial",
        "contractsent": "commercial",
        "closedwon": "signed",
    },
}
# Words that are canonical names already (Salesforce "Decision Maker", "Evaluator", "Influencer";
# Altify "Supporter", "Neutral"; Blue Sheet "User", "Coach") match without an entry.


@dataclass(frozen=True)
class Meaning:
    """What one word stands for: the value of its field (None for a word meaning "no value"),
    and the values it sets in other fields (``also``)."""

    value: Term | None
    also: dict[str, Term] = field(default_factory=dict)


VocabularySource = Union["Vocabulary", Mapping[str, Mapping[str, Any]], str, "os.PathLike[str]", None]


class Vocabulary:
    """Words accepted for the method's values, per field, on top of the canonical names.

    Parameters
    ----------
    aliases : mapping, or path of a TOML file, optional
        ``{field: {word: value}}`` where field is one of ``stance``,
        ``reason``, ``role``, ``kind``, ``org``, ``stage``; value is a
        canonical value, ``""`` for "no value", or a mapping of fields for a
        word that sets two (``{"stance": "skeptic", "reason": "doubt"}``).
        The same shape as a TOML file with one table per field. They add to
        the built-in words and override them.
    builtin : bool, default True
        Start from the built-in words (CRM picklists, Altify, Blue Sheet, the
        method's Chinese terms); False for canonical names only.

    Examples
    --------
    >>> v = Vocabulary({"stance": {"Fan": "champion", "Doubter": {"stance": "skeptic", "reason": "doubt"}}})
    >>> v.parse("stance", "fan").value.value, v.parse("stance", "doubter").also["reason"].value
    ('champion', 'doubt')
    >>> Vocabulary().parse("stance", "Supporter").value
    <Stance.SUPPORTER: 'supporter'>
    """

    def __init__(
        self,
        aliases: Mapping[str, Mapping[str, Any]] | str | os.PathLike[str] | None = None,
        *,
        builtin: bool = True,
    ) -> None:
        self._words: dict[str, dict[str, Meaning]] = {f: {} for f in FIELDS}
        self._shown: dict[str, dict[str, str]] = {f: {} for f in FIELDS}  # word as written -> what it means
        if builtin:
            self._add(_BUILT_IN, "the built-in vocabulary")
        if aliases is not None:
            if isinstance(aliases, (str, os.PathLike)):
                source = str(aliases)
                aliases = read_toml(Path(aliases))
            else:
                source = "vocabulary"
            self._add(aliases, source)

    @classmethod
    def of(cls, vocabulary: VocabularySource) -> Vocabulary:
        """``vocabulary`` as a Vocabulary: itself, the built-in one for None, or one built from a mapping or file."""
        if isinstance(vocabulary, Vocabulary):
            return vocabulary
        if vocabulary is None:
            return _DEFAULT
        if isinstance(vocabulary, (Mapping, str, os.PathLike)):
            return cls(vocabulary)
        raise ValidationError(
            "The 'vocabulary' parameter must be a Vocabulary, a mapping {field: {word: value}}, the path of a "
            f"TOML file or None. Got {type(vocabulary).__name__} instead."
        )

    # -- building ---------------------------------------------------------------
    def _add(self, aliases: Mapping[str, Any], source: str) -> None:
        problems: list[Problem] = []
        if not isinstance(aliases, Mapping):
            raise ValidationError(
                Problem(
                    f"a vocabulary is a table per field; got {type(aliases).__name__}", source, None, None
                )
            )
        for fname, words in aliases.items():
            if fname not in FIELDS:
                hint = closest(str(fname), list(FIELDS))
                problems.append(
                    Problem(
                        f"{fname!r} is not a field a vocabulary covers"
                        + (f"; did you mean {hint!r}?" if hint else ".")
                        + f" Allowed: {', '.join(FIELDS)}.",
                        source,
                        None,
                        str(fname),
                    )
                )
                continue
            if not isinstance(words, Mapping):
                problems.append(Problem(f"[{fname}] must be a table of word = value", source, None, fname))
                continue
            cls = FIELDS[fname]
            for word, meaning in words.items():
                where = f"{fname}.{word}"
                key = word_key(str(word))
                if not key:
                    problems.append(Problem("an empty word cannot be an alias", source, None, where))
                    continue
                if key in cls._value2member_map_ and not (
                    isinstance(meaning, str) and word_key(meaning) == key
                ):
                    problems.append(
                        Problem(
                            f"{word!r} is a canonical {cls._what()} and always means itself",
                            source,
                            None,
                            where,
                        )
                    )
                    continue
                try:
                    m = self._meaning(fname, meaning)
                except ValidationError as e:
                    problems.append(Problem(e.message, source, None, where))
                    continue
                self._words[fname][key] = m
                self._shown[fname][str(word)] = _describe(m, fname)
        if problems:
            raise ValidationError(problems)

    @staticmethod
    def _meaning(fname: str, meaning: Any) -> Meaning:
        cls = FIELDS[fname]
        if isinstance(meaning, str):
            return Meaning(None if not meaning.strip() else cls.parse(meaning))
        if isinstance(meaning, Mapping):
            unknown = [k for k in meaning if k not in FIELDS]
            if unknown or fname not in meaning:
                raise ValidationError(
                    f"a word that sets several fields names its own field {fname!r} and only fields of "
                    f"{', '.join(FIELDS)}; got {dict(meaning)!r}"
                )
            value = str(meaning[fname])
            also = {k: FIELDS[k].parse(str(v)) for k, v in meaning.items() if k != fname}
            return Meaning(None if not value.strip() else cls.parse(value), also)
        raise ValidationError(f"a word means a {cls._what()} (text) or a table of fields; got {meaning!r}")

    # -- reading ----------------------------------------------------------------
    def parse(self, field_name: str, value: Any) -> Meaning:
        """What ``value`` stands for in ``field_name``; a ValidationError with "did you mean" otherwise.

        Examples
        --------
        >>> Vocabulary().parse("stance", "supportr")
        Traceback (most recent call last):
        ...
        stakegraph.errors.ValidationError: 'supportr' is not a stance; did you mean 'supporter'? Allowed: champion, ally, supporter, neutral, skeptic, hostile, unknown, or one of the words Mentor, Non-Supporter, Enemy, 內線, 内线, 結盟者, 结盟者, 支持者, 中立者, 反對者, 反对者, 敵對者, 敌对者, 未知, 懷疑者, 怀疑者, 誤解者, 误解者, 倒退者.
        """
        cls = FIELDS[field_name]
        if isinstance(value, cls):
            return Meaning(value)
        if isinstance(value, str):
            member = cls._value2member_map_.get(value)  # the common case: a canonical value as written
            if member is not None:
                return Meaning(member)  # type: ignore[arg-type]
            key = word_key(value)
            member = cls._value2member_map_.get(key)
            if member is not None:
                return Meaning(member)  # type: ignore[arg-type]
            found = self._words[field_name].get(key)
            if found is not None:
                return found
            if field_name == "stage":
                return self._stage_with_percent(value, key)
        raise ValidationError(self._unknown(field_name, value))

    def _stage_with_percent(self, value: str, key: str) -> Meaning:
        """A stage written with its percentage (``深度接觸 30%``): the name decides, the number must agree."""
        m = _PERCENT.match(unicodedata.normalize("NFKC", value).strip())
        if m is not None and m.group(1).strip():
            name = m.group(1).strip()
            meaning = self.parse("stage", name)
            stage = meaning.value
            if isinstance(stage, Stage) and stage.percent != int(m.group(2)):
                raise ValidationError(
                    f"{value!r}: the stage {name!r} is {stage.percent}%, not {m.group(2)}%; "
                    "write the stage's name, or its name with its own percentage"
                )
            return meaning
        raise ValidationError(self._unknown("stage", value))

    def _unknown(self, field_name: str, value: Any) -> str:
        cls = FIELDS[field_name]
        what = cls._what()
        article = "an" if what[:1] in "aeiou" else "a"
        words = list(self._shown[field_name])
        text = f"{value!r} is not {article} {what}"
        key = word_key(str(value))
        hint = closest(key, cls.allowed()) or closest(key, [word_key(w) for w in words])
        if hint is not None and hint not in cls._value2member_map_:
            hint = next(w for w in words if word_key(w) == hint)
        text += f"; did you mean {hint!r}?" if hint else "."
        text += f" Allowed: {', '.join(cls.allowed())}"
        text += f", or one of the words {', '.join(words)}." if words else "."
        return text

    def aliases(self, field_name: str) -> dict[str, str]:
        """Every word accepted for ``field_name`` besides the canonical names, with what it means.

        Examples
        --------
        >>> Vocabulary().aliases("stance")["懷疑者"]
        'skeptic (reason doubt)'
        """
        if field_name not in FIELDS:
            raise ValidationError(
                f"{field_name!r} is not a field a vocabulary covers. Allowed: {', '.join(FIELDS)}."
            )
        return dict(self._shown[field_name])

    def to_dict(self) -> dict[str, dict[str, str]]:
        """``{field: {word: meaning}}`` of every alias (the canonical names are left out)."""
        return {f: dict(w) for f, w in self._shown.items()}

    def __repr__(self) -> str:
        n = sum(len(w) for w in self._words.values())
        return f"<Vocabulary: {n} words besides the canonical names>"


def _describe(m: Meaning, fname: str) -> str:
    text = m.value.value if m.value is not None else "(no value)"
    if m.also:
        text += " (" + ", ".join(f"{k} {v.value}" for k, v in m.also.items()) + ")"
    return text


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables; a located ValidationError when it cannot be read or parsed."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    from ..io._common import read_bytes  # a facade: files are read the one way

    raw, name = read_bytes(path, str(path))
    try:
        doc: dict[str, Any] = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ValidationError(
            Problem(
                f"not UTF-8 text at byte offset {e.start}; save the file as UTF-8",
                name,
                raw[: e.start].count(b"\n") + 1,
                None,
            )
        ) from None
    except tomllib.TOMLDecodeError as e:
        line = getattr(e, "lineno", None)
        raise ValidationError(Problem(f"not a readable TOML file: {e}", name, line, None)) from None
    return doc


_DEFAULT = Vocabulary()


# ----------------------------------------------------------------------------- dates
_YEAR_FIRST = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_DATE_FIX = "write it as YYYY-MM-DD (e.g. 2026-03-31)"


def parse_date(text: str, *, dayfirst: bool | None = None) -> _dt.date:
    """A date as users write it: ISO (``2026-03-31``, with a time too), ``2026/3/31``, ``2026年3月31日``,
    or day and month with a four-digit year (``31/03/2026``, ``03/31/2026``, ``31.03.2026``).

    When day and month could be either way round (``04/03/2026``) ``dayfirst``
    decides; left None, such a date is a ValidationError asking for it.
    Nothing is guessed.

    Examples
    --------
    >>> parse_date("31/03/2026"), parse_date("2026年3月31日")
    (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31))
    >>> parse_date("04/03/2026", dayfirst=True)
    datetime.date(2026, 3, 4)
    >>> parse_date("04/03/2026")
    Traceback (most recent call last):
    ...
    stakegraph.errors.ValidationError: '04/03/2026' could be 4 March or 3 April 2026; pass dayfirst=True (day/month/year) or dayfirst=False (month/day/year), or write it as YYYY-MM-DD (e.g. 2026-03-31)
    """
    t = unicodedata.normalize("NFKC", text).strip()
    try:
        return _dt.date.fromisoformat(t)
    except ValueError:
        pass
    try:
        return _dt.datetime.fromisoformat(t).date()
    except ValueError:
        pass
    m = _YEAR_FIRST.match(t) or _CJK_DATE.match(t)
    if m is not None:
        return _make_date(text, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _YEAR_LAST.match(t)
    if m is None:
        raise ValidationError(f"{text!r} is not a date; {_DATE_FIX}")
    a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if a > 12 or (dayfirst is True and b <= 12):
        return _make_date(text, year, b, a)
    if b > 12 or dayfirst is False or a == b:
        return _make_date(text, year, a, b)
    months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    raise ValidationError(
        f"{text!r} could be {a} {months[b - 1]} or {b} {months[a - 1]} {year}; pass dayfirst=True "
        f"(day/month/year) or dayfirst=False (month/day/year), or {_DATE_FIX}"
    )


def _make_date(text: str, year: int, month: int, day: int) -> _dt.date:
    try:
        return _dt.date(year, month, day)
    except ValueError as e:
        raise ValidationError(f"{text!r} is not a date; {_DATE_FIX} ({e})") from None
