# SPDX-License-Identifier: BSD-2-Clause
"""Many guests from a /chosen configuration (docs/config.md): several
guests running concurrently on shared harts, rate-monotonic scheduling
next to a CPU hog, a guest attacking the others' memory, a guest
rebooting while others run, vCPU migration, shared memory with doorbells
and the console multiplexer (helpers: multi.py; malformed configurations:
test_bad_config.py)."""
import re

import pexpect
import pytest

import qemu
from multi import POWEROFF, assert_guest_passed, config, config_args, \
    config_text, describe, first_line, guest, host_ram, kernel, modules, \
    run_config

K1 = kernel("0x90200000")

# ---- 1. three guests, two vCPUs each, on two harts ----

THREE = ("ipi", "rfence", "timer")  # IPIs, remote fences, timers
THREE_MODS = (("ipi", 0x90000000), ("rfence", 0x90200000),
              ("timer", 0x90400000))
THREE_VARIANTS = [(1, True), (0, True), (1, False), (0, False)]


@pytest.mark.parametrize(
    "fp,sstc", THREE_VARIANTS,
    ids=[f"fp{fp}-{'sstc' if s else 'nosstc'}" for fp, s in THREE_VARIANTS])
def test_three_guests_run_concurrently(tmp_path, fp, sstc):
    r = run_config(tmp_path, qemu.CONFIGS / "three-guests.dts",
                   modules(*THREE_MODS), fp=fp, sstc=sstc)
    ram = host_ram(r)
    assert sorted(ram) == sorted(THREE), describe(r)
    spans = sorted(ram.values())
    for (a, asz), (b, _) in zip(spans, spans[1:]):
        assert a + asz <= b, f"guest RAM overlaps\n{describe(r)}"
    for name in THREE:
        assert f"sbivisor: guest '{name}': 2 vCPUs" in r.output, describe(r)
        assert_guest_passed(r, name)
        assert re.search(rf"^\[{name}\] # {name}: hart 0, 2 harts", r.output,
                         re.M), describe(r)
    # concurrently: every guest had started before any of them stopped
    # (RR slices of 10 ms; the shortest of the three runs far longer)
    first_stop = re.search(r"^sbivisor: guest '\S+' stopped: ", r.output,
                           re.M).start()
    for name in THREE:
        assert 0 <= first_line(r, name) < first_stop, \
            f"{name} started late\n" + describe(r)
    assert "stopped: fault" not in r.output, describe(r)
    assert r.output.rstrip().endswith(POWEROFF), describe(r)
    assert r.status == 0, describe(r)


# ---- 2. rate-monotonic guest next to a CPU hog, instruction-driven time ----

ICOUNT = ["-icount", "shift=0,sleep=off"]
RT_LINE = re.compile(r"^\[rt\] # rt: periods=(\d+) misses=(\d+) "
                     r"max_jitter_ticks=(\d+) max_response_ticks=(\d+)$", re.M)
HOG_LINE = re.compile(r"^\[hog\] # hog: hart (\d+) iterations=(\d+) gaps=(\d+) "
                      r"max_gap_ticks=(\d+)$", re.M)
RT_MODS = (("rt", 0x90000000), ("hog", 0x90200000))
TICKS_PER_US = 10  # QEMU virt timebase: 10 MHz


def rt_config(periods, work_us, hog_us):
    return config_text(
        "rt-hog.dts",
        **{"rt.work_us=1000 rt.periods=100":
           f"rt.work_us={work_us} rt.periods={periods}",
           "hog.us=1500000": f"hog.us={hog_us}"})


def test_rm_guest_meets_deadlines_next_to_hog(tmp_path):
    """RM (period 10 ms, budget 3 ms, 1 ms of work) shares hart 0 with a
    round-robin guest that never yields: every release runs at once and
    completes before the next one, and the hog still gets the rest."""
    periods = 60
    r = run_config(tmp_path, rt_config(periods, 1000, 900000),
                   modules(*RT_MODS), smp=1, extra=ICOUNT, timeout=60)
    assert "guest 'rt': 1 vCPUs" in r.output and \
        "rate-monotonic" in r.output, describe(r)
    rt = assert_guest_passed(r, "rt")
    for name in ("rt_calibrated", "rt_all_releases_woke", "rt_no_early_wake",
                 "rt_no_deadline_miss"):
        assert rt.checks.get(name), describe(r)
    m = RT_LINE.search(r.output)
    assert m, describe(r)
    n, misses, jitter, resp = map(int, m.groups())
    assert (n, misses) == (periods, 0), describe(r)
    assert resp < 10000 * TICKS_PER_US, describe(r)  # implied; said plainly
    # the hog made progress, and the RM guest took the CPU from it
    hog = assert_guest_passed(r, "hog")
    hogs = HOG_LINE.findall(r.output)
    assert len(hogs) == 1 and hog.checks.get("hog_progress"), describe(r)
    _, iters, gaps, _ = map(int, hogs[0])
    assert iters > 0 and gaps >= 1, describe(r)
    # the hog outlived the RM guest: it competed for the whole run
    assert r.output.index("guest 'rt' stopped") < \
        r.output.index("guest 'hog' stopped"), describe(r)
    assert r.status == 0, describe(r)


def test_rm_guest_overrun_is_held_to_its_budget(tmp_path):
    """The other way round: an RM guest whose work (5 ms per period)
    exceeds its budget (3 ms per 10 ms) misses deadlines, and the hog on
    its hart is never kept off the CPU for more than that budget."""
    budget_ticks = 3000 * TICKS_PER_US
    r = run_config(tmp_path, rt_config(30, 5000, 600000),
                   modules(*RT_MODS), smp=1, extra=ICOUNT, timeout=60)
    rt = qemu.guest_run(r.output, "rt")
    assert rt.done, describe(r)
    m = RT_LINE.search(r.output)
    assert m, describe(r)
    assert int(m.group(2)) > 0, describe(r)  # it asked for more than it had
    assert rt.checks.get("rt_calibrated") and \
        rt.checks.get("rt_no_early_wake"), describe(r)
    assert rt.checks.get("rt_no_deadline_miss") is False, describe(r)
    hog = assert_guest_passed(r, "hog")
    hogs = HOG_LINE.findall(r.output)
    assert len(hogs) == 1 and hog.checks.get("hog_progress"), describe(r)
    _, iters, gaps, max_gap = map(int, hogs[0])
    assert iters > 0 and gaps >= 1, describe(r)
    # budget + 10% for the switches: without enforcement the RM guest
    # would keep the hart for its whole 5 ms job
    assert max_gap <= budget_ticks * 11 // 10, describe(r)
    assert r.status == 0, describe(r)


# ---- 3. a guest attacking the others' memory ----

EVIL_MODS = (("ipi", 0x90000000), ("timer", 0x90200000),
             ("fault", 0x90400000))
# mode -> (victim, offset in its host RAM, reported cause). The address is
# where the victim's RAM lies in host memory (2 MiB in: its kernel image).
ATTACKS = {
    "store": ("ipi", 0x200000, "store guest-page fault"),
    "load": ("timer", 0x200000, "load guest-page fault"),
    # an AMO faults as a store (priv. spec); -smp 2, as in test_boot.py
    "amo": ("ipi", 0x0, "store guest-page fault"),
    "fetch": ("timer", 0x200000, "instruction guest-page fault"),
}
VICTIM_HOST = {"ipi": 0x9de00000, "timer": 0x9be00000}  # with -m 512M


@pytest.mark.parametrize("fp", (1, 0))
@pytest.mark.parametrize("mode", ATTACKS)
def test_guest_attacking_others_is_stopped(tmp_path, mode, fp):
    victim, off, cause = ATTACKS[mode]
    addr = VICTIM_HOST[victim] + off
    config = config_text(
        "evil.dts",
        **{"fault=store fault.addr=0x9de00000":
           f"fault={mode} fault.addr={addr:#x}"})
    r = run_config(tmp_path, config, modules(*EVIL_MODS), fp=fp)
    # the address really is where the victim lives in host memory
    base, size = host_ram(r)[victim]
    assert base <= addr < base + size, describe(r)
    report = [l for l in r.output.splitlines()
              if l.startswith("sbivisor: guest 'evil' vcpu 0:")]
    assert len(report) == 1, describe(r)
    assert cause in report[0] and f"gpa={addr:#x}" in report[0], describe(r)
    assert "sbivisor: guest 'evil' stopped: fault" in r.output, describe(r)
    evil = qemu.guest_run(r.output, "evil")
    # its own RAM at the hypervisor's host address: its own, and harmless
    assert evil.checks == {"fault_scribble_readback": True}, describe(r)
    assert "fault_not_stopped" not in r.output and not evil.done, describe(r)
    for name in ("ipi", "timer"):
        assert_guest_passed(r, name)
    assert r.output.rstrip().endswith(POWEROFF), describe(r)
    assert r.status == 0, describe(r)


# ---- 4. a guest rebooting ten times while others run ----

REBOOT_MODS = (("reboots", 0x90000000), ("ipi", 0x90200000),
               ("hog", 0x90400000))


@pytest.mark.parametrize("fp", (1, 0))
def test_guest_reboots_while_others_run(tmp_path, fp):
    """reboots.n=10: ten boots, so nine reboots (boots 1-9 each request
    one, from vCPU 0 on odd boots and vCPU 1 on even ones; boot 10 shuts
    down), all while the hog (3 s) runs."""
    r = run_config(tmp_path, qemu.CONFIGS / "reboots.dts",
                   modules(*REBOOT_MODS), fp=fp)
    lines = qemu.guest_lines(r.output, "rb")
    boots = [int(m.group(1)) for m in
             (re.match(r"# reboots: boot (\d+), hart 0$", l) for l in lines)
             if m]
    assert boots == list(range(1, 11)), describe(r)
    reboots = [m.start() for m in
               re.finditer(r"^sbivisor: guest 'rb' reboots$", r.output, re.M)]
    assert len(reboots) == 9, describe(r)
    assert "reboots the machine" not in r.output, describe(r)
    # every boot's checks passed (TAP numbering restarts at each boot)
    assert not [l for l in lines if l.startswith("not ok")], describe(r)
    assert sum(l.endswith(" - reboots_image_reloaded") for l in lines) == 10
    assert sum(l.endswith(" - reboots_peer_stopped_at_boot")
               for l in lines) == 10, describe(r)
    rb = assert_guest_passed(r, "rb")
    assert rb.checks.get("reboots_counted"), describe(r)
    assert_guest_passed(r, "ipi")
    assert_guest_passed(r, "hog")
    # all the reboots happened while the hog ran
    hog_start = first_line(r, "hog")
    hog_stop = r.output.index("sbivisor: guest 'hog' stopped")
    assert 0 <= hog_start < reboots[0] and reboots[-1] < hog_stop, \
        describe(r)
    assert r.status == 0, describe(r)


# ---- 4b. vCPUs migrate within their affinity; IPIs and fences follow ----

MIG_MODS = (("migrate", 0x90000000), ("ipi", 0x90200000))
MIG_STATS = re.compile(r"^sbivisor-stats: guest=(\S+) vcpu=(\d+) hart=(\d+) "
                       r"migrations=(\d+) runtime_ticks=(\d+)$", re.M)
MIG_VARIANTS = [(1, True, False), (0, True, False), (1, False, False),
                (1, True, True)]


def migrations(r, name):
    return {int(v): int(m) for g, v, _, m, _ in MIG_STATS.findall(r.output)
            if g == name}


@pytest.mark.parametrize(
    "fp,sstc,pinned", MIG_VARIANTS,
    ids=[f"fp{fp}-{'sstc' if s else 'nosstc'}{'-pinned' if p else ''}"
         for fp, s, p in MIG_VARIANTS])
def test_vcpus_migrate_and_lose_no_ipi(tmp_path, fp, sstc, pinned):
    """Four round-robin vCPUs on two harts pass one token round with IPIs
    (400 rounds, each with remote fences to all): idle harts take waiting
    vCPUs over, and not one IPI is lost or doubled on the way. With
    sbivisor,pin-vcpus every vCPU stays on its first hart."""
    text = config_text("migrate.dts")
    if pinned:
        text = text.replace("sbivisor,timeslice-us = <2000>;",
                            "sbivisor,timeslice-us = <2000>;\n"
                            "\t\t\tsbivisor,pin-vcpus;")
    r = run_config(tmp_path, text, modules(*MIG_MODS), fp=fp, sstc=sstc)
    mig = assert_guest_passed(r, "mig")
    for check in ("migrate_ring_complete", "migrate_calls_ok",
                  "migrate_every_round", "migrate_one_ipi_per_round"):
        assert mig.checks.get(check), f"{check}\n" + describe(r)
    assert_guest_passed(r, "ipi")
    moves = migrations(r, "mig")
    assert sorted(moves) == [0, 1, 2, 3], describe(r)
    if pinned:
        assert sum(moves.values()) == 0, describe(r)
        homes = {int(v): int(h) for g, v, h, _, _ in MIG_STATS.findall(
            r.output) if g == "mig"}
        assert homes == {0: 0, 1: 1, 2: 0, 3: 1}, describe(r)
    else:
        # the ring keeps harts idle while others wait: many moves, spread
        assert sum(moves.values()) >= 20, describe(r)
        assert sum(1 for m in moves.values() if m) >= 2, describe(r)
    assert r.status == 0, describe(r)


# ---- 6. shared memory and doorbells ----

SHM_MODS = (("shm", 0x90000000), ("shm", 0x90200000))
SHM_CHECKS = {
    "ping": ("shm_window_in_dt", "shm_doorbell_irq_in_dt", "shm_peer_ready",
             "shm_ping_doorbell_answered", "shm_ping_sequence",
             "shm_ping_reply_data", "shm_doorbell_claims", "shm_no_stray_irq",
             "shm_doorbell_reads_rung"),
    "pong": ("shm_window_in_dt", "shm_doorbell_irq_in_dt",
             "shm_pong_doorbell_taken", "shm_pong_sequence",
             "shm_pong_message_data", "shm_doorbell_claims",
             "shm_no_stray_irq", "shm_doorbell_reads_rung"),
}
# each side's window as its device tree shows it (the pair's config)
SHM_DT = {"ping": "window 0x40000000+0x10000, doorbell 0x40010000, irq 33, "
                  "peer pong",
          "pong": "window 0x50000000+0x10000, doorbell 0x50010000, irq 5, "
                  "peer ping"}


SHM_PLACES = [(1, "any"), (2, "any"), (2, "split")]


@pytest.mark.parametrize("smp,place", SHM_PLACES,
                         ids=[f"smp{n}-{p}" for n, p in SHM_PLACES])
@pytest.mark.parametrize("fp", (1, 0))
def test_shared_memory_ping_pong(tmp_path, smp, place, fp):
    """place "any": both guests may run on every hart (and move); "split":
    one guest per hart, so every doorbell crosses harts while the peer
    runs (an edge must be latched whole: one interrupt per ring)."""
    text = (qemu.CONFIGS / "shm-pair.dts").read_text()
    if place == "split":
        ping, pong = text.split("pong {", 1)
        text = (ping.replace("cpus = <1>;", "cpus = <1>; sbivisor,harts = <0>;")
                + "pong {" + pong.replace(
                    "cpus = <1>;", "cpus = <1>; sbivisor,harts = <1>;"))
        assert text.count("sbivisor,harts") == 2
    r = run_config(tmp_path, text, modules(*SHM_MODS), smp=smp, fp=fp)
    for name, checks in SHM_CHECKS.items():
        g = assert_guest_passed(r, name)
        assert set(checks) <= set(g.checks), describe(r)
        assert f"# shm: {SHM_DT[name]}" in g.output, describe(r)
        assert f"# shm: {name}: 16 rounds, 16 doorbell interrupts" in \
            g.output, describe(r)
    assert r.status == 0, describe(r)


def test_shared_memory_is_not_executable(tmp_path):
    """pong finishes its rounds, then jumps into its window: stopped with
    an instruction guest-page fault; ping is not disturbed."""
    config = config_text("shm-pair.dts",
                         **{'"shm=pong"': '"shm=pong shm.exec"'})
    r = run_config(tmp_path, config, modules(*SHM_MODS))
    assert_guest_passed(r, "ping")
    pong = qemu.guest_run(r.output, "pong")
    assert pong.failed() == [] and set(SHM_CHECKS["pong"]) <= set(pong.checks)
    report = [l for l in r.output.splitlines()
              if l.startswith("sbivisor: guest 'pong' vcpu 0:")]
    assert len(report) == 1, describe(r)
    assert "instruction guest-page fault" in report[0], describe(r)
    assert "gpa=0x50000c00" in report[0], describe(r)
    assert "sbivisor: guest 'pong' stopped: fault" in r.output, describe(r)
    assert "shm_window_not_executable" not in r.output, describe(r)
    assert r.status == 0, describe(r)


# ---- 7. console: names on output lines, input to the focused guest ----

CONSOLE = config(
    guest("vm0", 'cpus = <1>; bootargs = "dbcn.echo";'),
    guest("vm1", 'cpus = <1>; bootargs = "dbcn.echo";', K1))
ECHO = "k7Qz"  # what dbcn.c waits for after "# dbcn: type now"
QUIET_S = 2  # no guest may see input that went to another meanwhile


def test_console_names_and_input_focus(tmp_path):
    child = qemu.spawn(config_args(tmp_path, CONSOLE,
                                   modules(("dbcn", 0x90000000),
                                           ("dbcn", 0x90200000))), 60)
    out = ""
    try:
        for _ in range(2):
            child.expect(r"\[vm[01]\] # dbcn: type now")
            out += child.before + child.after
        # input goes to vm1 only ...
        child.send("\x1d1")
        child.expect("sbivisor: console input goes to guest 'vm1' \\(id 1\\)")
        out += child.before + child.after
        child.send(ECHO)
        child.expect(r"\[vm1\] # dbcn-echo: '([^']*)'")
        out += child.before + child.after
        vm1_got = child.match.group(1)
        # ... and vm0, still waiting, does not see it
        # (after a TIMEOUT, what was read stays for the next expect)
        i = child.expect([r"\[vm0\] # dbcn-echo: ", pexpect.TIMEOUT],
                         timeout=QUIET_S)
        if i == 0:
            out += child.before + child.after
        vm0_quiet = i == 1
        # then vm0, focused, gets its own input
        child.send("\x1d0")
        child.expect("sbivisor: console input goes to guest 'vm0' \\(id 0\\)")
        out += child.before + child.after
        child.send(ECHO)
        child.expect(pexpect.EOF)
        out += child.before
    except pexpect.TIMEOUT:
        out += (child.before or "") + "\n[test harness: TIMEOUT]\n"
        vm1_got, vm0_quiet = None, None
    finally:
        child.close(force=True)
    r = qemu.Run(out.replace("\r", ""), child.exitstatus)
    assert vm1_got == ECHO and vm0_quiet, describe(r)
    for name in ("vm0", "vm1"):
        g = assert_guest_passed(r, name)
        assert g.checks.get("dbcn_read_input") and \
            "dbcn_read_input" not in g.skipped, describe(r)
        assert f"# dbcn-echo: '{ECHO}'" in g.output.splitlines(), describe(r)
        # a line written in one call is whole and carries the writer's name
        assert f"[{name}] # dbcn-marker-3f9a" in r.output.splitlines(), \
            describe(r)
        # one written byte by byte may be cut by the other guest's output,
        # but every piece carries the writer's name
        assert "# dbcn-byte-7c" in "".join(qemu.guest_lines(r.output, name))
    # after the hypervisor's boot, every line is a guest's or the
    # hypervisor's own, never unprefixed guest text
    tail = r.output[r.output.index("sbivisor: guest 'vm1': "):]
    for line in tail.splitlines()[1:]:
        assert not line or re.match(r"\[vm[01]\] |sbivisor: ", line), \
            f"unattributed line {line!r}\n" + describe(r)
    assert r.status == 0, describe(r)


# A guest's line cut by the hypervisor's own output: "a" starts a line at
# 0.2 s and ends it at 1.0 s; "b" (on the other hart) faults at 0.5 s, so
# the hypervisor reports it while a's line is open.
CUT_LINE = config(
    guest("a", 'cpus = <1>; sbivisor,harts = <0>; '
          'bootargs = "conline.before=2000000 conline.wait=8000000";'),
    guest("b", 'cpus = <1>; sbivisor,harts = <1>; '
          'bootargs = "fault=store fault.delay=5000000";', K1))


def test_console_hypervisor_message_in_a_guest_line(tmp_path):
    r = run_config(tmp_path, CUT_LINE, modules(("conline", 0x90000000),
                                               ("fault", 0x90200000)))
    assert "sbivisor: guest 'b' stopped: fault" in r.output, describe(r)
    assert "sbivisor: guest 'a' stopped: shutdown" in r.output, describe(r)
    # the line's two halves, each on a line of its writer
    assert "# conline: start end" in "".join(qemu.guest_lines(r.output, "a")), \
        describe(r)
    # the hypervisor's report on a line of its own
    assert re.search(r"^sbivisor: guest 'b' vcpu 0: store guest-page fault",
                     r.output, re.M), describe(r)
    tail = r.output[r.output.index("sbivisor: guest 'b': "):]
    for line in tail.splitlines()[1:]:
        assert not line or re.match(r"\[[ab]\] |sbivisor: ", line), \
            f"unattributed line {line!r}\n" + describe(r)


FLOOD = config(
    guest("rt", 'cpus = <1>; sbivisor,harts = <0>; sbivisor,sched = "rm"; '
          "sbivisor,period-us = <10000>; sbivisor,budget-us = <3000>; "
          'bootargs = "rt.period_us=10000 rt.work_us=1000 rt.periods=40";'),
    guest("flood", 'cpus = <2>; sbivisor,harts = <0>; '
          'bootargs = "flood.us=300000";', K1))
FLOOD_LINE = re.compile(r"^\[flood\] # flood: ipis=(\d+) sbi=(\d+) "
                        r"taken=(\d+)$", re.M)


@pytest.mark.parametrize("fp", (1, 0))
def test_ipi_and_sbi_flood_cannot_starve_a_guest(tmp_path, fp):
    """A guest floods IPIs and SBI calls at its second vCPU on the hart it
    shares with a rate-monotonic guest (one hart, icount: time follows
    instructions, so this is deterministic): the RM guest still meets
    every deadline, and the flood itself goes on (fast path on and off)."""
    r = run_config(tmp_path, FLOOD, modules(("rt", 0x90000000),
                                            ("flood", 0x90200000)),
                   smp=1, fp=fp, extra=ICOUNT, timeout=60)
    assert_guest_passed(r, "rt")
    m = RT_LINE.search(r.output)
    assert m, describe(r)
    n, misses, _, _ = map(int, m.groups())
    assert (n, misses) == (40, 0), describe(r)
    assert_guest_passed(r, "flood")
    f = FLOOD_LINE.search(r.output)
    assert f, describe(r)
    ipis, sbi, taken = map(int, f.groups())
    assert ipis > 100 and sbi > 100 and 0 < taken <= ipis, describe(r)
    assert r.status == 0, describe(r)
