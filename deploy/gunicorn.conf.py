"""gunicorn settings for one CeDS app server (deploy/prod.sh starts two, HAProxy in front).

Read by `gunicorn -c deploy/gunicorn.conf.py ceds.wsgi:application`; everything that differs per
server or per host comes from the environment, so the same file serves every app host.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8111")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = os.environ.get("GUNICORN_NAME", "ceds")
# gunicorn's control socket defaults to one path per user: two servers on a host need one each.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or (f"{pidfile}.ctl" if pidfile else None)
# Threads: most of a request's time is spent waiting on PostgreSQL, so a few threads per process
# serve more than the same memory in processes.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker stuck longer than this is killed and replaced; a report is issued by the task worker,
# so no request should come near it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On HUP (make prod-reload) or TERM, running requests get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 30  # HAProxy keeps connections to the servers open (http-reuse)
# Recycle workers now and then, so slow growth in memory never builds up.
max_requests = 5000
max_requests_jitter = 500
# Not preloaded: on HUP the new workers import the code afresh, so a reload deploys new code.
preload_app = False
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Django logs one JSON line per request (ceds.core.requestid); gunicorn's access log would repeat it.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ceds.core.jsonlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
}
