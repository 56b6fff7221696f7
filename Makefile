# The two commands of the README: `make demo` (set up + audit the sample province) and `make test`.
.PHONY: demo test test-fast lint setup bench bench-cluster audit-deps lock

setup:
	@./scripts/setup.sh

demo:
	@./scripts/setup.sh
	.venv/bin/tctt demo --out out/demo

# The unit suite first (seconds, no network), then the loopback end-to-end suite (minutes).
test:
	@./scripts/setup.sh --test
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/python -m pytest -m "not e2e"
	.venv/bin/python -m pytest -m e2e

# The unit suite alone: what a contributor runs after each change (under a minute).
test-fast:
	@./scripts/setup.sh --test
	.venv/bin/python -m pytest -m "not e2e"

# The locked packages against known vulnerabilities (CI runs it after the tests).
audit-deps:
	@./scripts/setup.sh --test
	@./scripts/audit-deps.sh

# After changing a dependency in pyproject.toml: rewrite the hashed lock files.
lock:
	@./scripts/lock.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache

# The audit benchmark on a farm of N generated portals (N=500 by default), twice: the uniform farm (100 ms per
# answer, tuned settings: throughput, the bare Scrapy ceiling, re-audits) and the realistic network with the
# production politeness (the lower bound on wall time and the ratio to it, slot utilisation, re-audits, the
# findings against the uniform farm's). About 12 minutes at 500; docs/scale.md.
N ?= 500
bench:
	@./scripts/setup.sh
	.venv/bin/pip install -q -e ".[bench]"
	.venv/bin/python bench/audit_bench.py --n $(N)
	.venv/bin/python bench/audit_bench.py --n $(N) --network realistic --polite --no-bare --no-capacity

# One crawl process, then `tctt cluster` with 1, 2 and 4 Redis workers on the same farm (N=800 by default;
# about 8 minutes on an idle 2-core machine); docs/scale.md.
bench-cluster: N = 800
bench-cluster:
	@./scripts/setup.sh --test
	.venv/bin/pip install -q -e ".[bench]"
	.venv/bin/python bench/cluster_bench.py --n $(N)
