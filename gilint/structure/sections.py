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


def match_spec(title: str, specs: tuple[SectionSpec, ...]) -> tuple[SectionSpec | None, str]:
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
        return best[1], "deviating"
    for spec in specs:
        if any(all(word in title for word in group) for group in spec.keywords):
            return spec, "deviating"
    return None, "unknown"


def classify_sections(report: Report, structure: Structure) -> None:
    specs = structure.sections.get(report.profile or "", ())
    if not specs:
        return
    taken: set[str] = set()
    for section in report.sections:
        spec, status = match_spec(section.title, specs)
        if spec is not None and spec.key not in taken:
            _assign(section, spec, status)
            taken.add(spec.key)
    by_number = {spec.number: spec for spec in specs}
    for section in report.sections:
        spec = by_number.get(section.number or 0)
        if section.key is None and spec is not None and spec.key not in taken:
            _assign(section, spec, "deviating")
            taken.add(spec.key)


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
