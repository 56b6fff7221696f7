# The two commands of the README: `make demo` (set up + audit the sample province) and `make test`.
.PHONY: demo test lint setup bench bench-cluster

setup:
	@./scripts/setup.sh

demo:
	@./scripts/setup.sh
	.venv/bin/tctt demo --out out/demo

test:
	@./scripts/setup.sh --test
	.venv/bin/ruff check .
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check .

# The issue-8 benchmark on a farm of N generated portals (N=500 by default; N=5000 takes about 15 minutes).
N ?= 500
bench:
	@./scripts/setup.sh
	.venv/bin/pip install -q -e ".[bench]"
	.venv/bin/python bench/audit_bench.py --n $(N)

# One crawl process, then `tctt cluster` with 1, 2 and 4 Redis workers on the same farm (N=200 by default).
bench-cluster: N = 200
bench-cluster:
	@./scripts/setup.sh --test
	.venv/bin/pip install -q -e ".[bench]"
	.venv/bin/python bench/cluster_bench.py --n $(N)
