#!/usr/bin/env bash
# make prod-check: the fault test and the backup-and-restore drill on the production topology.
#
# Starts deploy/prod.sh's topology on a fresh database (CHECK_DATABASE_URL), makes real accounts
# (staff with TOTP), runs deploy/check/load.py (load through HAProxy; app1 killed with SIGKILL and
# started again; a graceful reload; the worker killed mid-task and started again), checks the
# outcome in the database (deploy/check/verify.py), exports everything with export_all from the
# running topology, restores it into a fresh database and compares (deploy/check/fingerprint.py).
# Stops everything it started, whatever happens. Exits 1 when any figure is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
started=$(date +%s)

export DATABASE_URL=${CHECK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ceds_prodcheck}
RESTORE_URL=${CHECK_RESTORE_URL:-${DATABASE_URL}_restore}
export PROD_STATE=${PROD_STATE:-$PWD/var/prodcheck}
# Redelivery of a killed worker's task comes after the broker's visibility timeout: short here.
export CEDS_BROKER_VISIBILITY_TIMEOUT=${CEDS_BROKER_VISIBILITY_TIMEOUT:-10}
export MEDIA_ROOT=$PROD_STATE/media
mkdir -p "$PROD_STATE"
trap 'deploy/prod.sh down' EXIT
trap 'exit 1' INT TERM # and so through the EXIT trap: nothing is left running

recreate() { # URL
  local name admin
  name=${1##*/}
  admin=${1%/*}/postgres
  psql -q "$admin" -c "drop database if exists \"$name\" with (force)" -c "create database \"$name\""
}

step() { echo "== $1 (at $(($(date +%s) - started)) s)"; }
step "preparing a fresh database and the topology"
deploy/prod.sh down
recreate "$DATABASE_URL"
rm -f "$PROD_STATE/done-content" "$PROD_STATE/celerybeat-schedule"* "$PROD_STATE"/log/*.log
redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379/0}" flushdb >/dev/null
redis-cli -u "${CEDS_BROKER_URL:-redis://127.0.0.1:6379/1}" flushdb >/dev/null
deploy/prod.sh prepare
"$PY" manage.py seed_demo >/dev/null
"$PY" deploy/check/setup.py "$PROD_STATE/accounts.json" "${CHECK_VALIDATIONS:-4}"
deploy/prod.sh up
step "load and faults ($(nproc) cores)"
"$PY" deploy/check/load.py "$PROD_STATE/accounts.json" "$PROD_STATE/results.json"
step "verdict"
status=0
"$PY" deploy/check/verify.py "$PROD_STATE/results.json" || status=1

step "backup and restore drill"
"$PY" manage.py export_all "$PROD_STATE/backup.tar.gz"
deploy/prod.sh down # the restore needs none of it; its cores go to the restore
recreate "$RESTORE_URL"
rm -rf "$PROD_STATE/restore-media"
restored() { DATABASE_URL=$RESTORE_URL MEDIA_ROOT=$PROD_STATE/restore-media "$@"; }
restored "$PY" manage.py migrate --noinput -v0
restored "$PY" manage.py import_all "$PROD_STATE/backup.tar.gz"
restored "$PY" deploy/check/fingerprint.py "$PROD_STATE/backup.tar.gz" || status=1

echo "prod-check took $(($(date +%s) - started)) s"
exit $status
