# SPDX-License-Identifier: BSD-2-Clause
"""An unmodified SMP Linux as the default guest: emulated PLIC and 16550A,
passed-through virtio disk and network, SBI poweroff and reboot, under every
SBI path (fast path on/off, Sstc on/off, SBI console)."""
import io
import re
import subprocess

import pexpect
import pytest

import qemu

LINUX = qemu.BUILD / "linux"
LINUX_612 = qemu.BUILD / "linux-6.12"  # make linux-6.12
DISK = qemu.BUILD / "disk.img"
MARKER = re.compile(r"sbivisor-linux: init up, cpus=(\d+)")
BOOT_TIMEOUT = 90


def linux_args(fw, smp=2, sstc=True, append="console=ttyS0", disk=False,
               net=False, cpu=None, machine="virt", kdir=LINUX):
    extra = ["-initrd", str(kdir / "rootfs.cpio.gz")]
    if disk:
        extra += ["-drive", f"file={DISK},if=none,format=raw,id=hd0,"
                  "snapshot=on", "-device", "virtio-blk-device,drive=hd0"]
    if net:
        extra += ["-netdev", "user,id=n0",
                  "-device", "virtio-net-device,netdev=n0"]
    return qemu.qemu_args(fw, kdir / "Image", smp=smp, mem="1G", sstc=sstc,
                          append=append, extra=extra, cpu=cpu,
                          machine=machine)


class Guest:
    """A booted Linux guest's shell, always killed at the end."""

    def __init__(self, args):
        self.child = qemu.spawn(args, BOOT_TIMEOUT)
        self.log = []

    def boot(self):
        self.child.expect(MARKER)
        cpus = int(self.child.match.group(1))
        self.sync()
        return cpus

    def sync(self, tries=5):
        # A unique echo proves the shell is up and reading input. The
        # kernel's late messages (e.g. eth0's link coming up) can land in
        # the middle of the echoed line on the shared console, so a garbled
        # answer is retried with a fresh value rather than taken as a hang.
        for i in range(tries):
            want = 42 + i
            self.child.sendline(f"echo sync-$((6*7+{i}))")
            try:
                self.child.expect(f"sync-{want}\\b", timeout=BOOT_TIMEOUT
                                  if i == tries - 1 else 15)
                return
            except pexpect.TIMEOUT:
                if i == tries - 1:
                    raise

    def run(self, cmd, want, timeout=60):
        self.child.sendline(cmd)
        self.child.expect(want, timeout=timeout)
        return self.child.match

    def close(self):
        self.child.close(force=True)


@pytest.fixture(scope="module", autouse=True)
def disk_image():
    subprocess.run(["make", "-s", "-C", str(qemu.ROOT), "build/disk.img"],
                   check=True, timeout=60)


def full_session(args, smp, stress=True, reboot=True):
    """Boot, a workload on every CPU, the disk, the network, a reboot and
    a poweroff (stress and reboot can be left out)."""
    g = Guest(args)
    try:
        assert g.boot() == smp
        if stress:
            g.run("stress 4", r"stress: ok cpus=%d" % smp, timeout=120)
        g.run("head -c 20 /dev/vda", "sbivisor-disk-marker")
        g.run("ping -c 2 -W 5 10.0.2.2", r"2 packets received")
        if reboot:
            g.child.sendline("reboot")
            g.child.expect("reboots the machine")
            assert g.boot() == smp
        g.child.sendline("poweroff")
        g.child.expect("guest 'default' stopped: shutdown")
        g.child.expect(pexpect.EOF)
    finally:
        g.close()
    assert g.child.exitstatus == 0


@pytest.mark.parametrize("smp", (1, 2, 4))
def test_linux_smp_workload_disk_net_reboot(smp):
    full_session(linux_args(qemu.sbivisor_bin(1), smp=smp, disk=True,
                            net=True), smp)


@pytest.mark.parametrize("variant", ["nosstc", "fastpath-off", "sbi-console"])
def test_linux_sbi_paths(variant):
    kw = {"nosstc": dict(sstc=False),
          "fastpath-off": dict(fw=qemu.sbivisor_bin(0)),
          "sbi-console": dict(append="console=hvc0 earlycon=sbi")}[variant]
    fw = kw.pop("fw", qemu.sbivisor_bin(1))
    full_session(linux_args(fw, smp=2, disk=True, net=True, **kw), 2)


@pytest.mark.parametrize("smp", (2, 4))
def test_linux_on_aia_host(smp):
    """A host with an APLIC (MSI mode) and IMSICs instead of a PLIC: the
    hypervisor takes the UART's, disk's and NIC's interrupts through its
    S-level interrupt files and forwards the devices' into the default
    guest's vPLIC; the guest's console, disk and network work."""
    full_session(linux_args(qemu.sbivisor_bin(1), smp=smp, disk=True,
                            net=True, machine="virt,aia=aplic-imsic"), smp)


def test_linux_native_baseline_boots():
    """The same kernel and initramfs on stock OpenSBI: the bench baseline."""
    g = Guest(linux_args(qemu.STOCK_FW, smp=2))
    try:
        assert g.boot() == 2
        g.child.sendline("poweroff")
        g.child.expect(pexpect.EOF)
    finally:
        g.close()


@pytest.mark.parametrize("cpus", (2, 4))
def test_linux_as_configured_guest_beside_test_guests(tmp_path, cpus):
    """Linux in its own (not identity-mapped) RAM with an emulated UART and
    PLIC, next to two test guests on the same two harts: all run, Linux's
    lines carry its name, its poweroff stops only itself. With 4 vCPUs on
    2 harts, Linux's vCPUs keep moving between the harts under stress."""
    configured_session(tmp_path, cpus)


def configured_session(tmp_path, cpus, kdir=LINUX, machine="virt"):
    initrd = kdir / "rootfs.cpio.gz"
    # the configuration's kernel module holds up to 8 MiB
    assert (kdir / "Image").stat().st_size <= 0x800000
    text = (qemu.CONFIGS / "linux-and-tests.dts").read_text().replace(
        "RAMDISK_SIZE", hex(initrd.stat().st_size))
    text = text.replace("cpus = <2>;", f"cpus = <{cpus}>;", 1)
    dtb = qemu.config_dtb(text, tmp_path / "cfg.dtb", smp=2, mem="1G",
                          machine=machine)
    mods = [(kdir / "Image", 0xa0000000), (initrd, 0xa0800000),
            (qemu.guest_bin("ipi"), 0xa1000000),
            (qemu.guest_bin("timer"), 0xa1200000)]
    args = qemu.qemu_args(qemu.sbivisor_bin(1), None, smp=2, mem="1G",
                          machine=machine,
                          extra=["-dtb", str(dtb), *qemu.loader_args(mods)])
    child = qemu.spawn(args, BOOT_TIMEOUT)
    child.logfile_read = log = io.StringIO()
    try:
        child.expect(r"\[linux\] sbivisor-linux: init up, cpus=%d" % cpus)
        child.sendline("stress 3")
        child.expect(r"\[linux\] stress: ok cpus=%d" % cpus, timeout=120)
        child.sendline("poweroff")
        child.expect("guest 'linux' stopped: shutdown")
        child.expect(pexpect.EOF, timeout=60)
    finally:
        child.close(force=True)
    full = log.getvalue().replace("\r", "")
    assert child.exitstatus == 0
    for name in ("ipi", "timer"):
        r = qemu.guest_run(full, name)
        assert r.done and r.checks and not r.failed(), full[-3000:]


# Linux 6.12 (bookworm-backports' linux-source-6.12): as the default guest
# on a PLIC host and, with 4 harts, on an AIA host; on the SBI console
# (DBCN); and as a configured guest on an AIA host.
LINUX_612_DEFAULT = {
    "plic-smp2": dict(smp=2),
    "aia-smp4": dict(smp=4, machine="virt,aia=aplic-imsic"),
    "sbi-console": dict(smp=2, append="console=hvc0 earlycon=sbi"),
}


@pytest.mark.parametrize("variant", LINUX_612_DEFAULT)
def test_linux_612_default_guest(variant):
    kw = LINUX_612_DEFAULT[variant]
    full_session(linux_args(qemu.sbivisor_bin(1), disk=True, net=True,
                            kdir=LINUX_612, **kw), kw["smp"])


def test_linux_612_configured_guest_on_aia_host(tmp_path):
    configured_session(tmp_path, 2, kdir=LINUX_612,
                       machine="virt,aia=aplic-imsic")


@pytest.mark.parametrize("kernel,machine", (
    ("6.1", "virt"), ("6.12", "virt,aia=aplic-imsic")))
def test_linux_16_harts(kernel, machine):
    """16 harts on the MAX_HARTS=64 build: Linux sees all of them and its
    console, disk and network work (6.1 on a PLIC host, 6.12 on AIA)."""
    kdir = LINUX if kernel == "6.1" else LINUX_612
    full_session(linux_args(qemu.sbivisor_bin(1, max_harts=64), smp=16,
                            disk=True, net=True, kdir=kdir, machine=machine),
                 16, stress=False, reboot=False)
