"""gilint.text.dates: dates, periods, report years, publication stamps."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.patterns import linear
from gilint.text import dates
from gilint.text.dates import (
    DateMatch,
    find_dates,
    find_periods,
    opening_year,
    parse_date,
    period_years,
    publication_stamps,
    report_years,
    statistics_periods,
    subject_years,
    title_year,
    year_tokens,
)
from gilint.text.quantities import ascii_digits, to_chinese

_DAYS = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31))


def _chinese_year(year: int, zero: str = "〇") -> str:
    return "".join(zero if ch == "0" else "零一二三四五六七八九"[int(ch)] for ch in str(year))


def _renderings(day: datetime.date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    return [
        f"{y}年{m}月{d}日",
        f"{y} 年 {m:02d} 月 {d:02d} 日",
        f"{_chinese_year(y)}年{to_chinese(m)}月{to_chinese(d)}日",
        f"{_chinese_year(y, 'O')}年{to_chinese(m)}月{to_chinese(d)}日",
        f"{_chinese_year(y, '○')}年{'元' if m == 1 else to_chinese(m)}月{to_chinese(d)}日",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}-{m:02d}-{d:02d} 17:37",
        f"{y}.{m}.{d}",
        f"{y}/{m:02d}/{d:02d}",
    ]


@given(_DAYS)
def test_every_form_round_trips(day: datetime.date) -> None:
    for written in _renderings(day):
        text = f"落款：{written}。"
        (found,) = find_dates(text)
        assert found.date == day, written
        assert text[found.start : found.end] == found.text == written


@given(st.integers(min_value=1990, max_value=2099), st.integers(min_value=1, max_value=12))
def test_impossible_days_are_reported_not_raised(year: int, month: int) -> None:
    text = f"{year}年{month}月32日"
    (found,) = find_dates(text)
    assert not found.valid and found.problem == "day" and found.date is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2021年2月30日", "day"),
        ("2021年2月29日", "day"),
        ("2020年2月29日", None),
        ("2021年13月1日", "month"),
        ("二〇二一年二月三十日", "day"),
        ("2021-04-31", "day"),
        ("2021年4月30日", None),
    ],
)
def test_validity(text: str, problem: str | None) -> None:
    (found,) = find_dates(text)
    assert found.problem == problem
    assert found.valid is (problem is None)


def test_stamp_time() -> None:
    found = parse_date("2021-02-23 17:37      来源:昭通市生态环境局")
    assert found is not None and (found.date, found.hour, found.minute) == (
        datetime.date(2021, 2, 23),
        17,
        37,
    )


def test_partial_dates_only_on_request() -> None:
    text = "平潭综合实验区管委会办公室 二〇一三年一月；12月31日前"
    assert find_dates(text) == []
    forms = [(d.form, d.year, d.month, d.day) for d in find_dates(text, partial=True)]
    assert forms == [("year_month", 2013, 1, None), ("month_day", None, 12, 31)]


def test_not_dates() -> None:
    assert find_dates("电话0519-85685811，国办发〔2017〕47号，版本1.2.3，共2021件") == []


@pytest.mark.parametrize(
    ("text", "first", "last", "statistics"),
    [
        ("本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。", "2021-01-01", "2021-12-31", True),
        ("2020年1月1日至2020年12月31日，我市局网站上主动公开", "2020-01-01", "2020-12-31", False),
        ("2013年1月1日至12月31日期间我局办公室未收到", "2013-01-01", "2013-12-31", False),
        ("统计期限自 1 2009年1月1日至2009年12月31 日止", "2009-01-01", "2009-12-31", True),
        ("本报告所列数据统计期限从2025年1月1日\n至2025年12月31日止", "2025-01-01", "2025-12-31", True),
        ("统计期限为2019年9月1日至2019年12月31日", "2019-09-01", "2019-12-31", True),
        ("统计时间：2022.1.1—2022.12.31", "2022-01-01", "2022-12-31", True),
    ],
)
def test_periods(text: str, first: str, last: str, statistics: bool) -> None:
    (period,) = find_periods(text)
    assert (period.first.iso(), period.last.iso(), period.statistics) == (first, last, statistics)


def test_period_years() -> None:
    assert [y.year for y in period_years("统计期限为2019年9月1日至2019年12月31日")] == [2019]
    assert [y.year for y in period_years("2021年1月1日至2021年12月31日")] == [2021]
    # A campaign within the year is not a statistics period.
    assert period_years("2020年3月1日至2020年5月31日开展专项行动") == []
    # Spanning two years says nothing about one report year.
    assert period_years("统计期限自2020年7月1日至2021年6月30日") == []


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("常州市生态环境局2021年政府信息公开工作年度报告", 2021),
        ("常州市生態環境局2021年政府信息公開工作年度報告", 2021),
        ("2020年昭通市生态环境局政府信息公开工作年度报告", 2020),
        ("第二篇:绵阳市环境保护局2009政府信息公开工作总结", 2009),
        ("南宁市环境保护局2008政府信息公开工作报告", 2008),
        ("某区人民政府二〇二一年度政府信息公开工作年度报告", 2021),
        ("平潭综合实验区财政金融局2018 年政府信息公开工作年度报告", 2018),
        ("关于2022年1月发布的某局2021年度政府信息公开工作年度报告", 2021),
        ("沐阳县人民政府 2025 年 政府信息公开工作年度报告", 2025),
    ],
)
def test_title_year(title: str, year: int) -> None:
    found = title_year(title)
    assert found is not None and found.year == year and found.source == "title"
    assert title[found.start : found.end] == found.text


def test_title_without_year() -> None:
    assert title_year("政府信息公开工作年度报告") is None
    assert title_year("依据国办发〔2017〕47号") is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2021年，市生态环境局认真贯彻落实《条例》", 2021),
        ("2020年,昭通市生态环境局以习近平新时代", 2020),
        ("2009年度主动公开更新政府信息898条", 2009),
        ("二〇二一年，我区", 2021),
        ("2020年2月按照《通知》要求", None),
        ("2004年10月，我局开设了网站", None),
        ("我局经过2009年的政府信息公开实践", None),
    ],
)
def test_opening_year(text: str, year: int | None) -> None:
    found = opening_year(text)
    assert (found.year if found else None) == year


def test_subject_years_skip_quoted_titles() -> None:
    text = (
        "根据《关于做好2009年政府信息公开年度报告编制工作的通知》(绵府函[2010]64号)，"
        "现就我局2008年政府信息公开工作报告如下"
    )
    assert [y.year for y in subject_years(text)] == [2008]


def test_year_tokens_skip_dates_and_numbers() -> None:
    text = "2021年2月，依据〔2019〕60号，2020年度工作"
    assert [y.year for y in year_tokens(text)] == [2020]


def test_report_years_of_a_whole_text() -> None:
    text = "\n".join(
        [
            "第三篇:绵阳市环境保护局2012政府信息公开工作总结",
            "绵阳市环境保护局",
            "2009政府信息公开工作总结",
            "我局经过2009年的政府信息公开实践，对2009年政府信息公开工作总结如下:",
            "一、政府信息公开制度完善、机制创新",
            "2009年，我局继续认真贯彻落实《条例》",
            "本报告所列数据的统计期限自2009年1月1日起至2009年12月31日止。",
        ]
    )
    found = [(y.source, y.year) for y in report_years(text)]
    assert found == [
        ("title", 2012),
        ("heading", 2009),
        ("subject", 2009),
        ("subject", 2009),
        ("opening", 2009),
        ("period", 2009),
    ]
    for year in report_years(text):
        assert text[year.start : year.end] == year.text


def test_publication_stamps() -> None:
    text = "2021-02-23 17:37  来源:某局\n发布时间: 2012-04-11 00:00\n发布日期：2022年1月10日\n2021年2月23日"
    assert [s.iso() for s in publication_stamps(text)] == ["2021-02-23", "2012-04-11", "2022-01-10"]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("本报告所列数据的统计期限自2018月1日起至2018年12月31日。", ("start_incomplete",)),
        ("本报告所列数据的统计期限自至。", ("start_missing", "end_missing")),
        ("统计期限为2024年至2024年12月31日。", ("start_incomplete",)),
        ("统计期限自2021年1月1日起至。", ("end_missing",)),
        ("统计期限自2013年1月1日起至2013年12月31日止。", ()),
        ("统计周期为 2024 年 1 月 1 日至 12 月 31 日。", ()),
        ("数据统计期限为二〇二一年一月一日至二〇二一年十二月三十一日。", ()),
        ("统计期限自 1 2009年1月1日至2009年12月31 日止。", ()),  # a stray footnote mark
    ],
)
def test_statistics_period_statements(text: str, problems: tuple[str, ...]) -> None:
    (period,) = statistics_periods(text)
    assert period.problems == problems


def test_a_deadline_is_not_a_period() -> None:
    assert statistics_periods("统计时间截至2021年12月31日。") == []


def _reference_dates(text: str, partial: bool) -> tuple[DateMatch, ...]:
    """``_find_dates`` as it was before its prefilters: every form searched once the text
    holds a 月 or joined digits (one pattern for both), whatever else it holds."""
    scan = ascii_digits(text)
    if not _REFERENCE_HINT.search(scan):
        return ()
    forms = [*dates._FULL_FORMS]
    if partial:
        forms += [("month_day", dates._MONTH_DAY), ("year_month", dates._YEAR_MONTH)]
    candidates = []
    for form, pattern in forms:
        for match in pattern.finditer(scan):
            found = dates._date_from(match, form, text)
            if found is not None:
                candidates.append(found)
    return tuple(dates._non_overlapping(candidates))


_REFERENCE_HINT = linear(r"月|[0-9][ ]*[-./][ ]*[0-9]")
# Every character the date forms are written with, and a few they are not.
_DATE_ALPHABET = sorted(set("0123456789年月日号元十廿一二三四五六七八九〇○Oo零-./ :T\t\n至到份起止,。a"))


@given(st.text(alphabet=st.sampled_from(_DATE_ALPHABET), max_size=40), st.booleans())
@settings(max_examples=3000, deadline=None)
def test_find_dates_agrees_with_the_unfiltered_search(text: str, partial: bool) -> None:
    assert dates._find_dates(text, partial) == _reference_dates(text, partial)


@given(_DAYS, st.sampled_from(["", "自", "截至", "于", "2021年", "12月"]), st.booleans())
def test_find_dates_agrees_on_written_dates(day: datetime.date, before: str, partial: bool) -> None:
    for written in _renderings(day):
        text = f"{before}{written}至{day.month}月{day.day}日"
        assert dates._find_dates(text, partial) == _reference_dates(text, partial)
