# lungnb: the README's two commands are `make reproduce` and `make test`.
# Both create the virtual environment from the pinned requirements first if it is missing.
SHELL := /bin/bash
PY    ?= python3
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
PRESET ?= quick

.PHONY: reproduce test venv nbtest check-export check-clean smoke export clean-nbs

reproduce: $(STAMP)
	$(BIN)/lungnb reproduce all --preset $(PRESET) --out reports

test: $(STAMP)
	@$(MAKE) --no-print-directory nbtest check-export check-clean smoke
	@echo "make test: all checks passed"

venv: $(STAMP)

$(STAMP): requirements.txt settings.ini setup.py
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "installing the pinned stack into $(VENV) (a few minutes) ..."
	@$(BIN)/pip install -q -r requirements.txt 2>&1 | grep -v 'is ignored: it is neither a file nor a directory' || true
	@$(BIN)/python -c "import torch, fastai, nbdev, pydicom" || { echo "venv install failed"; exit 1; }
	@$(BIN)/pip install -q --no-deps -e . 2>&1 | grep -v 'is ignored' || true
	@$(BIN)/lungnb --help >/dev/null
	@touch $@

# nbdev_test over the library notebooks (cells flagged #|slow are skipped; `make nbtest FLAGS=slow` runs them)
nbtest: $(STAMP)
	@cd nbs && ../$(BIN)/nbdev_test --path . $(if $(FLAGS),--flags "$(FLAGS)",) && \
	  echo "notebooks: $$(ls *.ipynb | grep -v '^_' | wc -l) passed, 0 failed"

# lungnb/ must be exactly what nbdev_export makes of nbs/, and the notebooks must be clean (nbdev_clean changes nothing)
check-export check-clean: $(STAMP)
	@bash tools/check_nbs.sh $@

# the smoke preset of every study notebook that exists
smoke: $(STAMP)
	@bash tools/smoke.sh

export: $(STAMP)
	$(BIN)/nbdev_export
clean-nbs: $(STAMP)
	$(BIN)/nbdev_clean
