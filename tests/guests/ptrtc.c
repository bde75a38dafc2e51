// SPDX-License-Identifier: BSD-2-Clause
/*
 * An identity-mapped configured guest that drives the host's goldfish RTC,
 * passed through with "sbivisor,passthrough" (docs/config.md,
 * tests/configs/passthrough.dts, tests/system/test_passthrough.py). Linked
 * at 0x88200000: its RAM is host RAM from 0x88000000.
 *
 * The RTC is found in the guest's device tree: compatible
 * "google,goldfish-rtc", reg = <its host address, size> (2 + 2 cells),
 * interrupts = <its host PLIC source>, interrupt-parent = the vPLIC. Its
 * interrupt is taken through the vPLIC (context 0 = vCPU 0) in WFI, by
 * the trap handler (QEMU 7.2 hides vsip.SEIP from VS-mode reads).
 *
 * Every boot: the DT node; the time, against bootargs ptrtc.base=SECONDS
 * (QEMU -rtc base=...); the device quiesced and requests a previous boot
 * left in the vPLIC drained (at most one, the RTC's); an alarm 20 ms ahead,
 * its interrupt claimed no earlier than the alarm, cleared at the device
 * and completed, and no second one. Then a second alarm is left unserved
 * and the guest reboots (SBI SRST warm reboot) or, on the last boot
 * (ptrtc.boots=N, default 3), shuts down:
 *   boot 1      claimed, never completed (in service in the vPLIC)
 *   other boots the source disabled in the vPLIC: pending there
 * Either way the host source stays claimed by the hypervisor until the
 * vPLIC's reset retires it, with the RTC's line still up: the next boot
 * only gets its alarm if the reboot completed the source on the host. The
 * last boot also arms an alarm that fires 200 ms after it has stopped:
 * by then the hypervisor must have masked the source (it reports an
 * interrupt of a stopped guest). The boot counter lives at RAM base +
 * 16 MiB (a reboot does not clear RAM).
 *
 * Prints "# ptrtc: boot N: rtc 0x... irq S, time T s" and
 * "# ptrtc: boot N: alarm after U us, stale S".
 */
#include <libfdt.h>
#include "guest.h"

#define PLIC_BASE 0x0c000000UL
#define PLIC_PRIO(irq) (PLIC_BASE + 4 * (irq))
#define PLIC_PENDING(irq) (PLIC_BASE + 0x1000 + (irq) / 32 * 4)
#define PLIC_ENABLE(irq) (PLIC_BASE + 0x2000 + (irq) / 32 * 4) /* ctx 0 */
#define PLIC_THRESHOLD (PLIC_BASE + 0x200000)
#define PLIC_CLAIM (PLIC_THRESHOLD + 4)

/* goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c), 32-bit */
#define RTC_TIME_LOW 0x00 /* reading it latches TIME_HIGH */
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08 /* writing it arms the alarm */
#define RTC_ALARM_HIGH 0x0c
#define RTC_IRQ_ENABLED 0x10
#define RTC_CLEAR_ALARM 0x14
#define RTC_CLEAR_INTERRUPT 0x1c

#define STATE_OFFSET 0x1000000UL /* RAM base + 16 MiB */
#define MAGIC 0x707472746321UL	 /* "ptrtc!" */
#define ALARM_NS 20000000UL	 /* 20 ms */
#define LATE_NS 200000000UL	 /* 200 ms */
#define TIMEOUT 20000000UL	 /* 2 s of timebase ticks */
#define QUIET 200000UL		 /* 20 ms */
#define TIME_SLACK 3600UL	 /* s: QEMU started this long ago at most */

enum mode { SERVE, HOLD };

struct state {
	unsigned long magic;
	unsigned long boots;
};

static unsigned long rtc;
static unsigned int irq;
static volatile enum mode mode;
static volatile unsigned long claims, stray, claim_ns;

static inline void w32(unsigned long a, unsigned int v)
{
	*(volatile unsigned int *)a = v;
}

static inline unsigned int r32(unsigned long a)
{
	return *(volatile unsigned int *)a;
}

static unsigned long rtc_ns(void)
{
	unsigned long lo = r32(rtc + RTC_TIME_LOW);

	return (unsigned long)r32(rtc + RTC_TIME_HIGH) << 32 | lo;
}

static void rtc_quiet(void)
{
	w32(rtc + RTC_IRQ_ENABLED, 0);
	w32(rtc + RTC_CLEAR_ALARM, 1);
	w32(rtc + RTC_CLEAR_INTERRUPT, 1);
}

/* Serve: clear the device, then complete; hold: leave it in service */
static void ptrtc_ext_irq(unsigned long h)
{
	unsigned int src;

	(void)h;
	while ((src = r32(PLIC_CLAIM))) {
		if (src != irq) {
			stray++;
			w32(PLIC_CLAIM, src);
			continue;
		}
		claims++;
		claim_ns = rtc_ns();
		if (mode == HOLD)
			return;
		w32(rtc + RTC_CLEAR_INTERRUPT, 1);
		w32(PLIC_CLAIM, src);
	}
}

static unsigned long cells(const fdt32_t *p)
{
	return (unsigned long)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

static void find_rtc(const void *fdt)
{
	int node =
		fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc");
	const fdt32_t *reg, *p, *ph;
	int len, plic = -1;

	reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	check("ptrtc_dt_node", reg && len == 16);
	if (!reg || len != 16)
		return;
	rtc = cells(reg);
	p = fdt_getprop(fdt, node, "interrupts", &len);
	irq = p && len == 4 ? fdt32_to_cpu(*p) : 0;
	ph = fdt_getprop(fdt, node, "interrupt-parent", &len);
	if (ph && len == 4)
		plic = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
	reg = plic < 0 ? NULL : fdt_getprop(fdt, plic, "reg", &len);
	check("ptrtc_dt_irq_on_vplic",
	      irq && reg && len == 16 && cells(reg) == PLIC_BASE &&
		      !fdt_node_check_compatible(fdt, plic,
						 "sifive,plic-1.0.0"));
}

/* wfi until claims reach n, taking interrupts with SIE open briefly */
static int wait_claims(unsigned long n)
{
	unsigned long end = rdtime() + TIMEOUT;

	sbi_set_timer(end); /* bounds every wfi: its interrupt wakes it */
	csrs(sie, MIP_STIP);
	while (claims < n && rdtime() < end) {
		wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
	sbi_set_timer(-1UL);
	return claims >= n;
}

static unsigned long arm_alarm(unsigned long ns)
{
	unsigned long at = rtc_ns() + ns;

	w32(rtc + RTC_ALARM_HIGH, at >> 32);
	w32(rtc + RTC_ALARM_LOW, (unsigned int)at);
	w32(rtc + RTC_IRQ_ENABLED, 1);
	return at;
}

/* Requests an earlier boot left behind, with the device quiet */
static unsigned long drain(void)
{
	unsigned long stale = 0;
	unsigned int src;

	rtc_quiet();
	w32(PLIC_PRIO(irq), 1);
	w32(PLIC_THRESHOLD, 0);
	w32(PLIC_ENABLE(irq), r32(PLIC_ENABLE(irq)) | 1U << (irq % 32));
	while ((src = r32(PLIC_CLAIM))) {
		stale += src == irq;
		stray += src != irq;
		w32(PLIC_CLAIM, src);
	}
	return stale;
}

/* One alarm served through the vPLIC, and nothing after it */
static void serve_alarm(unsigned long boot, unsigned long stale)
{
	unsigned long at, start = rtc_ns();

	mode = SERVE;
	claims = 0;
	ext_irq_hook = ptrtc_ext_irq;
	csrs(sie, MIP_SEIP);
	at = arm_alarm(ALARM_NS);
	check("ptrtc_alarm_irq", wait_claims(1));
	check("ptrtc_alarm_not_early", claims && claim_ns >= at);
	gprintf("# ptrtc: boot %lu: alarm after %lu us, stale %lu\n", boot,
		claims ? (claim_ns - start) / 1000 : 0, stale);
	sleep_ticks(QUIET);
	check_eq("ptrtc_one_irq_per_alarm", claims, 1);
	check_eq("ptrtc_no_stray_irq", stray, 0);
}

/* A second alarm left unserved, in service (hold) or pending */
static void leave_alarm(unsigned long boot, int hold)
{
	unsigned long end = rdtime() + TIMEOUT;

	mode = HOLD;
	claims = 0;
	if (!hold)
		w32(PLIC_ENABLE(irq),
		    r32(PLIC_ENABLE(irq)) & ~(1U << irq % 32));
	arm_alarm(ALARM_NS);
	if (hold) {
		check("ptrtc_left_in_service", wait_claims(1));
	} else {
		while (!(r32(PLIC_PENDING(irq)) & 1U << irq % 32) &&
		       rdtime() < end)
			;
		check("ptrtc_left_pending",
		      (r32(PLIC_PENDING(irq)) >> irq % 32) & 1);
	}
	gprintf("# ptrtc: boot %lu: alarm left %s\n", boot,
		hold ? "in service" : "pending");
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long ram, size, base = 0, boots = 3, secs, stale;
	volatile struct state *st;
	struct ret r;

	(void)hart;
	if (!dt_ram(fdt, &ram, &size) || size <= STATE_OFFSET + 4096) {
		check("ptrtc_ram_fits_counter", 0);
		return;
	}
	if (dt_bootarg_ulong(fdt, "ptrtc.boots", &boots) < 0 || !boots)
		check("ptrtc_boots_valid", 0);
	st = (volatile struct state *)(ram + STATE_OFFSET);
	if (st->magic != MAGIC) {
		st->magic = MAGIC;
		st->boots = 0;
	}
	st->boots++;
	find_rtc(fdt);
	if (!rtc || !irq)
		return;
	secs = rtc_ns() / 1000000000UL;
	gprintf("# ptrtc: boot %lu: rtc 0x%lx irq %u, time %lu s\n", st->boots,
		rtc, irq, secs);
	if (dt_bootarg_ulong(fdt, "ptrtc.base", &base) > 0)
		check("ptrtc_time", secs >= base && secs < base + TIME_SLACK);
	else
		skip("ptrtc_time", "no ptrtc.base");
	stale = drain();
	check("ptrtc_stale_drained", stale <= 1 && !stray);
	serve_alarm(st->boots, stale);
	leave_alarm(st->boots, st->boots == 1);
	if (st->boots >= boots) {
		/* its interrupt must not reach the hypervisor: masked */
		arm_alarm(LATE_NS);
		gprintf("# ptrtc: %lu boots, done; an alarm fires after the "
			"guest has stopped\n",
			st->boots);
		return;
	}
	r = ecall(SBI_EXT_SRST, SBI_EXT_SRST_RESET,
		  SBI_SRST_RESET_TYPE_WARM_REBOOT, SBI_SRST_RESET_REASON_NONE,
		  0, 0, 0, 0);
	gprintf("# ptrtc: reboot request returned, error %ld\n", r.error);
	check("ptrtc_reboot_does_not_return", 0);
}
