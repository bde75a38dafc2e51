# SPDX-License-Identifier: BSD-2-Clause
"""Host unit tests (cmocka, built with sanitizers) run as part of pytest."""
import subprocess

import pytest

import qemu

UNITS = sorted(p for p in (qemu.BUILD / "unit").glob("test_*") if p.is_file())


@pytest.mark.parametrize("binary", UNITS, ids=[p.name for p in UNITS])
def test_unit(binary):
    r = subprocess.run([str(binary)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PASSED" in r.stdout + r.stderr


def test_unit_tests_were_built():
    assert len(UNITS) >= 3
