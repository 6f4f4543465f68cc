#!/usr/bin/env bash
# The whole test suite, as the README's `make test` runs it (and CI through .ci/run).
# - installs the Debian packages the tests need when missing (Chromium for the dashboard
#   tests, PostgreSQL for the store tests; we run as root on CI and dev machines);
# - starts a throwaway PostgreSQL server and stops it at the end;
# - runs ruff, then pytest (every test, notebooks and dashboards included): the quick tests on two
#   workers (pytest-xdist: each store test has its own database, each dashboard its own port),
#   then the browser, documentation and slow ones one at a time (they time pages and servers).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
export DEBIAN_FRONTEND=noninteractive
export MPLBACKEND=Agg

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "dejavu" || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "run_tests: installing ${need[*]}"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "run_tests: missing ${need[*]} (not root: browser tests will be skipped)"
  fi
fi

if [ -f tests/support/postgres.sh ]; then
  # shellcheck disable=SC1091
  source tests/support/postgres.sh start
  trap 'bash tests/support/postgres.sh stop || true' EXIT
  if [ -z "${COOPEVAL_TEST_PG_URL:-}" ]; then
    echo "run_tests: the throwaway PostgreSQL server did not start (COOPEVAL_TEST_PG_URL unset)" >&2
    exit 1
  fi
fi

# axe-core (accessibility rules run in Chromium by the dashboard tests), from npm, when npm is there
if command -v npm >/dev/null 2>&1 && [ ! -f tests/support/node_modules/axe-core/axe.min.js ]; then
  npm install --prefix tests/support --no-audit --no-fund --silent axe-core@4 >/dev/null 2>&1 \
    || echo "run_tests: axe-core not installed (the accessibility tests use their own checks only)"
fi

"$BIN/python" -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
"$BIN/ruff" check .
# exit code 5 = "no test collected" (a selection given in "$@" that falls in the other part only)
rc=0
"$BIN/python" -m pytest -n 2 -m "not slow and not browser and not docs" "$@" || rc=$?
[ "$rc" = 5 ] && rc=0
rc2=0
"$BIN/python" -m pytest -m "slow or browser or docs" "$@" || rc2=$?
[ "$rc2" = 5 ] && rc2=0
[ "$rc" = 0 ] && [ "$rc2" = 0 ]
