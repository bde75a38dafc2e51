#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run the libFuzzer fuzzers (tests/fuzz, docs/testing.md "Fuzzers").

    scripts/fuzz.py [--time S] [--only insn,cfg] [--corpus-out DIR]
    scripts/fuzz.py --seeds        # regenerate tests/fuzz/corpus/

Each target runs for S seconds (one at a time) on its seed corpus
(tests/fuzz/corpus/<target>/, read only) and its dictionary
(tests/fuzz/<target>.dict); inputs found on the way go to
build/fuzz/corpus/<target>/ (or --corpus-out), crash inputs to
build/fuzz/crashes/. One line per target with libFuzzer's final stats,
then a summary line; exit status 1 if any target crashed, hung or did not
run. Python 3 standard library only.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "fuzz"
SRC = ROOT / "tests" / "fuzz"
TARGETS = ["insn", "vplic", "vuart", "hmask", "gstage", "cfg", "guestdt", "gwalk"]
# inputs may grow past libFuzzer's default 4096 bytes: whole DTBs
MAX_LEN = {"cfg": 16384, "guestdt": 16384}
ARTIFACTS = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")


def show(path):
    """A path as the user typed it: relative to the tree when inside it"""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def run_target(name, seconds, corpus_out, crash_dir, log_dir):
    """Fuzz one target; returns (executions, crashes, note)."""
    binary = BUILD / f"fuzz_{name}"
    if not binary.is_file():
        return 0, 1, f"not built ({show(binary)})"
    out = corpus_out / name
    out.mkdir(parents=True, exist_ok=True)
    crash_dir.mkdir(parents=True, exist_ok=True)
    prefix = crash_dir / f"{name}-"
    before = set(crash_dir.iterdir())
    cmd = [str(binary), f"-max_total_time={seconds}", "-print_final_stats=1",
           "-timeout=10", "-rss_limit_mb=2048", "-max_len=%d" %
           MAX_LEN.get(name, 4096), f"-artifact_prefix={prefix}", str(out)]
    seeds = SRC / "corpus" / name
    if seeds.is_dir():
        cmd.append(str(seeds))
    if (SRC / f"{name}.dict").is_file():
        cmd.insert(1, f"-dict={SRC / f'{name}.dict'}")
    log = log_dir / f"{name}.log"
    note = ""
    # a hang outside an input (libFuzzer's -timeout covers inputs only):
    # SIGABRT makes ASan print where it is, into the log
    env = dict(os.environ, ASAN_OPTIONS="handle_abort=1")
    with open(log, "w") as f:
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT,
                             cwd=ROOT, env=env)
        try:
            # libFuzzer stops itself; the margin covers loading the corpus
            rc = p.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGABRT)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            rc, note = -1, "hung past its time"
    text = log.read_text(errors="replace")
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", text)
    execs = int(m.group(1)) if m else 0
    found = [p for p in set(crash_dir.iterdir()) - before
             if p.name.startswith(f"{name}-") and
             p.name[len(name) + 1:].startswith(ARTIFACTS)]
    crashes = len(found)
    if rc != 0 and not crashes:
        crashes = 1
        note = note or f"exit status {rc}"
    if found:
        note = ", ".join([note] * bool(note) +
                         [show(p) for p in sorted(found)])
    if crashes:
        note += f" (log: {show(log)})"
    return execs, crashes, note


def seeds():
    """Seed corpora from real inputs: instructions assembled by the cross
    assembler, DTBs of tests/configs through scripts/mkconfig.sh, trimmed
    of QEMU nodes no parser reads so each seed stays small."""
    cross = os.environ.get("CROSS_COMPILE", "riscv64-linux-gnu-")
    corpus = SRC / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # MMIO accesses as guests write them: each seed one encoding
        # (8 bytes, little-endian) and an htinst address offset byte
        asm = "\n".join([
            ".option norvc", "lw a0, 0(a1)", "lbu t0, 4(s1)", "lhu a5, -2(a4)",
            "ld ra, 8(sp)", "lwu s2, 12(s3)", "sb a0, 0(a1)", "sh t1, 6(a2)",
            "sw zero, 0(a0)", "sd s0, 2040(t6)", "amoadd.w a0, a1, (a2)",
            "fld fa0, 0(a0)", "addi a0, a0, 1", "wfi", ".option rvc",
            "c.lw a0, 0(a1)", "c.ld a5, 8(a4)", "c.sw a2, 4(a3)",
            "c.sd s1, 0(s0)", "c.lwsp a5, 12(sp)", "c.ldsp ra, 8(sp)",
            "c.swsp a0, 4(sp)", "c.sdsp ra, 8(sp)", "c.fldsp fa0, 0(sp)",
            "c.nop", ""])
        (tmp / "i.s").write_text(asm)
        subprocess.run([cross + "as", "-march=rv64imafdc", "-o",
                        str(tmp / "i.o"), str(tmp / "i.s")], check=True)
        subprocess.run([cross + "objcopy", "-O", "binary", "-j", ".text",
                        str(tmp / "i.o"), str(tmp / "i.bin")], check=True)
        code = (tmp / "i.bin").read_bytes()
        words, pos = [], 0
        while pos < len(code):
            n = 4 if code[pos] & 3 == 3 else 2
            words.append(int.from_bytes(code[pos:pos + n], "little"))
            pos += n
        d = corpus / "insn"
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for k in range(0, len(words), 4):
            blob = b"".join(w.to_bytes(8, "little") + bytes([k % 32])
                            for w in words[k:k + 4])
            (d / f"insn{k // 4}").write_bytes(blob)
        # transformed (htinst) forms: rs1 = offset, imm = 0, bit 1 = RVC
        (d / "htinst").write_bytes(b"".join(
            v.to_bytes(8, "little") + b"\0" for v in
            (0x0005a503 & 0x7fff, 0x3023 | 9 << 20, (0x2003 | 10 << 7) & ~2,
             0x2000, 0x3020)))

        trim = ["/pmu", "/fw-cfg@10100000", "/flash@20000000",
                "/platform-bus@4000000", "/cpus/cpu-map",
                "/soc/pci@30000000"] + [
                    f"/soc/virtio_mmio@1000{i}000" for i in range(1, 7)]

        def dtb(cfg, out):
            subprocess.run([str(ROOT / "scripts/mkconfig.sh"), str(cfg),
                            str(out), "-smp", "2", "-m", "512M"],
                           check=True, capture_output=True)
            for node in trim:
                subprocess.run(["fdtput", "-r", str(out), node],
                               capture_output=True)
            # QEMU's random seed would make every run's seed differ
            subprocess.run(["fdtput", "-d", str(out), "/chosen",
                            "rng-seed"], capture_output=True)
            subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-o",
                            str(out), str(out)], check=True)

        (tmp / "none.dts").write_text(
            '/dts-v1/;\n/ { chosen { bootargs = "console=ttyS0 '
            'sbivisor.stats  quiet sbivisor.x"; }; };\n')
        configs = {"cfg": ["passthrough", "shm-pair", "rt-hog"],
                   "guestdt": ["none", "passthrough", "shm-pair"]}
        for target, names in configs.items():
            d = corpus / target
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
            for n in names:
                cfg = tmp / "none.dts" if n == "none" else \
                    ROOT / "tests/configs" / f"{n}.dts"
                dtb(cfg, d / f"{n}.dtb")

    # the register models and argument checks: short operation lists
    small = {
        "vplic": [bytes([39, 1, 2, 0, 5, 0, 1, 2, 2, 0, 64, 0, 0, 4, 5, 1,
                         1, 0, 5, 0]), bytes([95, 3]) + bytes(range(64))],
        "vuart": [bytes([0, 0x22, 0, 0x41, 0x62, 0, 1, 0x24, 0, 3, 0x41,
                         0x42, 0x43, 0x80, 0, 0, 0x40, 0, 0xa0, 0])],
        "hmask": [bytes([0, 0, 3, 0, 1, 0, 5, 2, 1, 0, 0, 0, 0]),
                  bytes([4, 6, 0, 0, 0, 0, 0, 0, 0, 0x80, 1, 2, 3, 4])],
        "gstage": [bytes([5, 5, 0, 0x10, 0x40, 0, 0, 0, 5, 0, 0x80, 0, 0,
                          0, 0, 0, 0x0f]),
                   bytes([24, 1, 21, 0, 1, 21, 1, 1, 0, 0, 0, 7])],
    }
    for target, blobs in small.items():
        d = corpus / target
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        for k, b in enumerate(blobs):
            (d / f"seed{k}").write_bytes(b)
    total = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
    print(f"fuzz: seeds written to {show(corpus)} "
          f"({total} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=int, default=60,
                    help="seconds per target (default 60)")
    ap.add_argument("--only", default="",
                    help="comma-separated targets (default: all)")
    ap.add_argument("--corpus-out", type=Path, default=BUILD / "corpus",
                    help="where new inputs go (default build/fuzz/corpus)")
    ap.add_argument("--crash-dir", type=Path, default=BUILD / "crashes")
    ap.add_argument("--seeds", action="store_true",
                    help="regenerate the seed corpora and exit")
    args = ap.parse_args()
    if args.seeds:
        seeds()
        return 0
    names = [n for n in args.only.split(",") if n] or TARGETS
    for n in names:
        if n not in TARGETS:
            ap.error(f"unknown target {n} (one of {', '.join(TARGETS)})")
    log_dir = BUILD / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    total_execs = total_crashes = 0
    start = time.monotonic()
    for n in names:
        execs, crashes, note = run_target(n, args.time, args.corpus_out,
                                          args.crash_dir, log_dir)
        total_execs += execs
        total_crashes += crashes
        print(f"fuzz_{n:<7} {execs:>11} execs {crashes:>3} crashes"
              + (f"  {note}" if note else ""), flush=True)
    print(f"fuzz: {len(names)} targets, {total_execs} execs, "
          f"{total_crashes} crashes in {time.monotonic() - start:.0f} s")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
