// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: every extension ID sbivisor does not offer, with every
 * FID up to FID_SWEEP, FIDs with the upper bits set and junk, zero or
 * pointer arguments. SBI v2.0 §3: an unsupported EID or FID returns
 * SBI_ERR_NOT_SUPPORTED; BASE probe must agree (0) for each, and every
 * register but a0/a1 survives (hostile.h). Bootarg "hostile.ext=GROUP",
 * one group per boot:
 *   legacy   EIDs 0x00-0x0F: putchar (0x01) and getchar (0x02) work and
 *            probe 1, shutdown (0x08) probes 1 and is not called; the
 *            others return -2 in a0 and leave a1 alone (§5)
 *   pmu susp cppc nacl sta fwft sse dbtr mpxy
 *            the extensions of SBI v2.0/3.0 sbivisor does not offer
 *   firmware 0x0A000000-0x0AFFFFFF: its ends, the EID of the reported
 *            implementation ID, sbivisor's own M<->HS extension (HS
 *            registration must be out of a guest's reach) and samples
 *   vendor   0x09000000-0x09FFFFFF: its ends, the EID of the reported
 *            mvendorid, samples
 *   experimental 0x08000000-0x08FFFFFF
 *   unknown  EIDs that are no extension: 0x11-0x1F, 32-bit edges, and
 *            offered EIDs with the upper 32 bits set or sign-extended
 *            (EIDs are signed 32-bit values: 2^32 + 0x10 is not BASE)
 *   all      every group in turn.
 */
#include "hostile.h"

#define ENOTSUP SBI_ERR_NOT_SUPPORTED
#define FID_SWEEP HOSTILE_FID_SWEEP
#define SHV_EID 0x0A534256UL
#define JUNK0 HOSTILE_JUNK0
#define SAMPLES 12

static unsigned long probe_bad, call_bad, rnd = 0x2545f491;
static unsigned long scratch[512] __attribute__((aligned(4096)));

static const unsigned long huge_fids[] = {
	0x7fffffffUL,	 0x80000000UL,	       0xffffffffUL, 1UL << 32,
	(1UL << 32) | 1, 0xffffffff80000000UL, -1UL,
};

static unsigned long xorshift(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd;
}

static long probe(unsigned long eid)
{
	const unsigned long a[6] = { eid, 0, 0, 0, 0, 0 };
	struct ret r = hcall_a(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, a);

	return r.error ? -1 : (long)r.value;
}

/* Argument sets: zeros, junk, a valid buffer (shared-memory functions) */
static void args_for(unsigned long fid, unsigned long a[6])
{
	unsigned long buf = (unsigned long)scratch, i;

	for (i = 0; i < 6; i++) {
		switch (fid % 3) {
		case 0:
			a[i] = 0;
			break;
		case 1:
			a[i] = i ? hostile_pattern(fid, i) : JUNK0;
			break;
		default:
			a[i] = i == 1 || i == 2 ? 0 : buf;
			break;
		}
	}
}

/* An EID that is not offered: probe 0, every FID NOT_SUPPORTED */
static void absent(unsigned long eid, unsigned long nfids)
{
	unsigned long i, fid, a[6];
	long p = probe(eid);
	struct ret r;

	if (p && probe_bad++ < 4)
		gprintf("#   probe 0x%lx -> %ld\n", eid, p);
	for (i = 0; i < nfids + ARRAY_SIZE(huge_fids); i++) {
		fid = i < nfids ? i : huge_fids[i - nfids];
		args_for(fid, a);
		r = hcall_a(eid, fid, a);
		if (r.error != ENOTSUP && call_bad++ < 4)
			gprintf("#   eid 0x%lx fid 0x%lx -> %ld\n", eid, fid,
				r.error);
	}
}

static void group_end(const char *g)
{
	char name[64];

	print_snprintf(name, sizeof(name), "eid_%s_probe_zero", g);
	check(name, !probe_bad);
	print_snprintf(name, sizeof(name), "eid_%s_not_supported", g);
	check(name, !call_bad);
	hgroup_end("eid", g);
	probe_bad = call_bad = 0;
}

/* Legacy (§5): results in a0 only, a1 preserved; FIDs ignored */
static void group_legacy(void)
{
	unsigned long eid, i, a[6], bad = 0;
	struct ret r;

	hostile_try("legacy");
	for (eid = 0; eid <= 0xf; eid++) {
		if (eid == 0x01 || eid == 0x02 || eid == 0x08)
			continue;
		if (probe(eid) && probe_bad++ < 4)
			gprintf("#   probe 0x%lx\n", eid);
		for (i = 0; i < 4; i++) {
			args_for(i, a);
			r = hcall_a(eid, i ? huge_fids[i] : 0, a);
			if (r.error != ENOTSUP && call_bad++ < 4)
				gprintf("#   legacy 0x%lx -> %ld\n", eid,
					r.error);
		}
	}
	for (eid = 1; eid <= 8; eid += eid == 2 ? 6 : 1)
		bad += probe(eid) != 1;
	check("eid_legacy_offered_probe_one", !bad);
	a[0] = '\n';
	r = hcall_a(0x01, -1UL, a);
	check_eq("eid_legacy_putchar", r.error, 0);
	/* no input is ever typed in these runs */
	r = hcall_a(0x02, JUNK0, a);
	check_eq("eid_legacy_getchar_empty", r.error, -1);
	group_end("legacy");
}

static void group_single(unsigned long eid, const char *name)
{
	hostile_try(name);
	absent(eid, FID_SWEEP);
	group_end(name);
}

/* lo..hi inclusive: the ends, the named EIDs, SAMPLES more */
static void group_range(const char *name, unsigned long lo, unsigned long hi,
			const unsigned long *named, unsigned long n)
{
	unsigned long i;

	hostile_try(name);
	absent(lo, 16);
	absent(hi, 16);
	for (i = 0; i < n; i++)
		absent(named[i], FID_SWEEP);
	for (i = 0; i < SAMPLES; i++)
		absent(lo + xorshift() % (hi - lo + 1), 8);
	group_end(name);
}

static unsigned long base_value(unsigned long fid)
{
	const unsigned long a[6] = { 0 };

	return hcall_a(SBI_EXT_BASE, fid, a).value;
}

static void group_firmware(void)
{
	const unsigned long named[] = {
		SHV_EID, SBI_EXT_FIRMWARE_START | (base_value(1) & 0xffffff),
		SBI_EXT_FIRMWARE_START | 1, /* OpenSBI's implementation ID */
	};
	unsigned long a[6] = { (unsigned long)scratch, 0, 0, 0, 0, 0 };
	unsigned long fid, bad = 0;

	group_range("firmware", SBI_EXT_FIRMWARE_START, SBI_EXT_FIRMWARE_END,
		    named, ARRAY_SIZE(named));
	/* HS's calls, with a fake area and HS's own addresses */
	hostile_try("eid_firmware_hs_calls");
	for (fid = 0; fid < 8; fid++) {
		a[0] = fid & 1 ? (unsigned long)scratch : 0x80080000UL;
		bad += hcall_a(SHV_EID, fid, a).error != ENOTSUP;
	}
	check("eid_firmware_hs_calls_refused", !bad);
}

static void group_vendor(void)
{
	const unsigned long named[] = {
		SBI_EXT_VENDOR_START | (base_value(4) & 0xffffff),
	};

	group_range("vendor", SBI_EXT_VENDOR_START, SBI_EXT_VENDOR_END, named,
		    ARRAY_SIZE(named));
}

static void group_experimental(void)
{
	group_range("experimental", 0x08000000UL, 0x08ffffffUL, NULL, 0);
}

static void group_unknown(void)
{
	static const unsigned long offered[] = {
		SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI,  SBI_EXT_RFENCE,
		SBI_EXT_HSM,  SBI_EXT_SRST, SBI_EXT_DBCN, 0x02,
	};
	static const unsigned long edges[] = {
		0x7fffffffUL, 0x80000000UL, 0xffffffffUL, -1UL,
		1UL << 32,    1UL << 63,    0x100,	  0x0b000000UL,
	};
	unsigned long i, e;

	hostile_try("unknown");
	for (e = 0x11; e <= 0x1f; e++)
		absent(e, 8);
	for (i = 0; i < ARRAY_SIZE(edges); i++)
		absent(edges[i], 8);
	/* only the low 32 bits would make these offered EIDs */
	for (i = 0; i < ARRAY_SIZE(offered); i++) {
		absent((1UL << 32) | offered[i], 8);
		absent(0xffffffff00000000UL | offered[i], 8);
	}
	for (i = 0; i < SAMPLES; i++) {
		e = xorshift() & 0xffffffffUL;
		if ((e >> 24) >= 0x08 && (e >> 24) <= 0x0a)
			continue; /* the ranges above, not unknown */
		absent(e | 0x80000000UL, 8);
	}
	group_end("unknown");
}

static const struct {
	const char *name;
	unsigned long eid;
} singles[] = {
	{ "pmu", SBI_EXT_PMU },	  { "susp", SBI_EXT_SUSP },
	{ "cppc", SBI_EXT_CPPC }, { "nacl", 0x4E41434CUL },
	{ "sta", 0x535441UL },	  { "fwft", SBI_EXT_FWFT },
	{ "sse", SBI_EXT_SSE },	  { "dbtr", SBI_EXT_DBTR },
	{ "mpxy", SBI_EXT_MPXY },
};

static const char *const others[] = { "legacy", "firmware", "vendor",
				      "experimental", "unknown" };
static void (*const other_fns[])(void) = { group_legacy, group_firmware,
					   group_vendor, group_experimental,
					   group_unknown };

static int run_group(const char *g, int len)
{
	int all = len == 3 && !sbi_strncmp(g, "all", 3), n = 0;
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(singles); i++)
		if (all || ((int)sbi_strlen(singles[i].name) == len &&
			    !sbi_strncmp(g, singles[i].name, len))) {
			group_single(singles[i].eid, singles[i].name);
			n++;
		}
	for (i = 0; i < ARRAY_SIZE(others); i++)
		if (all || ((int)sbi_strlen(others[i]) == len &&
			    !sbi_strncmp(g, others[i], len))) {
			other_fns[i]();
			n++;
		}
	return n;
}

void guest_main(unsigned long hart, const void *fdt)
{
	int len = 0;
	const char *g = dt_bootarg(fdt, "hostile.ext", &len);

	gprintf("# hostile_eid: hart %lu\n", hart);
	if (!g || !run_group(g, len)) {
		check("hostile_eid_group_known", 0);
		return;
	}
	check("hostile_eid_survived", 1);
}
