#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""sbivisor benchmarks (make bench): guest SBI, trap and interrupt path
lengths, side by side with native OpenSBI, in one run.

The benchmark guest (tests/guests/bench.c) runs under QEMU with
-icount shift=0,sleep=off, where its cycle counter counts the instructions
of the whole machine: every number is deterministic. It runs natively on
stock OpenSBI 1.6 fw_jump.bin and under sbivisor with the fast path on
(FASTPATH=1) and off (FASTPATH=0); each configuration is run twice and the
two runs must agree. Then: footprint of the M-mode additions and of the HS
hypervisor, HS memory in use after boot, and Linux's boot time to init
under sbivisor against native (wall clock, interleaved runs, medians).

Targets are reported, never asserted: the exit status is 0 when every
number was measured (even if targets are missed), non-zero when a run
failed, a number is missing, or two runs of a configuration disagree.
Python 3 standard library only.
"""
import argparse
import json
import os
import re
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
QEMU = os.environ.get("QEMU", "qemu-system-riscv64")
CROSS = os.environ.get("CROSS_COMPILE", "riscv64-linux-gnu-")
STOCK = BUILD / "opensbi-stock/platform/generic"
STOCK_FW = STOCK / "firmware/fw_jump.bin"
BENCH_BIN = BUILD / "guests/bench.bin"
LINUX = BUILD / "linux"
LINUX_MARKER = b"sbivisor-linux: init up"

CONFIGS = [
    ("native", STOCK_FW),
    ("fp1", BUILD / "sbivisor-fp1.bin"),
    ("fp0", BUILD / "sbivisor-fp0.bin"),
]

# (op, what it measures); the order of the table
OPS = [
    ("base_get_spec_version", "BASE get_spec_version"),
    ("base_probe_extension", "BASE probe_extension(TIME)"),
    ("time_set_timer", "TIME set_timer (Sstc)"),
    ("ipi_self_masked", "IPI to self, SIE off, then clear SSIP"),
    ("ipi_remote", "IPI to the other hart (caller's call)"),
    ("rfence_fence_i_self", "RFENCE remote_fence_i, self"),
    ("rfence_sfence_vma_self", "RFENCE remote_sfence_vma 1 page, self"),
    ("rfence_fence_i_remote", "RFENCE remote_fence_i, other hart"),
    ("rfence_sfence_vma_remote", "RFENCE remote_sfence_vma 1 page, other"),
    ("hsm_hart_get_status", "HSM hart_get_status"),
    ("dbcn_write_byte", "DBCN console_write_byte"),
    ("mmio_read_uart_lsr", "MMIO read of UART LSR (lbu)"),
    ("mmio_write_uart_lsr", "MMIO write of UART LSR (sb)"),
    ("timer_irq", "timer interrupt: deadline -> handler (Sstc)"),
    ("ipi_remote_handler", "IPI call -> handler entry on other hart"),
    ("wfi_wake_ipi", "IPI reaches hart in wfi -> its handler"),
    ("time_set_timer_nosstc", "TIME set_timer, no Sstc"),
    ("timer_irq_nosstc", "timer interrupt, no Sstc"),
]
NOSSTC_OPS = {"time_set_timer_nosstc", "timer_irq_nosstc"}
# Fast-path SBI calls: BASE, TIME, IPI, RFENCE (served in M with FASTPATH=1)
FAST_OPS = ["base_get_spec_version", "base_probe_extension", "time_set_timer",
            "ipi_self_masked", "ipi_remote", "rfence_fence_i_self",
            "rfence_sfence_vma_self", "rfence_fence_i_remote",
            "rfence_sfence_vma_remote"]
MMIO_READ_LIMIT = 400
FOOTPRINT_LIMIT = 200 * 1024
LINUX_LIMIT = 1.10

BENCH_LINE = re.compile(r"bench: op=(\S+) iters=(\d+) insns=(-?\d+) "
                        r"total=(-?\d+)", re.M)
MEM_LINE = re.compile(r"sbivisor-stats: mem (.*)$", re.M)
DONE_LINE = re.compile(r"# guest done: pass=(\d+) fail=(\d+)", re.M)


class BenchError(Exception):
    pass


def qemu_bench_args(fw, nosstc=False):
    args = ["-M", "virt", "-smp", "2", "-m", "512M", "-nographic",
            "-icount", "shift=0,sleep=off",
            # the RTC's alarm on the VM clock: a hart-switch point (bench.c)
            "-rtc", "clock=vm,base=2020-01-01T00:00:00",
            "-bios", str(fw), "-kernel", str(BENCH_BIN)]
    append = "sbivisor.stats"
    if nosstc:
        args[0:0] = ["-cpu", "rv64,sstc=false"]
        append += " bench.nosstc"
    return args + ["-append", append]


def run_qemu(args, timeout):
    """Run QEMU to completion; always killed. Returns its output."""
    try:
        p = subprocess.run([QEMU] + args, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        raise BenchError(f"QEMU timed out after {timeout}s:\n{out[-2000:]}")
    out = p.stdout.decode("utf-8", "replace").replace("\r", "")
    if p.returncode != 0:
        raise BenchError(f"QEMU exited with {p.returncode}:\n{out[-2000:]}")
    return out


def bench_run(name, fw, nosstc, timeout):
    out = run_qemu(qemu_bench_args(fw, nosstc), timeout)
    done = DONE_LINE.search(out)
    if not done or int(done.group(2)):
        raise BenchError(f"{name}: the bench guest failed a check:\n"
                         f"{out[-3000:]}")
    ops = {}
    for op, iters, insns, total in BENCH_LINE.findall(out):
        ops[op] = {"iters": int(iters), "insns": int(insns),
                   "total": int(total)}
    mem = MEM_LINE.search(out)
    return ops, (mem.group(1) if mem else None), out


def measure(timeout):
    """{config: {op: {...}}}, mem stats line, determinism report"""
    results, mem, determinism = {}, None, {}
    for name, fw in CONFIGS:
        if not Path(fw).is_file():
            raise BenchError(f"missing {fw}: run make build-all")
        ops = {}
        for nosstc in (False, True):
            runs = [bench_run(name, fw, nosstc, timeout) for _ in range(2)]
            a, b = runs[0][0], runs[1][0]
            same = a == b
            key = f"{name}{'-nosstc' if nosstc else ''}"
            determinism[key] = same
            if not same:
                diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b)
                        if a.get(k) != b.get(k)}
                print(f"bench: {key}: two runs differ: {diff}",
                      file=sys.stderr)
            ops.update(a)
            if runs[0][1] and name == "fp1":
                mem = runs[0][1]
        want = [op for op, _ in OPS]
        missing = [op for op in want if op not in ops]
        if missing:
            raise BenchError(f"{name}: no number for {', '.join(missing)}")
        results[name] = ops
    return results, mem, determinism


# ---- footprint ----

def section_sizes(path):
    """text/rodata/data/bss bytes of an object or ELF (size -A)."""
    out = subprocess.run([CROSS + "size", "-A", str(path)], check=True,
                         capture_output=True, text=True).stdout
    acc = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    for line in out.splitlines():
        f = line.split()
        if len(f) < 3 or not f[1].isdigit():
            continue
        sec, size = f[0], int(f[1])
        if sec.startswith((".text", ".entry", ".init", ".fini")):
            acc["text"] += size
        elif sec.startswith((".rodata", ".srodata")):
            acc["rodata"] += size
        elif sec.startswith((".bss", ".sbss")):
            acc["bss"] += size
        elif sec.startswith((".data", ".sdata", ".got", ".dynamic",
                             ".rela", ".dynsym", ".dynstr", ".hash",
                             ".gnu.hash")):
            acc["data"] += size
    return acc


def add(a, b, sign=1):
    return {k: a[k] + sign * b[k] for k in a}


def footprint():
    fp1 = BUILD / "fp1"
    plat = fp1 / "opensbi/platform"
    ours = sorted(plat.glob("firmware/*.o")) + sorted(plat.glob("lib/*.o"))
    if not ours:
        raise BenchError(f"no M-mode objects under {plat}")
    m = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    per_obj = {}
    for o in ours:
        s = section_sizes(o)
        per_obj[str(o.relative_to(plat))] = s
        m = add(m, s)
    glue = section_sizes(plat / "platform/platform.o")
    fw_ours = section_sizes(plat / "platform/firmware/fw_dynamic.elf")
    fw_stock = section_sizes(STOCK / "firmware/fw_dynamic.elf")
    jump = section_sizes(STOCK / "firmware/fw_jump.elf")
    hs = section_sizes(fp1 / "hyp.elf")
    m_all = add(m, glue)
    image = sum(m_all[k] for k in ("text", "rodata", "data")) + \
        sum(hs[k] for k in ("text", "rodata", "data"))
    return {
        "m_objects": per_obj,
        "m_additions": m,
        "m_platform_glue": glue,
        "fw_dynamic_ours": fw_ours,
        "fw_dynamic_stock": fw_stock,
        "fw_dynamic_delta": add(fw_ours, fw_stock, -1),
        "stock_fw_jump": jump,
        "hs": hs,
        "image_additions_bytes": image,
    }


# ---- Linux boot time (wall clock) ----

def linux_args(fw):
    return ["-M", "virt", "-smp", "2", "-m", "1G", "-nographic",
            "-bios", str(fw), "-kernel", str(LINUX / "Image"),
            "-initrd", str(LINUX / "rootfs.cpio.gz"),
            "-append", "console=ttyS0"]


def cpu_seconds(pid):
    """user + system CPU time of a process (all its threads)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def linux_boot_once(fw, timeout):
    """(wall, QEMU CPU) seconds from QEMU's start to the init marker;
    QEMU always killed."""
    t0 = time.monotonic()
    p = subprocess.Popen([QEMU] + linux_args(fw), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    buf = b""
    try:
        while True:
            left = timeout - (time.monotonic() - t0)
            if left <= 0:
                raise BenchError(f"Linux on {fw.name}: no init marker in "
                                 f"{timeout}s:\n"
                                 f"{buf[-2000:].decode('utf-8', 'replace')}")
            r, _, _ = select.select([p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                raise BenchError(f"Linux on {fw.name}: QEMU exited before "
                                 f"init:\n"
                                 f"{buf[-2000:].decode('utf-8', 'replace')}")
            buf += chunk
            if LINUX_MARKER in buf:
                return time.monotonic() - t0, cpu_seconds(p.pid)
            buf = buf[-65536:]
    finally:
        p.kill()
        p.wait()


def linux_boot(rounds, timeout):
    if not (LINUX / "Image").is_file() or \
            not (LINUX / "rootfs.cpio.gz").is_file():
        raise BenchError("missing build/linux/Image or rootfs.cpio.gz: "
                         "run make linux")
    fws = {"native": STOCK_FW, "sbivisor": BUILD / "sbivisor-fp1.bin"}
    wall = {k: [] for k in fws}
    cpu = {k: [] for k in fws}
    for _ in range(rounds):  # interleaved: native, sbivisor, native, ...
        for k, fw in fws.items():
            w, c = linux_boot_once(fw, timeout)
            wall[k].append(round(w, 3))
            cpu[k].append(round(c, 3))
    med = {k: statistics.median(v) for k, v in wall.items()}
    cmed = {k: statistics.median(v) for k, v in cpu.items()}
    return {"runs": wall, "median": med,
            "ratio": med["sbivisor"] / med["native"],
            "cpu_runs": cpu, "cpu_median": cmed,
            "cpu_ratio": cmed["sbivisor"] / cmed["native"]}


# ---- report ----

def per_op(results, cfg, op):
    r = results[cfg][op]
    return r["total"] / r["iters"]


def ratio(a, b):
    return a / b if b > 0 else None


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}"


def op_targets(results, op):
    """[(target text, met)] for one op."""
    n, f1, f0 = (per_op(results, c, op) for c in ("native", "fp1", "fp0"))
    t = []
    if op in FAST_OPS:
        t.append(("fp1<=native", f1 <= n))
        t.append(("fp0>=2*fp1", f1 > 0 and f0 >= 2 * f1))
    if op == "mmio_read_uart_lsr":
        t.append((f"<={MMIO_READ_LIMIT}",
                  f1 <= MMIO_READ_LIMIT and f0 <= MMIO_READ_LIMIT))
    return t


def table(results):
    rows, targets = [], []
    head = ["op", "native", "fp1", "fp0", "fp1/native", "fp0/fp1",
            "target", "met?"]
    for op, _ in OPS:
        n, f1, f0 = (per_op(results, c, op) for c in ("native", "fp1", "fp0"))
        ts = op_targets(results, op)
        met = [ok for _, ok in ts]
        verdict = "" if not ts else ("met" if all(met) else "missed: " +
                                     ", ".join(t for t, ok in ts if not ok))
        rows.append([op, f"{n:.0f}", f"{f1:.0f}", f"{f0:.0f}",
                     fmt_ratio(ratio(f1, n)), fmt_ratio(ratio(f0, f1)),
                     "; ".join(t for t, _ in ts), verdict])
        for t, ok in ts:
            targets.append({"op": op, "target": t, "met": ok})
    widths = [max(len(str(r[i])) for r in rows + [head])
              for i in range(len(head))]
    lines = []

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) if i in (0, 6, 7) else
                                 str(c).rjust(w)
                                 for i, (c, w) in enumerate(zip(cells,
                                                                widths))) + " |"
    lines.append(line(head))
    lines.append("|" + "|".join(("-" * (w + 1) + ":") if i not in (0, 6, 7)
                                else ("-" * (w + 2))
                                for i, w in enumerate(widths)) + "|")
    lines += [line(r) for r in rows]
    return "\n".join(lines), targets


def kib(n):
    return f"{n / 1024:.1f} KiB"


def footprint_text(fp, mem):
    def row(name, s):
        return (f"| {name} | {s['text']} | {s['rodata']} | {s['data']} | "
                f"{s['bss']} |")
    out = ["| part | text | rodata | data | bss |", "|---|---:|---:|---:|---:|"]
    out.append(row("M-mode additions (firmware/, lib/ objects)",
                   fp["m_additions"]))
    out.append(row("M-mode platform glue (platform.o, wraps generic)",
                   fp["m_platform_glue"]))
    out.append(row("HS hypervisor (build/fp1/hyp.elf)", fp["hs"]))
    out.append(row("stock fw_jump.elf (reference)", fp["stock_fw_jump"]))
    out.append(row("our fw_dynamic.elf", fp["fw_dynamic_ours"]))
    out.append(row("stock fw_dynamic.elf", fp["fw_dynamic_stock"]))
    out.append(row("fw_dynamic delta (ours - stock)", fp["fw_dynamic_delta"]))
    out.append("")
    out.append(f"sbivisor additions in the image (M objects + glue + HS, "
               f"text+rodata+data): {fp['image_additions_bytes']} bytes "
               f"({kib(fp['image_additions_bytes'])})")
    if mem:
        out.append(f"HS memory after boot (sbivisor.stats): {mem}")
    return "\n".join(out)


def qemu_version():
    out = subprocess.run([QEMU, "--version"], capture_output=True,
                         text=True).stdout
    return out.splitlines()[0] if out else "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-linux", action="store_true",
                    help="skip the Linux boot-time comparison")
    ap.add_argument("--linux-rounds", type=int, default=5)
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds per QEMU run")
    ap.add_argument("--json", default=str(BUILD / "bench.json"))
    args = ap.parse_args()

    version = qemu_version()
    print(f"bench: {version}; guest {BENCH_BIN.relative_to(ROOT)}; "
          "-icount shift=0,sleep=off: instructions of the whole machine, "
          "per operation, loop overhead subtracted", flush=True)
    try:
        results, mem, determinism = measure(args.timeout)
        fp = footprint()
        linux = None if args.no_linux else \
            linux_boot(args.linux_rounds, max(args.timeout, 90))
    except (BenchError, subprocess.CalledProcessError, OSError) as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1

    text, targets = table(results)
    print()
    print(text)
    print()
    print(footprint_text(fp, mem))
    targets.append({"op": "footprint", "target": f"<={FOOTPRINT_LIMIT}",
                    "met": fp["image_additions_bytes"] <= FOOTPRINT_LIMIT})
    print(f"target: sbivisor additions <= 200 KB: "
          f"{'met' if targets[-1]['met'] else 'missed'}")
    if linux:
        m = linux["median"]
        runs = ", ".join(f"{k}=" + "/".join(f"{t:.2f}" for t in v)
                         for k, v in linux["runs"].items())
        ok = linux["ratio"] <= LINUX_LIMIT
        targets.append({"op": "linux_boot", "target": f"<={LINUX_LIMIT}",
                        "met": ok})
        cm = linux["cpu_median"]
        print(f"\nLinux boot to init (-smp 2 -m 1G, {args.linux_rounds} "
              f"interleaved runs each, wall clock: {runs} s): median native "
              f"{m['native']:.2f} s, sbivisor {m['sbivisor']:.2f} s, ratio "
              f"{linux['ratio']:.2f} (target <= {LINUX_LIMIT}: "
              f"{'met' if ok else 'missed'}); QEMU CPU time, less sensitive "
              f"to other load: median native {cm['native']:.2f} s, sbivisor "
              f"{cm['sbivisor']:.2f} s, ratio {linux['cpu_ratio']:.2f}")
    det = all(determinism.values())
    print(f"\ndeterminism: each configuration run twice: "
          f"{'identical' if det else 'DIFFERENT'} "
          f"({', '.join(k for k, v in determinism.items() if not v) or 'all'})")
    missed = [f"{t['op']} {t['target']}" for t in targets if not t["met"]]
    print(f"targets: {len(targets) - len(missed)} met, {len(missed)} missed"
          + (f": {'; '.join(missed)}" if missed else ""))

    doc = {
        "qemu": version,
        "qemu_args": " ".join(qemu_bench_args("<fw>")),
        "configs": {name: str(fw.relative_to(ROOT)) for name, fw in CONFIGS},
        "ops": {op: {"what": what, **{c: results[c][op] for c in results}}
                for op, what in OPS},
        "targets": targets,
        "footprint": fp,
        "hs_memory_after_boot": mem,
        "linux_boot": linux,
        "deterministic": determinism,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(doc, indent=1, sort_keys=True))
    print(f"bench: wrote {args.json}")
    return 0 if det else 1


if __name__ == "__main__":
    sys.exit(main())
