"""Units of the tables step: identities, model files, digit splitting, labels,
values, regions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.data import rules_dir
from gilint.model import TextBlock
from gilint.structure.knowledge import load_structure
from gilint.tables import TableModelError, load_table_models
from gilint.tables.expression import ExpressionError, Ref, parse_expression
from gilint.tables.labels import strip_numbering
from gilint.tables.observe import observe_lines
from gilint.tables.split import RowShape, split_pieces
from gilint.tables.values import parse_value
from gilint.text.normalize import normalize_block, normalize_label, split_lines

MODELS = load_table_models([rules_dir()])
TOTAL = (((6, 1.0), (0, -1.0), (1, -1.0), (2, -1.0), (3, -1.0), (4, -1.0), (5, -1.0)), 0.0)
ROW = RowShape(("count",) * 7, (TOTAL,))


# ------------------------------------------------------------- expressions


HEADING_SPLIT = load_structure().heading_split


def test_expression_is_linear() -> None:
    expression = parse_expression("total_processed == granted + sum(denied.*) - 2 * x + 3")
    assert expression.operator == "=="
    assert [(c, r.key) for c, r in expression.right.terms] == [
        (1.0, "granted"),
        (1.0, "denied.*"),
        (-2.0, "x"),
    ]
    assert expression.right.constant == 3.0
    assert parse_expression("fees[amount_10k_yuan] < 100000").left.terms[0][1] == Ref(
        "fees", "amount_10k_yuan"
    )


@pytest.mark.parametrize(
    "source", ["a +", "a == b == c", "a * b == c", "__import__('os') == 1", "a[b.*] == 1"]
)
def test_bad_expressions_are_refused(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse_expression(source)


def test_identities_are_bound_per_column_and_row() -> None:
    layout = MODELS["application"].layouts["2021"]
    balance = [i for i in layout.instances if i.identity.name == "balance"]
    assert len(balance) == 7
    outcome = next(i for i in layout.instances if i.identity.name == "outcome_total" and i.axis == "total")
    assert len(outcome.bound.coefficients) == 22  # （七）总计 and the 21 outcome rows, no subtotal row
    assert sum(1 for i in layout.instances if i.identity.name == "applicant_total") == 29
    old = MODELS["application"].layouts["2019"]
    assert len(next(i for i in old.instances if i.identity.name == "outcome_total").bound.coefficients) == 20


# ------------------------------------------------------------------ models


def test_layouts_have_the_mandated_rows() -> None:
    application = MODELS["application"]
    mandatory = {
        name: [r.key for r in application.layouts[name].rows if not r.optional] for name in ("2019", "2021")
    }
    assert len(mandatory["2021"]) == 25 and len(mandatory["2019"]) == 23
    assert "other" in mandatory["2019"] and "other" not in mandatory["2021"]
    proactive = MODELS["proactive"].layouts
    assert proactive["2021"].by_key["fees"].columns == ("amount_10k_yuan",)
    assert "procurement" in proactive["2019"].by_key and "procurement" not in proactive["2021"].by_key
    assert "本年新制作数量" in proactive["2019"].signals and "本年制发件数" in proactive["2021"].signals
    assert not MODELS["review_litigation"].layouts_differ


def _table_file(tmp_path: Path, text: str) -> Path:
    (tmp_path / "tables").mkdir(exist_ok=True)
    (tmp_path / "tables" / "bad.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("table: application\nrows: [{key: new, colour: red}]\n", "rows/0"),
        (
            "table: x\nrows: [{key: a}]\nidentities: [{name: i, code: GI201, expression: 'a +'}]\n",
            "identities/0",
        ),
        ("table: x\nrows: [{key: a}]\nidentities: [{name: i, code: GI201, expression: 'b == 1'}]\n", "'b'"),
        ("table: application\nrows: [{key: a}]\n", "already defined"),
        ("table: x\nextends: true\n", "no earlier file"),
        ("table: x\ncolumns: [{key: c}]\nrows: [{key: a, columns: [d]}]\n", "unknown column"),
    ],
)
def test_model_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TableModelError) as error:
        load_table_models([rules_dir(), _table_file(tmp_path, text)])
    assert "bad.yaml" in str(error.value) and message in str(error.value)


def test_models_are_cached() -> None:
    assert load_table_models([rules_dir()]) is MODELS


# ---------------------------------------------------------------- splitting


def _split(pieces: list[str], shapes=(ROW,)) -> list[list[str]]:
    result = split_pieces(tuple(pieces), tuple(shapes))
    return [
        ["/".join(pieces[s.piece][s.start : s.end] for s in row) for row in solution]
        for solution in result.solutions
    ]


@pytest.mark.parametrize(
    ("pieces", "split"),
    [
        (["640020470"], "64/0/0/2/0/4/70"),
        (["230", "000023"], "23/0/0/0/0/0/23"),
        (["1", "0", "0", "0", "0", "01"], "1/0/0/0/0/0/1"),
        (["21710000218"], "217/1/0/0/0/0/218"),
        (["20", "0", "00", "0", "121"], "20/0/0/0/0/1/21"),
    ],
)
def test_glued_rows_split_one_way(pieces: list[str], split: str) -> None:
    assert _split(pieces) == [[split]]


def test_ambiguous_and_impossible_splits() -> None:
    assert len(_split(["220000022"])) == 2  # 22/0/… or 2/20/…: only the columns decide
    assert _split(["0", "0", "0", "0", "0", "0"]) == []  # six cells cannot be seven
    assert _split(["1", "-10"], [RowShape(("count", "signed", "count"))]) == [["1/-1/0"]]


@settings(deadline=None)
@given(st.lists(st.sampled_from([0, 0, 0, 1, 2, 5, 9, 14, 37, 120, 300]), min_size=6, max_size=6))
def test_a_unique_split_is_the_true_row(parts: list[int]) -> None:
    row = "/".join(map(str, [*parts, sum(parts)]))
    result = split_pieces((row.replace("/", ""),), (ROW,), limit=2)
    assert result.exhausted or len(result.solutions) == 2 or _split([row.replace("/", "")]) == [[row]]


# ------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("2.其他法律行政止公开", "denied.law_prohibited"),
        ("（三）不予公开1.属于国家秘密", "denied.state_secret"),
        ("1、本机关不掌握相关政府信息", "unable.not_held"),
        ("(2)部分公开", "partial"),
        ("三、本年度办 理结果 （一）予以公开", "granted"),
        ("1.本机关不掌握相关政", "unable.not_held"),
        ("信息内容本年处理决定数量行政许可", None),
    ],
)
def test_labels_match_their_row(label: str, key: str | None) -> None:
    matcher = MODELS["application"].layouts["2021"].matcher
    found = matcher.match_fragments([label], last_only=True)
    assert (found[0].key if found else None) == key


def test_numbering_is_split_off() -> None:
    numbered = strip_numbering(normalize_label("三、（一）予以公开"))
    assert (numbered.level, numbered.number, numbered.text) == (2, 1, "予以公开")


# ------------------------------------------------------------- values, text


@pytest.mark.parametrize(
    ("raw", "kind", "value", "status"),
    [
        ("13", "count", 13, "ok"),
        ("1,234", "count", 1234, "ok"),
        ("+8", "signed", 8, "ok"),
        ("-3", "signed", -3, "ok"),
        ("-3", "count", -3, "negative"),
        ("4068.208", "amount", 4068.208, "ok"),
        ("251000元", "amount", 251000, "ok"),
        ("1.5", "count", 1.5, "decimal"),
        ("", "count", None, "blank"),
        ("/", "count", None, "marker"),
        ("—", "count", None, "marker"),
        ("无", "count", None, "marker"),
        ("若干", "count", None, "text"),
    ],
)
def test_values(raw: str, kind: str, value, status: str) -> None:
    parsed = parse_value(raw, kind)
    assert (parsed.value, parsed.status) == (value, status)


def test_flattened_row_labels_and_numbering() -> None:
    text = "（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开 1000001 2022年，共12件"
    lines = split_lines(normalize_block(TextBlock(text), HEADING_SPLIT))
    rows, shape = observe_lines([(line, 0, len(line.text)) for line in lines])
    assert shape == "lines"
    assert [([f.text for f in row.own], [p.text for p in row.pieces]) for row in rows] == [
        (["(三)不予公开1.属于国家秘密"], ["0000000"]),
        (["2.其他法律行政法规禁止公开"], ["1000001"]),
        (["2022年,共"], ["12件"]),
    ]
