#!/usr/bin/env bash
# The CeDS production topology on one machine: HAProxy in front of two gunicorn app servers, one
# Celery worker and Celery beat, against PostgreSQL and Redis. Plain bash: each process runs in its
# own process group with a pid file under $PROD_STATE, its output in $PROD_STATE/log/<name>.log.
#
#   deploy/prod.sh run             prepare, start everything, restart what dies; Ctrl-C stops all
#   deploy/prod.sh up | down       start everything (and wait until healthy) | stop everything
#   deploy/prod.sh reload          graceful reload: HUP to each gunicorn master (new workers, new code)
#   deploy/prod.sh start NAME      start one of: haproxy app1 app2 worker beat
#   deploy/prod.sh kill NAME SIG   send SIG to NAME's whole process group (the fault test uses KILL)
#   deploy/prod.sh status          what runs, and /healthz through HAProxy
#   deploy/prod.sh exec CMD...     run CMD with the same environment (manage.py commands)
#
# Configuration comes from the environment (docs/production.md lists every variable); anything
# unset defaults to the services on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

export PROD_STATE=${PROD_STATE:-$ROOT/var/prod}
export PROD_BIND=${PROD_BIND:-127.0.0.1}
export PROD_PORT=${PROD_PORT:-8110}
export PROD_APP1_PORT=${PROD_APP1_PORT:-8111}
export PROD_APP2_PORT=${PROD_APP2_PORT:-8112}
export PROD_STATS_PORT=${PROD_STATS_PORT:-8113}
export PROD_APP1=${PROD_APP1:-127.0.0.1:$PROD_APP1_PORT}
export PROD_APP2=${PROD_APP2:-127.0.0.1:$PROD_APP2_PORT}
NAMES=(app1 app2 worker beat haproxy)

# Production settings (ceds/settings.py): DEBUG off, manifest static files, staff MFA, JSON logs.
export DEBUG=false
export CEDS_REQUIRE_MFA_FOR_STAFF=${CEDS_REQUIRE_MFA_FOR_STAFF:-true}
export LOG_FORMAT=${LOG_FORMAT:-json}
export BEHIND_PROXY=true
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ceds_prod}
export DB_CONN_MAX_AGE=${DB_CONN_MAX_AGE:-60}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export CEDS_BROKER_URL=${CEDS_BROKER_URL:-redis://127.0.0.1:6379/1}
export SITE_URL=${SITE_URL:-https://$PROD_BIND:$PROD_PORT}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export CSRF_TRUSTED_ORIGINS=${CSRF_TRUSTED_ORIGINS:-$SITE_URL}
# A real deployment sets EMAIL_URL=smtp://…; on this machine mail goes to the worker's log.
export EMAIL_URL=${EMAIL_URL:-console:}

mkdir -p "$PROD_STATE/log"
if [ -z "${SECRET_KEY:-}" ]; then
  # One key for every process (sessions and signed values cross app servers); kept for the next start.
  [ -s "$PROD_STATE/secret_key" ] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$PROD_STATE/secret_key")
  SECRET_KEY=$(cat "$PROD_STATE/secret_key")
  export SECRET_KEY
fi

pidfile() { echo "$PROD_STATE/$1.pid"; }
alive() { # PID: running, and not a zombie (a killed process nobody has reaped yet)
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}
running() { local f; f=$(pidfile "$1"); [ -s "$f" ] && alive "$(cat "$f")"; }

command_for() {
  case $1 in
    app1 | app2)
      local port=$PROD_APP1_PORT
      [ "$1" = app2 ] && port=$PROD_APP2_PORT
      echo "env GUNICORN_BIND=$PROD_BIND:$port GUNICORN_NAME=ceds-$1 GUNICORN_PIDFILE=$(pidfile "$1").gunicorn" \
        "$ROOT/.venv/bin/gunicorn -c $ROOT/deploy/gunicorn.conf.py ceds.wsgi:application"
      ;;
    worker) echo "$ROOT/.venv/bin/celery -A ceds worker -Q default,reports,benchmarks,audit --loglevel INFO --concurrency ${CELERY_CONCURRENCY:-2} --hostname worker1@%h --without-gossip --without-mingle" ;;
    beat) echo "$ROOT/.venv/bin/celery -A ceds beat --loglevel INFO --schedule $PROD_STATE/celerybeat-schedule" ;;
    haproxy) echo "/usr/sbin/haproxy -W -db -f $ROOT/deploy/haproxy.cfg" ;;
    *) echo "unknown process: $1 (one of ${NAMES[*]})" >&2 && return 2 ;;
  esac
}

start() {
  local name=$1 cmd
  cmd=$(command_for "$name")
  if running "$name"; then return 0; fi
  # setsid: a process group of its own, so a signal reaches its children (gunicorn, Celery workers).
  # shellcheck disable=SC2086
  setsid $cmd >>"$PROD_STATE/log/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

signal() {
  local name=$1 sig=$2
  running "$name" || return 0
  kill -s "$sig" -- "-$(cat "$(pidfile "$name")")" 2>/dev/null || true
}

stop() {
  local name=$1 pid
  running "$name" || { rm -f "$(pidfile "$name")"; return 0; }
  pid=$(cat "$(pidfile "$name")")
  signal "$name" TERM
  for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.2; done
  signal "$name" KILL
  rm -f "$(pidfile "$name")" "$(pidfile "$name").gunicorn"
}

wait_healthy() { # URL SECONDS
  local url=$1 until=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$until" ]; do
    curl -fsk -o /dev/null --max-time 3 "$url" && return 0
    sleep 0.3
  done
  echo "not healthy after $2 s: $url" >&2
  return 1
}

# Runs "$@" unless it already ran with the same inputs: a digest of the names, sizes and times of
# the files under DIRS (and of KEY), kept in $PROD_STATE/done-NAME. Collecting the static files
# (hashing and compressing 1,200 files) and loading the content take most of a start otherwise.
once() { # NAME KEY DIRS -- COMMAND...
  local name=$1 key=$2 dirs=$3 digest
  shift 4
  # shellcheck disable=SC2086
  digest=$( (echo "$key" && find $dirs -type f -printf '%P %s %T@\n' | sort) | sha256sum | cut -d' ' -f1)
  [ "$(cat "$PROD_STATE/done-$name" 2>/dev/null)" = "$digest" ] && return 0
  "$@"
  echo "$digest" >"$PROD_STATE/done-$name"
}

prepare() {
  "$PY" deploy/createdb.py "$DATABASE_URL"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py compilemessages --ignore=.venv -v0
  # The static files (hashed and compressed, about 25 s from nothing) while the content loads.
  (
    once static "$(cat requirements.txt)" "static ceds/settings.py" -- "$PY" manage.py collectstatic --noinput -v0
    [ -s staticfiles/staticfiles.json ] || "$PY" manage.py collectstatic --noinput -v0
  ) &
  local static=$!
  once content "$DATABASE_URL" "content" -- "$PY" manage.py load_content >/dev/null
  wait "$static"
  if [ ! -s "$PROD_STATE/tls.pem" ]; then
    # A self-signed certificate for this machine; on a real host put the certificate and key here.
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$PROD_BIND" \
      -addext "subjectAltName=IP:$PROD_BIND,DNS:localhost" \
      -keyout "$PROD_STATE/tls.key" -out "$PROD_STATE/tls.crt" 2>/dev/null
    cat "$PROD_STATE/tls.crt" "$PROD_STATE/tls.key" >"$PROD_STATE/tls.pem"
    chmod 600 "$PROD_STATE/tls.pem" "$PROD_STATE/tls.key"
  fi
  /usr/sbin/haproxy -c -q -f deploy/haproxy.cfg
}

up() {
  for name in "${NAMES[@]}"; do start "$name"; done
  wait_healthy "http://$PROD_APP1/healthz" 60
  wait_healthy "http://$PROD_APP2/healthz" 60
  wait_healthy "https://$PROD_BIND:$PROD_PORT/healthz" 30
}

down() {
  for name in "${NAMES[@]}"; do stop "$name"; done
}

reload() {
  # gunicorn on HUP starts new workers with the code and configuration on disk, then stops the
  # old ones gracefully: requests in flight finish, none is refused.
  for name in app1 app2; do
    running "$name" && kill -HUP "$(cat "$(pidfile "$name")")"
  done
  # HAProxy's master re-reads its configuration on USR2, keeping the open connections.
  running haproxy && kill -USR2 "$(cat "$(pidfile haproxy)")"
  return 0
}

status() {
  for name in "${NAMES[@]}"; do
    if running "$name"; then echo "$name: running (pid $(cat "$(pidfile "$name")"))"; else echo "$name: stopped"; fi
  done
  curl -sk --max-time 3 "https://$PROD_BIND:$PROD_PORT/healthz" && echo
}

supervise() {
  # Restart whatever dies, until Ctrl-C or TERM.
  trap 'down; exit 0' INT TERM
  echo "CeDS on https://$PROD_BIND:$PROD_PORT/ (HAProxy stats on http://$PROD_BIND:$PROD_STATS_PORT/; logs in $PROD_STATE/log). Ctrl-C stops."
  while true; do
    for name in "${NAMES[@]}"; do
      if ! running "$name"; then
        echo "$(date -u +%FT%TZ) $name is not running: starting it" >&2
        start "$name"
      fi
    done
    sleep 2
  done
}

case ${1:-} in
  run)
    prepare
    trap 'down' EXIT
    up
    supervise
    ;;
  prepare) prepare ;;
  up) up ;;
  down) down ;;
  reload) reload ;;
  status) status ;;
  start) start "$2" ;;
  stop) stop "$2" ;;
  kill) signal "$2" "${3:-KILL}" ;;
  pid) cat "$(pidfile "$2")" ;;
  exec) # run a command with the production environment, e.g. exec .venv/bin/python manage.py createsuperuser
    shift
    exec "$@"
    ;;
  *)
    sed -n '2,14p' "$0"
    exit 2
    ;;
esac
