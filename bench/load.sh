#!/bin/sh
# make load: requests per second and p95 through HAProxy in front of the production topology
# (deploy/prod.sh: two gunicorn servers, worker, beat), at 50 and then 200 users (Locust, 30 s each).
# The load generator shares the machine's cores with the servers: no scaling is asserted.
set -eu
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ceds_bench}"
export PROD_STATE="${PROD_STATE:-$PWD/var/load}"
export CEDS_API_RATE=1000000/hour
# Every simulated user signs in from this machine's address: allauth's 30 sign-ins a minute per
# address would refuse most of the 200 (429), which is the limit working, not a load figure.
export CEDS_SIGNIN_RATE=${CEDS_SIGNIN_RATE:-1000/m/ip}
trap 'deploy/prod.sh down' EXIT INT TERM
deploy/prod.sh prepare
deploy/prod.sh exec .venv/bin/python bench/load_setup.py
deploy/prod.sh up
host="https://${PROD_BIND:-127.0.0.1}:${PROD_PORT:-8110}"
echo "cores: $(nproc)"
for users in 50 200; do
  # Our self-signed certificate; the CA bundles set in the environment would override it in requests.
  env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE CEDS_LOAD_CA="$PROD_STATE/tls.crt" .venv/bin/locust -f bench/locustfile.py --headless -u "$users" \
    -r 25 -t "${LOAD_SECONDS:-30}s" --host "$host" --csv "bench/.load-$users" --only-summary >/dev/null 2>&1 || true
  .venv/bin/python - "$users" <<'PY'
import csv, sys
users = sys.argv[1]
rows = {r["Name"]: r for r in csv.DictReader(open(f"bench/.load-{users}_stats.csv"))}
total = rows["Aggregated"]
failures = int(total["Failure Count"]) / max(1, int(total["Request Count"])) * 100
print(f"{users:>4} users: {float(total['Requests/s']):7.1f} requests/s, p95 {total['95%']} ms, "
      f"median {total['50%']} ms, failures {failures:.2f} % of {total['Request Count']}")
PY
done
