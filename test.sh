#!/usr/bin/env bash
# Runs Herald's whole test suite on a fresh machine: installs and starts what the tests need
# (PostgreSQL, with a role and database for the storage tests; Debian's Chromium for the dashboard's browser
# tests), then runs `dotnet test`.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~DevTo".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "==> Starting PostgreSQL for the storage tests"
exports=$(bash scripts/start-postgres.sh | grep '^export ')
eval "$exports"

echo "==> Installing Chromium for the dashboard's browser tests (skipped when /usr/bin/chromium is there)"
bash scripts/install-chromium.sh

echo "==> Building"
dotnet build Herald.slnx --configuration Release --nologo -v quiet

# The layout check runs beside the tests; its verdict is printed after them and fails the run like a failed test.
# Style and analyzer rules already failed the build if broken (.editorconfig), so only whitespace is left to check.
echo "==> Checking the layout beside the tests (dotnet format whitespace --verify-no-changes; run \`dotnet format Herald.slnx\` to fix)"
format_log=$(mktemp)
dotnet format whitespace Herald.slnx --verify-no-changes --no-restore >"$format_log" 2>&1 &
format=$!

echo "==> Testing"
# Two lanes of test projects side by side (the machine this was tuned on has 2 cores), each lane one project after
# another, the longest first: started in name order, the longest (IntegrationTests) began half-way through the run
# and finished alone. The lanes are balanced by each project's measured time (README: Tests).
lane_a=(Herald.IntegrationTests Herald.Cli.Tests Herald.Server.Tests Herald.Storage.Tests Herald.Core.Tests)
lane_b=(Herald.Dashboard.Tests Herald.Platforms.Tests)
for csproj in tests/*/*.csproj; do
  project=$(basename "$csproj" .csproj)
  if [[ " ${lane_a[*]} ${lane_b[*]} " != *" $project "* ]]; then
    lane_b+=("$project") # a test project added since: it runs too, at the end of the second lane
  fi
done

run_lane() {
  local status=0 project
  for project in "$@"; do
    dotnet test "tests/$project/$project.csproj" --configuration Release --no-build --nologo "${test_args[@]}" || status=1
  done
  return "$status"
}

test_args=("$@")
logs=$(mktemp -d)
# Ctrl+C or a stop stops both lanes and the test runs they started (they share this script's process group).
trap 'trap - INT TERM; kill 0' INT TERM
set +e
(run_lane "${lane_a[@]}" 2>&1 | tee "$logs/a"; exit "${PIPESTATUS[0]}") &
first=$!
(run_lane "${lane_b[@]}" 2>&1 | tee "$logs/b"; exit "${PIPESTATUS[0]}") &
second=$!
wait "$first"
status_a=$?
wait "$second"
status_b=$?
wait "$format"
status_format=$?
set -e
status=$((status_a != 0 || status_b != 0 || status_format != 0))

echo "==> Formatting"
if [[ $status_format -eq 0 ]]; then
  echo "formatting: no changes needed"
else
  cat "$format_log"
  echo "formatting: the files above need \`dotnet format Herald.slnx\` (exit $status_format)"
fi
rm -f "$format_log"

# One closing line for the whole suite, summed over the test projects.
awk '/(Passed|Failed)!  -/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i+1); if ($i == "Passed:") passed += $(i+1); if ($i == "Skipped:") skipped += $(i+1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$logs/a" "$logs/b"
rm -rf "$logs"
exit "$status"
