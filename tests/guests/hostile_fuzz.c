// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: a fixed-seed SBI fuzzer. Every vCPU makes random calls
 * (xorshift64, seed from "fuzz.seed=", default 1, mixed with the hart
 * id) until "fuzz.calls=" (default 100000) calls were made in all:
 * EIDs mostly from the real extensions (offered or not, legacy, sbivisor's
 * own firmware extension), else random 32- and 64-bit ones; FIDs mostly
 * small; arguments from edge values (0, -1, 2^63, the top page, RAM and
 * device addresses, vCPU counts, suspend types), random ones, and RAM.
 * After each call it checks that
 *   - every register but a0/a1 (a0 only for legacy EIDs) is what it
 *     loaded (hostile.h), the FP registers and fcsr too, and the S CSRs
 *     an ecall must not touch (sstatus, sie, stvec, sepc, scause, stval,
 *     satp);
 *   - a0 is a standard SBI error, 0 to -14 (SBI 3.0 §3);
 *   - an EID the guest is not offered (BASE probe 0 at start) and an
 *     undefined FID of an offered one return NOT_SUPPORTED.
 * Calls that would legitimately stop, suspend or reset the guest or its
 * vCPU, or print, are changed first (counted as "filtered"): SRST with a
 * valid type, HSM stop, HSM suspend of a non-reserved type, legacy
 * putchar and shutdown, DBCN writes from RAM (length 0) and write_byte,
 * DBCN reads into RAM (into a scratch buffer), HSM start at a RAM address
 * (at the runtime's secondary entry, which stops again). Interrupts stay
 * masked (sstatus.SIE = 0): pending IPIs and timers are harmless.
 *
 * A mismatch prints the call (hart, index, eid, fid, a0-a5) so that
 * "fuzz.seed=S fuzz.calls=N" with N past its index replays it.
 */
#include "hostile.h"

#define FUZZ_MAGIC 0xf0220000UL
#define SHV_EID 0x0A534256UL
#define JUNK0 0xdead0003UL
#define REPORTS 3 /* mismatches printed per kind and hart */

enum { K_REGS, K_FP, K_CSRS, K_ERR, K_ABSENT, K_FIDS, K_N };
static const char *const kind_names[K_N] = {
	"registers_preserved",	"fp_preserved",
	"csrs_preserved",	"error_codes_valid",
	"absent_not_supported", "undefined_fids_not_supported",
};

struct fuzz_hart {
	unsigned long s, calls, filtered, bad[K_N];
	struct hregs in, out;
	unsigned long fp_in[33], fp_out[33];
};

static struct fuzz_hart fh[MAX_HARTS];
static unsigned long nvcpus, ram_base, ram_size, per_hart, seed = 1;
static volatile unsigned long done_harts;
static char scratch[64];
/* the calls' sp: valid memory, never this vCPU's real stack */
static unsigned long alt_stack[MAX_HARTS][128] __attribute__((aligned(16)));

/* Real EIDs, probed at start; max FID defined for the offered ones */
static const unsigned long real_eids[] = {
	SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI,  SBI_EXT_RFENCE, SBI_EXT_HSM,
	SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_PMU,  SBI_EXT_SUSP,	  SBI_EXT_CPPC,
	0x4E41434CUL, 0x535441UL,   SBI_EXT_FWFT, SBI_EXT_SSE,	  SBI_EXT_DBTR,
	SBI_EXT_MPXY, SHV_EID,	    0x0A000001UL, 0x09000000UL,	  0x08000000UL,
};
static const unsigned long max_fid[] = { 6, 0, 0, 6, 3, 0, 2 };
static bool offered[ARRAY_SIZE(real_eids)];
static bool legacy_offered[16];

static unsigned long xs(struct fuzz_hart *f)
{
	f->s ^= f->s << 13;
	f->s ^= f->s >> 7;
	f->s ^= f->s << 17;
	return f->s;
}

static unsigned long edge(struct fuzz_hart *f)
{
	const unsigned long e[] = {
		0,
		1,
		2,
		-1UL,
		-2UL,
		0x7fffffffUL,
		0x80000000UL,
		0xffffffffUL,
		1UL << 32,
		1UL << 63,
		(1UL << 63) - 1,
		0xfffffffffffff000UL,
		0xfffffffffffff800UL,
		0xffffffffffffe001UL,
		0xfff,
		0x1000,
		0x1ffe,
		ram_base,
		ram_base + ram_size,
		ram_base + ram_size - 1,
		0x0c000000UL,
		0x10000000UL,
		0x40000000UL,
		nvcpus - 1,
		nvcpus,
		64,
		0x10000000UL,
		0x90000000UL,
		(unsigned long)crt_secondary,
	};

	return e[xs(f) % ARRAY_SIZE(e)];
}

static unsigned long arg(struct fuzz_hart *f)
{
	switch (xs(f) % 8) {
	case 4:
		return xs(f);
	case 5:
		return xs(f) % 16;
	case 6:
		return ram_base + xs(f) % ram_size;
	case 7:
		return edge(f) + (xs(f) % 5) - 2;
	default:
		return edge(f);
	}
}

static void pick(struct fuzz_hart *f, unsigned long *eid, unsigned long *fid,
		 unsigned long a[6])
{
	unsigned long r = xs(f) % 10, i;

	if (r < 7)
		*eid = real_eids[xs(f) % ARRAY_SIZE(real_eids)];
	else if (r == 7)
		*eid = xs(f) % 16;
	else if (r == 8)
		*eid = xs(f) & 0xffffffffUL;
	else
		*eid = xs(f);
	r = xs(f) % 10;
	*fid = r < 6 ? xs(f) % 8 : r < 8 ? xs(f) % 70 : r < 9 ? edge(f) : xs(f);
	for (i = 0; i < 6; i++)
		a[i] = arg(f);
}

static bool in_ram(unsigned long x)
{
	return x - ram_base <= ram_size;
}

/* Change calls that may stop, suspend, reset or print: 1 if changed */
static int filter(unsigned long *eid, unsigned long *fid, unsigned long a[6])
{
	unsigned int t = (unsigned int)a[0];

	if (*eid == SBI_EXT_SRST && !*fid && t <= 2) {
		a[0] = JUNK0;
	} else if (*eid == SBI_EXT_HSM && *fid == 1) {
		*fid = 2;
	} else if (*eid == SBI_EXT_HSM && *fid == 3 &&
		   !(t >= 1 && t <= 0x0fffffff) &&
		   !(t >= 0x80000001 && t <= 0x8fffffff)) {
		a[0] = (a[0] & ~0xffffffffUL) | 1;
	} else if (*eid == SBI_EXT_HSM && !*fid && in_ram(a[1])) {
		a[1] = (unsigned long)crt_secondary;
		a[2] &= ~0xffffUL; /* never FUZZ_MAGIC + hart */
	} else if (*eid == SBI_EXT_DBCN && !*fid && in_ram(a[1])) {
		a[0] = 0;
	} else if (*eid == SBI_EXT_DBCN && *fid == 1 && in_ram(a[1])) {
		a[1] = (unsigned long)scratch;
		a[0] %= sizeof(scratch);
	} else if (*eid == SBI_EXT_DBCN && *fid == 2) {
		*fid = 3;
	} else if (*eid == 0x01 || *eid == 0x08) {
		*eid = 0x0f;
	} else if (*eid == SBI_EXT_SUSP && !*fid) {
		a[0] = 1;
	} else {
		return 0;
	}
	return 1;
}

static void fp_set(const unsigned long *v)
{
	__asm__ __volatile__(".option push\n.option arch, +d\n"
			     ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
			     "17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
			     "fld f\\n, (8 * \\n)(%0)\n"
			     ".endr\n"
			     "csrw fcsr, %1\n.option pop"
			     :
			     : "r"(v), "r"(v[32] & 0xff)
			     : "memory");
}

static void fp_get(unsigned long *v)
{
	hostile_fp_store(v);
	__asm__ __volatile__(".option push\n.option arch, +d\n"
			     "frcsr %0\n.option pop"
			     : "=r"(v[32]));
}

static void csrs_get(unsigned long c[7])
{
	c[0] = csrr(sstatus);
	c[1] = csrr(sie);
	c[2] = csrr(stvec);
	c[3] = csrr(sepc);
	c[4] = csrr(scause);
	c[5] = csrr(stval);
	c[6] = csrr(satp);
}

static long offered_index(unsigned long eid)
{
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(real_eids); i++)
		if (real_eids[i] == eid)
			return i;
	return -1;
}

/* Which kinds of mismatch this call shows (bit per kind) */
static unsigned long judge(struct fuzz_hart *f, unsigned long eid,
			   unsigned long fid, const unsigned long c0[7],
			   const unsigned long c1[7])
{
	long err = f->out.x[10], i = offered_index(eid);
	bool legacy = eid <= 0xf, is_offered;
	unsigned long bad = 0, k;

	if (hostile_bad_regs(&f->in, &f->out, legacy))
		bad |= 1UL << K_REGS;
	for (k = 0; k < 33; k++)
		if (f->fp_in[k] != f->fp_out[k])
			bad |= 1UL << K_FP;
	for (k = 0; k < 7; k++)
		if (c0[k] != c1[k])
			bad |= 1UL << K_CSRS;
	is_offered = legacy ? legacy_offered[eid] : i >= 0 && offered[i];
	/* legacy getchar returns the byte or -1 (§5.3) */
	if (legacy && eid == 0x02 && legacy_offered[2])
		bad |= (err < -1 || err > 0xff) ? 1UL << K_ERR : 0;
	else if (err > 0 || err < HOSTILE_ERR_LAST)
		bad |= 1UL << K_ERR;
	if (!is_offered && err != SBI_ERR_NOT_SUPPORTED)
		bad |= 1UL << K_ABSENT;
	if (is_offered && !legacy && (unsigned long)i < ARRAY_SIZE(max_fid) &&
	    fid > max_fid[i] && err != SBI_ERR_NOT_SUPPORTED)
		bad |= 1UL << K_FIDS;
	return bad;
}

static const char *const csr_names[7] = { "sstatus", "sie",   "stvec", "sepc",
					  "scause",  "stval", "satp" };

static void report(struct fuzz_hart *f, unsigned long h, unsigned long bad,
		   unsigned long eid, unsigned long fid,
		   const unsigned long c0[7], const unsigned long c1[7])
{
	unsigned long k, c;

	for (k = 0; k < K_N; k++) {
		if (!(bad & (1UL << k)) || f->bad[k]++ >= REPORTS)
			continue;
		gprintf("# fuzz: hart %lu call %lu: %s: eid 0x%lx fid 0x%lx "
			"a0-a5 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx -> %ld 0x%lx"
			" (regs 0x%lx)\n",
			h, f->calls, kind_names[k], eid, fid, f->in.x[10],
			f->in.x[11], f->in.x[12], f->in.x[13], f->in.x[14],
			f->in.x[15], (long)f->out.x[10], f->out.x[11],
			hostile_bad_regs(&f->in, &f->out, eid <= 0xf));
		for (c = 0; k == K_CSRS && c < 7; c++)
			if (c0[c] != c1[c])
				gprintf("#   %s 0x%lx -> 0x%lx\n", csr_names[c],
					c0[c], c1[c]);
	}
}

static void fuzz(unsigned long h)
{
	struct fuzz_hart *f = &fh[h];
	unsigned long eid, fid, a[6], c0[7], c1[7], i, bad;

	f->s = (seed ^ (h * 0x9e3779b97f4a7c15UL)) | 1;
	hostile_fp_on();
	for (f->calls = 0; f->calls < per_hart; f->calls++) {
		pick(f, &eid, &fid, a);
		f->filtered += filter(&eid, &fid, a);
		for (i = 0; i < 32; i++)
			f->in.x[i] = xs(f);
		f->in.x[2] = (unsigned long)&alt_stack[h][128] - (xs(f) & 0xf0);
		for (i = 0; i < 6; i++)
			f->in.x[10 + i] = a[i];
		f->in.x[16] = fid;
		f->in.x[17] = eid;
		if (!(f->calls % 16)) {
			for (i = 0; i < 33; i++)
				f->fp_in[i] = xs(f);
			f->fp_in[32] &= 0xff;
			fp_set(f->fp_in);
		}
		csrs_get(c0);
		hostile_ecall_regs(&f->in, &f->out);
		csrs_get(c1);
		fp_get(f->fp_out);
		bad = judge(f, eid, fid, c0, c1);
		if (bad)
			report(f, h, bad, eid, fid, c0, c1);
		if (f->calls && !(f->calls % (per_hart / 4 ? per_hart / 4 : 1)))
			gprintf("# fuzz: hart %lu: %lu calls\n", h, f->calls);
	}
	gprintf("# fuzz: hart %lu: %lu calls, %lu filtered\n", h, f->calls,
		f->filtered);
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	if (hart >= MAX_HARTS || opaque != FUZZ_MAGIC + hart)
		return; /* started by a fuzzed HSM call: just stop again */
	fuzz(hart);
	__atomic_fetch_add(&done_harts, 1, __ATOMIC_RELEASE);
}

static void probe_offered(void)
{
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(real_eids); i++)
		offered[i] = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT,
				   real_eids[i], 0, 0, 0, 0, 0)
				     .value;
	for (i = 0; i < 16; i++)
		legacy_offered[i] = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT,
					  i, 0, 0, 0, 0, 0)
					    .value;
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long calls = 100000, h, k, bad, total = 0;
	char name[64];
	struct ret r;

	nvcpus = dt_nharts(fdt);
	if (nvcpus > MAX_HARTS)
		nvcpus = MAX_HARTS;
	if (hart || dt_bootarg_ulong(fdt, "fuzz.seed", &seed) < 0 ||
	    dt_bootarg_ulong(fdt, "fuzz.calls", &calls) < 0 ||
	    !dt_ram(fdt, &ram_base, &ram_size)) {
		check("fuzz_setup", 0);
		return;
	}
	per_hart = (calls + nvcpus - 1) / nvcpus;
	probe_offered();
	gprintf("# fuzz: seed %lu, %lu calls on %lu vCPUs\n", seed, calls,
		nvcpus);
	for (h = 1; h < nvcpus; h++) {
		r = sbi_hart_start(h, (unsigned long)crt_secondary,
				   FUZZ_MAGIC + h);
		check_eq("fuzz_secondary_started", r.error, 0);
	}
	fuzz(0);
	check("fuzz_secondaries_finished",
	      wait_ge(&done_harts, nvcpus - 1, 600000000UL));
	for (h = 0; h < nvcpus; h++)
		total += fh[h].calls;
	gprintf("# fuzz: %lu calls made\n", total);
	check("fuzz_calls_made", total >= calls);
	for (k = 0; k < K_N; k++) {
		for (bad = 0, h = 0; h < nvcpus; h++)
			bad += fh[h].bad[k];
		print_snprintf(name, sizeof(name), "fuzz_%s", kind_names[k]);
		check(name, !bad);
	}
}
