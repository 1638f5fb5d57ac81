"""Step 6, render: CheckedReports -> text for people or machines.

Renderers register themselves by name (``gilint.render.base.renderer``); the CLI looks
them up, rules never import them.
"""

from __future__ import annotations

from gilint.render.base import RENDERERS, STREAMS, Renderer, RenderOptions, Stream

__all__ = ["RenderOptions", "Renderer", "Stream", "load_renderers", "load_streams"]


def load_renderers() -> dict[str, Renderer]:
    from gilint.render import concise, full, github, html, json_output, sarif  # noqa: F401  (registration)

    return RENDERERS


def load_streams() -> dict[str, type[Stream]]:
    """The formats written while a batch runs (full, concise, github)."""
    load_renderers()
    return STREAMS
