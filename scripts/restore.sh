#!/usr/bin/env bash
# make restore [BACKUP=var/backups/<stamp>]: put a backup from scripts/backup.sh back.
# Without BACKUP, the latest backup. The archives' checksums are checked first; then the
# database is restored in one transaction (created first if it was dropped) and the media
# folder replaced (the previous one is kept beside it as <media>.before-restore until the
# next restore). Finally every table's row count is compared with the manifest.
set -euo pipefail
source "$(dirname "$0")/backup_lib.sh"

backup="${1:-${BACKUP:-}}"
if [ -z "$backup" ]; then
  backup="$( (find "$BACKUP_ROOT" -mindepth 1 -maxdepth 1 -type d ! -name '*.partial' 2>/dev/null || true) | sort | tail -n 1)"
  [ -n "$backup" ] || die "no backup in $BACKUP_ROOT: run \`make backup\` first, or give BACKUP=<folder>."
fi
for part in database.dump media.tar manifest.json; do
  [ -f "$backup/$part" ] || die "$backup is not a complete backup: $part is missing."
done
log "backup $backup"

python3 - "$backup" <<'PY' || die "a checksum does not match: the backup is damaged, nothing was changed."
import hashlib, json, sys
from pathlib import Path
backup = Path(sys.argv[1])
manifest = json.loads((backup / "manifest.json").read_text())
for name, expected in manifest["archives"].items():
    digest = hashlib.sha256((backup / name).read_bytes()).hexdigest()
    if digest != expected:
        sys.exit(f"  [restore] {name}: sha256 {digest}, manifest says {expected}")
PY

dbname="$(url_part dbname)"
maintenance="$(url_part maintenance)"
# (psql fills in :'name' only in what it reads from standard input, hence the here-strings)
exists="$(psql "$maintenance" -qAt -v ON_ERROR_STOP=1 -v name="$dbname" \
  <<<"SELECT 1 FROM pg_database WHERE datname = :'name'")" || die "cannot reach the database server"
if [ "$exists" != 1 ]; then
  log "creating database $dbname"
  psql "$maintenance" -q -v ON_ERROR_STOP=1 -v name="$dbname" <<<'CREATE DATABASE :"name"'
fi
log "database $(url_part safe)"
pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction \
  --dbname="$PG_URL" "$backup/database.dump"

log "media $MEDIA_ROOT"
parent="$(dirname "$MEDIA_ROOT")"
mkdir -p "$parent"
incoming="$(mktemp -d "$parent/.media-restore.XXXXXX")"
tar -C "$incoming" -xf "$backup/media.tar"
rm -rf "$MEDIA_ROOT.before-restore"
if [ -e "$MEDIA_ROOT" ]; then mv "$MEDIA_ROOT" "$MEDIA_ROOT.before-restore"; fi
mv "$incoming" "$MEDIA_ROOT"
chmod 755 "$MEDIA_ROOT"

row_counts >"$backup/.restored.tsv"
python3 - "$backup" <<'PY'
import json, sys
from pathlib import Path
backup = Path(sys.argv[1])
expected = json.loads((backup / "manifest.json").read_text())["tables"]
found = dict(
    (name, int(count))
    for name, count in (line.split("\t") for line in (backup / ".restored.tsv").read_text().splitlines())
)
(backup / ".restored.tsv").unlink()
wrong = {name: (count, found.get(name)) for name, count in expected.items() if found.get(name) != count}
if wrong:
    sys.exit(f"  [restore] row counts differ from the manifest (expected, found): {wrong}")
print(f"  [restore] {len(expected)} tables, {sum(expected.values())} rows: as in the manifest")
PY
log "done"
