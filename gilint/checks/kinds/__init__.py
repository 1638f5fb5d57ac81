"""Rule kinds: the code behind YAML rules.

A rule in a pack names a ``kind`` and gives it ``params``; the kind is a class
registered here with ``@register``. Kinds live one topic per module in this
package and are discovered by importing every module in it, so adding a kind
means adding a module; the engine's core never changes.
"""

from __future__ import annotations

import importlib
import pkgutil

from gilint.checks.kinds.base import (
    KINDS,
    Finding,
    Kind,
    Rule,
    SeriesKind,
    end_anchor,
    register,
    report_anchor,
)

__all__ = ["Finding", "Kind", "Rule", "SeriesKind", "end_anchor", "load_kinds", "register", "report_anchor"]


def load_kinds() -> dict[str, type[Kind]]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return KINDS
