#!/bin/sh
# The load test: gunicorn on PostgreSQL, 50 users for 60 seconds; prints Locust's summary.
set -eu
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ceds_bench}"
export DEBUG=false SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop" ALLOWED_HOSTS=127.0.0.1
export CEDS_REQUIRE_MFA_FOR_STAFF=false SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export CEDS_API_RATE=100000/hour EMAIL_URL=console:
.venv/bin/python bench/load_setup.py
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn ceds.wsgi:application --bind 127.0.0.1:8765 --workers 3 --threads 4 --keep-alive 30 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
sleep 3
.venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8765 \
  --csv bench/.load --only-summary --exit-code-on-error 1
