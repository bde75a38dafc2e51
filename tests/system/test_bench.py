# SPDX-License-Identifier: BSD-2-Clause
"""The benchmark guest (make bench) measures every operation, natively and
under sbivisor. Behaviour only: the numbers' sizes are the benchmark's
business (docs/benchmarks.md), never asserted here."""
import re

import pytest

import qemu

BENCH_LINE = re.compile(r"bench: op=(\S+) iters=(\d+) insns=(-?\d+) "
                        r"total=(-?\d+)", re.M)
# every one traps into firmware (and HS) in every configuration
TRAPPING = ["base_get_spec_version", "base_probe_extension", "time_set_timer",
            "ipi_self_masked", "ipi_remote", "rfence_fence_i_self",
            "rfence_sfence_vma_self", "rfence_fence_i_remote",
            "rfence_sfence_vma_remote", "hsm_hart_get_status",
            "dbcn_write_byte", "ipi_remote_handler", "wfi_wake_ipi"]
# natively the device itself answers: no trap; under sbivisor HS emulates it
MMIO = ["mmio_read_uart_lsr", "mmio_write_uart_lsr"]
# with Sstc the hardware raises the interrupt: no software in between
LATENCY = ["timer_irq"]
NOSSTC = ["time_set_timer_nosstc", "timer_irq_nosstc"]

FIRMWARE = {"native": qemu.STOCK_FW, "fp1": qemu.sbivisor_bin(1),
            "fp0": qemu.sbivisor_bin(0)}


def bench_run(fw, nosstc=False):
    # the RTC alarm on the VM clock is how bench.c makes harts switch
    extra = ["-icount", "shift=0,sleep=off", "-rtc", "clock=vm"]
    if nosstc:
        extra = ["-cpu", "rv64,sstc=false"] + extra
    r = qemu.run(qemu.qemu_args(fw, qemu.guest_bin("bench"), smp=2,
                                append="bench.nosstc" if nosstc else None,
                                extra=extra), timeout=120)
    ops = {op: (int(iters), int(insns))
           for op, iters, insns, _ in BENCH_LINE.findall(r.output)}
    return r, ops


def describe(r):
    return f"exit={r.status}\n{r.output[-3000:]}"


@pytest.mark.parametrize("config", ["native", "fp1", "fp0"])
def test_bench_guest_measures_every_op(config):
    r, ops = bench_run(FIRMWARE[config])
    assert r.done and r.status == 0, describe(r)
    assert r.checks and r.failed() == [], describe(r)
    assert set(ops) == set(TRAPPING + MMIO + LATENCY), describe(r)
    for op, (iters, insns) in ops.items():
        assert iters >= 256, op
        if op in TRAPPING or (op in MMIO and config != "native"):
            assert insns > 0, f"{op}: {insns}\n{describe(r)}"
        else:
            assert insns >= 0, f"{op}: {insns}\n{describe(r)}"


@pytest.mark.parametrize("config", ["native", "fp1"])
def test_bench_guest_timer_without_sstc(config):
    r, ops = bench_run(FIRMWARE[config], nosstc=True)
    assert r.done and r.status == 0, describe(r)
    assert r.checks and r.failed() == [], describe(r)
    assert set(ops) == set(NOSSTC), describe(r)
    # without Sstc the timer interrupt goes through M-mode (and HS)
    assert all(iters >= 256 and insns > 0 for iters, insns in ops.values()), \
        describe(r)
