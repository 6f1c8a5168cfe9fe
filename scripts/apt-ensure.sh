#!/usr/bin/env bash
# Install the named Debian packages that are not installed yet (sudo when not root).
set -euo pipefail
missing=()
for p in "$@"; do
  # A tool that is already on PATH (node's npm from another source, a Python with venv)
  # is good enough: installing Debian's package over it would fight the other source.
  case "$p" in
    npm) command -v npm >/dev/null && continue ;;
    python3-venv) python3 -c 'import venv, ensurepip' 2>/dev/null && continue ;;
    chromium) [ -x /usr/bin/chromium ] && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> system packages present: $*"
  exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "==> installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
