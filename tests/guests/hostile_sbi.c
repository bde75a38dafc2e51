// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: bad arguments to the SBI extensions sbivisor serves in
 * M-mode on its fast path (BASE, TIME, IPI, RFENCE; in HS when
 * FASTPATH=0). Every call must return - never hang or crash a hart -
 * with the error SBI v2.0 defines, and preserve every register but a0/a1
 * (each call loads all of them, hostile.h). Bootarg "hostile.ext=GROUP"
 * selects one group per boot: base, time, ipi, rfence ("all": each in
 * turn). HSM, SRST, DBCN and U-mode are hostile_sbi_hs.c's, the other
 * extension IDs hostile_eid.c's.
 *
 * Hart masks: invalid bits, huge bases, base + bit wrapping to a valid
 * id, base -1 with a junk mask; an invalid mask must send nothing
 * (checked on this vCPU's own software interrupt). RFENCE ranges at the
 * top of the address space: size -1, start = size = 0, ends that wrap
 * exactly to 0, and ends that do not overflow while a page cursor would.
 * FIDs past the last defined one and with the upper 32 bits set:
 * NOT_SUPPORTED.
 */
#include "hostile.h"

#define EINVAL SBI_ERR_INVALID_PARAM
#define EADDR SBI_ERR_INVALID_ADDRESS
#define ENOTSUP SBI_ERR_NOT_SUPPORTED
#define SHV_EID 0x0A534256UL /* sbivisor's own firmware extension */
#define WAIT 5000000UL	     /* 0.5 s at 10 MHz */
#define QUIET 10000UL	     /* 1 ms: what is pending shows by then */

static unsigned long nvcpus;

/*
 * Whether interrupt irq is pending for this vCPU: unmask it and count
 * what the trap handler takes within ticks (QEMU 7.2 hides vsip.STIP from
 * VS reads; the handler clears SSIP and withdraws the timer). Calls are
 * made with sstatus.SIE off: hostile_call's registers hold patterns.
 */
static int irq_pending(unsigned long irq, unsigned long ticks)
{
	volatile unsigned long *n = &irq_count[0][irq];
	unsigned long before = *n;

	csrs(sie, 1UL << irq);
	csrs(sstatus, SSTATUS_SIE);
	wait_ge(n, before + 1, ticks);
	csrc(sstatus, SSTATUS_SIE);
	csrc(sie, 1UL << irq);
	return *n != before;
}

/* BASE (§4): probe answers what is offered, nothing past FID 6 */
static void group_base(void)
{
	static const unsigned long offered[] = {
		SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI,  SBI_EXT_RFENCE,
		SBI_EXT_HSM,  SBI_EXT_SRST, SBI_EXT_DBCN,
	};
	static const unsigned long absent[] = {
		SBI_EXT_PMU,
		SBI_EXT_SUSP,
		SBI_EXT_CPPC,
		0x4E41434CUL,
		0x535441UL,
		SBI_EXT_FWFT,
		SBI_EXT_SSE,
		SBI_EXT_DBTR,
		SBI_EXT_MPXY,
		SHV_EID,
		SBI_EXT_FIRMWARE_START,
		SBI_EXT_FIRMWARE_END,
		SBI_EXT_VENDOR_START,
		0x08000000UL,
		(1UL << 32) | SBI_EXT_BASE,
		(1UL << 32) | SBI_EXT_TIME,
		0xffffffff00000000UL | SBI_EXT_IPI,
		-1UL,
		0x11,
		0x7fffffffUL,
	};
	unsigned long i, bad = 0;
	struct ret r;

	hostile_try("base");
	r = hcall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION, -1UL, -1UL, -1UL,
		  -1UL, -1UL);
	check("sbi_base_spec_version_2_0", !r.error && r.value == 2UL << 24);
	for (i = SBI_EXT_BASE_GET_IMP_ID; i <= SBI_EXT_BASE_GET_MIMPID; i++) {
		r = hcall(SBI_EXT_BASE, i, HOSTILE_JUNK0, -1UL, 1, 2, 3);
		bad += r.error != 0;
	}
	check("sbi_base_fids_1_to_6_succeed", !bad);
	for (bad = 0, i = 0; i < ARRAY_SIZE(offered); i++) {
		r = hcall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, offered[i],
			  -1UL, -1UL, -1UL, -1UL);
		if ((r.error || r.value != 1) && bad++ < 4)
			gprintf("#   probe 0x%lx -> %ld/%lu\n", offered[i],
				r.error, r.value);
	}
	check("sbi_base_probe_offered", !bad);
	/* sbivisor offers nothing else (docs/sbi.md) */
	for (bad = 0, i = 0; i < ARRAY_SIZE(absent); i++) {
		r = hcall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, absent[i], 1, 1,
			  1, 1);
		if ((r.error || r.value) && bad++ < 4)
			gprintf("#   probe 0x%lx -> %ld/%lu\n", absent[i],
				r.error, r.value);
	}
	check("sbi_base_probe_absent", !bad);
	hsweep("sbi_base_unknown_fids", SBI_EXT_BASE, 7);
	hgroup_end("sbi", "base");
}

/* TIME (§6): any deadline is accepted; set_timer clears a pending one */
static void group_time(void)
{
	struct ret r;

	hostile_try("time");
	r = hcall(SBI_EXT_TIME, 0, 0, -1UL, -1UL, -1UL, -1UL);
	hexpect("sbi_time_deadline_zero", r, 0);
	check("sbi_time_deadline_zero_pends", irq_pending(IRQ_S_TIMER, WAIT));
	hcall(SBI_EXT_TIME, 0, 0, 0, 0, 0, 0);
	sleep_ticks(QUIET);
	hexpect("sbi_time_deadline_max",
		hcall(SBI_EXT_TIME, 0, -1UL, 0, 0, 0, 0), 0);
	check("sbi_time_deadline_max_clears", !irq_pending(IRQ_S_TIMER, QUIET));
	hexpect("sbi_time_deadline_2_63",
		hcall(SBI_EXT_TIME, 0, 1UL << 63, 0, 0, 0, 0), 0);
	check("sbi_time_deadline_2_63_not_pending",
	      !irq_pending(IRQ_S_TIMER, QUIET));
	hsweep("sbi_time_unknown_fids", SBI_EXT_TIME, 1);
	hcall(SBI_EXT_TIME, 0, -1UL, 0, 0, 0, 0);
	hgroup_end("sbi", "time");
}

struct mask_case {
	const char *name;
	unsigned long mask, base;
	long want;
	bool self; /* whether vCPU 0 (this one) is a target */
};

/*
 * Filled at run time (the valid ids depend on nvcpus). An invalid id
 * anywhere fails the whole call and nothing is sent (§3.1, DESIGN §2).
 */
static unsigned long mask_cases(struct mask_case *c)
{
	struct mask_case t[] = {
		{ "empty", 0, 0, 0, false },
		{ "self", 1, 0, 0, true },
		{ "all_junk_mask", 0xdeadbeefcafef00dUL, -1UL, 0, true },
		{ "empty_huge_base", 0, 1UL << 63, 0, false },
		{ "last", 1, nvcpus - 1, 0, nvcpus == 1 },
		{ "base_past_last", 1, nvcpus, EINVAL, false },
		{ "bit_past_last", 1 | 1UL << nvcpus, 0, EINVAL, false },
		{ "bit63", 1 | 1UL << 63, 0, EINVAL, false },
		{ "all_bits", -1UL, 0, EINVAL, false },
		{ "huge_base", 1, 1UL << 63, EINVAL, false },
		{ "base_minus2", 1, -2UL, EINVAL, false },
		/* -2 + 2 wraps to vCPU 0: never a valid id */
		{ "base_wraps_to_0", 0x5, -2UL, EINVAL, false },
		{ "base_wraps_far", 1UL << 63, 1UL << 63, EINVAL, false },
	};
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		c[i] = t[i];
	return ARRAY_SIZE(t);
}

/* IPI (§7): masks, and what each one sent to this vCPU */
static void group_ipi(void)
{
	struct mask_case c[16];
	unsigned long n = mask_cases(c), i, got;
	char name[64];
	struct ret r;

	for (i = 0; i < n; i++) {
		print_snprintf(name, sizeof(name), "sbi_ipi_%s", c[i].name);
		hostile_try(name);
		r = hcall(SBI_EXT_IPI, 0, c[i].mask, c[i].base, 0, 0, 0);
		got = irq_pending(IRQ_S_SOFT, QUIET);
		check_eq(name, r.error, c[i].want);
		print_snprintf(name, sizeof(name), "sbi_ipi_%s_%s", c[i].name,
			       c[i].self ? "reaches_self" : "spares_self");
		check(name, !!got == c[i].self);
	}
	hsweep("sbi_ipi_unknown_fids", SBI_EXT_IPI, 1);
	hgroup_end("sbi", "ipi");
}

struct range_case {
	const char *name;
	unsigned long start, size;
	bool wraps; /* start + size overflows: INVALID_ADDRESS allowed */
};

static const struct range_case ranges[] = {
	{ "all_zero", 0, 0, false },
	{ "all_size_max", 0x1000, -1UL, false },
	{ "top_page", 0xfffffffffffff000UL, 0x1000, false },
	{ "top_two_pages", 0xffffffffffffe000UL, 0x2000, false },
	/* end = 2^64 - 1: no overflow, yet a page cursor steps past 2^64 */
	{ "top_page_cursor", 0xfffffffffffff800UL, 0x7ff, false },
	{ "top_cursor_two_pages", 0xffffffffffffe001UL, 0x1ffe, false },
	{ "top_byte_empty", -1UL, 0, false },
	{ "top_byte", -1UL, 1, false },
	{ "top_unaligned_to_end", 0xffffffffffffefffUL, 0x1001, false },
	{ "half_plus_half", 1UL << 63, 1UL << 63, false },
	{ "wraps_by_one", (1UL << 63) + 1, 1UL << 63, true },
	{ "wraps_far", -0x1000UL, 0x3000, true },
	{ "huge_size", 0x12345, 1UL << 62, false },
	{ "unaligned_small", 0x80200123UL, 0x10, false },
	{ "sixty_four_pages", 0x80200000UL, 64 * 0x1000UL, false },
	{ "sixty_three_pages_plus", 0x80200fffUL, 63 * 0x1000UL + 2, false },
	{ "null_small", 0, 1, false },
};

static void group_rfence(void)
{
	static const char *const fn[] = { "fence_i", "sfence_vma",
					  "sfence_vma_asid" };
	struct mask_case c[16];
	unsigned long n = mask_cases(c), i, fid;
	char name[80];
	struct ret r;

	for (fid = 0; fid < 3; fid++) {
		for (i = 0; i < n; i++) {
			print_snprintf(name, sizeof(name), "sbi_rfence_%s_%s",
				       fn[fid], c[i].name);
			hostile_try(name);
			r = hcall(SBI_EXT_RFENCE, fid, c[i].mask, c[i].base, 0,
				  0, 0);
			check_eq(name, r.error, c[i].want);
		}
	}
	for (fid = 1; fid < 3; fid++) {
		for (i = 0; i < ARRAY_SIZE(ranges); i++) {
			print_snprintf(name, sizeof(name), "sbi_rfence_%s_%s",
				       fn[fid], ranges[i].name);
			hostile_try(name);
			r = hcall(SBI_EXT_RFENCE, fid, 0, -1UL, ranges[i].start,
				  ranges[i].size, 1);
			if (ranges[i].wraps)
				hexpect2(name, r, 0, EADDR);
			else
				hexpect(name, r, 0);
		}
	}
	/* ASIDs wider than 16 bits are not valid on RV64 (§8.3) */
	hostile_try("sbi_rfence_asid_huge");
	r = hcall(SBI_EXT_RFENCE, 2, 1, 0, 0, 0, -1UL);
	hexpect2("sbi_rfence_asid_huge", r, 0, EINVAL);
	r = hcall(SBI_EXT_RFENCE, 2, 1, 0, 0x80200000UL, 0x1000, 0xffff);
	hexpect("sbi_rfence_asid_max16", r, 0);
	/* remote_hfence_*: no nested virtualization, whatever the args */
	for (fid = 3; fid <= 6; fid++) {
		print_snprintf(name, sizeof(name), "sbi_rfence_hfence_%lu",
			       fid);
		hostile_try(name);
		hexpect(name, hcall(SBI_EXT_RFENCE, fid, 1, 0, 0, 0, 0),
			ENOTSUP);
		print_snprintf(name, sizeof(name),
			       "sbi_rfence_hfence_%lu_bad_args", fid);
		hexpect(name,
			hcall(SBI_EXT_RFENCE, fid, -1UL, 1UL << 63, -1UL, 2,
			      -1UL),
			ENOTSUP);
	}
	hsweep("sbi_rfence_unknown_fids", SBI_EXT_RFENCE, 7);
	hgroup_end("sbi", "rfence");
}

static const char *const group_names[] = { "base", "time", "ipi", "rfence",
					   "all" };
static void (*const groups[])(void) = { group_base, group_time, group_ipi,
					group_rfence };

void guest_main(unsigned long hart, const void *fdt)
{
	nvcpus = dt_nharts(fdt);
	gprintf("# hostile_sbi: hart %lu, %lu vCPUs\n", hart, nvcpus);
	if (hart ||
	    !hostile_groups(fdt, group_names, groups, ARRAY_SIZE(groups))) {
		check("hostile_sbi_setup", 0);
		return;
	}
	check("hostile_sbi_survived", 1);
}
