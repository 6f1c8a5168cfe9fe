"""make audit: known vulnerabilities in the pinned Python packages (pip-audit on
requirements.lock) and the front-end packages (npm audit on package-lock.json).

A finding fails the run unless audit-allowlist.txt names its id with a reason. A
vulnerability service that cannot be reached (offline CI, a registry mirror without the
audit API) is reported as NOT CHECKED, loudly, and fails only with GRIDMAP_AUDIT_REQUIRED=1:
then nothing was checked, which is not the same as nothing found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = ROOT / "audit-allowlist.txt"
TIMEOUT = int(os.environ.get("GRIDMAP_AUDIT_TIMEOUT", "120"))


def allowlist() -> dict[str, str]:
    """Allowed ids (PYSEC-/GHSA-/CVE-...) with their reasons; a line without a reason is refused."""
    allowed: dict[str, str] = {}
    if not ALLOWLIST.exists():
        return allowed
    for number, line in enumerate(ALLOWLIST.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        ident, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"audit-allowlist.txt line {number}: give a reason after {ident}.")
        allowed[ident] = reason.strip()
    return allowed


def run(command: list[str]) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return None


def pip_findings() -> tuple[list[tuple[str, str]], str | None]:
    """(package==version, id) pairs, or a reason the audit could not be done."""
    done = run(
        [
            str(ROOT / ".venv/bin/pip-audit"),
            "--requirement=requirements.lock",
            "--no-deps",
            "--disable-pip",
            "--progress-spinner=off",
            "--timeout=20",
            "--format=json",
        ]
    )
    if done is None:
        return [], f"pip-audit took over {TIMEOUT} s"
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return [], f"pip-audit failed: {done.stderr.strip().splitlines()[-1:]}"
    packages = report.get("dependencies", [])
    audited = [p for p in packages if "skip_reason" not in p]
    if packages and not audited:
        return [], (
            f"the PyPI vulnerability API answered for none of {len(packages)} packages "
            f"({packages[0]['skip_reason']})"
        )
    findings = [
        (f"{p['name']}=={p['version']}", v["id"]) for p in audited for v in p.get("vulns", [])
    ]
    return findings, None


def npm_findings() -> tuple[list[tuple[str, str]], str | None]:
    done = run(["npm", "audit", "--omit=dev", "--json"])
    if done is None:
        return [], f"npm audit took over {TIMEOUT} s"
    try:
        report = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    if "error" in report or "vulnerabilities" not in report:
        lines = [line for line in done.stderr.splitlines() if "warn audit" in line]
        detail = report.get("error", {}).get("summary") or " ".join(lines)[-200:]
        return [], f"the npm audit endpoint did not answer ({detail})"
    findings = []
    for name, vulnerability in report["vulnerabilities"].items():
        for via in vulnerability.get("via", []):
            if isinstance(via, dict):
                ident = via.get("url", "").rsplit("/", 1)[-1] or str(via.get("source"))
                findings.append((name, ident))
    return findings, None


def main() -> int:
    allowed = allowlist()
    failed = unchecked = False
    for label, check in (("Python (pip-audit)", pip_findings), ("npm (npm audit)", npm_findings)):
        findings, not_checked = check()
        if not_checked:
            unchecked = True
            print(f"  [audit] {label}: NOT CHECKED: {not_checked}.")
            continue
        open_findings = [(what, ident) for what, ident in findings if ident not in allowed]
        for what, ident in findings:
            if ident in allowed:
                print(f"  [audit] {label}: {what} {ident} allowed: {allowed[ident]}")
        for what, ident in open_findings:
            print(
                f"  [audit] {label}: {what} has {ident}: fix it or explain it in {ALLOWLIST.name}"
            )
        if open_findings:
            failed = True
        else:
            print(f"  [audit] {label}: no known vulnerabilities outside the allowlist.")
    if failed:
        return 1
    if unchecked and os.environ.get("GRIDMAP_AUDIT_REQUIRED") == "1":
        print("  [audit] GRIDMAP_AUDIT_REQUIRED=1 and a check could not be done.")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
