# SPDX-License-Identifier: BSD-2-Clause
"""Helpers for the configured-guest system tests (test_multi.py,
test_bad_config.py, test_passthrough.py, test_shell.py): configuration
fragments, QEMU runs with the guests' modules, and what a run printed.

Configurations are .dts fragments (tests/configs/, or inline) merged into
QEMU's own DTB (qemu.config_dtb: scripts/mkconfig.sh); the guests'
kernels are test guests put in host RAM by QEMU's loader device."""
import re

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
                extra=(), cpu=None, machine="virt"):
    dtb = qemu.config_dtb(config, tmp_path / "config.dtb", smp=smp, mem=mem,
                          sstc=sstc, cpu=cpu, machine=machine)
    return qemu.qemu_args(qemu.sbivisor_bin(fp), None, smp=smp, mem=mem,
                          sstc=sstc, cpu=cpu, machine=machine,
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


# ---- configuration fragments ----

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
