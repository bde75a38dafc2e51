# SPDX-License-Identifier: BSD-2-Clause
"""The CPU closest to today's H-capable hardware: QEMU's `-cpu max`
(on QEMU 10: Smepmp, Smstateen, Smaia/Ssaia, Sscofpmf, Svadu, Svpbmt,
Zicbom/Zicboz, Zkr, V, ...; docs/testing.md "Two emulators").

With Smepmp, M-mode faults on any S memory it has no PMP rule for: the
firmware crashed at boot on HS's per-hart area until HS's shared window
got a rule of its own (include/sbivisor/layout.h). Every SBI test guest
and Linux (disk, network, reboot) run on it here, with the fast path on
and off."""
import subprocess

import pytest

import qemu
from test_linux import full_session, linux_args


def _has_cpu_max():
    out = subprocess.run([qemu.QEMU, "-cpu", "help"], capture_output=True,
                         text=True, timeout=30).stdout
    return any(line.split()[:1] == ["max"] for line in out.splitlines())


# QEMU 7.2 has no -cpu max for RISC-V: these run on QEMU 10 (make test
# runs both)
pytestmark = pytest.mark.skipif(not _has_cpu_max(),
                                reason=f"{qemu.QEMU} has no -cpu max")

GUESTS = ["base", "timer", "ipi", "hsm", "rfence", "dbcn", "srst", "fpvec",
          "demo"]


def describe(run):
    return f"exit={run.status}\n{run.output[-3000:]}"


@pytest.mark.parametrize("fp", (1, 0))
@pytest.mark.parametrize("guest", GUESTS)
def test_cpu_max_runs_every_sbi_guest(guest, fp):
    r = qemu.run(qemu.qemu_args(qemu.sbivisor_bin(fp), qemu.guest_bin(guest),
                                smp=2, cpu="max"))
    assert r.done, describe(r)
    assert r.checks, describe(r)
    assert r.failed() == [], describe(r)
    assert r.status == 0, describe(r)
    assert "sbivisor: guest 'default' stopped: shutdown" in r.output


def test_cpu_max_linux_disk_net_reboot():
    full_session(linux_args(qemu.sbivisor_bin(1), smp=2, disk=True, net=True,
                            cpu="max"), 2)
