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

echo "==> Checking formatting (dotnet format --verify-no-changes; run \`dotnet format Herald.slnx\` to fix)"
dotnet format Herald.slnx --verify-no-changes --no-restore

echo "==> Testing"
log=$(mktemp)
set +e
dotnet test Herald.slnx --configuration Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole suite, summed over the test projects.
awk '/(Passed|Failed)!  -/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i+1); if ($i == "Passed:") passed += $(i+1); if ($i == "Skipped:") skipped += $(i+1)
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
