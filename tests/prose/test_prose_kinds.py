"""GI207 text-table-mismatch, GI208 breakdown-sum, GI209 percentage, GI108
government-report-content, on hand-built reports."""

from __future__ import annotations

import pytest
from prose_helpers import make_report, run, table

from gilint.checks.kinds.prose import share_matches
from gilint.model import CellRef

# A consistent table 三 / 四 for the sentences below.
APPLICATION = {
    "new": 50,
    "carried_over": 0,
    "granted": 21,
    "partial": 5,
    "unable.not_held": 20,
    "unable.needs_creation": 2,
    "unable.unclear": 1,
    "not_processed.complaint": 1,
    "total_processed": 48,
    "carried_forward": 2,
}
REVIEW = {"review": 2, "litigation_direct": 1, "litigation_after_review": 0}


def _report(*paragraphs: str, application: dict | None = None, year: int = 2021):
    tables = {
        "application": table("application", application or APPLICATION),
        "review_litigation": table("review_litigation", REVIEW),
    }
    return make_report({1: list(paragraphs)}, tables=tables, year=year)


# ----------------------------------------------------------------- GI207

CONSISTENT = (
    "2021年，我局共收到政府信息公开申请50件，办结48件，结转下年度继续办理2件。"
    "全年办结的申请中，予以公开21件，部分公开5件，无法提供23件，不予处理1件。"
    "因政府信息公开被申请行政复议2件，被提起行政诉讼1件。"
)


def test_consistent_prose_is_quiet() -> None:
    assert run("GI207", _report(CONSISTENT)) == []


@pytest.mark.parametrize(
    ("old", "new", "cell", "prose", "table_value"),
    [
        ("收到政府信息公开申请50件", "收到政府信息公开申请57件", "application/new/total", 57, 50),
        ("办结48件", "办结47件", "application/total_processed/total", 47, 48),
        ("结转下年度继续办理2件", "结转下年度继续办理3件", "application/carried_forward/total", 3, 2),
        ("予以公开21件", "予以公开二十件", "application/granted/total", 20, 21),
        ("无法提供23件", "无法提供24件", "application/unable.not_held/total", 24, 23),
        ("行政复议2件", "行政复议3件", "review_litigation/review/total", 3, 2),
        ("行政诉讼1件", "行政诉讼4件", "review_litigation/litigation_direct/total", 4, 1),
    ],
)
def test_changed_figure_names_the_cell(old: str, new: str, cell: str, prose: int, table_value: int) -> None:
    (finding,) = run("GI207", _report(CONSISTENT.replace(old, new)))
    assert finding.cell == CellRef(*cell.split("/"))
    assert finding.data["prose"] == prose and finding.data["table"] == table_value
    assert str(prose) in finding.message["zh"] and str(table_value) in finding.message["zh"]
    assert finding.message["en"] and finding.location is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "2021年共收到申请50件，其中11件按程序办结，8件申请人撤销。",  # parts of the applications
        "2020年共收到政府信息公开申请30件。",  # another year
        "与上年相比，收到政府信息公开申请增加到60件。",  # another period's wording
        "通过网上平台收到政府信息公开申请20件。",  # one channel
        "其中自然人申请40件。",  # one kind of applicant
        "全年共收到政府信息公开申请约60件。",  # approximate
        "全年共收到咨询投诉类申请300件，办结290件。",  # another topic
        "区政府办代表区政府受理政府信息公开申请17件。",  # one office's share
        "全年受理审批事项117件，办结171件。",
        # a clause naming no topic takes the topic of the clause before it that names one
        "目前已入驻审批服务部门13个，开设窗口26个，共受理申请121510件。",
        # a clause without a figure of its own sets the period for the rest
        "截至去年底，累计收到政府信息公开申请300件。",
    ],
)
def test_conservative(sentence: str) -> None:
    assert run("GI207", _report(sentence)) == []


@pytest.mark.parametrize(
    ("sentence", "quantity", "prose"),
    [
        # 上年 names the period of its own clause only: the 办结 figure is this year's
        (
            "全年收到政府信息公开申请50件，上年结转0件，办结47件，结转下年度2件。",
            "application.total_processed",
            47,
        ),
        # another topic with its own figure does not change the next clause's topic
        ("全年受理群众咨询200件，收到政府信息公开申请57件。", "application.new", 57),
    ],
)
def test_topic_and_period_are_decided_per_clause(sentence: str, quantity: str, prose: int) -> None:
    (finding,) = run("GI207", _report(sentence))
    assert finding.data["quantity"] == quantity and finding.data["prose"] == prose


def test_prose_figures_that_do_not_balance() -> None:
    findings = run("GI208", _report("全年收到政府信息公开申请50件，上年结转0件，办结47件，结转下年度2件。"))
    (balance,) = [f for f in findings if f.data.get("identity") == "balance"]
    assert balance.data["residual"] == 1 and "50 + 0 ≠ 47 + 2" in balance.message["zh"]
    balanced = "全年收到政府信息公开申请50件，上年结转0件，办结48件，结转下年度2件。"
    assert run("GI208", _report(balanced)) == []
    # three of the four figures: nothing to check
    assert run("GI208", _report("全年收到政府信息公开申请50件，办结47件，结转下年度2件。")) == []
    # 「含上年结转」: the received figure is already a sum
    including = "全年受理政府信息公开申请50件（含上年结转5件），办结45件，结转下年度5件。"
    assert run("GI208", _report(including)) == []


def test_received_may_include_carried_over() -> None:
    application = {**APPLICATION, "new": 45, "carried_over": 5}
    assert run("GI207", _report("全年共受理政府信息公开申请50件。", application=application)) == []
    assert (
        run("GI207", _report("全年共受理政府信息公开申请50件（含上年结转5件）。", application=application))
        == []
    )
    # 「含上年结转」 says 50 includes last year's: then 50 must be new + carried over.
    application = {**APPLICATION, "new": 50, "carried_over": 5}
    (finding,) = run(
        "GI207", _report("全年共受理政府信息公开申请50件（含上年结转5件）。", application=application)
    )
    assert finding.data["table"] == 55 and finding.data["terms"] == [50, 5]


def test_nil_statement_against_the_table() -> None:
    (finding,) = run("GI207", _report("2021年全年未收到政府信息公开申请。"))
    assert finding.data["prose"] == 0 and finding.data["table"] == 50
    empty = {**APPLICATION, "new": 0}
    assert run("GI207", _report("2021年全年未收到政府信息公开申请。", application=empty)) == []
    # Not a nil count: outcomes of reviews, not their number.
    assert run("GI207", _report("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。")) == []


def test_no_tables_no_check() -> None:
    report = make_report({1: ["2021年共收到政府信息公开申请57件。"]})
    assert run("GI207", report) == []


def test_missing_cells_are_not_compared() -> None:
    application = {k: v for k, v in APPLICATION.items() if k != "new"}
    assert run("GI207", _report("2021年共收到政府信息公开申请57件。", application=application)) == []


# ----------------------------------------------------------------- GI208


@pytest.mark.parametrize(
    "sentence",
    [
        # seed 000's breakdowns, which add up
        "在网站主动公开政府信息60件，其中计划总结类2条、业务工作类2条、机构概况类5件、人事任免类4件、通知公告类44条、其他3件。",
        "2021年收到依申请公开50件，其中当面申请1件，网络申请37件，信函申请12件，内容主要涉及项目环评。",
        "全年办结50件，其中属于同意公开21件，部分公开5件，无法提供23件，不予处理1件。",
        # not exhaustive: 等, or a few outcomes only
        "主动公开信息100条，其中:减税降费22条，政策解读共2条；其他文件共54条等。",
        "全年办结50件，其中同意公开21件，部分公开5件。",
        # the next list after ；
        "办结47件，其中予以公开21件，部分公开4件，不予公开6件，无法提供11件，不予处理2件，其他处理3件；结转下年度继续办理4件。",
        "行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件；行政诉讼46件，其中结果维持25件。",
        # approximate figures are never checked
        "主动公开信息1300余条，其中动态类1200余条，其他类6条。",
        # the parts of the parts after a second total
        "收到申请21条，其中当面申请18条，电子邮件申请3条；答复总数21条，其中同意公开17条，其它2条，免于公开2条。",
        # the next sentence is a statement of its own, not more parts
        "收到申请50件，其中当面申请10件。办结申请30件。",
        "主动公开信息60条，其中法规类10条，占16.7%。全年办结申请30件。",
        # parts that run on into the next sentence and add up (016's template)
        "主动公开政府信息4970条。其中，区直、县直各单位主动公开政府信息3933条，占79%。各乡镇主动公开政府信息1037条，占21%。",
    ],
)
def test_breakdowns_that_add_up_or_are_not_exhaustive(sentence: str) -> None:
    assert run("GI208", _report(sentence)) == []


@pytest.mark.parametrize(
    ("sentence", "total", "terms"),
    [
        ("收到申请50件，其中当面申请1件，网络申请37件，信函申请13件。", 50, [1, 37, 13]),
        ("收到申请50件，其中当面申请1件，网络申请30件，信函申请12件。", 50, [1, 30, 12]),
        ("主动公开信息60条。其中，概况类2条；法规类10条；其他信息40条。", 60, [2, 10, 40]),
        ("办结50件，其中同意公开31件，部分公开5件，无法提供23件。", 50, [31, 5, 23]),
        ("共受理申请20件，分别为自然人12件、企业9件。", 20, [12, 9]),
        # parts in the next sentence, worded alike, shares adding up to 100% (013)
        (
            "主动公开信息1913条。其中，区直各单位公开信息1397条，占73%。各乡镇公开信息534条，占27%。",
            1913,
            [1397, 534],
        ),
    ],
)
def test_breakdowns_that_do_not_add_up(sentence: str, total: int, terms: list[int]) -> None:
    (finding,) = run("GI208", _report(sentence))
    assert finding.data["total"] == total and finding.data["terms"] == terms
    assert str(sum(terms)) in finding.message["zh"] and " + ".join(map(str, terms)) in finding.message["zh"]


# ----------------------------------------------------------------- GI209


@pytest.mark.parametrize(
    ("count", "base", "percent", "decimals", "ok"),
    [
        (66, 107, 61.7, 1, True),
        (41, 107, 38.3, 1, True),
        (66, 107, 61.6, 1, True),  # truncated
        (66, 107, 60.7, 1, False),
        (60, 2026, 2.9, 1, True),  # 2.96 truncated
        (1397, 1913, 73, 0, True),
        (145, 1913, 8.05, 2, False),
        (3, 8, 37.5, 1, True),
        (1, 3, 33.33, 2, True),
        (1, 3, 33, 0, True),
        (2, 2, 100, 0, True),
        (1, 0, 0, 0, False),
    ],
)
def test_share_matches(count: int, base: int, percent: float, decimals: int, ok: bool) -> None:
    assert share_matches(count, base, percent, decimals) is ok


NANNING = [
    "我局2008共主动公开政府信息107条，主要包括以下内容：政策法规、办事制度等。",
    "在主动公开的信息中，政策法规类的信息66条，占",
    "61.7%；属于本单位业务类信息41条，占38.3%。",
]


def test_shares_of_a_total_stated_before() -> None:
    assert run("GI209", make_report({1: NANNING}, year=2008, profile="legacy")) == []
    changed = [NANNING[0], NANNING[1], NANNING[2].replace("61.7%", "60.7%")]
    (finding,) = run("GI209", make_report({1: changed}, year=2008, profile="legacy"))
    assert finding.data == {
        "count": 66,
        "base": 107,
        "stated": 60.7,
        "computed": pytest.approx(61.6822, abs=1e-4),
    }
    assert "107" in finding.message["zh"] and "61.68" in finding.message["zh"]


@pytest.mark.parametrize(
    ("paragraph", "findings"),
    [
        (
            "办结依申请公开81件，其中：予以公开42件，占51.85%；不予公开5件，占6.17%；其他处理34件，占41.98%。",
            0,
        ),
        (
            "办结依申请公开81件，其中：予以公开42件，占52.85%；不予公开5件，占6.17%；其他处理34件，占41.98%。",
            1,
        ),
        ("在网站主动公开的1913条政府信息中，职能信息133条，占6.95%；行政许可类信息145条，占8.05%。", 1),
        ("区直各单位主动公开政府信息303条，占71.3%。各乡镇主动公开政府信息122条，占28.7%。", 0),
        ("收到申请共计8件。其中，同意公开3件，占比37.5%；无法提供4件，占比50%；部分公开1件，占比12.5%。", 0),
        ("予以公开208件(17.46%)，不予公开20件(1.68%)，无法提供564件(47.36%)，其他处理399件(33.5%)。", 0),
        ("网上申请40件，占83.3%。", 0),  # no base stated: not checked
        ("约4900人次咨询，其中现场咨询1600人次，占30%。", 0),  # approximate base
    ],
)
def test_shares(paragraph: str, findings: int) -> None:
    assert len(run("GI209", _report(paragraph))) == findings


# ----------------------------------------------------------------- GI108


def test_government_report_must_mention_assessment() -> None:
    silent = make_report({1: ["2021年，我区政府信息公开工作有序开展。"]}, agency_kind="government")
    (finding,) = run("GI108", silent)
    assert finding.data["missing"] == ["assessment", "public_review", "accountability"]
    assert "工作考核、社会评议、责任追究" in finding.message["zh"]
    partial = make_report({5: ["将政府信息公开工作纳入绩效考核。"]}, agency_kind="government")
    assert run("GI108", partial)[0].data["missing"] == ["public_review", "accountability"]
    full = make_report({1: ["开展工作考核、社会评议，落实责任追究。"]}, agency_kind="government")
    assert run("GI108", full) == []
    assert run("GI108", make_report({1: ["无。"]}, agency_kind="department")) == []
