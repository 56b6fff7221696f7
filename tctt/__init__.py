"""tctt-audit: audits Vietnamese agency portals for the access-to-information section required by law."""

__version__ = "0.1.0"
