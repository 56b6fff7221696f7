"""Test beds: the gold set, the benchmark farm (uniform and realistic network), the hostile province and the
generated many-agency province.

They sit outside the runtime packages (``crawler``, ``auditors``, ``rules``, ``reports``, ``tctt``): nothing
that audits a real portal imports them (an import-linter contract in ``pyproject.toml`` enforces it). Only the
command line's ``tctt evaluate`` and the tests and benchmarks use them. The demo's sample province, which
``tctt demo`` serves, stays in ``tctt/sample`` with its server ``tctt.sampleserver``.
"""
