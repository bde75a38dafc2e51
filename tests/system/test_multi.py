# SPDX-License-Identifier: BSD-2-Clause
"""Many guests from a /chosen configuration (docs/config.md): several
guests running concurrently on shared harts, rate-monotonic scheduling
next to a CPU hog, a guest attacking the others' memory, a guest
rebooting while others run, shared memory with doorbells, the console
multiplexer, and malformed configurations.

Configurations are .dts fragments (tests/configs/, or inline here) merged
into QEMU's own DTB (qemu.config_dtb: scripts/mkconfig.sh); the guests'
kernels are test guests put in host RAM by QEMU's loader device."""
import re

import pexpect
import pytest

import qemu

MODULE_SIZE = 0x20000  # every module's reg size in the configurations
HALT_STATUS = 0  # hyp_halt: SRST shutdown; QEMU virt's test device exits 0
POWEROFF = "sbivisor: no guest left, powering off"


def describe(r):
    return f"exit={r.status}\n{r.output[-4000:]}"


def modules(*pairs):
    """Loader args for (guest name, host address) pairs; each file must
    fit the MODULE_SIZE the configurations declare."""
    out = []
    for name, addr in pairs:
        path = qemu.guest_bin(name)
        assert path.stat().st_size <= MODULE_SIZE, \
            f"{path} outgrew the {MODULE_SIZE:#x} bytes its module declares"
        out.append((path, addr))
    return qemu.loader_args(out)


def config_args(tmp_path, config, mods, smp=2, mem="512M", fp=1, sstc=True,
                extra=()):
    dtb = qemu.config_dtb(config, tmp_path / "config.dtb", smp=smp, mem=mem,
                          sstc=sstc)
    return qemu.qemu_args(qemu.sbivisor_bin(fp), None, smp=smp, mem=mem,
                          sstc=sstc,
                          extra=["-dtb", str(dtb), *mods, *extra])


def run_config(tmp_path, config, mods, timeout=60, **kw):
    return qemu.run(config_args(tmp_path, config, mods, **kw), timeout)


def config_text(name, **subst):
    """A configuration from tests/configs with literal replacements."""
    text = (qemu.CONFIGS / name).read_text()
    for old, new in subst.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def assert_guest_passed(r, name):
    """The guest ran its checks, all passed, and it shut down."""
    g = qemu.guest_run(r.output, name)
    assert g.done, f"{name} did not finish\n" + describe(r)
    assert g.checks, f"{name}: no checks\n" + describe(r)
    assert g.failed() == [], f"{name}: {g.failed()}\n" + describe(r)
    assert re.search(rf"^\[{name}\] # guest done: pass=\d+ fail=0$",
                     r.output, re.M), describe(r)
    assert f"sbivisor: guest '{name}' stopped: shutdown" in r.output, \
        describe(r)
    return g


HOST_RAM = re.compile(r"^sbivisor: guest '(\S+)': \d+ vCPUs, RAM (0x[0-9a-f]+) "
                      r"at host (0x[0-9a-f]+) \((0x[0-9a-f]+) bytes\)", re.M)


def host_ram(r):
    """name -> (host base, size) from the hypervisor's boot lines."""
    return {n: (int(h, 16), int(s, 16))
            for n, _, h, s in HOST_RAM.findall(r.output)}


def first_line(r, name):
    m = re.search(rf"^\[{name}\] ", r.output, re.M)
    return m.start() if m else -1


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


# ---- 5. malformed configurations ----

def kernel(addr="0x90000000", size="0x20000", name="kernel"):
    return (f'{name} {{ compatible = "multiboot,kernel", "multiboot,module"; '
            f"reg = <0x0 {addr} 0x0 {size}>; }};")


def guest(name, props="", children=None, memory="0x0 0x80000000 0x0 0x2000000"):
    children = kernel() if children is None else children
    mem = f"memory = <{memory}>;" if memory else ""
    return (f'{name} {{ compatible = "sbivisor,guest"; {mem} {props} '
            f"{children} }};")


def shm(gpa, peer, size="0x10000", extra=""):
    return (f'shm@{gpa[2:]} {{ compatible = "sbivisor,shmem"; '
            f'sbivisor,peer = "{peer}"; reg = <0x0 {gpa} 0x0 {size}>; '
            f"{extra} }};")


def config(*guests):
    return "/dts-v1/;\n/ { chosen { " + " ".join(guests) + " }; };\n"


K1 = kernel("0x90200000")
ID = "sbivisor,identity;"
BAD = {
    "identity-memory-overlap": (
        config(guest("vm0", ID, memory="0x0 0x88000000 0x0 0x4000000"),
               guest("vm1", ID, K1, memory="0x0 0x8a000000 0x0 0x4000000")),
        "/chosen/vm1: property 'memory': overlaps guest 'vm0'"),
    "too-many-vcpus": (
        config(guest("vm0", "cpus = <17>;")),
        "/chosen/vm0: property 'cpus': 17 vCPUs (1 to 16)"),
    "zero-vcpus": (
        config(guest("vm0", "cpus = <0>;")),
        "/chosen/vm0: property 'cpus': 0 vCPUs (1 to 16)"),
    "hart-overloaded": (
        config(guest("vm0", "cpus = <16>; sbivisor,harts = <0>;"),
               guest("vm1", "sbivisor,harts = <0>;", K1)),
        "/chosen/vm1: property 'sbivisor,harts': hart 0 would carry 17 vCPUs "
        "(at most 16)"),
    "missing-kernel": (
        config(guest("vm0", children="")),
        "/chosen/vm0: missing kernel module"),
    "second-kernel": (
        config(guest("vm0", children=kernel() + kernel("0x90200000",
                                                        name="kernel2"))),
        "/chosen/vm0/kernel2: second kernel module"),
    "unknown-property": (
        config(guest("vm0", "sbivisor,cpus = <2>;")),
        "/chosen/vm0: unknown property 'sbivisor,cpus'"),
    "unknown-child": (
        config(guest("vm0", children=kernel() + " disk { reg = <0 1>; };")),
        "/chosen/vm0/disk: not a module or shared-memory node"),
    "bad-hart-id": (
        config(guest("vm0", "sbivisor,harts = <0 2>;")),
        "/chosen/vm0: property 'sbivisor,harts': hart 2 does not exist"),
    "harts-not-ascending": (
        config(guest("vm0", "sbivisor,harts = <1 0>;")),
        "/chosen/vm0: property 'sbivisor,harts': not in ascending order"),
    "shm-unknown-peer": (
        config(guest("vm0", children=kernel() + shm("0x40000000", "nobody"))),
        "/chosen/vm0/shm@40000000: property 'sbivisor,peer': "
        "no guest 'nobody'"),
    "shm-peer-itself": (
        config(guest("vm0", children=kernel() + shm("0x40000000", "vm0"))),
        "/chosen/vm0/shm@40000000: property 'sbivisor,peer': the guest itself"),
    "shm-not-reciprocal": (
        config(guest("vm0", children=kernel() + shm("0x40000000", "vm1")),
               guest("vm1", children=K1)),
        "/chosen/vm0/shm@40000000: property 'sbivisor,peer': "
        "guest 'vm1' declares no matching window"),
    "shm-size-mismatch": (
        config(guest("vm0", children=kernel() + shm("0x40000000", "vm1")),
               guest("vm1", children=K1 + shm("0x40000000", "vm0",
                                              size="0x20000"))),
        "/chosen/vm0/shm@40000000: property 'reg': size 0x10000 differs from "
        "0x20000 in /chosen/vm1/shm@40000000"),
    "shm-overlaps-ram": (
        config(guest("vm0", children=kernel() + shm("0x81000000", "vm1")),
               guest("vm1", children=K1 + shm("0x40000000", "vm0"))),
        "/chosen/vm0/shm@81000000: property 'reg': overlaps the guest's RAM"),
    "shm-doorbell-out-of-range": (
        config(guest("vm0", children=kernel() + shm(
            "0x40000000", "vm1", extra="sbivisor,doorbell = <128>;")),
            guest("vm1", children=K1 + shm("0x40000000", "vm0"))),
        re.compile(r"/chosen/vm0/shm@40000000: property 'sbivisor,doorbell': "
                   r"source 128 outside 1\.\.\d+")),
    "shm-doorbell-is-uart-irq": (
        config(guest("vm0", children=kernel() + shm(
            "0x40000000", "vm1", extra="sbivisor,doorbell = <10>;")),
            guest("vm1", children=K1 + shm("0x40000000", "vm0"))),
        "/chosen/vm0/shm@40000000: property 'sbivisor,doorbell': "
        "source 10 is the UART's in guest 'vm1'"),
    "shm-overlaps-plic": (
        config(guest("vm0", children=kernel() + shm("0x0c000000", "vm1")),
               guest("vm1", children=K1 + shm("0x40000000", "vm0"))),
        "/chosen/vm0/shm@0c000000: property 'reg': overlaps the emulated "
        "PLIC at 0xc000000"),
    "memory-misaligned": (
        config(guest("vm0", memory="0x0 0x80100000 0x0 0x2000000")),
        "/chosen/vm0: property 'memory': base 0x80100000 not 2 MiB aligned"),
    "memory-size-odd": (
        config(guest("vm0", memory="0x0 0x80000000 0x0 0x2100000")),
        "/chosen/vm0: property 'memory': size 0x2100000 not a positive "
        "multiple of 2 MiB"),
    "memory-missing": (
        config(guest("vm0", memory="")),
        "/chosen/vm0: missing property 'memory'"),
    "identity-outside-ram": (
        config(guest("vm0", ID, memory="0x0 0x9f000000 0x0 0x2000000")),
        "/chosen/vm0: property 'memory': outside host RAM"),
    "too-much-ram": (
        config(guest("vm0", memory="0x0 0x80000000 0x0 0x20000000")),
        re.compile(r"/chosen/vm0: property 'memory': guests need 0x20000000 "
                   r"bytes of RAM, 0x[0-9a-f]+ available")),
    "rm-without-budget": (
        config(guest("vm0", 'sbivisor,sched = "rm"; '
                     "sbivisor,period-us = <10000>;")),
        "/chosen/vm0: property 'sbivisor,budget-us': required with "
        'sbivisor,sched = "rm"'),
    "rm-budget-over-period": (
        config(guest("vm0", 'sbivisor,sched = "rm"; '
                     "sbivisor,period-us = <10000>; "
                     "sbivisor,budget-us = <20000>;")),
        "/chosen/vm0: property 'sbivisor,budget-us': 20000 exceeds the "
        "period 10000"),
    "rm-pinned": (
        config(guest("vm0", 'sbivisor,sched = "rm"; '
                     "sbivisor,period-us = <10000>; "
                     "sbivisor,budget-us = <2000>; sbivisor,pin-vcpus;")),
        "/chosen/vm0: property 'sbivisor,pin-vcpus': rate-monotonic vCPUs "
        "are always pinned"),
    "rr-with-period": (
        config(guest("vm0", "sbivisor,period-us = <10000>;")),
        "/chosen/vm0: property 'sbivisor,period-us': only with "
        'sbivisor,sched = "rm"'),
    "unknown-policy": (
        config(guest("vm0", 'sbivisor,sched = "edf";')),
        "/chosen/vm0: property 'sbivisor,sched': unknown policy 'edf' "
        '("rr" or "rm")'),
    # dtc merges nodes of one name: the test renames vmq to vm0 in the DTB
    "duplicate-names": (
        config(guest("vm0"), guest("vmq", children=K1)),
        "/chosen/vm0: duplicate guest name 'vm0'"),
    "bad-name": (
        config(guest("VM0")),
        "/chosen/VM0: bad guest name (1-15 characters of a-z 0-9 _ -)"),
    "too-many-guests": (
        config(*[guest(f"vm{i}",
                       children=kernel(f"{0x90000000 + i * 0x200000:#x}"))
                 for i in range(5)]),
        "/chosen/vm4: more than 4 guests"),
    "module-overlaps-hypervisor": (
        config(guest("vm0", children=kernel("0x80100000"))),
        "/chosen/vm0/kernel: property 'reg': module overlaps the hypervisor"),
    "module-outside-ram": (
        config(guest("vm0", children=kernel("0xa0000000"))),
        "/chosen/vm0/kernel: property 'reg': module outside host RAM"),
    "modules-overlap": (
        config(guest("vm0"), guest("vm1", children=kernel("0x90010000"))),
        "/chosen/vm1/kernel: property 'reg': module overlaps "
        "/chosen/vm0/kernel"),
    "empty-module": (
        config(guest("vm0", children=kernel(size="0x0"))),
        "/chosen/vm0/kernel: property 'reg': empty module"),
    "bootargs-too-long": (
        config(guest("vm0", f'bootargs = "{"x" * 256}";')),
        "/chosen/vm0: property 'bootargs': longer than 255 characters"),
    "cpus-wrong-length": (
        config(guest("vm0", "cpus = /bits/ 64 <2>;")),
        "/chosen/vm0: property 'cpus': length 8, expected 4"),
}


# ---- sbivisor,passthrough: QEMU virt's devices, by path reference ----

def pt(*paths):
    return ("sbivisor,passthrough = <"
            + " ".join(f"&{{{p}}}" for p in paths) + ">;")


def rt(name="rt", props="", children=None, ram="0x88000000"):
    """An identity-mapped guest: 32 MiB of host RAM at ram."""
    return guest(name, ID + props, children, memory=f"0x0 {ram} 0x0 0x2000000")


def soc(*nodes):
    """Device nodes added to QEMU's /soc (after the guests)."""
    return "/ { soc { " + " ".join(nodes) + " }; };\n"


def fake(addr, extra="", size="0x1000"):
    return (f'fake@{addr[2:]} {{ compatible = "vendor,fake"; '
            f"reg = <0x0 {addr} 0x0 {size}>; {extra} }};")


def irq(*srcs):
    return (f"interrupts = <{' '.join(map(str, srcs))}>; "
            "interrupt-parent = <&{/soc/plic@c000000}>;")


RTC = "/soc/rtc@101000"
VIO = [f"/soc/virtio_mmio@1000{i}000" for i in range(1, 9)]
PTE = "/chosen/{}: property 'sbivisor,passthrough': {}"
BAD.update({
    "pt-not-identity": (
        config(guest("vm0", pt(RTC))),
        PTE.format("vm0", "only for sbivisor,identity guests")),
    "pt-length": (
        config(rt(props="sbivisor,passthrough = [00 00 07];")),
        PTE.format("rt", "length 3, expected 4 * n")),
    "pt-too-many": (
        config(rt(props=pt(RTC, *VIO))),
        PTE.format("rt", "more than 8 devices")),
    "pt-no-node": (
        config(rt(props="sbivisor,passthrough = <0x999>;")),
        PTE.format("rt", "phandle 0x999 matches no node")),
    "pt-listed-twice": (
        config(rt(props=pt(RTC, RTC))),
        PTE.format("rt", "/soc/rtc@101000: listed twice")),
    "pt-two-guests": (
        config(rt("vm0", pt(RTC)), rt("vm1", pt(RTC), K1, ram="0x8a000000")),
        PTE.format("vm1", "/soc/rtc@101000: already passed to guest 'vm0'")),
    "pt-console": (
        config(rt(props=pt("/soc/serial@10000000"))),
        PTE.format("rt", "/soc/serial@10000000: used by the hypervisor "
                   "(console)")),
    "pt-plic": (
        config(rt(props=pt("/soc/plic@c000000"))),
        PTE.format("rt", "/soc/plic@c000000: used by the hypervisor "
                   "(interrupt controller)")),
    "pt-clint": (
        config(rt(props=pt("/soc/clint@2000000"))),
        PTE.format("rt", "/soc/clint@2000000: used by the hypervisor "
                   "(timer and IPIs)")),
    "pt-reset-device": (
        config(rt(props=pt("/soc/test@100000"))),
        PTE.format("rt", "/soc/test@100000: used by the hypervisor "
                   "(machine reset)")),
    "pt-memory": (
        config(rt(props=pt("/memory@80000000"))),
        PTE.format("rt", "/memory@80000000: used by the hypervisor "
                   "(memory)")),
    "pt-cpu": (
        config(rt(props=pt("/cpus/cpu@0"))),
        PTE.format("rt", "/cpus/cpu@0: used by the hypervisor (CPU)")),
    "pt-guest-node": (
        config(rt(props=pt("/chosen/vm1")), guest("vm1", children=K1)),
        PTE.format("rt", "/chosen/vm1: used by the hypervisor "
                   "(configuration)")),
    "pt-two-windows": (
        config(rt(props=pt("/flash@20000000"))),
        PTE.format("rt", "/flash@20000000: no usable 'reg' (one <address "
                   "size> pair)")),
    "pt-unaligned": (
        config(rt(props=pt("/fw-cfg@10100000"))),
        PTE.format("rt", "/fw-cfg@10100000: window 0x10100000+0x18 empty, "
                   "not page aligned or wrapping")),
    "pt-bus-translates": (
        config(rt(props=pt("/platform-bus@4000000/dev@0")))
        + '/ { platform-bus@4000000 { dev@0 { compatible = "vendor,dev"; '
        "reg = <0x0 0x1000>; }; }; };\n",
        PTE.format("rt", "/platform-bus@4000000/dev@0: not on a bus mapped "
                   "1:1 (empty 'ranges')")),
    "pt-host-ram": (
        config(rt(props=pt("/soc/fake@9f000000")))
        + soc(fake("0x9f000000")),
        PTE.format("rt", "/soc/fake@9f000000: overlaps host RAM")),
    "pt-over-hypervisor-device": (
        config(rt(props=pt("/soc/fake@2004000"))) + soc(fake("0x2004000")),
        PTE.format("rt", "/soc/fake@2004000: overlaps /soc/clint@2000000, "
                   "used by the hypervisor (timer and IPIs)")),
    "pt-over-device": (
        config(rt(props=pt(RTC, "/soc/fake@101000")))
        + soc(fake("0x101000")),
        PTE.format("rt", "/soc/fake@101000: overlaps /soc/rtc@101000")),
    "pt-over-shm": (
        config(rt(props=pt(VIO[7]),
                  children=kernel() + shm("0x10007000", "vm1", "0x1000")),
               guest("vm1", children=K1 + shm("0x40000000", "rt", "0x1000"))),
        PTE.format("rt", "/soc/virtio_mmio@10008000: overlaps "
                   "/chosen/rt/shm@10007000")),
    "pt-source-range": (
        config(rt(props=pt("/soc/fake@4000"))) + soc(fake("0x4000", irq(96))),
        PTE.format("rt", "/soc/fake@4000: source 96 outside 1..95")),
    "pt-source-uart": (
        config(rt(props=pt("/soc/fake@4000"))) + soc(fake("0x4000", irq(10))),
        PTE.format("rt", "/soc/fake@4000: source 10 is the emulated "
                   "UART's")),
    "pt-source-console": (
        config(rt(props="sbivisor,no-vuart; " + pt("/soc/fake@4000")))
        + soc(fake("0x4000", irq(10))),
        PTE.format("rt", "/soc/fake@4000: source 10 is also "
                   "/soc/serial@10000000's")),
    "pt-source-shared": (
        config(rt(props=pt(RTC, "/soc/fake@4000")))
        + soc(fake("0x4000", irq(11))),
        PTE.format("rt", "/soc/fake@4000: source 11 is also "
                   "/soc/rtc@101000's")),
    "pt-source-doorbell": (
        config(rt(props=pt(VIO[7]),
                  children=kernel() + shm("0x40000000", "vm1")),
               guest("vm1", children=K1 + shm(
                   "0x40000000", "rt", extra="sbivisor,doorbell = <8>;"))),
        PTE.format("rt", "/soc/virtio_mmio@10008000: source 8 is rung by "
                   "/chosen/vm1/shm@40000000")),
    "pt-two-sources": (
        config(rt(props=pt("/soc/fake@4000")))
        + soc(fake("0x4000", irq(12, 13))),
        PTE.format("rt", "/soc/fake@4000: 'interrupts' is not one source")),
    "pt-not-on-plic": (
        config(rt(props=pt("/soc/fake@4000")))
        + soc(fake("0x4000", "interrupts-extended = "
                   "<&{/soc/plic@c000000} 12>;")),
        PTE.format("rt", "/soc/fake@4000: interrupts not on the host PLIC")),
})


@pytest.mark.parametrize("kind", BAD)
def test_bad_configuration_is_a_clear_error(tmp_path, kind):
    text, want = BAD[kind]
    dtb = qemu.config_dtb(text, tmp_path / "config.dtb", smp=2)
    if kind == "duplicate-names":
        blob = dtb.read_bytes()
        assert blob.count(b"vmq\0") == 1
        dtb.write_bytes(blob.replace(b"vmq\0", b"vm0\0"))
    r = qemu.run(qemu.qemu_args(qemu.sbivisor_bin(1), None, smp=2,
                                extra=["-dtb", str(dtb)]), timeout=30)
    errors = [l for l in r.output.splitlines()
              if l.startswith("sbivisor: configuration error: ")]
    assert len(errors) == 1, describe(r)
    got = errors[0][len("sbivisor: configuration error: "):]
    if isinstance(want, str):
        assert got == want, describe(r)
    else:
        assert want.fullmatch(got), describe(r)
    assert "sbivisor: halting: bad guest configuration" in r.output, \
        describe(r)
    assert "sbivisor: guest '" not in r.output, describe(r)
    assert "TIMEOUT" not in r.output and r.status == HALT_STATUS, describe(r)


def test_bad_configuration_kinds_are_many():
    assert len({w if isinstance(w, str) else w.pattern
                for _, w in BAD.values()}) >= 10


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
