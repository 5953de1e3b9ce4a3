#!/usr/bin/env bash
# Runs every test of Solmu: the Swift test suites, then the checks against real third-party
# implementations (libphonenumber through Python's phonenumbers). Exits non-zero on any failure
# and ends with one line "N passed, N failed" over everything it ran.
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

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
