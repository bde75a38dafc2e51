# SPDX-License-Identifier: BSD-2-Clause
"""Run QEMU headless under pexpect: always with a timeout, always killed."""
import re
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
QEMU = "qemu-system-riscv64"
STOCK_FW = BUILD / "opensbi-stock/platform/generic/firmware/fw_jump.bin"
TAP_LINE = re.compile(r"^(ok|not ok) \d+ - (\S+)(.*)$", re.M)
STATS_LINE = re.compile(r"^sbivisor-stats: guest=(\S+) vcpu=(\d+) sbi=(\S+) "
                        r"m=(\d+) hs=(\d+)", re.M)


def sbivisor_bin(fastpath=1):
    return BUILD / f"sbivisor-fp{fastpath}.bin"


def guest_bin(name):
    return BUILD / "guests" / f"{name}.bin"


def qemu_args(bios, kernel=None, smp=2, mem="512M", sstc=True, append=None,
              extra=()):
    args = ["-M", "virt", "-smp", str(smp), "-m", mem, "-nographic",
            "-bios", str(bios)]
    if not sstc:
        args += ["-cpu", "rv64,sstc=false"]
    if kernel:
        args += ["-kernel", str(kernel)]
    if append:
        args += ["-append", append]
    return args + list(extra)


@dataclass
class Run:
    output: str
    status: int
    checks: dict = field(default_factory=dict)  # name -> passed
    skipped: set = field(default_factory=set)

    @property
    def done(self):
        return "# guest done:" in self.output

    def failed(self):
        return sorted(n for n, ok in self.checks.items() if not ok)

    def stats(self):
        """(ext) -> (m, hs) summed over vCPUs."""
        out = {}
        for _, _, ext, m, hs in STATS_LINE.findall(self.output):
            pm, phs = out.get(ext, (0, 0))
            out[ext] = (pm + int(m), phs + int(hs))
        return out


def parse_tap(text):
    checks, skipped = {}, set()
    for verdict, name, rest in TAP_LINE.findall(text):
        checks[name] = verdict == "ok"
        if "# SKIP" in rest:
            skipped.add(name)
    return checks, skipped


def spawn(args, timeout):
    return pexpect.spawn(QEMU, args, timeout=timeout, encoding="utf-8",
                         codec_errors="replace")


def run(args, timeout=60):
    """Run QEMU to completion (the guest powers the machine off)."""
    child = spawn(args, timeout)
    try:
        child.expect(pexpect.EOF)
        out = child.before
    except pexpect.TIMEOUT:
        out = (child.before or "") + "\n[test harness: TIMEOUT]\n"
    finally:
        child.close(force=True)
    status = child.exitstatus if child.exitstatus is not None else -1
    checks, skipped = parse_tap(out)
    return Run(out.replace("\r", ""), status, checks, skipped)
