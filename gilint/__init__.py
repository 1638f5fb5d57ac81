"""gilint: a compliance linter for 政府信息公开工作年度报告."""

from gilint.cache import dataclass_code

__version__ = "0.1.0"

dataclass_code.install()  # before any of gilint's dataclasses is made: their methods compile once
