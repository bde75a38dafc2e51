#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The soak (issue #9, `make soak`, docs/testing.md "Soak").

Boots tests/configs/soak.dts on QEMU -smp 2 (wall-clock time: SMP, no
icount): two storm guests (tests/guests/storm.c) with two vCPUs each, a
guest rebooting itself 100 times (tests/guests/reboots.c) and a
rate-monotonic guest (tests/guests/rt.c), for SOAK_MINUTES. It reads the
hypervisor shell's `stats` once every guest has booted and again once all
have stopped, follows every storm vCPU's progress, checks each DBCN line
the storms number, and ends with a summary and one line:
`soak: PASS ...` or `soak: FAIL <reason>` (exit status 0 or 1).

A hang is a named failure: a storm vCPU silent for HANG_S, a reboot loop
or the rate-monotonic guest stuck, no output at all, or the whole run past
SOAK_MINUTES + 3 minutes. The console goes to build/soak/console.log.
"""
import argparse
import bisect
import os
import re
import sys
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "system"))
import qemu  # noqa: E402

OUT = ROOT / "build" / "soak"
CONFIG = qemu.CONFIGS / "soak.dts"
MODULES = (("storm", 0x90000000), ("storm", 0x90200000),
           ("reboots", 0x90400000), ("rt", 0x90600000))
MODULE_SIZE = 0x20000
SMP, MEM = 2, "512M"
STORMS = ("storm0", "storm1")
GUESTS = STORMS + ("rb", "rt")
REBOOTS = 100
HANG_S = 30         # a storm vCPU reports every 5 s
STUCK_S = 60        # rb between boots, rt past its end, the console
SHELL_S = 30        # the shell answers a command
GRACE_S = 180       # the hard timeout is the soak's length + this

MEM_LINE = re.compile(r"sbivisor-stats: mem hs_bytes=(\d+) hs_region=\d+ "
                      r"stage2_pages=(\d+)/\d+ guests=(\d+)/\d+ "
                      r"vcpus=(\d+)/\d+")
GUEST_SBI = re.compile(r"^sbivisor-stats: guest=(\S+) vcpu=\d+ sbi=(\S+) "
                       r"m=(\d+) hs=(\d+)$")
LINE = re.compile(r"^\[([a-z0-9_-]+)\] (.*)$")
PROGRESS = re.compile(r"^# storm: vcpu (\d+) round (\d+) (ok|FAIL.*)$")
COUNTS = re.compile(r"^# storm: vcpu (\d+) (done|totals) (.*)$")
DBCN = re.compile(r"^~(\d) ([0-9a-f]{8}) ([a-z]{51})$")
BYTES = re.compile(r"^=(\d) ([0-9a-f]{8})$")
DBCN_LEN = {"~": 63, "=": 11}  # the storm's lines without their newline
RT_END = re.compile(r"^# rt: periods=(\d+) misses=(\d+) max_jitter_ticks=(\d+)"
                    r" max_response_ticks=(\d+)$")
RT_HEAD = re.compile(r"^# rt: hart \d+, period (\d+) ticks")
RT_MISS = re.compile(r"^# rt: period (\d+): deadline miss, jitter (\d+), "
                     r"response (\d+) ticks$")
SAMPLE_S = 0.05     # QEMU's threads' host waits, sampled this often
BOOT = re.compile(r"^# reboots: boot (\d+), hart")
DONE = re.compile(r"^# guest done: pass=(\d+) fail=(\d+)$")
STOPPED = re.compile(r"^sbivisor: guest '(\S+)' stopped: (.*)$")


def say(*words):
    print("soak:", *words, flush=True)


def loadavg():
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return -1.0


def qemu_threads(pid):
    """QEMU's threads (-name debug-threads=on): name -> (ran, waited)
    seconds, from the host scheduler's statistics (schedstat: time on a
    CPU, time runnable but waiting for one)."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            name = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
            ran, waited = Path(f"/proc/{pid}/task/{tid}/schedstat") \
                .read_text().split()[:2]
        except (OSError, ValueError):
            continue
        if name.startswith("CPU ") or name.startswith("qemu-system"):
            name = "main" if name.startswith("qemu") else name.split("/")[0]
            r, w = out.get(name, (0, 0))
            out[name] = (r + int(ran) / 1e9, w + int(waited) / 1e9)
    return out


def config_text(seconds):
    """soak.dts for this length: storm.seconds and rt.periods rewritten."""
    text = CONFIG.read_text()
    period_us = int(re.search(r"rt\.period_us=(\d+)", text).group(1))
    periods = max(1, seconds * 1000000 // period_us)
    for old, new in ((r"storm\.seconds=\d+", f"storm.seconds={seconds}"),
                     (r"rt\.periods=\d+", f"rt.periods={periods}")):
        text, n = re.subn(old, new, text)
        assert n, old
    return text, periods


class Soak:
    def __init__(self, minutes, log):
        self.seconds = max(10, int(minutes * 60))
        self.text, self.rt_periods = config_text(self.seconds)
        self.rt_period_us = int(re.search(r"rt\.period_us=(\d+)",
                                          self.text).group(1))
        self.log = log
        self.fail = []          # reasons, the first one is reported
        self.partial = ""
        self.t0 = time.monotonic()
        self.last_out = self.t0
        self.seen = set()       # guests that printed their first line
        self.mem = {}           # "boot", "start", "end" -> tuple
        self.want_mem = None    # which shell stats we wait for
        self.progress = {}      # (guest, vcpu) -> (time, round)
        self.counts = {}        # (guest, vcpu) -> {key: value}
        self.dbcn_seq = {}      # (guest, vcpu) -> next line number
        self.dbcn_ok = self.dbcn_bad = self.dbcn_cuts = 0
        self.cut = {}           # guest -> the start of a line cut short
        self.hyp_sbi = {}       # (guest, ext) -> calls
        self.stopped = {}       # guest -> reason
        self.done = {}          # guest -> (pass, fail)
        self.reboots = self.boots = 0
        self.rb_last = self.t0
        self.rt = None          # periods, misses, jitter, response
        self.rt_start = None
        self.rt_tpu = 10
        self.rt_miss_lines = 0
        self.all_stopped = False
        self.phase = "boot"     # boot, run (stats read), end
        self.load = [loadavg()]
        self.sched = []         # (time, qemu_threads()) every 10 s
        self.fine = []          # the same every SAMPLE_S (times, samples)
        self.fine_t = []
        self.misses = []        # rt: (time seen, response s) to explain
        self.miss_waits = []    # hart 1's host wait share around each
        self.miss_at = []       # rt: (time seen, jitter ms) of each miss
        self.stop_at = {}       # guest -> when it stopped

    def failed(self, why):
        if why not in self.fail:
            self.fail.append(why)
            say("failure:", why)

    # ---- console lines ----

    def on_line(self, line, now):
        m = MEM_LINE.search(line)
        if m:
            val = tuple(map(int, m.groups()))
            if "boot" not in self.mem:
                self.mem["boot"] = val
            elif self.want_mem:
                self.mem[self.want_mem] = val
                self.want_mem = None
            return
        m = STOPPED.match(line)
        if m:
            self.stopped[m.group(1)] = m.group(2)
            self.stop_at[m.group(1)] = now
            if m.group(2) != "shutdown":
                self.failed(f"guest '{m.group(1)}' stopped: {m.group(2)}")
            return
        if line == "sbivisor: guest 'rb' reboots":
            self.reboots += 1
            self.rb_last = now
            return
        if line.startswith("sbivisor: no guest left"):
            self.all_stopped = True
            return
        if line.startswith("sbivisor: halting"):
            self.failed(line)
            return
        m = GUEST_SBI.match(line)
        if m:
            key = (m.group(1), m.group(2))
            self.hyp_sbi[key] = self.hyp_sbi.get(key, 0) + \
                int(m.group(3)) + int(m.group(4))
            return
        m = LINE.match(line)
        if m and m.group(1) in GUESTS:
            self.guest_line(m.group(1), m.group(2), now)

    def guest_line(self, g, text, now):
        self.seen.add(g)
        if text.startswith("not ok"):
            self.failed(f"{g}: {text}")
        elif "unexpected exception" in text:
            self.failed(f"{g}: {text}")
        m = DONE.match(text)
        if m:
            self.done[g] = tuple(map(int, m.groups()))
        if g in STORMS:
            self.storm_line(g, text, now)
        elif g == "rb":
            self.rb_last = now
            m = BOOT.match(text)
            if m:
                self.boots = int(m.group(1))
        elif g == "rt":
            m = RT_HEAD.match(text)
            if m:
                self.rt_start = now
                self.rt_tpu = max(1, int(m.group(1)) // self.rt_period_us)
            m = RT_MISS.match(text)
            if m:
                self.rt_miss_lines += 1
                self.miss_at.append((now, int(m.group(2)) / self.rt_tpu /
                                     1e3))
                self.misses.append((now, int(m.group(3)) / self.rt_tpu /
                                    1e6))
            m = RT_END.match(text)
            if m:
                self.rt = tuple(map(int, m.groups()))

    def storm_line(self, g, text, now):
        # a partial DBCN count let another guest cut this guest's line:
        # its next output is the rest (the storm writes under one lock)
        if g in self.cut:
            text = self.cut.pop(g) + text
            self.dbcn_cuts += 1
        if text[:1] in DBCN_LEN:
            if len(text) < DBCN_LEN[text[0]]:
                self.cut[g] = text
            else:
                self.dbcn_line(g, text)
            return
        m = PROGRESS.match(text)
        if m:
            self.progress[(g, int(m.group(1)))] = (now, int(m.group(2)))
            if m.group(3) != "ok":
                self.failed(f"{g}: vcpu {m.group(1)} round {m.group(2)} "
                            f"{m.group(3)}")
            return
        if text.startswith("# storm: vcpu") and " FAIL " in text:
            self.failed(f"{g}: {text[2:]}")
            return
        m = COUNTS.match(text)
        if m:
            c = self.counts.setdefault((g, int(m.group(1))), {})
            for kv in m.group(3).split():
                k, _, v = kv.partition("=")
                c[k] = int(v)
            self.progress.pop((g, int(m.group(1))), None)
            return
        m = re.match(r"^# storm: (\d+) vcpus", text)
        if m:
            for v in range(int(m.group(1))):
                self.progress[(g, v)] = (now, 0)

    def dbcn_line(self, g, text):
        m = DBCN.match(text) or BYTES.match(text)
        key = (g, text[0], int(m.group(1)) if m else -1)
        if m:
            n = int(m.group(2), 16)
            ok = n == self.dbcn_seq.get(key, 0) and (
                text[0] == "=" or m.group(3) == "".join(
                    chr(97 + (n + j) % 26) for j in range(12, 63)))
            self.dbcn_seq[key] = n + 1
        if m and ok:
            self.dbcn_ok += 1
            return
        self.dbcn_bad += 1
        self.failed(f"{g}: DBCN line lost or damaged (vcpu {key[2]} next "
                    f"{self.dbcn_seq.get(key, 0)}): {text!r}")

    # ---- QEMU ----

    def sample(self, pid, now):
        """QEMU's threads' host waits now; for each rt miss the samples
        now cover, the share of its window [seen - response, seen] (one
        sample of slack each side) that QEMU's hart 1 thread spent waiting
        for a host CPU: rt's budget is wall-clock time, so a hart the host
        takes away ends rt's jobs late without sbivisor doing anything."""
        d = qemu_threads(pid)
        if not d:
            return
        self.fine_t.append(now)
        self.fine.append(d)
        while self.misses and self.misses[0][0] + SAMPLE_S <= now:
            seen, resp = self.misses.pop(0)
            a = max(0, bisect.bisect_right(self.fine_t,
                                           seen - resp - SAMPLE_S) - 1)
            fa, fb = self.fine[a], self.fine[-1]
            if "CPU 1" in fa and "CPU 1" in fb and now > self.fine_t[a]:
                self.miss_waits.append((fb["CPU 1"][1] - fa["CPU 1"][1]) /
                                       (now - self.fine_t[a]))
        # keep a minute of samples
        if len(self.fine_t) > 60 / SAMPLE_S:
            del self.fine_t[:len(self.fine_t) // 2]
            del self.fine[:len(self.fine) // 2]

    def pump(self, child, timeout=SAMPLE_S):
        try:
            data = child.read_nonblocking(1 << 16, timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        now = time.monotonic()
        self.last_out = now
        self.log.write(data)
        lines = (self.partial + data).split("\n")
        self.partial = lines.pop()
        for line in lines:
            self.on_line(line.rstrip("\r"), now)
        return True

    def shell_stats(self, child, which):
        """Open the shell (Ctrl-] s) and read `stats` into self.mem."""
        self.want_mem = which
        child.send("\x1ds")
        time.sleep(0.5)
        child.send("stats\r")
        end = time.monotonic() + SHELL_S
        while self.want_mem and time.monotonic() < end:
            if not self.pump(child):
                break
        if self.want_mem:
            self.want_mem = None
            self.failed(f"hang: the shell did not answer 'stats' ({which}) "
                        f"in {SHELL_S} s")
            return False
        return True

    def diagnose(self, child):
        """After a hang: what the shell still says, for the report."""
        child.send("\x1ds")
        time.sleep(0.5)
        child.send("vcpus\r")
        time.sleep(0.5)
        child.send("guests\r")
        end = time.monotonic() + 10
        while time.monotonic() < end and self.pump(child, 0.5):
            pass

    def watchdog(self, now):
        """A named failure for whatever stopped moving."""
        for (g, v), (t, r) in sorted(self.progress.items()):
            if now - t > HANG_S:
                self.failed(f"hang: {g} vcpu {v} silent for {HANG_S} s "
                            f"(last progress: round {r})")
        if self.boots and self.boots <= REBOOTS and "rb" not in \
                self.stopped and now - self.rb_last > STUCK_S:
            self.failed(f"hang: rb stuck after boot {self.boots} "
                        f"({self.reboots} reboots) for {STUCK_S} s")
        if self.rt_start and not self.rt and \
                now - self.rt_start > self.seconds + STUCK_S:
            self.failed(f"hang: rt not finished {STUCK_S} s after its "
                        f"{self.rt_periods} periods")
        if self.phase == "boot" and now - self.t0 > STUCK_S:
            self.failed(f"hang: {', '.join(sorted(set(GUESTS) - self.seen))}"
                        f" printed nothing in {STUCK_S} s")
        if now - self.last_out > STUCK_S:
            self.failed(f"hang: no console output for {STUCK_S} s")
        if now - self.t0 > self.seconds + GRACE_S:
            self.failed(f"timeout: still running {self.seconds + GRACE_S} s"
                        f" after the start (SOAK_MINUTES + 3 min)")
        return bool(self.fail) and any(
            f.startswith(("hang", "timeout")) for f in self.fail)

    def run(self, args):
        child = qemu.spawn(args, timeout=10)
        next_status = next_load = next_sample = self.t0
        try:
            while True:
                if not self.pump(child):
                    if self.phase != "end":
                        self.failed("QEMU exited before the soak ended")
                    break
                now = time.monotonic()
                if now >= next_sample:
                    self.sample(child.pid, now)
                    next_sample = now + SAMPLE_S
                if now >= next_load:
                    self.load.append(loadavg())
                    self.sched.append((now, qemu_threads(child.pid)))
                    next_load = now + 10
                if self.phase == "boot" and self.seen >= set(GUESTS):
                    # every guest is up: the figures to keep
                    if not self.shell_stats(child, "start"):
                        break
                    self.phase = "run"
                elif self.phase == "run" and self.all_stopped:
                    self.shell_stats(child, "end")
                    self.phase = "end"
                    break
                if self.watchdog(now):
                    self.diagnose(child)
                    break
                if now >= next_status:
                    self.status(now)
                    next_status = now + 30
        finally:
            self.sched.append((time.monotonic(), qemu_threads(child.pid)))
            child.close(force=True)
            self.load.append(loadavg())

    def status(self, now):
        rounds = " ".join(f"{g}/{v}:{r}" for (g, v), (_, r) in
                          sorted(self.progress.items()))
        say(f"{int(now - self.t0)} s of {self.seconds}: rounds "
            f"{rounds or '-'}; rb boots {self.boots}; rt misses "
            f"{self.rt_miss_lines}; load {loadavg():.2f}")

    # ---- verdict ----

    def check(self):
        mem = self.mem
        if "start" in mem and "end" in mem:
            for i, what in enumerate(("hs_bytes", "stage2_pages", "guests",
                                      "vcpus")):
                if mem["start"][i] != mem["end"][i]:
                    self.failed(f"HS memory: {what} {mem['start'][i]} after "
                                f"boot, {mem['end'][i]} at the end")
        elif not self.fail:
            self.failed("no HS memory figures from the shell")
        if "boot" in mem and "start" in mem and mem["boot"] != mem["start"]:
            self.failed(f"HS memory: {mem['boot']} at boot, {mem['start']} "
                        f"once the guests ran")
        for g, text in self.cut.items():
            self.failed(f"{g}: DBCN line cut and never finished: {text!r}")
        for g in GUESTS:
            if self.stopped.get(g) != "shutdown" and not self.fail:
                self.failed(f"{g} did not shut down")
            if g in self.done and self.done[g][1]:
                self.failed(f"{g}: {self.done[g][1]} checks failed")
        if self.reboots != REBOOTS or self.boots != REBOOTS + 1:
            self.failed(f"rb: {self.reboots} reboots, {self.boots} boots "
                        f"(want {REBOOTS}, {REBOOTS + 1})")
        if self.rt is None:
            self.failed("rt: no final line")
        elif self.rt[0] != self.rt_periods or self.rt[1]:
            self.failed(f"rt: {self.rt[1]} deadline misses in {self.rt[0]} "
                        f"periods (want 0 in {self.rt_periods})")
        for g in STORMS:
            for v in range(2):
                c = self.counts.get((g, v), {})
                if "rounds" not in c or "wfis" not in c:
                    self.failed(f"{g} vcpu {v}: no final counters")
                    continue
                for kind, key in (("~", "dbcn_lines"),
                                  ("=", "dbcn_byte_lines")):
                    n = self.dbcn_seq.get((g, kind, v), 0)
                    if n != c.get(key):
                        self.failed(f"{g} vcpu {v}: {c.get(key)} {key} "
                                    f"written, {n} arrived")
            for ext, key in (("IPI", "ipis"), ("RFENCE", "rfences")):
                mine = sum(self.counts.get((g, v), {}).get(key, 0)
                           for v in range(2))
                hyp = self.hyp_sbi.get((g, ext), 0)
                if mine != hyp:
                    self.failed(f"{g}: {mine} {ext} calls made, the "
                                f"hypervisor counted {hyp}")

    def host_wait(self, row):
        """Print what QEMU's threads got from the host; return the share
        of the run the hart threads spent waiting for a host CPU."""
        s = [(t, d) for t, d in self.sched if d]
        if len(s) < 2:
            return 0.0
        (t0, a), (t1, b) = s[0], s[-1]
        parts, worst = [], 0.0
        for name in sorted(b):
            if name not in a:
                continue
            ran = (b[name][0] - a[name][0]) / (t1 - t0)
            waited = (b[name][1] - a[name][1]) / (t1 - t0)
            parts.append(f"{name} ran {ran:.0%} waited {waited:.0%}")
            if name.startswith("CPU"):
                worst = max(worst, waited)
        # the worst 10 s for any hart thread
        peak = 0.0
        for (ta, da), (tb, db) in zip(s, s[1:]):
            for name in db:
                if name.startswith("CPU") and name in da and tb > ta:
                    peak = max(peak, (db[name][1] - da[name][1]) / (tb - ta))
        row("host CPU for QEMU", f"{'; '.join(parts)} (of wall time; "
            f"worst 10 s for a hart: waited {peak:.0%})")
        return worst

    def summary(self, log_path):
        m = self.mem
        fmt = (lambda k: f"{m[k][0]} bytes, stage-2 {m[k][1]} pages, "
               f"{m[k][2]} guests, {m[k][3]} vCPUs" if k in m else "-")
        row = (lambda label, text: say(f"{label:<20} {text}"))
        say(f"---- summary: {self.seconds} s of storms, "
            f"{int(time.monotonic() - self.t0)} s in all ----")
        row("HS memory at boot", fmt("boot"))
        row("HS memory, start", fmt("start"))
        row("HS memory, end", fmt("end"))
        row("rb", f"{self.reboots} reboots, {self.boots} boots")
        for (g, v), c in sorted(self.counts.items()):
            row(f"{g} vcpu {v}", " ".join(
                f"{k}={c[k]}" for k in ("rounds", "errors", "ipis",
                                         "ipis_taken", "ipi_max_ack_us",
                                         "rfences", "rfence_max_us",
                                         "timer_irqs", "timer_max_late_us",
                                         "dbcn_calls", "dbcn_bytes", "wfis")
                if k in c))
        for g in STORMS:
            row(f"{g} in the hyp", "SBI calls " + " ".join(
                f"{e}={self.hyp_sbi.get((g, e), 0)}"
                for e in ("IPI", "RFENCE", "TIME", "DBCN", "HSM")))
        row("DBCN lines", f"{self.dbcn_ok} checked ({self.dbcn_cuts} cuts "
            f"joined), {self.dbcn_bad} lost or damaged")
        if self.rt:
            p, miss, jit, resp = self.rt
            row("rt", f"periods={p} misses={miss} max_jitter="
                f"{jit // self.rt_tpu} us max_response={resp // self.rt_tpu}"
                f" us")
        loads = [x for x in self.load if x >= 0]
        ncpu = os.cpu_count() or 1
        if loads:
            row("host", f"{ncpu} CPUs, load average (1 min) {loads[0]:.2f} "
                f"at the start, {max(loads):.2f} at most, {loads[-1]:.2f} "
                f"at the end")
        starved = self.host_wait(row)
        row("console log", log_path)
        if not self.rt_miss_lines:
            return
        w = self.miss_waits
        if w:
            row("rt misses", f"{self.rt_miss_lines}; around them QEMU's "
                f"hart 1 thread waited for a host CPU {sum(w) / len(w):.0%} "
                f"of the time on average (least {min(w):.0%}, "
                f"{sum(x >= 0.25 for x in w)} of {len(w)} at 25% or more)")
        # when: while rb rebooted, or after
        rb_end = self.stop_at.get("rb", float("inf"))
        early = [j for t, j in self.miss_at if t <= rb_end]
        late = [j for t, j in self.miss_at if t > rb_end]
        row("rt misses, when", f"{len(early)} while rb rebooted (its first "
            f"{rb_end - self.t0:.0f} s, max jitter "
            f"{max(early, default=0):.0f} ms), {len(late)} after (max "
            f"jitter {max(late, default=0):.0f} ms)")
        if starved >= 0.1:
            say(f"note: QEMU's hart threads waited for a host CPU up to "
                f"{starved:.0%} of the time (load average up to "
                f"{max(loads, default=0):.2f} on {ncpu} CPUs; QEMU alone "
                f"runs {SMP} busy harts and a main loop that delivers the "
                f"timers): QEMU runs the harts in wall-clock time, so rt's "
                f"misses may come from the host (other processes, or too "
                f"few CPUs), not only from sbivisor; the soak fails all "
                f"the same")

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float,
                    default=float(os.environ.get("SOAK_MINUTES", 10)))
    ap.add_argument("--fastpath", type=int, default=1, choices=(0, 1))
    a = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    bins = [qemu.guest_bin(n) for n, _ in MODULES]
    for b in bins + [qemu.sbivisor_bin(a.fastpath)]:
        if not b.exists():
            say(f"FAIL {b} missing (make FASTPATH={a.fastpath} all guests)")
            return 1
        if b in bins and b.stat().st_size > MODULE_SIZE:
            say(f"FAIL {b} outgrew its {MODULE_SIZE:#x}-byte module")
            return 1
    log_path = OUT / "console.log"
    with open(log_path, "w", encoding="utf-8") as log:
        soak = Soak(a.minutes, log)
        try:
            dtb = qemu.config_dtb(soak.text, OUT / "soak.dtb", smp=SMP,
                                  mem=MEM)
        except RuntimeError as e:
            say(f"FAIL {e}")
            return 1
        # named threads: the host's scheduler statistics per hart
        args = qemu.qemu_args(qemu.sbivisor_bin(a.fastpath), smp=SMP,
                              mem=MEM, extra=["-name", "soak,debug-threads=on",
                                              "-dtb", str(dtb),
                                              *qemu.loader_args(zip(
                                                  bins, (x for _, x in
                                                         MODULES)))])
        say(f"{soak.seconds} s of storms, {REBOOTS} reboots, rt "
            f"{soak.rt_periods} periods; QEMU -smp {SMP} -m {MEM}, "
            f"FASTPATH={a.fastpath}; host load {loadavg():.2f}")
        soak.run(args)
    soak.check()
    soak.summary(log_path)
    if soak.fail:
        more = f" (+{len(soak.fail) - 1} more)" if len(soak.fail) > 1 else ""
        say(f"FAIL {soak.fail[0]}{more}")
        return 1
    p, _, jit, _ = soak.rt
    say(f"PASS {soak.seconds} s: HS memory {soak.mem['end'][0]} bytes and "
        f"{soak.mem['end'][1]} stage-2 pages before and after, "
        f"{soak.reboots} reboots, rt {p} periods without a miss "
        f"(max jitter {jit // soak.rt_tpu} us)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
