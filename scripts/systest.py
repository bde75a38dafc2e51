#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The system tests on each emulator (`make test`, docs/testing.md "Two
emulators"): pytest on tests/system once per QEMU, $QEMU set for the run
(tests/system/qemu.py and scripts/mkconfig.sh read it), output as pytest
prints it, then one closing line per emulator and a summary line:

    systest: PASS  QEMU 10: 500 passed, 1 skipped in ...; QEMU 7.2: ...

Usage: systest.py [--qemu NAME ...] [-- PYTEST_ARGS]; NAME is a key of
EMULATORS. Exit status 0 only if every run passed.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPS_DIR = Path(os.environ.get("DEPS_DIR", "/var/cache/sbivisor"))
# The primary first: QEMU 10 from bookworm-backports (make deps), then
# Debian 12's own
EMULATORS = {
    "10": str(DEPS_DIR / "qemu10" / "qemu-system-riscv64"),
    "7.2": "qemu-system-riscv64",
}
SUMMARY = re.compile(r"^=*\s*(\d+ (passed|failed|error).*?)\s*=*$")
# Tests that never start QEMU: the first run only
NO_QEMU = ("test_unit.py", "test_fuzz.py", "test_layers.py")


def run(name, path, pytest_args, first):
    env = dict(os.environ, QEMU=path)
    skip = [] if first else [f"--ignore=tests/system/{m}" for m in NO_QEMU]
    print(f"systest: QEMU {name} ({path})", flush=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "--durations=15", "tests/system", *skip, *pytest_args], cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    last = "no summary"
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        m = SUMMARY.match(line.strip())
        if m:
            last = m.group(1)
    return proc.wait(), last


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qemu", action="append", choices=sorted(EMULATORS),
                    help="an emulator to run on (default: all, QEMU 10 "
                    "first)")
    ap.add_argument("pytest_args", nargs="*")
    a = ap.parse_args()
    names = a.qemu or list(EMULATORS)
    results = []
    for name in names:
        path = EMULATORS[name]
        if name != "7.2" and not Path(path).exists():
            results.append((name, 1, f"{path} missing (make deps)"))
            continue
        rc, last = run(name, path, a.pytest_args, not results)
        results.append((name, rc, last))
    ok = all(rc == 0 for _, rc, _ in results)
    print("systest: " + ("PASS " if ok else "FAIL ") + "; ".join(
        f"QEMU {n}: {text}" for n, _, text in results), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
