"""Across reports: the reports of one run grouped by agency and year, and the
cross-report rules (GI501–GI503) run over their digests after every report was
checked on its own (in the parent process: the digests came back from the workers).

- ``digest``: a checked report reduced to its tables and section texts;
- ``agency``: agency names as keys (rules/agencies.yaml) and ``--agency-map`` files;
- ``group``: the run's series, one per agency;
- ``similarity``: how alike two sections' own prose is (GI502);
- ``engine``: the series rules of the rule packs over a run.
"""
