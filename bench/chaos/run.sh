#!/usr/bin/env bash
# The chaos soak in one command (docs/reliability.md, "Chaos soak"):
#   bash bench/chaos/run.sh            # 10,000 publications
#   bash bench/chaos/run.sh --quick    # 1,000 publications, a few minutes
# Extra options go to the harness (--publications N, --seed N, --skew +30s, --fault-5xx 0.02 …).
set -euo pipefail
cd "$(dirname "$0")/../.."

eval "$(bash scripts/start-postgres.sh)"
export HERALD_TEST_POSTGRES

if ! ls /usr/lib/*/faketime/libfaketime.so.1 >/dev/null 2>&1; then
  echo "run.sh: installing libfaketime for the clock-skewed worker" >&2
  # A new machine may have no package lists yet: read them once when the package is not found.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade faketime >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade faketime >&2; } \
    || echo "run.sh: no libfaketime; pass --skew '' to run without a skewed worker" >&2
fi

dotnet build src/Herald.Cli -c Release --nologo -v quiet
dotnet build bench/chaos -c Release --nologo -v quiet
exec dotnet bench/chaos/bin/Release/net10.0/Herald.Chaos.dll "$@"
