"""gilint.text.quantities: Chinese and Arabic numerals, quantities with units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gilint.text.quantities import (
    find_quantities,
    format_value,
    may_hold_money,
    parse_chinese_int,
    parse_number,
    to_chinese,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("零", 0),
        ("〇", 0),
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十一", 11),
        ("一十一", 11),
        ("二十", 20),
        ("廿一", 21),
        ("一百", 100),
        ("一百零五", 105),
        ("一百二十三", 123),
        ("一百五", 150),  # spoken short form
        ("两百", 200),
        ("一千零五", 1005),
        ("一千零十", 1010),
        ("一千零一十", 1010),
        ("三千五百", 3500),
        ("一万", 10_000),
        ("一万五", 15_000),
        ("两万三千", 23_000),
        ("十万", 100_000),
        ("一万零五百", 10_500),
        ("一亿零一万", 100_010_000),
        ("壹佰贰拾叁", 123),
        ("二〇二一", 2021),
        ("二O一O", 2010),
        ("二○一一", 2011),
        ("二零二二", 2022),
        ("一九九九", 1999),
    ],
)
def test_parse_chinese_int(text: str, value: int) -> None:
    assert parse_chinese_int(text) == value


@pytest.mark.parametrize(
    "text", ["", "十十", "百", "千五", "一二百", "万", "亿", "一百千", "O", "O一", "是", "一万万"]
)
def test_parse_chinese_int_rejects_garbage(text: str) -> None:
    assert parse_chinese_int(text) is None


def test_digit_strings_can_be_refused() -> None:
    assert parse_chinese_int("二〇二一", digit_string=False) is None
    assert parse_chinese_int("三", digit_string=False) == 3


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (0, "零"),
        (10, "十"),
        (15, "十五"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (10010, "一万零一十"),
        (100_000, "十万"),
        (100_000_005, "一亿零五"),
        (10_001_000, "一千万一千"),
        (20_300, "二万零三百"),
    ],
)
def test_to_chinese(number: int, numeral: str) -> None:
    assert to_chinese(number) == numeral


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_round_trip(number: int) -> None:
    assert parse_chinese_int(to_chinese(number)) == number


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_liang_spelling(number: int) -> None:
    # 两 is written for 二 before a unit (两百, 两万): same value.
    numeral = to_chinese(number)
    spoken = "".join(
        "两" if ch == "二" and index + 1 < len(numeral) and numeral[index + 1] in "百千万亿" else ch
        for index, ch in enumerate(numeral)
    )
    assert parse_chinese_int(spoken) == number


@given(st.integers(min_value=1900, max_value=2099), st.sampled_from("〇○O零"))
def test_year_digit_strings(year: int, zero: str) -> None:
    digits = "".join(zero if ch == "0" else "零一二三四五六七八九"[int(ch)] for ch in str(year))
    assert parse_chinese_int(digits) == year


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["件", "条", "个", "人次", "项"]))
def test_find_chinese_quantity(number: int, unit: str) -> None:
    text = f"全年共收到{to_chinese(number)}{unit}。"
    (quantity,) = find_quantities(text)
    assert (quantity.value, quantity.unit, quantity.approximate) == (number, unit, False)
    assert text[quantity.start : quantity.end] == quantity.text


@given(st.integers(min_value=0, max_value=10**9))
def test_find_arabic_quantity_with_separators(number: int) -> None:
    for written in (
        str(number),
        f"{number:,}",
        str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ):
        (quantity,) = find_quantities(f"办结{written}件")
        assert quantity.value == number


def test_quantities_in_a_sentence() -> None:
    text = "2021年收到依申请公开50件，其中当面申请1件，网络申请 37 件，信函申请十二件。"
    found = find_quantities(text)
    assert [(q.value, q.unit) for q in found] == [(50, "件"), (1, "件"), (37, "件"), (12, "件")]
    assert [text[q.start : q.end] for q in found] == ["50件", "1件", "37 件", "十二件"]


@pytest.mark.parametrize(
    ("text", "value", "unit", "approximate"),
    [
        ("1300余条", 1300, "条", True),
        ("二十多件", 20, "件", True),
        ("约20人次", 20, "人次", True),
        ("近百件", 100, "件", True),
        ("50件左右", 50, "件", True),
        ("100条以上", 100, "条", True),
        ("1.5万件", 15_000, "件", False),
        ("3万余条", 30_000, "条", True),
        ("18651.06万元", 18651.06, "万元", False),
        ("5万元", 5, "万元", False),
        ("400元", 400, "元", False),
        ("61.7%", 61.7, "%", False),
        ("６１．７％", 61.7, "%", False),
        ("百分之六十", 60, "%", False),
        ("百分之三点五", 3.5, "%", False),
        ("3个百分点", 3, "百分点", False),
        ("15个工作日", 15, "工作日", False),
    ],
)
def test_quantity_forms(text: str, value: float, unit: str, approximate: bool) -> None:
    (quantity,) = find_quantities(text)
    assert (quantity.value, quantity.unit, quantity.approximate) == (value, unit, approximate)


def test_decimals_as_written() -> None:
    assert [q.decimals for q in find_quantities("占61.7%，占51.85%，占73%，0.50万元")] == [1, 2, 0, 2]


@pytest.mark.parametrize(
    "text",
    [
        "第3次会议",
        "第一次",
        "国办发〔2017〕47号",
        "电话0519-85685811",
        "一是加强",
        "进一步",
        "七八个",
        "2021年",
        "OA系统",
    ],
)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_money_and_counts() -> None:
    fee, notices = find_quantities("收取信息处理费0.04万元，发出收费通知2件")
    assert fee.is_money and fee.yuan() == pytest.approx(400)
    assert notices.is_count and not notices.is_money


def test_parse_number_and_format() -> None:
    assert parse_number("1,234") == 1234
    assert parse_number("一百") == 100
    assert parse_number("abc") is None
    assert format_value(61.70) == "61.7"
    assert format_value(50.0) == "50"
    assert format_value(7) == "7"


@given(st.text(alphabet="0123456789.一二十百千万亿余多元件条人次%收费金额为 ，", max_size=40))
def test_a_text_without_yuan_holds_no_money(text: str):
    """may_hold_money spares the fee rules find_quantities: it may only say no where
    find_quantities finds no money quantity."""
    if any(quantity.is_money for quantity in find_quantities(text)):
        assert may_hold_money(text)
    assert may_hold_money(text) == ("元" in text)
