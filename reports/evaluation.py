"""Render a gold-set evaluation (``tctt evaluate``) as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .html import TEMPLATES, is_http_url


def render_evaluation(result: dict[str, Any], path: str | Path) -> Path:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(css=Markup((TEMPLATES / "style.css").read_text(encoding="utf-8")), is_http_url=is_http_url)
    env.filters["num"] = lambda v: "—" if v is None else f"{v:.3f}"
    path = Path(path)
    path.write_text(env.get_template("evaluation.html.j2").render(r=result), encoding="utf-8")
    return path
