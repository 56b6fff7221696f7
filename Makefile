# The two commands of the README: `make demo` (set up + audit the sample province) and `make test`.
.PHONY: demo test lint setup

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
