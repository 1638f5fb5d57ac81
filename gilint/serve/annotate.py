"""`gilint annotate DRAFT.docx [-o OUT.docx] [--force]`: the file side of
``tasks.annotate_bytes`` (read the draft, write the commented copy beside it).

The draft is only read. The copy never replaces the draft, and an existing
file is replaced only with ``--force``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gilint.batch import Budget
from gilint.model import CheckedReport
from gilint.pipeline import Options
from gilint.read.load import read_at_most
from gilint.render.base import counts
from gilint.serve.tasks import NOT_DOCX, annotate_bytes, can_annotate

SUFFIX = ".gilint.docx"


class AnnotateError(Exception):
    """A one-line reason why no copy was written (exit code 2)."""


@dataclass
class Annotated:
    """What ``gilint annotate`` did with one draft."""

    results: list[CheckedReport]
    output: Path | None  # None: the draft could not be read (its GI001/GI002 is in results)
    comments: int


def default_output(path: Path) -> Path:
    """``报告.docx`` -> ``报告.gilint.docx`` in the same folder."""
    return path.with_name(path.stem + SUFFIX)


def annotate_file(
    path: str,
    output: str | None,
    options: Options,
    lang: str = "zh",
    force: bool = False,
    ignore: tuple[str, ...] = (),
    budget: Budget | None = None,
) -> Annotated:
    source = Path(path)
    if not can_annotate(path):
        raise AnnotateError(NOT_DOCX[lang])
    target = Path(output) if output else default_output(source)
    _refuse_unsafe_target(source, target, force)
    try:
        with open(source, "rb") as handle:  # one byte over the limit: the size finding says so
            data = read_at_most(handle, os.fstat(handle.fileno()).st_size, options.max_bytes)
    except OSError as error:
        raise AnnotateError(f"无法读取 {path}：{error.strerror or error}") from error
    annotation = annotate_bytes(str(path), data, options, lang, ignore, budget)
    if annotation.docx is None:
        return Annotated(annotation.results, None, 0)
    try:
        with open(target, "wb" if force else "xb") as handle:
            handle.write(annotation.docx)
    except FileExistsError as error:
        raise AnnotateError(f"{target} 已存在；用 --force 覆盖 / exists; use --force") from error
    except OSError as error:
        raise AnnotateError(f"无法写入 {target}：{error.strerror or error}") from error
    return Annotated(annotation.results, target, annotation.comments)


def _refuse_unsafe_target(source: Path, target: Path, force: bool) -> None:
    if not source.exists():
        raise AnnotateError(f"路径不存在 / no such file: {source}")
    if target.exists() and (os.path.samefile(source, target) or source.resolve() == target.resolve()):
        raise AnnotateError(f"输出文件就是被检查的文件，gilint 不改写原文件 / that is the input: {target}")
    if target.exists() and not force:
        raise AnnotateError(f"{target} 已存在；用 --force 覆盖 / {target} exists; use --force")


def summary_line(annotated: Annotated, lang: str) -> str:
    tally = counts(annotated.results)
    if lang == "en":
        return (
            f"wrote {annotated.output}: {annotated.comments} comment(s) "
            f"({tally['error']} error(s), {tally['warning']} warning(s), {tally['info']} info)"
        )
    return (
        f"已写入 {annotated.output}：{annotated.comments} 条批注"
        f"（错误 {tally['error']} 个，警告 {tally['warning']} 个，提示 {tally['info']} 个）"
    )
