"""Strict code lists: a typo in ``--select``/``--ignore`` or a configuration file would
otherwise select nothing and pass the build, so every code or prefix must name a
catalogued code (custom packs' ``catalog:`` codes included)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gilint.checks.catalog import is_known_code, nearest_code
from gilint.cli.base import UsageError


def require_known(codes: Iterable[str], catalog: Mapping[str, object], origin: str) -> None:
    """Raise a one-line UsageError naming ``origin``, the first unknown code and the
    nearest real one."""
    for code in codes:
        if not is_known_code(code, catalog):
            nearest = nearest_code(code, catalog)
            raise UsageError(
                f"{origin}: 未知的规则代码或前缀 {code}，最接近的是 {nearest} / "
                f"unknown rule code or prefix {code}; the nearest is {nearest}"
            )
