"""Walking message components and flattening what a member reads."""

from __future__ import annotations

from typing import Any

from discord import ComponentType


def iter_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every component, depth first (rows, containers, sections, labels)."""
    out: list[dict[str, Any]] = []
    for comp in components:
        out.append(comp)
        out.extend(iter_components(comp.get("components", [])))
        if isinstance(comp.get("component"), dict):
            out.extend(iter_components([comp["component"]]))
        if isinstance(comp.get("accessory"), dict):
            out.append(comp["accessory"])
    return out


def flatten_text(content: str, embeds: list[dict[str, Any]], components: list[Any]) -> str:
    parts = [content or ""]
    for e in embeds:
        parts += [e.get("author", {}).get("name", ""), e.get("title", ""), e.get("description", "")]
        for f in e.get("fields", []):
            parts += [f.get("name", ""), f.get("value", "")]
        parts.append(e.get("footer", {}).get("text", ""))
    for c in iter_components(components):
        if c.get("type") == ComponentType.text_display.value:  # components v2
            parts.append(c.get("content", ""))
    return "\n".join(p for p in parts if p)
