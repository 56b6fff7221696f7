"""Reports: the run model, its JSON/CSV exports and the static HTML site (province summary, agency pages)."""

from .html import render_site
from .model import build_run_model, export_csv, export_json

__all__ = ["build_run_model", "export_csv", "export_json", "render_site"]
