# SPDX-License-Identifier: BSD-2-Clause
"""Booting payloads not written for these tests, guest faults, and bad
setups: each gets a clear message and never hangs the machine."""
import subprocess

import pexpect

import qemu

UBOOT = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"


def describe(r):
    return f"exit={r.status}\n{r.output[-3000:]}"


def uboot_session(fp, commands, expect_end=pexpect.EOF):
    child = qemu.spawn(qemu.qemu_args(qemu.sbivisor_bin(fp), UBOOT, smp=2),
                       timeout=60)
    try:
        child.expect("Hit any key to stop autoboot")
        child.sendline("")
        child.expect("=> ")
        for cmd, want in commands:
            child.sendline(cmd)
            child.expect(want)
        child.expect(expect_end)
        return child
    finally:
        child.close(force=True)


def test_uboot_runs_as_guest_and_powers_off():
    for fp in (1, 0):
        c = uboot_session(fp, [("version", "U-Boot 20"),
                               ("poweroff", "stopped: shutdown")])
        assert c.exitstatus == 0


def test_uboot_reset_reboots_machine():
    child = qemu.spawn(qemu.qemu_args(qemu.sbivisor_bin(1), UBOOT, smp=2),
                       timeout=60)
    try:
        child.expect("Hit any key to stop autoboot")
        child.sendline("")
        child.expect("=> ")
        child.sendline("reset")
        child.expect("reboots the machine")
        # the loader runs again and the guest comes back
        child.expect("guest 'default': 2 vCPUs")
        child.expect("Hit any key to stop autoboot")
        child.sendline("")
        child.expect("=> ")
        child.sendline("poweroff")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_guest_fault_stops_guest_with_report():
    for fp in (1, 0):
        r = qemu.run(qemu.qemu_args(qemu.sbivisor_bin(fp),
                                    qemu.guest_bin("fault"), smp=2))
        assert "load guest-page fault" in r.output, describe(r)
        assert "gpa=0x40000000" in r.output, describe(r)
        assert "guest 'default' stopped: fault" in r.output, describe(r)
        assert "no guest left, powering off" in r.output, describe(r)
        assert "fault_not_stopped" not in r.output
        assert r.status == 0


def test_no_kernel_is_a_clear_error():
    r = qemu.run(qemu.qemu_args(qemu.sbivisor_bin(1), None), timeout=30)
    assert "no kernel: pass -kernel, or build with GUEST_KERNEL=" in r.output
    assert "halting: no guest to run" in r.output
    assert "TIMEOUT" not in r.output


def test_embedded_guest_image(tmp_path):
    out = tmp_path / "b"
    subprocess.run(["make", "-s", "-C", str(qemu.ROOT), f"B={out}",
                    f"GUEST_KERNEL={qemu.guest_bin('base')}"], check=True, timeout=600,
                   capture_output=True)
    r = qemu.run(qemu.qemu_args(out / "sbivisor.bin", None, smp=1))
    assert r.done and r.failed() == [] and r.checks, describe(r)
