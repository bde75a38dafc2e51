# SPDX-License-Identifier: BSD-2-Clause
"""A host device passed through to an identity-mapped configured guest
(docs/config.md, sbivisor,passthrough; tests/configs/passthrough.dts):
the goldfish RTC's time and its alarm interrupt through the guest's vPLIC,
again after reboots that left the interrupt in service or pending; an
ordinary guest that touches the RTC meanwhile is stopped; once the guest
has stopped, its source is masked on the host. The malformed
configurations are in test_multi.py's table."""
import re

import pexpect
import pytest

import qemu
from multi import assert_guest_passed, describe, modules, run_config

RTC_BASE = 1577836800  # QEMU -rtc base=2020-01-01
PT_MODS = (("ptrtc", 0x90000000), ("fault", 0x90200000), ("hog", 0x90400000))
BOOT = re.compile(r"^# ptrtc: boot (\d+): rtc 0x101000 irq 11, time (\d+) s$")
ALARM = re.compile(r"^# ptrtc: boot (\d+): alarm after (\d+) us, stale (\d)$")
SERVED = ("ptrtc_dt_node", "ptrtc_dt_irq_on_vplic", "ptrtc_time",
          "ptrtc_stale_drained", "ptrtc_alarm_irq", "ptrtc_alarm_not_early",
          "ptrtc_one_irq_per_alarm", "ptrtc_no_stray_irq")


def with_rtc_on(hart):
    """passthrough.dts with rtc and hog on hart, intruder on the other."""
    text = (qemu.CONFIGS / "passthrough.dts").read_text()
    assert text.count("sbivisor,harts = <0>;") == 2
    assert text.count("sbivisor,harts = <1>;") == 1
    assert '"ptrtc.boots=3"' in text
    return (text.replace("<0>;", "<A>;").replace("<1>;", f"<{1 - hart}>;")
            .replace("<A>;", f"<{hart}>;")
            .replace('"ptrtc.boots=3"',
                     f'"ptrtc.base={RTC_BASE} ptrtc.boots=3"'))


# The boot hart is OpenSBI's pick: with rtc on either hart, one of the runs
# routes its interrupt to a hart started after the routing was set up.
@pytest.mark.parametrize("hart,machine", ((0, "virt"), (1, "virt"),
                                          (1, "virt,aia=aplic-imsic")))
def test_passthrough_rtc(tmp_path, hart, machine):
    """On an AIA host the RTC's interrupt reaches the hypervisor as an MSI
    from the APLIC and is forwarded into the guest's vPLIC all the same."""
    r = run_config(tmp_path, with_rtc_on(hart), modules(*PT_MODS),
                   extra=["-rtc", "base=2020-01-01"], machine=machine)
    assert ("sbivisor: guest 'rtc': passthrough /soc/rtc@101000 at 0x101000 "
            f"(0x1000 bytes), irq 11 on hart {hart}") in r.output, describe(r)
    lines = qemu.guest_lines(r.output, "rtc")
    # three boots, each reading the time QEMU was given
    boots = [BOOT.match(l) for l in lines if BOOT.match(l)]
    assert [int(m.group(1)) for m in boots] == [1, 2, 3], describe(r)
    for m in boots:
        assert RTC_BASE <= int(m.group(2)) < RTC_BASE + 3600, describe(r)
    # each boot got its alarm through the vPLIC, no earlier than set
    alarms = [ALARM.match(l) for l in lines if ALARM.match(l)]
    assert [int(m.group(1)) for m in alarms] == [1, 2, 3], describe(r)
    for m in alarms:
        assert 20000 <= int(m.group(2)) < 2000000, describe(r)
    assert not [l for l in lines if l.startswith("not ok")], describe(r)
    for name in SERVED:
        assert sum(l.endswith(f" - {name}") for l in lines) == 3, \
            f"{name}\n" + describe(r)
    # boot 1 rebooted with the source in service, boot 2 with it pending
    assert "# ptrtc: boot 1: alarm left in service" in lines, describe(r)
    assert "# ptrtc: boot 2: alarm left pending" in lines, describe(r)
    assert len(re.findall(r"^sbivisor: guest 'rtc' reboots$", r.output,
                          re.M)) == 2, describe(r)
    assert_guest_passed(r, "rtc")
    # the ordinary guest meanwhile: nothing at the RTC's address for it
    report = [l for l in r.output.splitlines()
              if l.startswith("sbivisor: guest 'intruder' vcpu 0:")]
    assert len(report) == 1, describe(r)
    assert "load guest-page fault" in report[0] and \
        "gpa=0x101000" in report[0], describe(r)
    fault_at = r.output.index(report[0])
    assert r.output.index("[rtc] ") < fault_at < \
        r.output.index("sbivisor: guest 'rtc' stopped"), describe(r)
    assert "sbivisor: guest 'intruder' stopped: fault" in r.output
    assert not qemu.guest_run(r.output, "intruder").done, describe(r)
    # the alarm rtc left armed fires after it stopped: masked, so no
    # interrupt reached the hypervisor, and its hart ran on
    assert "after it stopped" not in r.output, describe(r)
    assert_guest_passed(r, "hog")
    assert r.output.index("sbivisor: guest 'rtc' stopped") < \
        r.output.index("sbivisor: guest 'hog' stopped"), describe(r)
    assert r.output.rstrip().endswith(
        "sbivisor: no guest left, powering off"), describe(r)
    assert r.status == 0, describe(r)


def test_passthrough_rtc_after_shell_start(tmp_path):
    """rtc's three boots end (its source masked on the host while it is
    stopped); the shell starts it again: boot 4 gets its alarm interrupt,
    so starting a guest unmasks the sources passed through to it."""
    config = with_rtc_on(0).replace("hog.us=", "hog.us=1").replace(
        "chosen {", 'chosen { sbivisor,keep-running;', 1)
    args = qemu.qemu_args(qemu.sbivisor_bin(1), None, smp=2,
                          extra=["-rtc", "base=2020-01-01"])
    dtb = qemu.config_dtb(config, tmp_path / "config.dtb", smp=2)
    child = qemu.spawn(args + ["-dtb", str(dtb), *modules(*PT_MODS)], 60)
    out = ""
    try:
        child.expect(r"sbivisor: guest 'rtc' stopped: shutdown")
        out += child.before + child.after
        child.send("\x1ds")
        child.expect("sbivisor> ")
        out += child.before + child.after
        child.send("start rtc\r")
        child.expect(r"# ptrtc: boot 4: alarm after \d+ us")
        out += child.before + child.after
        child.expect(r"sbivisor: guest 'rtc' stopped")
        out += child.before + child.after
    except pexpect.TIMEOUT:
        out += (child.before or "") + "\n[test harness: TIMEOUT]\n"
    finally:
        child.close(force=True)
    r = qemu.Run(out.replace("\r", ""), 0)
    assert "# ptrtc: boot 4: alarm after" in r.output, describe(r)
    boot4 = r.output[r.output.index("# ptrtc: boot 4: rtc"):]
    assert "ok 5 - ptrtc_alarm_irq" in boot4 and "not ok" not in boot4, \
        describe(r)
