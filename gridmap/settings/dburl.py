"""DATABASE_URL in libpq's multi-host form, for a Patroni pair (README, "High availability").

    postgis://user:pass@db1:5432,db2:5432/gridmap?target_session_attrs=read-write&connect_timeout=3

libpq tries the hosts in order and keeps the first that takes writes, so after a failover new
connections find the new primary by themselves. dj_database_url takes one host:port only; this
splits the list into Django's HOST ("db1,db2") and PORT ("5432,5432"), which psycopg hands to
libpq as they are. Query parameters (target_session_attrs, connect_timeout, sslmode, ...) go
to OPTIONS, as dj_database_url does for a single host.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import dj_database_url


def _host_port(item: str) -> tuple[str, str]:
    if item.startswith("["):  # [IPv6]:port
        host, _, rest = item[1:].partition("]")
        return host, rest.removeprefix(":")
    host, _, port = item.partition(":")
    return host, port


def parse_database_url(url: str, **kwargs: Any) -> dict[str, Any]:
    """dj_database_url.parse, plus several comma-separated hosts (each with its own port)."""
    parts = urllib.parse.urlsplit(url)
    userinfo, at, hostlist = parts.netloc.rpartition("@")
    if "," not in hostlist:
        return dict(dj_database_url.parse(url, **kwargs))
    pairs = [_host_port(item) for item in hostlist.split(",")]
    if any(not host for host, _ in pairs) or any(p and not p.isdigit() for _, p in pairs):
        raise ValueError(f"DATABASE_URL: cannot read the host list {hostlist!r}")
    single = parts._replace(netloc=f"{userinfo}{at}placeholder")
    config = dict(dj_database_url.parse(urllib.parse.urlunsplit(single), **kwargs))
    config["HOST"] = ",".join(urllib.parse.unquote(host) for host, _ in pairs)
    # libpq wants one port for all hosts or one per host; a host without one gets 5432.
    ports = [port for _, port in pairs]
    config["PORT"] = ",".join(port or "5432" for port in ports) if any(ports) else ""
    return config
