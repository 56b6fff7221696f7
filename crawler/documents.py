"""Compatibility: document reading now lives in ``crawler.extract`` (one module per format) and its
process pool in ``crawler.extract.pool``."""

from crawler.extract import MAX_TEXT, Limits, extract, sniff
from crawler.extract.pool import DocumentPool

__all__ = ["MAX_TEXT", "DocumentPool", "Limits", "extract", "sniff"]
