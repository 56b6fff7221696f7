"""tctt-audit: audits Vietnamese agency portals for the access-to-information section required by law."""

from core import __version__  # noqa: F401  (one version, set in core)
