"""GI401 year-mismatch, GI402 late-publication, GI404 invalid-date."""

from __future__ import annotations

import pytest
from prose_helpers import make_report, run

OPENING = "2021年，市生态环境局认真贯彻落实《条例》。"
PERIOD = "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。"


def test_consistent_years() -> None:
    report = make_report({1: [OPENING]}, preamble=(PERIOD,))
    assert run("GI401", report) == []


def test_title_contradicted_by_the_whole_body() -> None:
    report = make_report(
        {1: ["2009年，我局继续认真贯彻落实《条例》。"]},
        title="绵阳市环境保护局2012政府信息公开工作总结",
        preamble=(
            "2009政府信息公开工作总结",
            "我局经过2009年的政府信息公开实践，对2009年政府信息公开工作总结如下:",
        ),
        year=2012,
        profile="legacy",
    )
    (finding,) = run("GI401", report)
    assert finding.data["title_year"] == 2012 and finding.data["body_year"] == 2009
    assert "2012" in finding.message["zh"] and "2009" in finding.message["zh"]
    assert finding.location is not None and finding.location.line == 1


def test_one_piece_of_evidence_disagrees() -> None:
    wrong_period = PERIOD.replace("2021", "2020")
    report = make_report({1: [OPENING]}, preamble=(wrong_period,))
    (finding,) = run("GI401", report)
    assert finding.data == {"title_year": 2021, "year": 2020, "source": "period"}
    assert finding.location is not None and finding.location.line == 2


def test_years_in_quoted_titles_and_dates_are_not_evidence() -> None:
    report = make_report(
        {1: ["2022年1月，我局部署年报编制工作。", "2021年，我局…"]},
        preamble=("根据《关于做好2020年度政府信息公开工作年度报告编制工作的通知》要求，编制本报告。",),
    )
    assert run("GI401", report) == []


@pytest.mark.parametrize(
    ("kind", "profile", "year", "date", "late"),
    [
        ("department", "2021", 2021, "2022年1月31日", False),
        ("department", "2021", 2021, "2022年2月1日", True),
        ("government", "2021", 2021, "2022年3月31日", False),
        ("government", "2021", 2021, "2022年4月1日", True),
        ("unknown", "2021", 2021, "2022年3月31日", False),
        ("department", "2019", 2020, "2021年2月23日", True),
        ("department", "legacy", 2011, "2012年3月31日", False),
        ("department", "legacy", 2011, "二○一二年四月一日", True),
    ],
)
def test_deadline(kind: str, profile: str, year: int, date: str, late: bool) -> None:
    report = make_report(
        {1: [OPENING]}, signature=("某局", date), year=year, profile=profile, agency_kind=kind, title=None
    )
    findings = run("GI402", report)
    assert bool(findings) is late
    if late:
        assert findings[0].data["days_late"] >= 1 and "晚" in findings[0].message["zh"]


def test_late_publication_stamp() -> None:
    report = make_report(
        {1: [OPENING]},
        preamble=("2022-02-23 17:37      来源:某局      浏览量:77",),
        signature=("某局", "2022年1月20日"),
    )
    (finding,) = run("GI402", report)
    assert finding.data == {"date": "2022-02-23", "deadline": "2022-01-31", "days_late": 23}
    assert finding.location is not None and finding.location.line == 2


def test_signature_reported_before_stamp() -> None:
    report = make_report(
        {1: [OPENING]},
        preamble=("2022-02-23 17:37      来源:某局",),
        signature=("某局", "2022年2月23日"),
    )
    (finding,) = run("GI402", report)
    assert finding.location is not None and finding.location.line == 6


def test_invalid_dates() -> None:
    report = make_report({1: ["2021年2月30日，我局召开会议；2021年4月31日再次部署。"]})
    findings = run("GI404", report)
    assert [f.data["date"] for f in findings] == ["2021年2月30日", "2021年4月31日"]
    assert "不存在" in findings[0].message["zh"]


@pytest.mark.parametrize(
    ("date", "early"), [("2021年12月1日", True), ("2021年12月31日", False), ("2022年1月5日", False)]
)
def test_signature_before_the_year_ended(date: str, early: bool) -> None:
    report = make_report({1: [OPENING]}, signature=("某局", date))
    assert bool(run("GI404", report)) is early
