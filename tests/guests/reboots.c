// SPDX-License-Identifier: BSD-2-Clause
/*
 * A configured guest that reboots itself again and again with SBI SRST
 * (warm reboot, v2.0 §10) while other guests run (tests/system/
 * test_multi.py). A configured guest's reboot reloads its modules (kernel,
 * device tree) but does not clear its RAM, so the boot counter lives at a
 * fixed place in RAM outside the image and the device tree: RAM base +
 * 16 MiB, with a magic word. The first boot finds no magic (the
 * hypervisor zeroes guest RAM when it creates the guest) and counts 1.
 *
 * Every boot prints "# reboots: boot N" and checks that the image was
 * reloaded (an initialised variable the previous boot changed is back to
 * its initial value) and that its second vCPU, which the previous boot
 * left running, starts again from STOPPED. Boots 1 to reboots.n - 1
 * (bootargs, default 10) request a warm reboot - odd boots from vCPU 0,
 * even boots from vCPU 1 while vCPU 0 spins - and boot reboots.n shuts
 * down. So reboots.n boots take reboots.n - 1 reboots.
 *
 * With "reboots.hsm" (issue #9, defect 7) every vCPU but 0 churns HSM
 * while vCPU 0 reboots the guest: each starts the others, suspends itself
 * (retentive, woken by a timer it armed) and now and then stops itself.
 * Every boot checks that all of them are STOPPED and can be started: an
 * HSM call served during the reboot must not leak into the new boot.
 *
 * "reboots.dbcn=K" makes every boot first write K buffers of 4096 bytes
 * (64-byte lines) through SBI DBCN, as fast as it can: with a big initrd
 * module this guest floods the console and reloads megabytes in a loop,
 * which must not cost a guest beside it a deadline (issue #9, defect 11).
 */
#include "guest.h"

#define STATE_OFFSET 0x1000000UL   /* RAM base + 16 MiB */
#define MAGIC 0x7265626f6f747321UL /* "reboots!" */
#define TIMEOUT 20000000UL	   /* 2 s */

struct state {
	unsigned long magic;
	unsigned long boots;
	unsigned long last_time;
};

static volatile unsigned long reloaded = 0x600dUL;
static volatile unsigned long peer_up;
static volatile int peer_reboots;
static volatile unsigned long churners_up;
static char flood_buf[4096];

static void dbcn_flood(unsigned long boot, unsigned long k)
{
	unsigned long i, done, sent = 0;
	struct ret r;

	for (i = 0; i < sizeof(flood_buf); i++)
		flood_buf[i] = i % 64 == 63 ? '\n' : 'a' + (boot + i / 64) % 26;
	while (k--)
		for (done = 0; done < sizeof(flood_buf); done += r.value) {
			r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE,
				  sizeof(flood_buf) - done,
				  (unsigned long)flood_buf + done, 0, 0, 0, 0);
			/* a full console takes nothing for a while */
			if (r.error || r.value > sizeof(flood_buf) - done)
				break;
			sent += r.value;
		}
	gprintf("# reboots: boot %lu wrote %lu bytes\n", boot, sent);
}
static unsigned long nharts;

/* vCPUs 1..n-1 in reboots.hsm: start, suspend, stop, forever */
static void churn(unsigned long me)
{
	unsigned long i, t, round = 0;

	__atomic_fetch_add(&churners_up, 1, __ATOMIC_RELAXED);
	csrs(sie, MIP_STIP);
	for (;;) {
		for (i = 1; i < nharts; i++)
			if (i != me)
				sbi_hart_start(i, (unsigned long)crt_secondary,
					       1);
		if (++round % 16)
			continue;
		t = rdtime() + 100 + (me * 37 + round) % 300;
		sbi_set_timer(t);
		ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_SUSPEND,
		      SBI_HSM_SUSPEND_RET_DEFAULT, 0, 0, 0, 0, 0);
		sbi_set_timer(-1UL);
		if ((round >> 4) % 5 == me)
			ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_STOP, 0, 0, 0, 0, 0,
			      0);
	}
}

static void reboot(void)
{
	struct ret r;

	r = ecall(SBI_EXT_SRST, SBI_EXT_SRST_RESET,
		  SBI_SRST_RESET_TYPE_WARM_REBOOT, SBI_SRST_RESET_REASON_NONE,
		  0, 0, 0, 0);
	gprintf("# reboots: reboot request returned, error %ld\n", r.error);
	check("reboots_reboot_does_not_return", 0);
}

/* vCPU 1: spins (never stops) until the reboot takes it away */
void guest_secondary(unsigned long hart, unsigned long opaque)
{
	if (opaque == 1) {
		churn(hart);
		return;
	}
	peer_up = 1;
	if (peer_reboots) {
		reboot();
		return;
	}
	for (;;)
		__asm__ __volatile__("nop" ::: "memory");
}

/* reboots.hsm, vCPU 0: every other vCPU STOPPED, startable; churn; reboot */
static void hsm_boot(unsigned long boot, unsigned long n)
{
	unsigned long i, stopped = 0, started = 0;
	struct ret r;

	for (i = 1; i < nharts; i++) {
		r = sbi_hart_status(i);
		if (!r.error && r.value == SBI_HSM_STATE_STOPPED)
			stopped++;
		else
			gprintf("# reboots: boot %lu: vCPU %lu in state %lu "
				"(error %ld) at boot\n",
				boot, i, r.value, r.error);
	}
	check_eq("reboots_hsm_all_stopped_at_boot", stopped, nharts - 1);
	for (i = 1; i < nharts; i++)
		started += !sbi_hart_start(i, (unsigned long)crt_secondary, 1)
				    .error ||
			   sbi_hart_status(i).value != SBI_HSM_STATE_STOPPED;
	check_eq("reboots_hsm_all_startable", started, nharts - 1);
	check("reboots_hsm_churning",
	      wait_ge(&churners_up, nharts - 1, TIMEOUT));
	sleep_ticks(2000 + boot * 311 % 3000);
	if (boot < n) {
		reboot();
		return;
	}
	gprintf("# reboots: %lu boots, done\n", boot);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long ram, size, n = 10, now = rdtime(), k;
	volatile struct state *st;
	struct ret r;
	int len;

	if (!dt_ram(fdt, &ram, &size) || size <= STATE_OFFSET + 4096) {
		check("reboots_ram_fits_counter", 0);
		return;
	}
	if (dt_bootarg_ulong(fdt, "reboots.n", &n) < 0 || !n)
		check("reboots_n_valid", 0);
	st = (volatile struct state *)(ram + STATE_OFFSET);
	if (st->magic != MAGIC) {
		st->magic = MAGIC;
		st->boots = 0;
		st->last_time = 0;
	}
	st->boots++;
	gprintf("# reboots: boot %lu, hart %lu\n", st->boots, hart);
	check_eq("reboots_image_reloaded", reloaded, 0x600d);
	reloaded = 0xbad;
	check("reboots_time_moves_on", now > st->last_time);
	st->last_time = now;
	if (dt_bootarg_ulong(fdt, "reboots.dbcn", &k) > 0)
		dbcn_flood(st->boots, k);
	nharts = dt_nharts(fdt);
	if (dt_bootarg(fdt, "reboots.hsm", &len) && nharts > 2 &&
	    nharts <= MAX_HARTS) {
		hsm_boot(st->boots, n);
		return;
	}
	if (nharts > 1) {
		r = sbi_hart_status(1);
		check("reboots_peer_stopped_at_boot",
		      !r.error && r.value == SBI_HSM_STATE_STOPPED);
		peer_reboots = st->boots < n && st->boots % 2 == 0;
		r = sbi_hart_start(1, (unsigned long)crt_secondary, 0);
		check("reboots_peer_started",
		      !r.error && wait_until(&peer_up, 1, TIMEOUT));
		if (peer_reboots) {
			/* vCPU 1 reboots the guest: wait to be taken away */
			sleep_ticks(10 * TIMEOUT);
			check("reboots_peer_reboot_took_effect", 0);
			return;
		}
	}
	if (st->boots < n) {
		reboot();
		return;
	}
	gprintf("# reboots: %lu boots, done\n", st->boots);
	check_eq("reboots_counted", st->boots, n);
}
