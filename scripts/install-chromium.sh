#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser tests (Playwright drives /usr/bin/chromium; Playwright's
# own browser download is not used). Idempotent: does nothing when /usr/bin/chromium is there. Installs only
# chromium itself, never upgrading other packages (an upgrade of PostgreSQL under the running test cluster would
# stop it); afterwards it checks the cluster and restarts it with scripts/start-postgres.sh if it went down.
set -euo pipefail

log() { echo "install-chromium: $*" >&2; }

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  log "/usr/bin/chromium is missing and this user cannot install packages; run: sudo apt-get install -y chromium"
  exit 1
fi

log "installing chromium with apt"
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then
  as_root apt-get update -qq >&2
fi
as_root apt-get install -y -qq --no-upgrade --no-install-recommends chromium >&2 \
  || { as_root apt-get update -qq >&2; as_root apt-get install -y -qq --no-upgrade --no-install-recommends chromium >&2; }

if [ ! -x /usr/bin/chromium ]; then
  log "apt finished but /usr/bin/chromium is still missing"
  exit 1
fi

# If the install touched PostgreSQL's packages, its cluster may have been stopped; bring it back.
if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -qv online; then
  log "a PostgreSQL cluster is down after the install; restarting it"
  bash "$(dirname "${BASH_SOURCE[0]}")/start-postgres.sh" >/dev/null
fi
log "chromium $(/usr/bin/chromium --version 2>/dev/null || echo '(version unknown)') installed"
