#!/usr/bin/env bash
# Runs every test of Solmu: the Swift test suites (the store conformance suite on SQLite and on a
# throwaway PostgreSQL cluster), then the checks against real third-party implementations:
# libphonenumber (Python phonenumbers), two instances on one PostgreSQL database, and, against a
# live server, real OAuth and OpenID Connect clients (authlib, pyjwt), the attack suite, schemathesis fuzzing
# /openapi.yaml (SOLMU_FUZZ_EXAMPLES per operation) and headless Chromium through the login pages.
# Exits non-zero on any failure and ends with one line "N passed, N failed" over everything it ran.
set -uo pipefail
cd "$(dirname "$0")/.."

work=".build/test-run"
mkdir -p "$work"
venv=".build/venv"

passed=0
failed=0

echo "== PostgreSQL"
# A throwaway cluster for the PostgreSQL conformance runs, removed on exit however the run ends.
postgres_dir=""
stop_postgres() {
  if [ -n "$postgres_dir" ]; then Tests/postgres-cluster.sh stop "$postgres_dir"; postgres_dir=""; fi
}
trap stop_postgres EXIT
unset SOLMU_TEST_POSTGRES_URL
postgres_env="$work/postgres.env"
rm -f "$postgres_env"
Tests/postgres-cluster.sh start "$postgres_env"
postgres_status=$?
if [ "$postgres_status" -eq 0 ]; then
  # shellcheck disable=SC1090
  . "$postgres_env"
  rm -f "$postgres_env"
  postgres_dir="$SOLMU_TEST_POSTGRES_DIR"
  export SOLMU_TEST_POSTGRES_URL
  echo "a throwaway PostgreSQL cluster runs in $postgres_dir"
elif [ "$postgres_status" -eq 3 ]; then
  echo "PostgreSQL not found: the PostgreSQL conformance runs are skipped"
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true needs PostgreSQL: counted as one failure"
    failed=$((failed + 1))
  fi
else
  echo "could not start a PostgreSQL cluster: the PostgreSQL conformance runs are skipped"
  failed=$((failed + 1))
fi

echo "== Swift tests"
crosscheck="$work/phone-crosscheck.jsonl"
rm -f "$crosscheck"
SOLMU_PHONE_CROSSCHECK_OUT="$PWD/$crosscheck" swift test 2>&1 | tee "$work/swift-test.log"
swift_status=${PIPESTATUS[0]}
total=$(grep -Eo 'Test run with [0-9]+ tests?' "$work/swift-test.log" | grep -Eo '[0-9]+' | tail -1)
swift_failed=$(grep -Ec '^✘ Test .* (failed|recorded)' "$work/swift-test.log" || true)
swift_failed_tests=$(grep -E '^✘ Test .* failed after' "$work/swift-test.log" | wc -l)
if [ -z "$total" ]; then
  echo "the Swift test run did not finish (exit $swift_status)"
  failed=$((failed + 1))
else
  passed=$((passed + total - swift_failed_tests))
  failed=$((failed + swift_failed_tests))
  if [ "$swift_status" -ne 0 ] && [ "$swift_failed_tests" -eq 0 ]; then failed=$((failed + 1)); fi
fi

echo "== Phone numbers against libphonenumber (Python phonenumbers)"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check phonenumbers==9.0.43 \
    || { echo "could not install phonenumbers"; failed=$((failed + 1)); }
fi
if [ -s "$crosscheck" ] && [ -x "$venv/bin/python" ]; then
  "$venv/bin/python" Tests/interop/phone_crosscheck.py "$crosscheck" | tee "$work/phone.log"
  line=$(tail -1 "$work/phone.log")
  p=$(echo "$line" | grep -Eo '^[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
  f=$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 1)
  passed=$((passed + p))
  failed=$((failed + f))
else
  echo "the Swift tests wrote no cross-check file"
  failed=$((failed + 1))
fi

echo "== Two instances on one PostgreSQL database"
if [ -n "$postgres_dir" ] && command -v psql >/dev/null 2>&1; then
  if swift build --product solmu >"$work/solmu-build.log" 2>&1; then
    python3 Tests/interop/two_instances.py "$(swift build --show-bin-path)/solmu" "$PWD" "$SOLMU_TEST_POSTGRES_URL" \
      | tee "$work/two-instances.log"
    line=$(tail -1 "$work/two-instances.log")
    p=$(echo "$line" | grep -Eo '^[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
    f=$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 1)
    passed=$((passed + p))
    failed=$((failed + f))
  else
    tail -20 "$work/solmu-build.log"
    echo "could not build solmu for the two-instance test"
    failed=$((failed + 1))
  fi
else
  echo "no PostgreSQL cluster (or no psql): the two-instance test is skipped"
fi

echo "== Against a live solmu serve: real OAuth and OpenID Connect clients, schemathesis, headless Chromium"
interop_venv=".build/venv-interop"
requirements="Tests/interop/requirements.txt"
stamp="$interop_venv/requirements.sha256"
if [ ! -x "$interop_venv/bin/python" ] || ! sha256sum --status -c "$stamp" 2>/dev/null; then
  rm -rf "$interop_venv"
  python3 -m venv "$interop_venv" \
    && "$interop_venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" \
    && sha256sum "$requirements" > "$stamp" \
    || { echo "could not install the interop requirements"; failed=$((failed + 1)); }
fi
if [ -x "$interop_venv/bin/pytest" ] && swift build --product solmu >"$work/solmu-build.log" 2>&1; then
  PYTHONDONTWRITEBYTECODE=1 SOLMU_BINARY="$(swift build --show-bin-path)/solmu" SOLMU_REPOSITORY="$PWD" \
    "$interop_venv/bin/pytest" Tests/interop -q -p no:cacheprovider 2>&1 | tee "$work/interop.log"
  summary=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error)' "$work/interop.log" | tail -1)
  p=$(echo "$summary" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
  f=$(echo "$summary" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
  e=$(echo "$summary" | grep -Eo '[0-9]+ errors?' | grep -Eo '[0-9]+' || echo 0)
  if [ -z "$summary" ]; then f=1; fi
  passed=$((passed + p))
  failed=$((failed + f + e))
else
  echo "could not run the interop suite"
  failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
