"""Step 3c, sections: which parsed section is which mandated section.

A section is recognised by its title (the mandated title or an accepted alias,
then a close fuzzy match, then keywords of meaning), and failing that by its
number when that slot is otherwise empty. The rules (GI101–GI103, GI106) and the
table step read the result from ``Section.key`` and ``Section.title_status``.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from gilint.model import Item, Report, Section
from gilint.patterns import linear
from gilint.structure.knowledge import SectionSpec, Structure, TopicSpec

# Above this similarity a title is the mandated one with a slip (行政法复议).
FUZZY_THRESHOLD = 85
_TRIM = linear(r"(?<![ .。,:;*_#])[ .。,:;*_#]++$")


def clean_title(title: str) -> str:
    return _TRIM.sub("", title.strip())


def _closeness(title: str, specs: tuple[SectionSpec, ...]) -> tuple[SectionSpec | None, str | None]:
    """The mandated section a title names and how: ``exact``, ``alias``, ``fuzzy``
    (the title with a slip) or ``keywords`` (a title about the topic); None: none."""
    title = clean_title(title)
    for spec in specs:
        if title == spec.title:
            return spec, "exact"
        if title in spec.aliases:
            return spec, "alias"
    best: tuple[float, SectionSpec | None] = (0.0, None)
    for spec in specs:
        score = max(fuzz.ratio(title, accepted) for accepted in spec.accepted)
        if score > best[0]:
            best = (score, spec)
    if best[1] is not None and best[0] >= FUZZY_THRESHOLD:
        return best[1], "fuzzy"
    for spec in specs:
        if any(all(word in title for word in group) for group in spec.keywords):
            return spec, "keywords"
    return None, None


_STATUS = {"exact": "exact", "alias": "alias", "fuzzy": "deviating", "keywords": "deviating"}
# Title matches from the strongest down: an exact title takes its slot before a
# heading that only shares a keyword with it (三、主动公开工作情况 inside 总体情况).
_PASSES = (("exact", "alias"), ("fuzzy",), ("keywords",))


def classify_sections(report: Report, structure: Structure) -> None:
    specs = structure.sections.get(report.profile or "", ())
    if not specs:
        return
    matches = [_closeness(section.title, specs) for section in report.sections]
    taken: set[str] = set()
    for strengths in _PASSES:
        for section, (spec, closeness) in zip(report.sections, matches, strict=True):
            if closeness in strengths and spec is not None and spec.key not in taken and section.key is None:
                _assign(section, spec, _STATUS[closeness])
                taken.add(spec.key)
    _demote_strays(report, matches)
    by_number = {spec.number: spec for spec in specs}
    for section in report.sections:
        spec = by_number.get(section.number or 0)
        if section.key is None and spec is not None and spec.key not in taken:
            _assign(section, spec, "deviating")
            taken.add(spec.key)


def _demote_strays(report: Report, matches: list[tuple[SectionSpec | None, str | None]]) -> None:
    """A numbered line that is no mandated section: its title is far from every
    mandated title (at most a shared keyword) and its number is that of a section
    recognised by its title. A sub-item a converter renumbered (「五、政府信息管理」
    inside 总体情况) or a table label broken over lines (「三、本法提供」). It is
    content of the section before it, not a section."""
    numbered = {section.number for section in report.sections if section.key is not None}
    kept: list[Section] = []
    for section, (_, closeness) in zip(report.sections, matches, strict=True):
        stray = section.key is None and closeness in (None, "keywords") and section.number in numbered
        if stray and kept:
            kept[-1].children.append(Item(section.heading, section.children))
        else:
            kept.append(section)
    report.sections = kept


def _assign(section: Section, spec: SectionSpec, status: str) -> None:
    section.key = spec.key
    section.expected_number = spec.number
    section.title_status = status


def topic_present(report: Report, topic: TopicSpec) -> bool:
    """A legacy topic is there when a heading says so, or (for topics with
    body words) when the text mentions it anywhere."""
    titles = [section.title for section in report.sections]
    titles += [
        node.heading.title for section in report.sections for node in section.walk() if isinstance(node, Item)
    ]
    if any(all(word in title for word in group) for title in titles for group in topic.keywords):
        return True
    return bool(topic.body) and any(word in line.text for line in report.lines for word in topic.body)


def section_by_key(report: Report, key: str) -> Section | None:
    return next((section for section in report.sections if section.key == key), None)
