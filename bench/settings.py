"""gridmap as production serves it, for `make bench`: gridmap.settings.production (DEBUG off,
persistent connections), with one addition a real deployment behind a reverse proxy has too.

The load tool plays many residents from one machine, so each request carries its client
address in X-Real-IP, as nginx would set it; without this every submission would come from
127.0.0.1 and the anonymous rate limit (apps.reports.ratelimit) would stop the run after 20.
The limits themselves stay as in production.
"""

from gridmap.settings.production import *  # noqa: F403

GRIDMAP_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
