# SPDX-License-Identifier: BSD-2-Clause
"""Host unit tests (cmocka, built with sanitizers) run as part of pytest."""
import os
import subprocess

import pytest

import qemu

UNITS = sorted(p for p in (qemu.BUILD / "unit").glob("test_*") if p.is_file())


@pytest.mark.parametrize("binary", UNITS, ids=[p.name for p in UNITS])
def test_unit(binary):
    # LeakSanitizer's ptrace-based stop-the-world hangs in some sandboxes;
    # the code under test never allocates, so ASan and UBSan are what count
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    r = subprocess.run([str(binary)], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PASSED" in r.stdout + r.stderr


def test_unit_tests_were_built():
    assert len(UNITS) >= 3
