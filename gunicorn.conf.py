"""gunicorn settings for the ClaimLens web process (``gunicorn -c gunicorn.conf.py``).

Sync workers: the rules engine is CPU-bound and each request holds one database connection, so
a worker per request in flight is the simplest model that scales by adding workers and
machines (docs/deploy.md). Every value can be overridden from the environment.
https://docs.gunicorn.org/en/stable/settings.html
"""

import multiprocessing
import os

# Loopback unless told otherwise; a container behind a load balancer sets HOST=0.0.0.0.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Above the slowest legitimate request: a model call (ANTHROPIC_TIMEOUT_SECONDS, 30 s) and its
# one retry. A worker stuck longer than this is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "75"))
# On SIGTERM, finish requests in flight for this long before exiting (deploys, Ctrl-C).
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Queue of connections waiting for a free worker; a load balancer should queue less than this.
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
# Recycle workers now and then, so slow memory growth never builds up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-Proto only from the load balancer (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log: method, path, status, size and microseconds; no query strings, bodies or headers.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)sus'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket (gunicorn 25.1+): its one default path under $HOME would be shared with any
# other gunicorn on the machine. Deploys signal the master instead (HUP, TERM, TTIN/TTOU).
control_socket_disable = True
