# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run).
# The database is DATABASE_URL (postgis:// or postgres:// URL) or, without it, the
# project-local cluster's `gridmap` database; media is GRIDMAP_MEDIA_ROOT or ./media.

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB_URL="${DATABASE_URL:-postgis://postgres@127.0.0.1:${GRIDMAP_PGPORT:-54329}/gridmap}"
# libpq knows postgresql:// only; GeoDjango's postgis:// names the same thing.
PG_URL="postgresql://${DB_URL#*://}"
MEDIA_ROOT="${GRIDMAP_MEDIA_ROOT:-$here/media}"
BACKUP_ROOT="${GRIDMAP_BACKUP_ROOT:-$here/var/backups}"
# A server that does not answer makes the scripts fail after this many seconds, not hang.
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-10}"

log() { printf '  [%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '  [%s] error: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 2; }

# URL parts, parsed once by Python (passwords and odd characters are safe this way).
url_part() {
  python3 - "$PG_URL" "$1" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
url, part = urlsplit(sys.argv[1]), sys.argv[2]
if part == "dbname":
    print(url.path.lstrip("/"))
elif part == "maintenance":  # the same server, database "postgres"
    print(urlunsplit(url._replace(path="/postgres")))
elif part == "safe":  # for logs and the manifest: no password
    netloc = url.netloc.rsplit("@", 1)
    host = netloc[-1]
    user = netloc[0].split(":", 1)[0] + "@" if len(netloc) == 2 else ""
    print(urlunsplit(url._replace(netloc=user + host)))
PY
}

# Row count of every table in the public schema, one "table<TAB>count" a line.
row_counts() {
  psql "$PG_URL" -v ON_ERROR_STOP=1 -qAt -F $'\t' -c "
    SELECT table_name,
           (xpath('/row/c/text()', query_to_xml(
               format('SELECT count(*) AS c FROM public.%I', table_name), false, true, '')
           ))[1]::text::bigint
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}
