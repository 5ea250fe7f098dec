"""Real account data in: any encoding, the team's own words, forgiving headers, mutual ties, dates."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stakegraph as sg
from stakegraph import ValidationError
from stakegraph.io._common import detect

PEOPLE = "id,name,title,stance,roles\nwang,王建國,財務總監,支持者,決策者\nli,李偉,採購經理,中立者,採購\n"
TIES = "source,target,kind,strength\nli,wang,advises,0.5\n"


@pytest.mark.parametrize(
    "encoding", ["big5", "gb18030", "shift_jis", "utf-16", "utf-8-sig", "utf-32", "utf-8"]
)
def test_one_account_in_every_encoding_loads_to_the_same_graph(tmp_path, encoding):
    reference = sg.read_csv(io.StringIO(PEOPLE), io.StringIO(TIES))
    (tmp_path / "people.csv").write_bytes(PEOPLE.encode(encoding))
    (tmp_path / "ties.csv").write_bytes(TIES.encode(encoding))
    g = sg.read_csv(tmp_path)
    assert g == reference
    assert g.person("wang").stance is sg.Stance.SUPPORTER and g.person("li").roles == (sg.Role.PROCUREMENT,)
    people_source = g.provenance[0]
    expected = {"utf-16": "utf-16-le", "utf-32": "utf-32-le"}.get(encoding, encoding)
    assert people_source.file.endswith("people.csv") and people_source.encoding == expected
    assert g.provenance[1].encoding in (expected, "utf-8")  # ties.csv is plain ASCII


def test_shift_jis_and_cp1252_are_detected():
    ja = "id,name\ntanaka,田中太郎\nsato,佐藤花子\n"
    assert detect(ja.encode("shift_jis"), "x.csv").text == ja
    la = "id,name\njose,José Müller\nfr,François Çelik\n"
    assert detect(la.encode("cp1252"), "x.csv").text == la


def test_forced_encoding_and_undecodable_bytes_are_located(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(PEOPLE.encode("big5"))
    with pytest.raises(ValidationError) as e:
        sg.read_csv(path, encoding="utf-8")
    (p,) = e.value.problems
    assert p.line == 2 and "byte offset" in p.message and "pass the encoding" in p.message
    assert sg.read_csv(path, encoding="big5").person("wang").name == "王建國"
    with pytest.raises(ValidationError, match="'encoding' parameter"):
        sg.read_csv(path, encoding="no-such-codec")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_validation_error(raw):
    readers = (sg.read_csv, sg.read_json, sg.read_xlsx, lambda f: sg.read_crm(f, preset="salesforce"))
    for read in readers:
        try:
            result = read(io.BytesIO(raw))
        except ValidationError as e:
            assert e.problems and all(p.message for p in e.problems)  # located, explained
        else:
            assert isinstance(result, sg.StakeholderGraph)


# table: word -> (field, canonical value, reason implied)
ALIASES = [
    ("stance", "內線", "champion"),
    ("stance", "内线", "champion"),
    ("stance", "結盟者", "ally"),
    ("stance", "结盟者", "ally"),
    ("stance", "支持者", "supporter"),
    ("stance", "中立者", "neutral"),
    ("stance", "敵對者", "hostile"),
    ("stance", "敌对者", "hostile"),
    ("stance", "反對者", "skeptic"),
    ("stance", "反对者", "skeptic"),
    ("stance", "Mentor", "champion"),
    ("stance", "Supporter", "supporter"),
    ("stance", "Neutral", "neutral"),
    ("stance", "Non-Supporter", "skeptic"),
    ("stance", "Enemy", "hostile"),
    ("role", "Decision Maker", "decision_maker"),
    ("role", "Economic Buyer", "decision_maker"),
    ("role", "Executive Sponsor", "sponsor"),
    ("role", "Technical Buyer", "evaluator"),
    ("role", "Evaluator", "evaluator"),
    ("role", "Influencer", "influencer"),
    ("role", "Business User", "user"),
    ("role", "Economic", "decision_maker"),
    ("role", "User", "user"),
    ("role", "Technical", "evaluator"),
    ("role", "Coach", "coach"),
    ("role", "決策者", "decision_maker"),
    ("role", "决策者", "decision_maker"),
    ("role", "最高決策者", "decision_maker"),
    ("role", "拍板人", "decision_maker"),
    ("role", "教練", "coach"),
    ("role", "教练", "coach"),
    ("role", "線人", "coach"),
    ("role", "线人", "coach"),
    ("role", "小秘", "gatekeeper"),
    ("role", "秘書", "gatekeeper"),
    ("role", "秘书", "gatekeeper"),
    ("role", "採購", "procurement"),
    ("role", "采购", "procurement"),
    ("role", "評估者", "evaluator"),
    ("role", "评估者", "evaluator"),
    ("role", "審批人", "approver"),
    ("role", "审批人", "approver"),
    ("role", "使用者", "user"),
    ("role", "用戶", "user"),
    ("role", "用户", "user"),
    ("role", "影響者", "influencer"),
    ("role", "影响者", "influencer"),
    ("role", "發起人", "sponsor"),
    ("role", "发起人", "sponsor"),
    ("stage", "項目立項", "initiation"),
    ("stage", "项目立项", "initiation"),
    ("stage", "方案設定 10%", "solution"),
    ("stage", "深度接觸", "deep_contact"),
    ("stage", "产品确定", "product_fixed"),
    ("stage", "商務公關", "commercial"),
    ("stage", "签约成交", "signed"),
    ("stage", "合同執行", "executing"),
    ("stage", "客户服务 110%", "service"),
    ("stance", "ＳＵＰＰＯＲＴＥＲ", "supporter"),
    ("stance", "  Ally ", "ally"),
]


@pytest.mark.parametrize(("field", "word", "value"), ALIASES)
def test_every_alias_maps_as_stated(field, word, value):
    assert sg.Vocabulary().parse(field, word).value.value == value


@pytest.mark.parametrize(
    ("word", "reason"),
    [
        ("懷疑者", "doubt"),
        ("怀疑者", "doubt"),
        ("誤解者", "misinformed"),
        ("误解者", "misinformed"),
        ("倒退者", "backsliding"),
    ],
)
def test_the_three_non_supporters_set_stance_and_reason(word, reason):
    g = sg.StakeholderGraph.from_records([{"id": "a", "stance": word}])
    assert (g.person("a").stance.value, g.person("a").reason.value) == ("skeptic", reason)
    with pytest.raises(ValidationError, match="means the reason"):
        sg.StakeholderGraph.from_records(
            [{"id": "a", "stance": word, "reason": "doubt" if reason != "doubt" else "misinformed"}]
        )


def test_other_means_no_role_and_a_stage_percent_must_agree():
    g = sg.StakeholderGraph.from_records([{"id": "a", "roles": "Other; Economic Buyer"}])
    assert g.person("a").roles == (sg.Role.DECISION_MAKER,)
    with pytest.raises(ValidationError, match="is 30%, not 40%"):
        sg.Vocabulary().parse("stage", "深度接觸 40%")


def test_a_vocabulary_file_adds_and_overrides_words(tmp_path):
    path = tmp_path / "words.toml"
    path.write_text(
        '[stance]\n"Fan" = "champion"\n"Mentor" = "ally"\n[role]\n"Boss" = "decision_maker"\n',
        encoding="utf-8",
    )
    people = io.StringIO("id,stance,roles\na,fan,boss\nb,Mentor,\n")
    g = sg.read_csv(people, vocabulary=path)
    assert g.person("a").stance is sg.Stance.CHAMPION and g.person("a").roles == (sg.Role.DECISION_MAKER,)
    assert g.person("b").stance is sg.Stance.ALLY  # overridden
    sg.write_csv(g, tmp_path / "out")
    assert "champion" in (tmp_path / "out" / "people.csv").read_text("utf-8")  # canonical values written
    with pytest.raises(ValidationError, match="always means itself"):
        sg.Vocabulary({"stance": {"ally": "hostile"}})
    with pytest.raises(ValidationError) as e:
        sg.read_csv(io.StringIO("id,stance\na,fann\n"), vocabulary=path)
    assert "did you mean 'Fan'" in str(e.value) and "Fan" in str(e.value)


def test_mutual_tie_from_both_ends_is_one_tie_and_duplicates_follow_the_policy():
    people = [{"id": "a"}, {"id": "b"}]
    both = [
        {"source": "a", "target": "b", "kind": "friend", "strength": 0.5},
        {"source": "b", "target": "a", "kind": "friend", "strength": 0.5},
    ]
    assert len(sg.StakeholderGraph.from_records(people, both).ties) == 1
    twice = [
        {"source": "a", "target": "b", "kind": "advises", "strength": 0.5},
        {"source": "a", "target": "b", "kind": "advises", "strength": 0.75},
    ]
    with pytest.raises(ValidationError, match="duplicates='max'"):
        sg.StakeholderGraph.from_records(people, twice)
    expect = {"max": 0.75, "sum": 1.0, "last": 0.75}
    for policy, strength in expect.items():
        (t,) = sg.StakeholderGraph.from_records(people, twice, duplicates=policy).ties
        assert t.strength == strength, policy
    (t,) = sg.StakeholderGraph.from_records(
        people, twice[:1] + [dict(twice[0], strength=0.25)], duplicates="sum"
    ).ties
    assert t.strength == 0.75


def test_dates_strength_scale_headers_tabs_and_names_in_ties():
    g = sg.read_csv(
        io.StringIO("ID\tName\tLast Contact\nwang\t王建國\t2026年3月31日\nli\t李偉\t31/03/2026\n"),
        io.StringIO("Source\tTarget\tKind\tStrength\n李偉\t王建國\tadvises\t4\n"),
        strength_scale=5,
    )
    assert g.person("wang").last_contact == g.person("li").last_contact
    assert (g.ties[0].source, g.ties[0].target, g.ties[0].strength) == ("li", "wang", 0.8)
    with pytest.raises(ValidationError, match="dayfirst=True"):
        sg.read_csv(io.StringIO("id,last_contact\na,04/03/2026\n"))
    assert (
        sg.read_csv(io.StringIO("id,last_contact\na,04/03/2026\n"), dayfirst=True)
        .person("a")
        .last_contact.month
        == 3
    )
    with pytest.raises(ValidationError, match="strength_scale=5"):
        sg.read_csv(io.StringIO("id\na\nb\n"), io.StringIO("source,target,kind,strength\na,b,advises,4\n"))
    with pytest.raises(ValidationError, match="did you mean 'stance'"):
        sg.read_csv(io.StringIO("id,stnace\na,ally\n"))
    with pytest.raises(ValidationError, match="name of 2 people"):
        sg.read_csv(
            io.StringIO("id,name\na,Li\nb,Li\nc,Wang\n"), io.StringIO("source,target,kind\nLi,c,advises\n")
        )


def test_a_fully_quoted_header_and_cells_read_like_any_other():
    quoted = (
        '"id","name","stance","roles"\r\n"wang","王建國","支持者","決策者"\r\n"li","Li, Wei","neutral",""\r\n'
    )
    plain = 'id,name,stance,roles\nwang,王建國,supporter,decision_maker\nli,"Li, Wei",neutral,\n'
    assert sg.read_csv(io.StringIO(quoted)) == sg.read_csv(io.StringIO(plain))
    assert sg.read_csv(io.StringIO(quoted)).person("li").name == "Li, Wei"
