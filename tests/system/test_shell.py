# SPDX-License-Identifier: BSD-2-Clause
"""The hypervisor shell (docs/shell.md): a hypervisor thread scheduled on
the boot hart's run queue beside the vCPUs. Ctrl-] s gives it the
console; it lists guests, vCPUs and threads, stops, starts and reboots
guests, and refuses bad input with a clear message, all while a CPU hog
keeps every hart busy."""
import re

import pexpect

import qemu
from multi import config, config_args, describe, guest, kernel, modules

# vm0 opens a console line and waits 30 s in it; vm1 (2 vCPUs) hogs both
# harts for 20 s
SHELL_CONFIG = config(
    guest("vm0", 'cpus = <1>; bootargs = "conline.wait=300000000";'),
    guest("vm1", 'cpus = <2>; bootargs = "hog.us=20000000";',
          kernel("0x90200000")))
SHELL_MODS = (("conline", 0x90000000), ("hog", 0x90200000))
PROMPT = "sbivisor> "


class Console:
    """Send shell lines and collect everything QEMU printed."""

    def __init__(self, child):
        self.child = child
        self.out = ""

    def expect(self, pattern, timeout=20):
        self.child.expect(pattern, timeout=timeout)
        self.out += self.child.before + self.child.after
        return self.child.match

    def cmd(self, line, *want):
        """Run a line; wait for each of want, then for the next prompt."""
        self.child.send(line + "\r")
        for w in want:
            self.expect(w)
        self.expect(re.escape(PROMPT))


def test_shell_manages_guests(tmp_path):
    child = qemu.spawn(config_args(tmp_path, SHELL_CONFIG,
                                   modules(*SHELL_MODS)), 90)
    con = Console(child)
    done = False
    try:
        con.expect(r"\[vm0\] # conline: start")
        child.send("\x1ds")
        con.expect("sbivisor: console input goes to the hypervisor shell")
        con.expect(re.escape(PROMPT))
        con.cmd("help", r"stop +<guest> +stop a guest")
        con.cmd("guests", r"\n  0  vm0 +running +1 +32 MiB",
                r"\n  1  vm1 +running +2 +32 MiB")
        # the shell is a thread on the boot hart's run queue (OpenSBI's
        # boot hart lottery picks any), running now
        con.cmd("threads", r"\n  shell +\d +running +\d+")
        con.cmd("vcpus vm1", r"\n  vm1 +0 +started +\d +\d+ +\d+",
                r"\n  vm1 +1 +started +\d +\d+ +\d+")
        # bad input: one clear line each, nothing else happens
        con.cmd("bogus", r"sbivisor: unknown command 'bogus' \(try: help\)")
        con.cmd("stop", r"sbivisor: usage: stop <guest>")
        con.cmd("stop vm7", r"sbivisor: no guest 'vm7' \(see: guests\)")
        con.cmd("x" * 100, r"sbivisor: line too long \(at most 79 ")
        con.cmd("a b c d e", r"sbivisor: too many arguments \(at most 3\)")
        con.cmd("start vm0", r"sbivisor: guest 'vm0' is not stopped")
        # stop and start the hog again; vm0 is untouched
        con.cmd("stop vm1",
                r"sbivisor: guest 'vm1' stopped: stopped from the shell")
        con.cmd("guests", r"\n  0  vm0 +running", r"\n  1  vm1 +stopped")
        con.cmd("reboot vm1", r"sbivisor: guest 'vm1' is not running")
        con.cmd("start 1", r"sbivisor: guest 'vm1' starts again")
        con.expect(r"\[vm1\] # hog: hart \d+")
        # a reboot of vm0 reloads it: its first line comes again
        child.send("reboot vm0\r")
        con.expect(r"sbivisor: guest 'vm0' reboots")
        con.expect(r"\[vm0\] # conline: hart 0")
        con.expect(r"\[vm0\] # conline: start")
        con.cmd("")
        # the last guest stopped powers the machine off
        con.cmd("stop vm1", r"guest 'vm1' stopped: stopped from the shell")
        child.send("stop vm0\r")
        con.expect(r"guest 'vm0' stopped: stopped from the shell")
        con.expect(r"sbivisor: no guest left, powering off")
        child.expect(pexpect.EOF, timeout=20)
        con.out += child.before
        done = True
    except pexpect.TIMEOUT:
        con.out += (child.before or "") + "\n[test harness: TIMEOUT]\n"
    finally:
        child.close(force=True)
    r = qemu.Run(con.out.replace("\r", ""), child.exitstatus)
    assert done, describe(r)
    assert r.status == 0, describe(r)
    assert len(re.findall(r"^\[vm0\] # conline: hart 0$", r.output,
                          re.M)) == 2, describe(r)
    assert len(re.findall(r"^\[vm1\] # hog: hart", r.output, re.M)) >= 2
    # guest output never lands on the shell's prompt line
    assert not re.search(re.escape(PROMPT) + r"[^\n]*\[vm\d\] ", r.output), \
        describe(r)
