# SPDX-License-Identifier: BSD-2-Clause
"""Malformed configurations (docs/config.md, "Errors"): each stops the
boot with one line naming the node and the property, and nothing runs."""
import re

import pytest

import qemu
from multi import HALT_STATUS, config, describe, guest, kernel, shm

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
        config(guest("vm0", f'bootargs = "{"x" * 1024}";')),
        "/chosen/vm0: property 'bootargs': longer than 1023 characters"),
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
        PTE.format("rt", "/soc/fake@4000: interrupts not on the host PLIC or APLIC")),
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
