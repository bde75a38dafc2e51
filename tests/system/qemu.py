# SPDX-License-Identifier: BSD-2-Clause
"""Run QEMU headless under pexpect: always with a timeout, always killed."""
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
# The emulator: $QEMU (make test sets it per pass; scripts/mkconfig.sh
# reads the same variable), else Debian's QEMU 7.2
QEMU = os.environ.setdefault("QEMU", "qemu-system-riscv64")
STOCK_FW = BUILD / "opensbi-stock/platform/generic/firmware/fw_jump.bin"
CONFIGS = ROOT / "tests" / "configs"
MKCONFIG = ROOT / "scripts" / "mkconfig.sh"
TAP_LINE = re.compile(r"^(ok|not ok) \d+ - (\S+)(.*)$", re.M)
STATS_LINE = re.compile(r"^sbivisor-stats: guest=(\S+) vcpu=(\d+) sbi=(\S+) "
                        r"m=(\d+) hs=(\d+)", re.M)


def sbivisor_bin(fastpath=1, max_harts=8):
    """The image of a build variant: FASTPATH=fastpath, and MAX_HARTS=64
    for max_harts=64 (the layout for many harts, docs/architecture.md)."""
    return BUILD / (f"sbivisor-fp{fastpath}" +
                    (f"-h{max_harts}" if max_harts != 8 else "") + ".bin")


def guest_bin(name):
    return BUILD / "guests" / f"{name}.bin"


def cpu_model(sstc=True, cpu=None):
    """The -cpu value: cpu if given (e.g. "rv64,v=true"), else rv64
    without Sstc when sstc is false, else QEMU's default."""
    if cpu:
        return cpu + ("" if sstc else ",sstc=false")
    return None if sstc else "rv64,sstc=false"


def qemu_args(bios, kernel=None, smp=2, mem="512M", sstc=True, append=None,
              extra=(), cpu=None, machine="virt"):
    args = ["-M", machine, "-smp", str(smp), "-m", mem, "-nographic",
            "-bios", str(bios)]
    if cpu_model(sstc, cpu):
        args += ["-cpu", cpu_model(sstc, cpu)]
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


# ---- configured guests (docs/config.md) ----

def _machine_args(smp, mem, sstc, cpu=None, machine="virt"):
    args = ["-M", machine, "-smp", str(smp), "-m", mem]
    if cpu_model(sstc, cpu):  # the ISA string in the DT depends on it
        args += ["-cpu", cpu_model(sstc, cpu)]
    return args


def _merge_fallback(fragment, out, smp, mem, sstc, cpu=None, machine="virt"):
    """What scripts/mkconfig.sh does: QEMU's own DTB + the fragment."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "virt.dtb"
        shape = _machine_args(smp, mem, sstc, cpu, machine)[2:]
        subprocess.run([QEMU, "-M", f"{machine},dumpdtb={base}",
                        "-nographic", *shape], check=True,
                       capture_output=True, text=True, timeout=30)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(base)],
                             check=True, capture_output=True, text=True,
                             timeout=30).stdout
        frag = re.sub(r"^\s*/dts-v1/;\s*$", "", Path(fragment).read_text(),
                      flags=re.M)
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out),
                        "-"], input=dts + "\n" + frag, check=True,
                       capture_output=True, text=True, timeout=30)


def config_dtb(fragment, out, smp=2, mem="512M", sstc=True, cpu=None,
               machine="virt"):
    """Build the DTB QEMU takes (-dtb) for a config .dts fragment (a path,
    or the text itself), for this -smp/-m/-cpu: scripts/mkconfig.sh, or
    the same steps here without it. Returns out as a Path; raises
    RuntimeError with dtc's messages on a fragment it rejects."""
    out = Path(out)
    if not isinstance(fragment, Path) and "{" in str(fragment):
        src = out.with_suffix(".dts")
        src.write_text(str(fragment))
        fragment = src
    try:
        if MKCONFIG.exists():
            subprocess.run([str(MKCONFIG), str(fragment), str(out),
                            *_machine_args(smp, mem, sstc, cpu, machine)],
                           check=True, capture_output=True, text=True,
                           timeout=60)
        else:
            _merge_fallback(fragment, out, smp, mem, sstc, cpu, machine)
    except subprocess.CalledProcessError as e:
        raise RuntimeError(f"cannot build the DTB for {fragment}:\n"
                           f"{e.stdout or ''}{e.stderr or ''}") from e
    return out


def loader_args(modules):
    """QEMU loader devices for [(file, host address), ...]."""
    args = []
    for path, addr in modules:
        args += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
    return args


GUEST_LINE = re.compile(r"^\[([a-z0-9_-]+)\] (.*)$", re.M)


def guest_lines(text, name):
    """The console lines of a configured guest, without the prefix."""
    return [l for g, l in GUEST_LINE.findall(text) if g == name]


def guest_run(text, name, status=0):
    """A Run for one configured guest: its own lines and TAP checks."""
    own = "\n".join(guest_lines(text, name))
    checks, skipped = parse_tap(own)
    return Run(own, status, checks, skipped)
