#!/usr/bin/env bash
# `npm test`: makes sure the tools the suites need are present, then runs jest with any arguments.
# The store and audit suites start their own PostgreSQL server (tests/support/global-setup.ts),
# which needs initdb and pg_ctl; the browser suites need Chromium. As root (CI) missing packages
# are installed with apt-get; otherwise we say what to install and stop.
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() {
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

have_chromium() {
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

apt_updated=no
apt_install() {
  # Wait for another apt run (e.g. a parallel test run) instead of failing on the lock.
  if [ "$apt_updated" = no ]; then
    apt-get -o DPkg::Lock::Timeout=600 update
    apt_updated=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "$@"
}

missing=()
have_postgres || missing+=(postgresql)
have_chromium || missing+=(chromium)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} for the tests…" >&2
    apt_install "${missing[@]}"
  else
    echo "The tests need these packages, which are missing: ${missing[*]}." >&2
    echo "Install them (e.g. sudo apt-get install ${missing[*]}) and run npm test again." >&2
    exit 1
  fi
fi

# PGlite loads parts of itself with import(); inside jest's sandbox that needs VM modules.
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules"
exec npx jest "$@"
