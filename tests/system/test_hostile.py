# SPDX-License-Identifier: BSD-2-Clause
"""Hostile guests (docs/testing.md), part 1: SBI, memory and MMIO attacks.

One attack per boot for every attack that stops the attacker, each with
its outcome asserted, next to a victim (hostile_victim.c) that must finish
its own checks: its memory, FP registers and interrupts untouched, SBI
answering, its hart not taken away. Attack guests (tests/guests/):
hostile_sbi, hostile_sbi_hs and hostile_eid (bad arguments to every
extension ID, one group per boot), hostile_fuzz (100,000 random SBI calls),
hostile_mem (an identity-mapped guest touching firmware, HS, the other
guest and unmapped addresses), hostile_mmio (every access form on every
emulated device page) and hostile_ptw (page-table walks into devices).

A hang is a test failure naming the attack (the guest prints "# hostile:
try NAME" before each), never a CI timeout: every QEMU run is killed
after TIMEOUT seconds."""
import functools
import re
import subprocess

import pytest

import qemu
from multi import POWEROFF, assert_guest_passed, config_text, first_line, \
    host_ram, modules, run_config

TIMEOUT = 30  # a boot here takes 1-2 s; the fuzzer up to 10 s
ATTACKER = 0x90000000
VICTIM = ("hostile_victim", 0x90200000)
VICTIM_HOST = 0x9de00000  # its RAM in host memory with -m 512M
TRY = re.compile(r"^\[evil\] # hostile: try (\S+)$", re.M)
REPORT = "sbivisor: guest 'evil' vcpu "
LOAD, STORE, FETCH = ("load guest-page fault", "store guest-page fault",
                      "instruction guest-page fault")


def describe(r, attack):
    return f"[{attack}] exit={r.status}\n{r.output[-5000:]}"


def hostile_run(tmp_path, guest, bootargs, fp=1, smp=2, victim_us=300000,
                config="hostile.dts", timeout=TIMEOUT, cpus=None):
    default = {"hostile.dts": '"hostile.ext=all"',
               "hostile-identity.dts": '"mem=hs mem.op=load"'}[config]
    subst = {default: f'"{bootargs}"',
             "victim.us=500000": f"victim.us={victim_us}"}
    if cpus:  # the attacker's vCPUs (hostile.dts gives it 2)
        subst["cpus = <2>;"] = f"cpus = <{cpus}>;"
    text = config_text(config, **subst)
    return run_config(tmp_path, text, modules((guest, ATTACKER), VICTIM),
                      fp=fp, smp=smp, timeout=timeout)


def assert_survived(r, attack, outlive=True):
    """No hang, no hypervisor crash, the victim finished unharmed - after
    the attacker was stopped, or (outlive=False: an attacker that ends by
    itself) having run beside it - and the machine powered off."""
    tries = TRY.findall(r.output)
    assert "[test harness: TIMEOUT]" not in r.output, \
        f"{attack}: hung at '{tries[-1] if tries else 'boot'}' " \
        "(QEMU killed at the harness timeout)\n" + describe(r, attack)
    assert "sbivisor: HS trap" not in r.output and \
        "halting" not in r.output, "hypervisor fault\n" + describe(r, attack)
    try:
        assert_guest_passed(r, "victim")
    except AssertionError as e:
        raise AssertionError(f"[{attack}] victim: {e}") from None
    evil_end = re.search(r"^sbivisor: guest 'evil' stopped: ", r.output,
                         re.M)
    victim_end = r.output.index("sbivisor: guest 'victim' stopped")
    assert evil_end, describe(r, attack)
    if outlive:
        assert evil_end.start() < victim_end, \
            "the victim did not outlive the attack\n" + describe(r, attack)
    else:
        # a quick attacker may end before the victim's first line is out
        # (QEMU's hart threads on a loaded host): the victim ran, and its
        # own checks cover the whole time it shared the machine
        assert first_line(r, "victim") >= 0, \
            "the victim did not run\n" + describe(r, attack)
    assert r.output.rstrip().endswith(POWEROFF) and r.status == 0, \
        describe(r, attack)


def assert_attacker_passed(r, attack, names=()):
    try:
        g = assert_guest_passed(r, "evil")
    except AssertionError as e:
        raise AssertionError(f"[{attack}] {e}") from None
    missing = set(names) - set(g.checks)
    assert not missing, f"checks not run: {sorted(missing)}\n" + \
        describe(r, attack)
    return g


def assert_stopped(r, attack, causes, gpa):
    """The attacker was stopped by its access, with one report line."""
    report = [l for l in r.output.splitlines() if l.startswith(REPORT)]
    assert len(report) == 1, "no single report\n" + describe(r, attack)
    assert any(c in report[0] for c in causes), describe(r, attack)
    assert f"gpa={gpa:#x}:" in report[0], describe(r, attack)
    assert "sbivisor: guest 'evil' stopped: fault" in r.output, \
        describe(r, attack)
    evil = qemu.guest_run(r.output, "evil")
    assert "hostile_not_stopped" not in evil.checks and not evil.done, \
        "the access came back to the guest\n" + describe(r, attack)
    assert not evil.failed(), describe(r, attack)


# ---- 1. bad arguments to every extension (hostile_sbi, hostile_eid) ----

# group -> guest: M-served extensions (fast path), HS-served ones
SBI_GROUPS = {"base": "hostile_sbi", "time": "hostile_sbi",
              "ipi": "hostile_sbi", "rfence": "hostile_sbi",
              "hsm": "hostile_sbi_hs", "srst": "hostile_sbi_hs",
              "dbcn": "hostile_sbi_hs", "umode": "hostile_sbi_hs"}
EID_GROUPS = ("legacy", "pmu", "susp", "cppc", "nacl", "sta", "fwft", "sse",
              "dbtr", "mpxy", "firmware", "vendor", "experimental", "unknown")
# hart masks and vCPU placement matter for these: every -smp
MASK_GROUPS = ("ipi", "rfence", "hsm")
SBI_RUNS = [(g, fp, 2, None) for g in SBI_GROUPS for fp in (1, 0)] + \
    [(g, fp, smp, None) for g in MASK_GROUPS for fp in (1, 0)
     for smp in (1, 4)] + \
    [(g, 1, 4, 16) for g in MASK_GROUPS]  # 16 vCPUs: masks of 16 bits


@pytest.mark.parametrize(
    "group,fp,smp,cpus", SBI_RUNS,
    ids=[f"{g}-fp{fp}-smp{s}{f'-{c}vcpus' if c else ''}"
         for g, fp, s, c in SBI_RUNS])
def test_sbi_bad_arguments(tmp_path, group, fp, smp, cpus):
    """Every call returns, with SBI v2.0's error, every register but
    a0/a1 intact (RFENCE ranges at the top of the address space hung M
    before 2e179b6)."""
    r = hostile_run(tmp_path, SBI_GROUPS[group], f"hostile.ext={group}",
                    fp=fp, smp=smp, victim_us=500000, cpus=cpus)
    assert_survived(r, f"sbi/{group}", outlive=False)
    last = "sbi_umode_ipi_traps" if group == "umode" else \
        f"sbi_{group}_registers_preserved"
    assert_attacker_passed(r, f"sbi/{group}", (last, "hostile_sbi_survived"))


@pytest.mark.parametrize("fp", (1, 0))
@pytest.mark.parametrize("group", EID_GROUPS)
def test_absent_extensions_not_supported(tmp_path, group, fp):
    """Extension IDs not offered: probe 0 and NOT_SUPPORTED for every FID;
    sbivisor's own M<->HS extension is out of a guest's reach."""
    r = hostile_run(tmp_path, "hostile_eid", f"hostile.ext={group}", fp=fp)
    assert_survived(r, f"eid/{group}", outlive=False)
    assert_attacker_passed(r, f"eid/{group}",
                           (f"eid_{group}_not_supported",
                            f"eid_{group}_probe_zero",
                            f"eid_{group}_registers_preserved"))


# ---- 2. the SBI fuzzer ----

FUZZ_RUNS = [(fp, smp) for fp in (1, 0) for smp in (1, 2, 4)]
FUZZ_CALLS = 100000
FUZZ_CHECKS = ("fuzz_calls_made", "fuzz_registers_preserved",
               "fuzz_fp_preserved", "fuzz_csrs_preserved",
               "fuzz_error_codes_valid", "fuzz_absent_not_supported",
               "fuzz_undefined_fids_not_supported",
               "fuzz_secondaries_finished")


@pytest.mark.parametrize("fp,smp", FUZZ_RUNS,
                         ids=[f"fp{fp}-smp{s}" for fp, s in FUZZ_RUNS])
def test_sbi_fuzzer(tmp_path, fp, smp):
    """100,000 random calls on both vCPUs, a seed per configuration (the
    guest prints any mismatching call with its index for a replay)."""
    seed = 1 + FUZZ_RUNS.index((fp, smp))
    r = hostile_run(tmp_path, "hostile_fuzz",
                    f"fuzz.seed={seed} fuzz.calls={FUZZ_CALLS}", fp=fp,
                    smp=smp, victim_us=2000000, timeout=60)
    attack = f"fuzz/seed={seed}"
    assert_survived(r, attack, outlive=False)
    assert_attacker_passed(r, attack, FUZZ_CHECKS)
    made = re.search(r"^\[evil\] # fuzz: (\d+) calls made$", r.output, re.M)
    assert made and int(made.group(1)) >= FUZZ_CALLS, describe(r, attack)


# ---- 3. memory that is not the attacker's (hostile_mem, identity) ----

VICTIM_GPA = VICTIM_HOST + 0x200000  # the victim's kernel
MEM_ATTACKS = [
    (op, t) for op, targets in (
        ("load", ("fw", "fw_data", "hs", "hs_end", "below_ram", "ram_end",
                  "module", "host_fdt", "ram_top", "null", "bootrom",
                  "test_dev", "rtc", "clint", "mtimecmp", "virtio", "pcie",
                  "hole", "plic_past", "uart_past", "gpa_last", "gpa_over",
                  "top", "victim")),
        ("store", ("fw", "hs", "module", "test_dev", "clint", "top",
                   "victim")),
        ("fetch", ("fw", "hs", "plic", "uart", "top", "victim")),
        ("amo", ("hs_end", "victim"))) for t in targets]
MEM_ADDR = {"fw": 0x80000000, "fw_data": 0x80040000, "hs": 0x80080000,
            "hs_end": 0x8017fff8, "below_ram": 0x87fffff8,
            "ram_end": 0x8a000000, "module": 0x90200000,
            "host_fdt": 0x9fe00000, "ram_top": 0x9ffff000, "null": 0,
            "bootrom": 0x1000, "test_dev": 0x100000, "rtc": 0x101000,
            "clint": 0x2000000, "mtimecmp": 0x2004000, "virtio": 0x10001000,
            "pcie": 0x30000000, "hole": 0x40000000, "plic_past": 0xc600000,
            "uart_past": 0x10000100, "gpa_last": (1 << 41) - 8,
            "gpa_over": 1 << 41, "top": 0xfffffffffffff000,
            "plic": 0xc000000, "uart": 0x10000000, "victim": VICTIM_GPA}
MEM_CAUSE = {"load": LOAD, "store": STORE, "amo": STORE, "fetch": FETCH}
# the same on other configurations, a few each
MEM_VARIANTS = [(op, t, fp, smp) for op, t in MEM_ATTACKS
                for fp, smp in ((1, 2),)] + \
    [(op, t, fp, smp) for op, t in (("load", "hs"), ("store", "victim"),
                                    ("fetch", "fw"))
     for fp, smp in ((0, 2), (1, 1), (1, 4))]


def mem_args(op, target):
    if target == "victim":
        return f"mem=addr mem.addr={VICTIM_GPA:#x} mem.op={op}"
    return f"mem={target} mem.op={op}"


@pytest.mark.parametrize(
    "op,target,fp,smp", MEM_VARIANTS,
    ids=[f"{op}-{t}-fp{fp}-smp{s}" for op, t, fp, s in MEM_VARIANTS])
def test_memory_attack_stops_attacker(tmp_path, op, target, fp, smp):
    attack = f"mem/{op}/{target}"
    r = hostile_run(tmp_path, "hostile_mem", mem_args(op, target), fp=fp,
                    smp=smp, config="hostile-identity.dts")
    assert_survived(r, attack)
    # AMOs: QEMU 7.2 reports a load fault with -smp 1 (test_boot.py)
    causes = (LOAD, STORE) if op == "amo" else (MEM_CAUSE[op],)
    assert_stopped(r, attack, causes, MEM_ADDR[target])
    if target == "victim":
        base, size = host_ram(r)["victim"]
        assert base <= VICTIM_GPA < base + size, describe(r, attack)


def test_memory_emulated_devices_of_identity_guest(tmp_path):
    r = hostile_run(tmp_path, "hostile_mem", "mem=devices",
                    config="hostile-identity.dts")
    assert_survived(r, "mem/devices", outlive=False)
    assert_attacker_passed(r, "mem/devices",
                           ("mem_plic_priority_warl", "mem_uart_lsr"))


# ---- 4. every access form on every emulated device (hostile_mmio) ----

PLIC, UART, BELL = 0xc000000, 0x10000000, 0x40001000
# attack -> (GPA, access kind): each must stop the attacker
MMIO_ATTACKS = {
    "plic_lb": (PLIC + 12, "load"), "plic_lh": (PLIC + 12, "load"),
    "plic_sb": (PLIC + 12, "store"), "plic_sh": (PLIC + 12, "store"),
    "plic_lw_misaligned": (PLIC + 14, "load"),
    "plic_sw_misaligned": (PLIC + 14, "store"),
    "plic_ld_misaligned": (PLIC + 20, "load"),
    "plic_lw_straddle": (PLIC + 0x5ffffe, "load"),
    "plic_ld_straddle": (PLIC + 0x5ffffc, "load"),
    "plic_amoswap_w": (PLIC + 12, "amo"), "plic_amoadd_d": (PLIC + 16, "amo"),
    "plic_lr_w": (PLIC + 12, "load"),
    "plic_flw": (PLIC + 12, "load"), "plic_fld": (PLIC + 16, "load"),
    "plic_fsw": (PLIC + 12, "store"), "plic_fsd": (PLIC + 16, "store"),
    "plic_c_fld": (PLIC + 16, "load"), "plic_c_fsd": (PLIC + 16, "store"),
    "uart_lh": (UART + 6, "load"), "uart_sh": (UART + 6, "store"),
    "uart_ld": (UART, "load"), "uart_sd": (UART, "store"),
    "uart_c_ld": (UART, "load"), "uart_c_sd": (UART, "store"),
    "uart_lw_straddle": (UART + 0xfe, "load"),
    "uart_past_window": (UART + 0x100, "load"),
    "uart_amoor_w": (UART + 4, "amo"), "uart_lr_d": (UART, "load"),
    "uart_flw": (UART + 4, "load"), "uart_fsd": (UART, "store"),
    "bell_lb": (BELL, "load"), "bell_sh": (BELL, "store"),
    "bell_ld": (BELL, "load"), "bell_sd": (BELL, "store"),
    "bell_lw_off4": (BELL + 4, "load"), "bell_sw_off8": (BELL + 8, "store"),
    "bell_lw_straddle": (BELL + 0xffe, "load"),
    "bell_amoswap_w": (BELL, "amo"), "bell_fsw": (BELL, "store"),
    "bell_c_ld": (BELL, "load"),
}
MMIO_VARIANTS = [(a, 1, 2) for a in MMIO_ATTACKS] + \
    [(a, fp, smp) for a in ("plic_lb", "uart_sd", "bell_amoswap_w",
                            "plic_fsd")
     for fp, smp in ((0, 2), (1, 1), (1, 4))]
KIND_CAUSES = {"load": (LOAD,), "store": (STORE,), "amo": (LOAD, STORE)}


@pytest.mark.parametrize(
    "attack,fp,smp", MMIO_VARIANTS,
    ids=[f"{a}-fp{fp}-smp{s}" for a, fp, s in MMIO_VARIANTS])
def test_mmio_refused_access_stops_attacker(tmp_path, attack, fp, smp):
    gpa, kind = MMIO_ATTACKS[attack]
    r = hostile_run(tmp_path, "hostile_mmio", f"mmio={attack}", fp=fp,
                    smp=smp)
    assert_survived(r, f"mmio/{attack}")
    assert_stopped(r, f"mmio/{attack}", KIND_CAUSES[kind], gpa)


EMULATED_RUNS = [(1, 2), (0, 2), (1, 1), (1, 4)]


@pytest.mark.parametrize("fp,smp", EMULATED_RUNS,
                         ids=[f"fp{fp}-smp{s}" for fp, s in EMULATED_RUNS])
def test_mmio_emulated_accesses_behave_as_devices(tmp_path, fp, smp):
    r = hostile_run(tmp_path, "hostile_mmio", "mmio=emulated", fp=fp,
                    smp=smp)
    assert_survived(r, "mmio/emulated", outlive=False)
    assert_attacker_passed(r, "mmio/emulated",
                           ("mmio_plic_c_sdsp", "mmio_uart_c_lw",
                            "mmio_bell_lwu"))
    # what went to the UART's THR, one byte per store, each form
    for form in ("sb", "sw", "csw"):
        assert f"[evil] # mmio-uart-{form}" in r.output.splitlines(), \
            describe(r, "mmio/emulated")


def test_mmio_sc_without_reservation(tmp_path):
    """SC.W on the vPLIC with no reservation: either it fails without any
    access (QEMU's choice) and wrote nothing, or the guest is stopped."""
    r = hostile_run(tmp_path, "hostile_mmio", "mmio=plic_sc_w")
    assert_survived(r, "mmio/plic_sc_w", outlive=False)
    if any(l.startswith(REPORT) for l in r.output.splitlines()):
        assert_stopped(r, "mmio/plic_sc_w", (STORE,), PLIC + 12)
    else:
        assert_attacker_passed(r, "mmio/plic_sc_w",
                               ("mmio_sc_failed", "mmio_sc_no_effect"))


def test_mmio_instruction_rewritten_while_decoded(tmp_path):
    """vCPU 1 rewrites the MMIO instruction vCPU 0 runs (load, store,
    AMO, 8-byte load): what the hypervisor fetches may not be what
    faulted. It emulates what it decoded, or stops the guest, with one
    report; the victim finishes either way."""
    r = hostile_run(tmp_path, "hostile_mmio", "mmio=race")
    assert_survived(r, "mmio/race", outlive=False)
    if any(l.startswith(REPORT) for l in r.output.splitlines()):
        assert_stopped(r, "mmio/race", (LOAD, STORE), PLIC + 12)
    else:
        assert_attacker_passed(r, "mmio/race", ("mmio_race_survived",))


# ---- 5. the guest's own page-table walk into a device (hostile_ptw) ----

# mode -> (the PTE's GPA, causes): QEMU 7.2 reports every fault of an
# implicit walk access as a load (the spec: the original access's type)
PTW_MODES = {
    "load_plic": (PLIC + 0x18, (LOAD,)),
    "store_plic": (PLIC + 0x18, (LOAD, STORE)),
    "fetch_plic": (PLIC + 0x18, (LOAD, FETCH)),
    "root_plic": (PLIC + 0x10, (LOAD, FETCH)),
    "load_uart": (UART, (LOAD,)),
    "store_uart": (UART, (LOAD, STORE)),
    "load_bell": (BELL, (LOAD,)),
    "store_bell": (BELL, (LOAD, STORE)),
    "leaf_uart": (UART + 0x28, (LOAD,)),
    # the faulting VA's low bits are no part of the PTE's address
    "load_plic_odd": (PLIC + 0x18, (LOAD,)),
}
PTW_VARIANTS = [(m, 1, 2) for m in PTW_MODES] + \
    [("store_uart", 0, 2), ("load_plic", 1, 1), ("store_bell", 1, 4)]


@pytest.mark.parametrize("mode,fp,smp", PTW_VARIANTS,
                         ids=[f"{m}-fp{fp}-smp{s}" for m, fp, s in
                              PTW_VARIANTS])
def test_page_table_walk_into_device_stops_attacker(tmp_path, mode, fp, smp):
    """Never emulated as the instruction at sepc: a UART or doorbell
    'write' made by a walk would reach the device. The report names the
    PTE's address."""
    gpa, causes = PTW_MODES[mode]
    r = hostile_run(tmp_path, "hostile_ptw", f"ptw={mode}", fp=fp, smp=smp)
    assert_survived(r, f"ptw/{mode}")
    assert qemu.guest_run(r.output, "evil").checks.get("ptw_paging_on"), \
        describe(r, f"ptw/{mode}")
    assert_stopped(r, f"ptw/{mode}", causes, gpa)


@functools.lru_cache(maxsize=None)
def qemu_major():
    out = subprocess.run([qemu.QEMU, "--version"], capture_output=True,
                         text=True, timeout=30).stdout
    m = re.search(r"version (\d+)\.", out)
    return int(m.group(1)) if m else 0


INSN_MODES = {"insn": "ptw_insn_through_tables",
              "insn_xonly": "ptw_insn_execute_only_page",
              "insn_shm": "ptw_insn_through_tables"}


@pytest.mark.parametrize("mode", INSN_MODES)
def test_mmio_instruction_fetched_through_guest_tables(tmp_path, mode):
    """MMIO instructions under the guest's own paging are emulated: on a
    page of their own, straddling two pages mapped out of physical order,
    on an execute-only page, with the tables in the shared window."""
    if mode == "insn_xonly" and qemu_major() < 8:
        pytest.skip("QEMU 7.2's HLVX cannot read execute-only pages")
    r = hostile_run(tmp_path, "hostile_ptw", f"ptw={mode}")
    assert_survived(r, f"ptw/{mode}", outlive=False)
    assert_attacker_passed(r, f"ptw/{mode}",
                           (INSN_MODES[mode], "ptw_insn_straddles_pages"))
