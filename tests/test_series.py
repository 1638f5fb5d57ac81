"""Across reports (issue 9): grouping by agency and year, GI501 carry-over, GI502 copied
text, GI503 two reports of one year; the agency map and gi502-threshold.

Reports of one agency over several years are made from examples/clean-2021.md (title,
years and table 三's carry-over rows rewritten), so that every assertion is about the
cross-report step alone."""

from __future__ import annotations

import io
import json
import pickle
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gilint.checks.series.agency import AgencyMapError, AgencyNames, load_agency_map
from gilint.checks.series.engine import run_series_rules
from gilint.checks.series.group import group_reports
from gilint.checks.series.similarity import _SEPARATORS, Masker, Prose, removed_pattern
from gilint.cli import main
from gilint.model import Location, ParagraphAnchor, ProseLine, SectionText, TableAnchor
from gilint.pipeline import Linter

CLEAN = Path(__file__).resolve().parent.parent / "examples" / "clean-2021.md"
AGENCY = "青禾市生态环境局"
COLUMNS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")
PROCESSED = (34, 8, 1, 1, 2, 1)  # （七）总计 of the example, per applicant column

# ------------------------------------------------------------------ fixtures


def _row(label: str, values: tuple[int, ...]) -> str:
    """A table 三 row: six applicant columns, then the total (their sum unless given)."""
    cells = values if len(values) == 7 else (*values, sum(values))
    return f"| {label} | | | " + " | ".join(str(v) for v in cells) + " |"


def make_report(
    year: int,
    carried_over: tuple[int, ...],
    carried_forward: tuple[int, ...],
    agency: str = AGENCY,
    overview: str | None = None,
    problems: str | None = None,
    other: str | None = None,
) -> str:
    """The clean example as ``agency``'s report for ``year``, with table 三's carry-over
    rows set (本年新收 adjusted so that the year still balances)."""
    text = CLEAN.read_text(encoding="utf-8")
    text = text.replace("2025年1月20日", f"{year + 1}年1月20日").replace("2024", str(year))
    text = text.replace(f"{AGENCY}{year}年政府信息", f"{agency}{year}年政府信息", 1)
    new = tuple(
        p + f - int(o or 0) for p, f, o in zip(PROCESSED, carried_forward, carried_over[:6], strict=True)
    )
    rows = {
        "一、本年新收政府信息公开申请数量": new,
        "二、上年结转政府信息公开申请数量": carried_over,
        "四、结转下年度继续办理": carried_forward,
    }
    for label, values in rows.items():
        text = re.sub(rf"^\| {label} .*$", _row(label, values), text, flags=re.M)
    if overview is not None:
        text = _replace_section(text, "## 一、总体情况", "## 二、", overview)
    if problems is not None:
        text = _replace_section(text, "## 五、存在的主要问题及改进情况", "## 六、", problems)
    if other is not None:
        text = _replace_section(text, "## 六、其他需要报告的事项", AGENCY + "\n", other)
    return text


def _replace_section(text: str, heading: str, following: str, body: str) -> str:
    start = text.index(heading) + len(heading)
    end = text.index(following, start)
    return text[:start] + "\n\n" + body + "\n\n" + text[end:]


def _check(paths: list[str], *options: str) -> tuple[int, list[dict]]:
    out = io.StringIO()
    code = main(["check", *paths, "--output-format", "json", *options], out=out)
    return code, json.loads(out.getvalue())["files"]


def _findings(files: list[dict], code: str) -> list[tuple[str, dict]]:
    return [(Path(f["path"]).name, d) for f in files for d in f["diagnostics"] if d["code"] == code]


FORWARD_2022 = (3, 1, 0, 0, 0, 0)
FORWARD_2023 = (2, 0, 0, 0, 1, 0)


@pytest.fixture
def three_years(tmp_path: Path):
    """Writes 2022, 2023 and 2024 of one agency; returns the writer (to break a year)."""

    def write(over_2023: tuple[int, ...] = FORWARD_2022, agency_2022: str = AGENCY) -> Path:
        reports = {
            2022: make_report(2022, (1, 0, 0, 0, 0, 0), FORWARD_2022, agency=agency_2022),
            2023: make_report(2023, over_2023, FORWARD_2023),
            2024: make_report(2024, FORWARD_2023, (0, 0, 0, 0, 0, 0)),
        }
        for year, text in reports.items():
            (tmp_path / f"report-{year}.md").write_text(text, encoding="utf-8")
        return tmp_path

    return write


# ------------------------------------------------------------------ GI501


def test_consistent_years_have_no_cross_report_error(three_years):
    code, files = _check([str(three_years())], "--select", "GI5")
    assert _findings(files, "GI501") == []
    assert code == 0


def test_a_broken_carry_over_gives_one_gi501_at_that_cell_with_both_numbers(three_years):
    # 2022 carried 3 natural persons forward, 2023 says 4 (its total, 4, is right)
    folder = three_years(over_2023=(4, 1, 0, 0, 0, 0, 4))
    _, files = _check([str(folder)], "--select", "GI501")
    found = _findings(files, "GI501")
    assert len(found) == 1
    name, diagnostic = found[0]
    assert name == "report-2023.md"
    assert diagnostic["cell"] == {"table": "application", "row": "carried_over", "column": "natural_person"}
    row_line = next(
        number
        for number, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("| 二、上年结转")
    )
    assert diagnostic["line"] == row_line
    assert "4" in diagnostic["message"] and "3" in diagnostic["message"]
    assert "report-2022.md" in diagnostic["message"]


def test_a_blank_carry_over_cell_is_not_compared(three_years):
    folder = three_years(over_2023=("", 1, 0, 0, 0, 0, 4))  # 2022 carried 3 forward; 2023 left it blank
    _, files = _check([str(folder)], "--select", "GI501")
    assert _findings(files, "GI501") == []


def test_each_cross_report_finding_follows_its_own_files_configuration(three_years):
    folder = three_years(over_2023=(4, 1, 0, 0, 0, 0, 4))  # 2023 breaks 2022's carry-over
    later = folder / "later"
    later.mkdir()
    (folder / "report-2024.md").unlink()  # 2024 in a folder of its own, breaking 2023's too
    (later / "report-2024.md").write_text(make_report(2024, (9, 0, 0, 0, 1, 0), (0,) * 6), encoding="utf-8")
    _, files = _check([str(folder)], "--select", "GI501")
    assert {name for name, _ in _findings(files, "GI501")} == {"report-2023.md", "report-2024.md"}
    (later / ".gilint.yaml").write_text("per-file-ignores:\n  'report-*.md': [GI501]\n", encoding="utf-8")
    _, files = _check([str(folder)], "--select", "GI501")
    assert {name for name, _ in _findings(files, "GI501")} == {"report-2023.md"}
    (later / ".gilint.yaml").write_text("select: [GI1\n", encoding="utf-8")  # broken: its findings go
    _, files = _check([str(folder)], "--select", "GI501")
    assert {name for name, _ in _findings(files, "GI501")} == {"report-2023.md"}


def test_gi501_data_and_english_message(three_years):
    folder = three_years(over_2023=(4, 1, 0, 0, 0, 0, 4))
    out = io.StringIO()
    main(["check", str(folder), "--select", "GI501", "--output-format", "concise", "--lang", "en"], out=out)
    line = next(line for line in out.getvalue().splitlines() if "GI501" in line)
    assert "is 4" in line and "carried 3 forward" in line and "natural person" in line


def test_renamed_agency_merges_with_an_agency_map(three_years, tmp_path: Path):
    folder = three_years(over_2023=(4, 1, 0, 0, 0, 0, 4), agency_2022="青禾市环境保护局")
    _, files = _check([str(folder)], "--select", "GI501")
    assert _findings(files, "GI501") == []  # 2022 is another agency's as far as names go
    for name, content in {
        "map.yaml": f"青禾市环境保护局: {AGENCY}\n",
        "map2.yaml": f"{AGENCY}: [青禾市环境保护局, 青禾市环保局]\n",
        "map.csv": f"variant,canonical\n青禾市环境保护局,{AGENCY}\n",
        "map2.csv": f"青禾市環境保護局,{AGENCY}\n",  # no header, traditional script
    }.items():
        agency_map = tmp_path.parent / name
        agency_map.write_text(content, encoding="utf-8")
        _, files = _check([str(folder)], "--select", "GI501", "--agency-map", str(agency_map))
        assert [found[0] for found in _findings(files, "GI501")] == ["report-2023.md"], name


@pytest.mark.parametrize(
    ("name", "content"),
    [("bad.yaml", "a: [1, {b: 2}]\n"), ("bad.csv", "only-one-column\n"), ("bad.yaml", "a: [\n")],
)
def test_a_broken_agency_map_is_one_line_and_exit_2(tmp_path: Path, capsys, name: str, content: str):
    agency_map = tmp_path / name
    agency_map.write_text(content, encoding="utf-8")
    assert main(["check", str(CLEAN), "--agency-map", str(agency_map)], out=io.StringIO()) == 2
    error = capsys.readouterr().err
    assert error.startswith("gilint: --agency-map:") and error.count("\n") == 1
    assert main(["check", str(CLEAN), "--agency-map", str(tmp_path / "missing.yaml")], out=io.StringIO()) == 2


# ------------------------------------------------------------------ GI502

OVERVIEW_2024 = (
    "2024年，青禾市生态环境局坚持以公开为常态、不公开为例外，认真贯彻落实《条例》和市委、市政府关于政务公开"
    "工作的部署要求，围绕大气、水、土壤污染防治和生态环境执法等重点工作，全年主动公开政府信息1326条，"
    "其中工作动态412条、通知公告286条、行政执法信息521条，持续提升政府信息公开的质量和实效，切实保障人民群众的"
    "知情权、参与权、表达权和监督权。"
)
OTHER_2023 = (
    "本年度未发出收费通知，未收取信息处理费。全年办理人大代表建议9件、政协提案11件，办理复文均已公开；"
    "开设“蓝天保卫战”专题，集中发布重污染天气应急响应、企业错峰生产和执法检查情况，接受社会监督。"
)
PROBLEMS_2023 = (
    "一是政策解读形式较为单一，图解、视频等解读占比偏低；二是依申请公开答复文书不够规范，个别答复告知事项不全。"
    "下一步，我局将丰富政策解读形式，制定答复文书范本，并对全部答复文书实行法制审核，确保答复合法规范。"
)


def _copied_pair(folder: Path) -> None:
    """2024's section 一 is 2023's with only the year and the numbers changed."""
    overview_2023 = OVERVIEW_2024.replace("2024", "2023").replace("1326", "1180").replace("412", "377")
    overview_2023 = overview_2023.replace("286", "240").replace("521", "498")
    folder.mkdir(exist_ok=True)
    (folder / "a-2023.md").write_text(
        make_report(
            2023,
            (1, 0, 0, 0, 0, 0),
            (2, 1, 0, 0, 0, 0),
            overview=overview_2023,
            problems=PROBLEMS_2023,
            other=OTHER_2023,
        ),
        encoding="utf-8",
    )
    (folder / "b-2024.md").write_text(
        make_report(2024, (2, 1, 0, 0, 0, 0), (3, 1, 0, 0, 0, 0), overview=OVERVIEW_2024), encoding="utf-8"
    )


def test_a_section_copied_from_last_year_gets_gi502_on_that_section(tmp_path: Path):
    _copied_pair(tmp_path / "pair")
    _, files = _check([str(tmp_path / "pair")], "--select", "GI502")
    found = _findings(files, "GI502")
    assert [name for name, _ in found] == ["b-2024.md"]  # section 一 only: 五 and 六 were rewritten
    message = found[0][1]["message"]
    assert "第一部分「总体情况」" in message and "100%" in message and "a-2023.md" in message
    assert "最长的相同段落：「" in message
    lines = (tmp_path / "pair" / "b-2024.md").read_text(encoding="utf-8").splitlines()
    assert lines[found[0][1]["line"] - 1].startswith("2024年，青禾市生态环境局")


def test_gi502_threshold_from_the_configuration(tmp_path: Path):
    _copied_pair(tmp_path / "pair")
    overview = OVERVIEW_2024.replace("持续提升", "不断提高")  # four characters of 132 rewritten
    (tmp_path / "pair" / "b-2024.md").write_text(
        make_report(2024, (2, 1, 0, 0, 0, 0), (3, 1, 0, 0, 0, 0), overview=overview), encoding="utf-8"
    )
    _, files = _check([str(tmp_path / "pair")], "--select", "GI502")
    similarity = int(re.search(r"(\d+)%相同", _findings(files, "GI502")[0][1]["message"]).group(1))
    assert 90 <= similarity < 100
    (tmp_path / ".gilint.yaml").write_text("gi502-threshold: 0.99\n", encoding="utf-8")
    _, files = _check([str(tmp_path / "pair")], "--select", "GI502")
    assert _findings(files, "GI502") == []
    (tmp_path / ".gilint.yaml").write_text("gi502-threshold: 2\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "pair")], out=io.StringIO()) == 2


def test_gi502_suppressed_inline_in_the_later_report(tmp_path: Path):
    _copied_pair(tmp_path / "pair")
    later = tmp_path / "pair" / "b-2024.md"
    later.write_text(
        later.read_text(encoding="utf-8").replace("## 一、", "<!-- gilint: disable=GI502 -->\n\n## 一、"),
        encoding="utf-8",
    )
    _, files = _check([str(tmp_path / "pair")], "--select", "GI502")
    assert _findings(files, "GI502") == []


def test_cross_report_findings_come_back_from_worker_processes(tmp_path: Path, three_years):
    folder = three_years(over_2023=(4, 1, 0, 0, 0, 0, 4))
    _copied_pair(folder / "pair")
    _, one = _check([str(folder)], "--select", "GI5", "--jobs", "1")
    _, two = _check([str(folder)], "--select", "GI5", "--jobs", "2")
    assert one == two
    assert {d["code"] for f in one for d in f["diagnostics"]} >= {"GI501", "GI502"}


def test_a_digest_survives_pickling(linter):
    result = linter.check_path(str(CLEAN))[0]
    assert pickle.loads(pickle.dumps(result.digest)) == result.digest
    assert result.digest.tables["application"]["carried_forward"]["total"].value == 4


# ------------------------------------------------------------------ GI503


def test_two_reports_of_one_agency_and_year_get_one_info(tmp_path: Path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    code, files = _check([str(tmp_path)], "--select", "GI5")
    found = _findings(files, "GI503")
    assert [(name, d["severity"]) for name, d in found] == [("b.md", "info")]
    assert "a.md" in found[0][1]["message"]
    assert _findings(files, "GI502") == []  # same year: a duplicate, not last year's text
    assert code == 0


# ------------------------------------------------------------------ agency names


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("平潭县人民政府", "平潭县"),
        ("平潭综合实验区管委会", "平潭综合实验区（管委会，全区汇总）"),
        ("中共青禾市委宣传部", "青禾市委宣传部"),
        ("青禾市環境保護局", "青禾市环保局"),
        ("青禾市生态环境局2021年度政府信息公开工作年度报告", "青禾市生态环境局"),
        ("青禾市人民政府办公室关于印发青禾市2021年政府信息公开工作年度报告的通知", "青禾市人民政府"),
    ],
)
def test_agency_name_variants_share_a_key(one: str, other: str):
    names = AgencyNames.build()
    assert names.key(one) == names.key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("平潭综合实验区", "平潭综合实验区管委会办公室"),
        ("平潭县人民政府", "平潭县财政局"),
        ("上海市人民政府办公厅", "上海市人民政府"),
    ],
)
def test_different_agencies_keep_different_keys(one: str, other: str):
    names = AgencyNames.build()
    assert names.key(one) != names.key(other)


def _digest(agency: str, year: int, linter: Linter):
    return replace(linter.check_path(str(CLEAN))[0].digest, agency=agency, year=year)


def test_a_name_without_its_city_joins_the_one_name_that_has_it(linter):
    names = AgencyNames.build()
    digests = [_digest("洪泽区人民政府", 2023, linter), _digest("淮安市洪泽区人民政府", 2024, linter)]
    assert [len(one.reports) for one in group_reports(digests, names)] == [2]
    digests += [_digest("朝阳区人民政府", 2023, linter), _digest("北京市朝阳区人民政府", 2024, linter)]
    digests.append(_digest("长春市朝阳区人民政府", 2024, linter))  # 朝阳区 is now ambiguous: alone
    sizes = sorted(len(one.reports) for one in group_reports(digests, names))
    assert sizes == [1, 1, 1, 2]


def test_agency_map_formats(tmp_path: Path):
    (tmp_path / "m.yaml").write_text("新: [旧一, 旧二]\n旧三: 新\n", encoding="utf-8")
    assert load_agency_map(tmp_path / "m.yaml") == {"旧一": "新", "旧二": "新", "旧三": "新"}
    (tmp_path / "m.csv").write_text("# merges\n旧一,新\n\n旧二, 新 \n", encoding="utf-8")
    assert load_agency_map(tmp_path / "m.csv") == {"旧一": "新", "旧二": "新"}
    (tmp_path / "bad.csv").write_text("旧一\n", encoding="utf-8")
    with pytest.raises(AgencyMapError, match="line 1"):
        load_agency_map(tmp_path / "bad.csv")


# ------------------------------------------------------------------ the corpus

# Every GI502 the corpus gives at the default threshold, each read and judged a copy of the
# previous year's section with only figures, years or a few names changed (README).
CORPUS_COPIES = {
    ("012.txt", "概述"),
    ("012.txt", "主动公开政府信息情况"),
    ("012.txt", "政府信息公开工作存在的主要问题及改进情况"),
    ("013.txt", "概述"),
    ("014.txt", "概述"),
    ("014.txt", "主动公开政府信息情况"),
    ("014.txt", "政府信息公开工作存在的主要问题及改进情况"),
    ("016.txt", "概述"),
    ("016.txt", "政府信息公开工作存在的主要问题及改进情况"),
    ("018.txt", "主动公开政府信息情况"),
    ("033.txt", "年度政府信息公开工作概述"),
    ("033.txt", "政府信息主动公开情况"),
    ("033.txt", "存在的主要问题和改进措施"),
    ("035.txt", "problems"),
    ("036.txt", "proactive"),
    ("037.txt", "proactive"),
    ("037.txt", "problems"),
    ("038.txt", "overview"),
    ("038.txt", "proactive"),
    ("038.txt", "problems"),
    ("039.txt", "proactive"),
    ("039.txt", "problems"),
}


@pytest.fixture(scope="module")
def corpus_results(corpus_dir: Path):
    from gilint.read.load import discover

    linter = Linter()
    results = [result for path in discover([str(corpus_dir)]) for result in linter.check_path(path)]
    linter.check_series(results)
    return linter, results


def test_the_corpus_has_no_carry_over_error_and_only_the_copies_read_as_such(corpus_results):
    _, results = corpus_results
    found = [(Path(r.path).name, d) for r in results for d in r.diagnostics if d.code.startswith("GI50")]
    assert [d for _, d in found if d.code == "GI501"] == []  # 024→025 and 048→043 carry 1 over, rightly
    copies = {(name, d.data["section"]) for name, d in found if d.code == "GI502"}
    assert copies == CORPUS_COPIES
    names = AgencyNames.build()
    by_path = {r.path: r for r in results}
    for result in results:
        for diagnostic in result.diagnostics:
            if diagnostic.code == "GI502":  # the previous report is the same agency's, a year before
                previous = by_path[diagnostic.data["previous_path"]]
                assert names.key(previous.agency) == names.key(result.agency)
                assert previous.report_year < result.report_year


def test_reports_that_share_only_headings_and_labels_are_not_copies(corpus_results, linter):
    """Every pair of 2019/2021-format corpus reports of different agencies (and the clean
    example against each), taken as one agency's consecutive years: they share the
    mandated headings and table labels, and GI502 must not fire."""
    ruleset_linter, results = corpus_results
    digests = [r.digest for r in results if r.digest is not None and r.profile in ("2019", "2021")]
    digests.append(linter.check_path(str(CLEAN))[0].digest)
    names = AgencyNames.build()
    codes = replace(ruleset_linter.codes, select=("GI502",))
    pairs = 0
    for index, later in enumerate(digests):
        for earlier in digests[:index]:
            if None in (names.key(later.agency), names.key(earlier.agency)):
                continue  # 027a.html, 027.txt as its web page, names no agency
            if names.key(later.agency) == names.key(earlier.agency):
                continue
            pair = [replace(earlier, agency="甲", year=2020), replace(later, agency="甲", year=2021)]
            found = run_series_rules(pair, ruleset_linter.ruleset, ruleset_linter.context, codes, names)
            assert found == [], (earlier.path, later.path, found[0][1].message["zh"] if found else "")
            pairs += 1
    assert pairs > 300


# ------------------------------------------------------------------ masking


@given(st.text(alphabet="政府信息公开2024年,。;本报告统计期限自\n第二十条第(一)项其他 总计", max_size=200))
@settings(max_examples=300, deadline=None)
def test_every_compared_character_maps_back_to_itself(text: str):
    masker = _masker()
    masked = masker.mask(text)
    assert all(text[masked.origin(i)] == char for i, char in enumerate(masked.text))
    assert not re.search(r"[0-9一二]", masked.text)  # numerals never count


@given(
    st.lists(
        st.text(alphabet="政府信息公开2024年,。;本报告统计期限自第二十条第(一)项其他 总计", max_size=60),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["政府信息公开", "总计", "其他", "年报"]),
)
@settings(max_examples=200, deadline=None)
def test_a_section_is_never_compared_past_its_bound(lines: list[str], title: str):
    where = Location(1, 1, 1, 1)
    section = SectionText.of_lines(
        "proactive", 1, title, where, [ProseLine(text, where, False) for text in lines]
    )
    prose = Prose.of(section, _masker())
    assert len(prose.masked.text) <= prose.most_compared  # what lets _compare skip the masking
    assert prose.masked == _masker().mask(prose.text, prose.compared_from)


@given(st.text(alphabet="政府a_1 ,。\n-（）", max_size=80))
@settings(max_examples=300, deadline=None)
def test_the_separators_split_as_a_plain_repeat(text: str):
    assert _SEPARATORS.split(text) == re.compile(r"([\W_]+)").split(text)


def _plain_removed_pattern(words: list[str]) -> str:
    """The masker's pattern as it was first written: the reference for ``removed_pattern``."""
    return f"((?:{'|'.join(map(re.escape, words))})|[0-9〇○零一二两三四五六七八九十百千万亿]+)"


_LABEL_CHARACTERS = "第二十条一三安全稳定政府信息公开0九"


@given(
    st.lists(
        st.text(alphabet=_LABEL_CHARACTERS, min_size=2, max_size=6), min_size=1, max_size=12, unique=True
    ),
    st.text(alphabet=_LABEL_CHARACTERS + "年报告x", max_size=120),
)
@settings(max_examples=400, deadline=None)
def test_the_removed_pattern_splits_as_the_plain_alternation(words: list[str], text: str):
    words = sorted(words, key=lambda word: (-len(word), word))  # as Masker.build orders them
    grouped = re.compile(removed_pattern(words))
    assert grouped.split(text) == re.compile(_plain_removed_pattern(words)).split(text)


def test_the_removed_pattern_keeps_a_label_holding_numerals_whole():
    pattern = re.compile(
        removed_pattern(sorted(["第二十条第一项", "三安全一稳定", "第二十"], key=lambda w: (-len(w), w)))
    )
    assert pattern.split("依第二十条第一项和三安全一稳定共12件") == [
        "依",
        "第二十条第一项",
        "和",
        "三安全一稳定",
        "共",
        "12",
        "件",
    ]


@lru_cache(maxsize=1)
def _masker() -> Masker:
    linter = Linter()
    return Masker.build(linter.structure, linter.table_models)


def test_huge_identical_sections_are_compared_within_bounds(linter):
    """A hostile pair (60,000 characters of one section, twice) is compared on its first
    LONGEST characters: found, without an alignment the size of the product."""
    from gilint.model import Location, ProseLine, SectionText

    digest = linter.check_path(str(CLEAN))[0].digest
    text = "我局认真落实政务公开各项要求并持续改进工作方法" * 2500
    line = ProseLine(text, Location(1, 1, 1, len(text) + 1), True)
    section = SectionText.of_lines("overview", 1, "总体情况", Location(1, 1, 1, 5), [line])
    pair = [replace(digest, year=2020, sections=(section,)), replace(digest, year=2021, sections=(section,))]
    codes = replace(linter.codes, select=("GI502",))
    found = run_series_rules(pair, linter.ruleset, linter.context, codes, AgencyNames.build())
    assert [d.data["similarity"] for _, d in found] == [1.0]


# ------------------------------------------------------------------ digests only when read


ALL_TABLES = None  # every row of every table


@pytest.mark.parametrize(
    ("options", "rows"),
    [
        # the cross-report rules run: each report's digest goes to them, with the rows GI501 reads
        ({}, {"application": {"carried_over", "carried_forward"}}),
        ({"ignore": ("GI5",)}, False),  # none of them runs: no digest is built or sent
        ({"select": ("GI2",)}, False),
        ({"select": ("GI2", "GI502")}, {}),  # GI502 reads the sections' prose, no table
        ({"ignore": ("GI5",), "digests": True}, ALL_TABLES),  # extract --format xlsx asks for them
    ],
)
def test_a_digest_is_built_only_when_a_cross_report_rule_or_the_caller_reads_it(options, rows):
    from gilint.pipeline import Options

    [result] = Linter(Options(**options)).check_path(str(CLEAN))
    assert (result.digest is not None) is (rows is not False)
    if result.digest is None:
        return
    assert result.digest.sections  # the prose always comes (GI502, and where GI501/GI503 point)
    tables = result.digest.tables
    if rows is ALL_TABLES:
        assert tables["application"]["total_processed"]["total"].value == 47
        assert {"application", "review_litigation", "proactive"} <= set(tables)
    else:
        assert {table: set(cells) for table, cells in tables.items()} == rows
        if "application" in rows:
            assert tables["application"]["carried_forward"]["total"].value == 4


def test_extract_xlsx_keeps_digests_when_the_configuration_ignores_the_series_rules(tmp_path):
    (tmp_path / ".gilint.yaml").write_text("ignore: [GI5]\n", encoding="utf-8")
    report = tmp_path / "report.md"
    report.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "cells.xlsx"
    with open(out, "wb") as handle:
        wrapper = io.TextIOWrapper(handle, encoding="utf-8")
        assert main(["extract", str(report), "--format", "xlsx"], out=wrapper) == 0
        wrapper.flush()
    from openpyxl import load_workbook

    cells = load_workbook(out, read_only=True)["cells"]
    assert sum(1 for _ in cells.iter_rows()) > 100  # every cell of the report's tables


def test_digest_rows_are_merged_and_a_kind_that_does_not_say_gets_every_row():
    from types import SimpleNamespace

    from gilint.checks.kinds import SeriesKind
    from gilint.pipeline import _digest_rows

    class Silent(SeriesKind):  # a custom pack's kind that does not declare what it reads
        name = "silent"

    linter = Linter()
    carry = next(rule for rule in linter.ruleset.rules if rule.code == "GI501")
    other_rows = SimpleNamespace(kind="carry_over", params={**carry.params, "row": "new"})
    merged = _digest_rows(linter.ruleset, [carry, other_rows])
    assert merged == {"application": {"carried_over", "carried_forward", "new"}}
    ruleset = SimpleNamespace(kinds={**linter.ruleset.kinds, "silent": Silent()})
    assert _digest_rows(ruleset, [carry, SimpleNamespace(kind="silent", params={})]) is None


@given(
    st.text(alphabet="政府信息公開體總况ab１２（一）\r\n\t\u200b 。態(tài)", max_size=60),
    st.integers(1, 5),
    st.integers(1, 9),
)
def test_digest_alignment_from_columns_is_the_original_length(text, first_line, first_column):
    """A digest line is aligned when its one-line location's columns span as many characters
    as its normalised text: the same as comparing the user's text behind it (what the digest
    read before), across CRLF, zero-width, pinyin, full-width and traditional rewrites."""
    from gilint.checks.series.digest import _Lines
    from gilint.model import TextBlock
    from gilint.text.normalize import normalize_block, split_lines

    block = TextBlock(text, line=first_line, column=first_column)
    for line in split_lines(normalize_block(block)):
        location = line.location
        original = line.source.original(line.start, line.start + len(line.text))
        expected = location.line == location.end_line and len(original) == len(line.text)
        assert _Lines().line(line).aligned == expected


_LOCATIONS = st.builds(
    Location,
    st.integers(1, 500),
    st.integers(1, 200),
    st.integers(1, 500),
    st.integers(1, 200),
    st.none() | st.sampled_from(["段落 3", "第2页"]),
    st.sampled_from(["text", "paragraph", "page"]),
    st.none() | st.builds(ParagraphAnchor, st.integers(1, 50)) | st.builds(TableAnchor, st.integers(1, 5)),
)


@given(st.lists(st.tuples(st.text(max_size=20), _LOCATIONS, st.booleans()), max_size=6))
@settings(max_examples=200, deadline=None)
def test_a_digest_section_gives_its_lines_back_after_pickling(lines: list[tuple[str, Location, bool]]):
    """SectionText keeps its lines as texts and plain tuples (cheap to send from a worker):
    each line comes back as the ProseLine it was made from, before and after pickling."""
    prose_lines = [ProseLine(text, location, aligned) for text, location, aligned in lines]
    section = SectionText.of_lines("overview", 1, "总体情况", Location(1, 1, 1, 5), prose_lines)
    for kept in (section, pickle.loads(pickle.dumps(section))):
        assert kept == section
        assert kept.texts == tuple(line.text for line in prose_lines)
        assert [kept.line(index) for index in range(len(prose_lines))] == prose_lines


# ------------------------------------------------------------------ a run given report by report


@lru_cache(maxsize=1)
def _pool() -> tuple:
    """Digests to draw runs from: a report whose overview the next one copies (GI502), two
    with carry-over rows that do not follow on (GI501), one written apart."""
    linter = Linter()
    overview = OVERVIEW_2024.replace("2024", "2023")
    texts = [
        make_report(2023, (1, 0, 0, 0, 0, 0), (2, 1, 0, 0, 0, 0), overview=overview, problems=PROBLEMS_2023),
        make_report(2024, (2, 1, 0, 0, 0, 0), (3, 1, 0, 0, 0, 0), overview=OVERVIEW_2024),
        make_report(2024, (5, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0), other=OTHER_2023),
        make_report(2022, (0, 0, 0, 0, 0, 0), (4, 0, 0, 1, 0, 0), problems=PROBLEMS_2023),
    ]
    pool = tuple(linter.check_bytes(f"r{n}.md", text.encode())[0].digest for n, text in enumerate(texts))
    return linter, pool


# Names that share a key, one without its city (joined through the parent place), others apart.
_AGENCIES = ("青禾市生态环境局", "青禾市生态环境局", "生态环境局", "青禾市交通运输局", None)


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(_AGENCIES), st.integers(2019, 2025) | st.none()),
        max_size=12,
    )
)
@settings(max_examples=60, deadline=None)
def test_a_run_given_report_by_report_finds_what_the_whole_run_finds(drawn):
    """SeriesRun.add works out consecutive years' pairs as the reports come: the findings
    are the same, in the same order, as when every digest is given at the end — whatever
    the order of the years, the number of reports a year (past MAX_PEERS), agencies joined
    only by their parent place, reports without agency or year."""
    from gilint.checks.series.engine import SeriesRun

    linter, pool = _pool()
    digests = [
        replace(pool[base], agency=agency, year=year, path=f"f{n}.md")
        for n, (base, agency, year) in enumerate(drawn)
    ]
    names = AgencyNames.build()
    whole = run_series_rules(digests, linter.ruleset, linter.context, linter.codes, names)
    run = SeriesRun(linter.ruleset, linter.context, linter.codes)  # (its names built when needed)
    for digest in digests:
        run.add(digest)
    warmed = sum(len(memo) for memo in run.memos.values())
    assert [(id(d), diagnostic) for d, diagnostic in run.findings(digests)] == [
        (id(d), diagnostic) for d, diagnostic in whole
    ]
    keys = [(names.key(d.agency), d.year) for d in digests]
    consecutive = any(key is not None and year is not None and (key, year + 1) in keys for key, year in keys)
    assert (warmed > 0) == consecutive  # pairs were worked out as they came, and only then


def test_a_run_of_one_year_works_nothing_out_before_the_end():
    from gilint.checks.series.engine import SeriesRun

    linter, pool = _pool()
    run = SeriesRun(linter.ruleset, linter.context, linter.codes)
    run.add(pool[1])
    assert run._names is None  # one report: the agency names are not even built
    for n, agency in enumerate(("青禾市交通运输局", "青禾市教育局")):
        run.add(replace(pool[1], agency=agency, path=f"f{n}.md"))
    assert all(not memo for memo in run.memos.values())
