"""Step 3b, profile: report year, format profile, agency and agency kind.

The year comes from the title first, then the statistics period, then the
body's opening sentence (REPORT-FORMAT.md C.7: ≤2018 legacy, 2019–2020 the 2019
format, ≥2021 the 2021 format). ``--profile`` overrides the choice.
"""

from __future__ import annotations

from gilint.model import Paragraph, Report
from gilint.patterns import linear
from gilint.structure.knowledge import Structure
from gilint.text.dates import opening_year, period_years, title_year

_TITLE_YEAR = linear(r"((?:19|20)[0-9]{2})[ ]*年?(?:度)?")
# Applied to the title with all whitespace removed: `(?s:.*)` runs to the end.
_TITLE_SUFFIX = linear(r"(?:关于)?(?:政府)?(?:信息|政务)公开(?s:.*)")
_OPENING_LINES = 6  # the opening is within the first lines of section 一
_PERIOD_LINES = 80  # the statistics period is stated in the preamble


def _opening_texts(report: Report) -> list[str]:
    """The first paragraphs of section 一, then of the preamble."""
    candidates = []
    if report.sections:
        candidates = [node.line.text for node in report.sections[0].walk() if isinstance(node, Paragraph)]
    candidates += [node.line.text for node in report.preamble if isinstance(node, Paragraph)]
    return candidates[:_OPENING_LINES]


def body_opening_year(report: Report) -> int | None:
    """``2021年，市生态环境局…``: the first sentences of section 一, else the preamble."""
    for text in _opening_texts(report):
        found = opening_year(text)
        if found:
            return found.year
    return None


_OPENING_SEPARATOR = linear(r"[ ,:]*", searched=False)


def body_opening_agency(report: Report, structure: Structure) -> str | None:
    """The agency an opening sentence names as its subject: ``2024年，平潭综合实验区坚持…``."""
    pattern = structure.opening_agency
    if pattern is None:
        return None
    for text in _opening_texts(report):
        found = opening_year(text)
        if found is None:
            continue
        rest = text[found.end :]
        match = pattern.match(rest, _OPENING_SEPARATOR.match(rest).end())
        if match:
            return match.group("agency")
    return None


def detect_year(report: Report) -> tuple[int | None, str | None]:
    if report.title is not None:
        found = title_year(report.title.text)
        if found:
            return found.year, "title"
    periods = period_years("\n".join(line.text for line in report.lines[:_PERIOD_LINES]))
    if periods:
        return periods[0].year, "period"
    year = body_opening_year(report)
    return (year, "body") if year else (None, None)


def detect_agency(report: Report, structure: Structure) -> str | None:
    """From the title, else the signature, else the subject of the body's opening
    sentence: the same evidence whatever the file's format."""
    if report.title is not None:
        name = _TITLE_YEAR.sub("", "".join(report.title.text.split()), count=1)
        name = _TITLE_SUFFIX.sub("", name).strip(" :,")
        if 2 <= len(name) <= 40:
            return name
    if report.signature and report.signature.agency:
        return report.signature.agency
    return body_opening_agency(report, structure)


def agency_kind(agency: str | None, structure: Structure) -> str:
    if not agency:
        return "unknown"
    core = _without_trailing_note(agency)  # 平潭综合实验区（管委会，全区汇总）
    return "government" if core.endswith(structure.government_suffixes) else "department"


def assign_profile(report: Report, structure: Structure, override: str | None = None) -> None:
    report.report_year, report.year_source = detect_year(report)
    report.agency = detect_agency(report, structure)
    report.agency_kind = agency_kind(report.agency, structure)
    if override:
        report.profile, report.profile_source = override, "option"
        return
    profile = structure.profile_for_year(report.report_year) if report.report_year else None
    if profile is None:
        report.profile, report.profile_source = structure.default_profile, "default"
    else:
        report.profile, report.profile_source = profile, report.year_source


def _without_trailing_note(agency: str) -> str:
    """The name without a parenthesised note that ends it: cut at the first opening
    parenthesis after the last closing one before the end."""
    if not agency.endswith((")", "）")):
        return agency
    body = agency[:-1]
    stretch = max(body.rfind(")"), body.rfind("）")) + 1
    opens = [index for index in (body.find("(", stretch), body.find("（", stretch)) if index >= 0]
    return agency[: min(opens)] if opens else agency
