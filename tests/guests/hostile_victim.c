// SPDX-License-Identifier: BSD-2-Clause
/*
 * The victim next to a hostile guest (tests/system/test_hostile.py): for
 * victim.us microseconds (bootargs, default 500000) it wakes every
 * millisecond from wfi on its SBI timer interrupt and checks that nothing
 * the attacker did reached it:
 *   - a 1 MiB pattern in its RAM is intact (checked a slice per wake);
 *   - its FP registers keep the values it loaded (every wake);
 *   - no software or external interrupt arrived (nobody sends it any;
 *     the attacker's doorbell raises a source this guest never enables);
 *   - SBI still answers (BASE spec version, TIME), and no wake came
 *     later than LATE after its deadline (the attacker cannot keep the
 *     hart: round-robin slices are 10 ms).
 * It then prints "# victim: wakes=N ..." and its checks.
 */
#include "hostile.h"

#define PATTERN_BYTES 0x100000UL
#define PERIOD 10000UL /* 1 ms at 10 MHz */
#define SLICES 64
#define LATE 10000000UL /* 1 s: generous for QEMU on a loaded host */

static unsigned long fp_want[32], fp_got[32];

static inline unsigned long victim_word(unsigned long i)
{
	return 0x71c7140000000000UL ^ (i * 0x9e3779b97f4a7c15UL);
}

static void fp_load(const unsigned long *v)
{
	__asm__ __volatile__(".option push\n.option arch, +d\n"
			     ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
			     "17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
			     "fld f\\n, (8 * \\n)(%0)\n"
			     ".endr\n.option pop"
			     :
			     : "r"(v)
			     : "memory");
}

static int fp_intact(void)
{
	int i, ok = 1;

	hostile_fp_store(fp_got);
	for (i = 0; i < 32; i++)
		ok &= fp_got[i] == fp_want[i];
	return ok;
}

/* Slice s of the pattern: 1 if intact */
static int slice_intact(volatile unsigned long *p, unsigned long s)
{
	unsigned long n = PATTERN_BYTES / 8 / SLICES, i;
	int ok = 1;

	for (i = s * n; i < (s + 1) * n; i++)
		ok &= p[i] == victim_word(i);
	return ok;
}

/* The pattern sits in its own RAM, 1 MiB above the end of the image */
static volatile unsigned long *pattern_area(const void *fdt)
{
	extern char _bss_end[];
	unsigned long ram, size,
		at = ((unsigned long)_bss_end + 0x1fffff) & ~0xfffffUL;

	if (!dt_ram(fdt, &ram, &size) || at + PATTERN_BYTES > ram + size ||
	    (at < (unsigned long)fdt + fdt_totalsize(fdt) &&
	     (unsigned long)fdt < at + PATTERN_BYTES))
		return NULL;
	return (volatile unsigned long *)at;
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long us = 500000, i, ticks, end, wakes = 0, late = 0, now, n;
	unsigned long h = hart < MAX_HARTS ? hart : 0;
	unsigned long stray, sbi_bad = 0, mem_bad = 0, fp_bad = 0, next;
	volatile unsigned long *p = pattern_area(fdt);
	struct ret r;

	if (dt_bootarg_ulong(fdt, "victim.us", &us) < 0 || !p) {
		check("victim_setup", 0);
		return;
	}
	ticks = us * (dt_timebase(fdt) / 1000000);
	gprintf("# victim: hart %lu, %lu us\n", hart, us);
	for (i = 0; i < PATTERN_BYTES / 8; i++)
		p[i] = victim_word(i);
	for (i = 0; i < 32; i++)
		fp_want[i] = victim_word(i + 0x1000);
	hostile_fp_on();
	fp_load(fp_want);
	/* timer, software and external interrupts on; only the timer comes */
	csrs(sie, MIP_STIP | MIP_SSIP | MIP_SEIP);
	end = rdtime() + ticks;
	for (next = rdtime() + PERIOD; rdtime() < end; next += PERIOD) {
		/* QEMU 7.2 hides vsip.STIP: count the interrupts taken */
		n = irq_count[h][IRQ_S_TIMER];
		r = ecall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, next, 0, 0, 0,
			  0, 0);
		sbi_bad += r.error != 0;
		/*
		 * wfi with SIE off, then take what woke it: with SIE on, the
		 * interrupt could come between the test and wfi, which would
		 * then wait for one that never comes.
		 */
		while (irq_count[h][IRQ_S_TIMER] == n &&
		       rdtime() < end + LATE) {
			wfi();
			csrs(sstatus, SSTATUS_SIE);
			__asm__ __volatile__("nop\n\tnop" ::: "memory");
			csrc(sstatus, SSTATUS_SIE);
		}
		now = rdtime();
		if (now > next && now - next > late)
			late = now - next;
		wakes++;
		fp_bad += !fp_intact();
		mem_bad += !slice_intact(p, wakes % SLICES);
		r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION, 0, 0, 0,
			  0, 0, 0);
		sbi_bad += r.error || r.value != 2UL << 24;
	}
	stray = irq_count[h][IRQ_S_SOFT] + irq_count[h][IRQ_S_EXT];
	ecall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, -1UL, 0, 0, 0, 0, 0);
	for (i = 0; i < SLICES; i++)
		mem_bad += !slice_intact(p, i);
	gprintf("# victim: wakes=%lu max_late_ticks=%lu stray=%lu fp_bad=%lu "
		"mem_bad=%lu\n",
		wakes, late, stray, fp_bad, mem_bad);
	check("victim_memory_intact", !mem_bad);
	check("victim_fp_intact", !fp_bad);
	check("victim_no_stray_interrupt", !stray);
	check("victim_sbi_answers", !sbi_bad);
	check("victim_got_the_cpu", wakes && late < LATE);
}
