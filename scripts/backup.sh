#!/usr/bin/env bash
# make backup: the database (pg_dump custom format) and the uploaded media (tar) into
#   var/backups/<UTC timestamp>/{database.dump, media.tar, manifest.json}
# The manifest lists every table's row count and every media file's sha256, and the
# sha256 of the two archives (restore.sh checks them before it touches anything).
# The backup is written under a ".partial" name and renamed when complete.
set -euo pipefail
source "$(dirname "$0")/backup_lib.sh"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dest="$BACKUP_ROOT/$stamp"
n=1
while [ -e "$dest" ]; do dest="$BACKUP_ROOT/$stamp-$n"; n=$((n + 1)); done
work="$dest.partial"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

log "database $(url_part safe)"
pg_dump --format=custom --compress=6 --file="$work/database.dump" "$PG_URL"
row_counts >"$work/tables.tsv"

log "media $MEDIA_ROOT"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -cf "$work/media.tar" .

python3 - "$work" "$MEDIA_ROOT" "$(url_part safe)" <<'PY'
import hashlib, json, os, sys, datetime
from pathlib import Path
work, media, database = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

tables = {}
for line in (work / "tables.tsv").read_text().splitlines():
    name, count = line.split("\t")
    tables[name] = int(count)
files = sorted(p for p in media.rglob("*") if p.is_file())
manifest = {
    "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    "database": database,
    "tables": tables,
    "media": [
        {"path": str(p.relative_to(media)), "size": p.stat().st_size, "sha256": sha256(p)}
        for p in files
    ],
    "archives": {name: sha256(work / name) for name in ("database.dump", "media.tar")},
}
(work / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
(work / "tables.tsv").unlink()
print(f"  [backup] {len(tables)} tables, {sum(tables.values())} rows, {len(files)} media files")
PY

mv "$work" "$dest"
trap - EXIT
log "written $dest"
