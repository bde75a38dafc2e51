# SPDX-License-Identifier: BSD-2-Clause
"""Smoke run of the libFuzzer fuzzers (tests/fuzz, built by `make test`'s
build step): every target runs a few seconds from its seed corpus through
scripts/fuzz.py and must execute inputs without a crash. The long runs
are `make fuzz` (docs/testing.md, "Fuzzers")."""
import re
import subprocess
import sys

import qemu

SCRIPT = qemu.ROOT / "scripts" / "fuzz.py"
TARGETS = ["insn", "vplic", "vuart", "hmask", "gstage", "cfg", "guestdt", "gwalk"]
SECONDS = 4  # per target: seven of them stay well under a minute
LINE = re.compile(r"^fuzz_(\w+)\s+(\d+) execs\s+(\d+) crashes(.*)$", re.M)


def test_fuzzers_smoke(tmp_path):
    for t in TARGETS:
        assert (qemu.BUILD / "fuzz" / f"fuzz_{t}").is_file(), \
            f"fuzz_{t} not built: make fuzzers"
    # new inputs and crash files stay out of build/fuzz's long-run corpus
    r = subprocess.run([sys.executable, str(SCRIPT), "--time", str(SECONDS),
                        "--corpus-out", str(tmp_path / "corpus"),
                        "--crash-dir", str(tmp_path / "crashes")],
                       capture_output=True, text=True,
                       timeout=len(TARGETS) * (SECONDS + 30))
    out = r.stdout + r.stderr
    seen = {m.group(1): (int(m.group(2)), int(m.group(3)), m.group(4))
            for m in LINE.finditer(r.stdout)}
    assert sorted(seen) == sorted(TARGETS), out
    for t, (execs, crashes, note) in seen.items():
        assert crashes == 0, f"fuzz_{t} crashed:{note}\n{out}"
        assert execs > 0, f"fuzz_{t} ran nothing\n{out}"
    assert r.returncode == 0, out
    assert re.search(rf"^fuzz: {len(TARGETS)} targets, \d+ execs, "
                     r"0 crashes", r.stdout,
                     re.M), out
