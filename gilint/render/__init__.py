"""Step 6, render: CheckedReports -> text for people or machines.

Renderers register themselves by name (``gilint.render.base.renderer``); the CLI looks
them up, rules never import them.
"""

from __future__ import annotations

from gilint.render.base import RENDERERS, STREAMS, Renderer, RenderOptions, Stream

__all__ = ["QUOTING_FORMATS", "RenderOptions", "Renderer", "Stream", "load_renderers", "load_streams"]

# The formats that quote the checked file's lines (CheckedReport.source_lines) under a
# finding; a run writing any other has the workers leave the lines out of its results.
QUOTING_FORMATS = frozenset({"full", "html"})


def load_renderers() -> dict[str, Renderer]:
    from gilint.render import concise, full, github, html, json_output, sarif  # noqa: F401  (registration)

    return RENDERERS


def load_streams() -> dict[str, type[Stream]]:
    """The formats written while a batch runs (full, concise, github)."""
    load_renderers()
    return STREAMS
