"""gunicorn's settings for kawal, in one place: the systemd unit (deploy/systemd/kawal-web.service) and the load
test (tests/loadgen.py, bench/load_bench.py) both start ``gunicorn -c python:kawal.web.gunicorn_conf``, so what is
measured is what runs. Each setting can be overridden from the environment (deploy/kawal.env.example).
"""

from __future__ import annotations

import gc
import os

from kawal.web.client_address import parse_networks
from kawal.web.config import Config

_config = Config.from_env()  # the same typed variables the settings read (docs/configuration.md)
bind = _config.KAWAL_BIND
# The proxies allowed to say the request came over HTTPS (X-Forwarded-Proto): the same list the app believes
# X-Forwarded-For from (KAWAL_TRUSTED_PROXIES, client_address.py), so gunicorn and Django trust the same hops.
forwarded_allow_ips = ",".join(str(n) for n in parse_networks(_config.trusted_proxies))
workers = _config.KAWAL_WEB_WORKERS or 2 * (os.cpu_count() or 1) + 1
timeout = 120
graceful_timeout = 30
max_requests = 2000  # a worker is replaced now and then, so a slow leak can never take the site down
max_requests_jitter = 200
accesslog = _config.KAWAL_ACCESS_LOG or None  # "-" for journald; none by default: nginx keeps one
loglevel = _config.KAWAL_LOG_LEVEL or "warning"
preload_app = True  # Django is imported once, before the fork: workers start faster and share that memory


def when_ready(server: object) -> None:
    """Before the workers are forked: what the master imported is frozen out of the garbage collector, so it is
    neither scanned again in every worker nor copied on write there. (A larger young-generation threshold was
    tried as well and measured no faster, so the collector's defaults stay.)"""
    gc.freeze()
