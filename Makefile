# lungnb: the README's two commands are `make reproduce` and `make test`.
# Both create the virtual environment from the pinned requirements first if it is missing.
SHELL := /bin/bash
PY    ?= python3
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
PRESET ?= quick

.PHONY: reproduce budget-avx2 test venv nbtest check-export check-clean smoke full-tiny browser-test export clean-nbs lint check-imports docs check-docs

reproduce: $(STAMP)
	$(BIN)/lungnb reproduce all --preset $(PRESET) --out reports

# the preset's run time on an AVX2-only CPU in fp32, emulated on this one: PyTorch, oneDNN and MKL capped at AVX2
# (`lungnb.learner.isa_capped` then makes precision `auto` fp32); each report's provenance holds its wall time and peak memory
BUDGET_OUT ?= /tmp/lungnb-budget-avx2
budget-avx2: $(STAMP)
	ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 OMP_NUM_THREADS=2 \
	  $(BIN)/lungnb reproduce all --preset $(PRESET) --out $(BUDGET_OUT) --force --no-progress

test: $(STAMP)
	@$(MAKE) --no-print-directory lint check-imports nbtest check-export check-clean check-docs smoke browser-test
	@echo "make test: all checks passed"

venv: $(STAMP)

$(STAMP): requirements.txt settings.ini setup.py
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "installing the pinned stack into $(VENV) (a few minutes) ..."
	@$(BIN)/pip install -q -r requirements.txt 2>&1 | grep -v 'is ignored: it is neither a file nor a directory' || true
	@$(BIN)/python -c "import torch, fastai, nbdev, pydicom" || { echo "venv install failed"; exit 1; }
	@$(BIN)/pip install -q --no-deps -e . 2>&1 | grep -v 'is ignored' || true
	@$(BIN)/lungnb --help >/dev/null
	@# the notebooks' kernel under the name nbdev_clean writes as its display name, so that JupyterLab opens them unmodified
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name python3 >/dev/null
	@touch $@

# nbdev_test over the library notebooks (cells flagged #|slow are skipped; `make nbtest FLAGS=slow` runs them).
# One thread per notebook: nbdev_test runs one notebook per core, and with torch's default threads in each they
# oversubscribe the cores (measured on 2 cores: 12.3 min with default threads, 6.9 min with one)
nbtest: $(STAMP)
	@cd nbs && OMP_NUM_THREADS=1 ../$(BIN)/nbdev_test --path . --timing $(if $(FLAGS),--flags "$(FLAGS)",) && \
	  echo "notebooks: $$(ls *.ipynb | grep -v '^_' | wc -l) passed, 0 failed"

# lungnb/ must be exactly what nbdev_export makes of nbs/, and the notebooks must be clean (nbdev_clean changes nothing)
check-export check-clean: $(STAMP)
	@bash tools/check_nbs.sh $@

# static hygiene: pyflakes over the generated package; an unused import or an undefined name fails (fix it in the notebook)
lint: $(STAMP)
	@$(BIN)/python -m pyflakes lungnb/ && echo "lint: pyflakes found nothing in lungnb/"

# layering: no module but lungnb/cli.py imports lungnb.cli, and the lungnb import graph has no cycle
check-imports: $(STAMP)
	@$(BIN)/python tools/check_imports.py

# every arm of every study's full preset at the smoke preset's sizes, generators from the smoke zoo (a plumbing test:
# no full preset may crash at its fifth hour); each report must render clean
full-tiny: $(STAMP)
	@out=$$(mktemp -d); OMP_NUM_THREADS=2 $(BIN)/lungnb reproduce all --preset full-tiny --out $$out --no-progress --force && \
	  $(BIN)/python tools/check_reports.py $$out; rc=$$?; rm -rf $$out; test $$rc -eq 0 && echo "full-tiny: every full preset ran at smoke sizes"; exit $$rc

# JupyterLab and the reports in a real browser (Debian's chromium, headless, driven by Playwright); apt installs chromium if missing
browser-test: $(STAMP)
	@command -v chromium >/dev/null || { echo "browser-test: installing Debian's chromium (apt) ..."; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || { echo "browser-test: needs chromium: apt-get install chromium"; exit 1; }
	@OMP_NUM_THREADS=1 $(BIN)/python tools/browser_test.py

# the documentation site: every notebook in nbs/ rendered (not executed) to _docs/ with a sidebar; README.md from nbs/index.ipynb
docs: $(STAMP)
	@$(BIN)/python tools/build_docs.py --out _docs

# the site builds into a temporary folder: every notebook renders, no broken internal link, no cut module docstring,
# a show_doc for every public name, README.md current
check-docs: $(STAMP)
	@$(BIN)/python tools/build_docs.py --check

# the smoke preset of every study notebook that exists
smoke: $(STAMP)
	@bash tools/smoke.sh

export: $(STAMP)
	$(BIN)/nbdev_export
clean-nbs: $(STAMP)
	$(BIN)/nbdev_clean
