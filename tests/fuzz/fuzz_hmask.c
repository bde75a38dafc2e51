// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the SBI argument checks every guest call goes through:
 * hart masks (lib/hmask.h), address ranges (lib/range.h) and virtual IPI
 * posting (lib/vipi.h). Each is compared with a slow model written from
 * the spec's words, in 128-bit arithmetic where the code avoids overflow.
 * The input is a list of records: a selector byte, then edge-biased
 * 64-bit arguments (fuzz.h).
 */
#include "fuzz.h"
#include <sbi/sbi_ecall_interface.h>
#include "../../lib/hmask.h"
#include "../../lib/range.h"
#include "../../lib/vipi.h"

typedef unsigned __int128 u128;

/*
 * SBI v2.0 §3.1: hart_mask_base = -1 names every hart; otherwise hart
 * base + i for every bit i of hart_mask, and any id that is not a vCPU
 * (or does not exist, wrapping past 2^64) makes the call invalid.
 */
static long ref_resolve(u64 mask, u64 base, u64 nvcpus, u64 *out)
{
	u64 n = nvcpus < 64 ? nvcpus : 64, r = 0;
	unsigned int i;

	if (base == ~0ULL) {
		for (i = 0; i < n; i++)
			r |= 1ULL << i;
		*out = r;
		return SBI_SUCCESS;
	}
	for (i = 0; i < 64; i++) {
		if (!((mask >> i) & 1))
			continue;
		if ((u128)base + i >= n)
			return SBI_ERR_INVALID_PARAM;
		r |= 1ULL << (base + i);
	}
	*out = r;
	return SBI_SUCCESS;
}

static void check_resolve(u64 mask, u64 base, u64 nvcpus)
{
	u64 out = 0x5a5a, want = 0x5a5a;
	long rc = hmask_resolve(mask, base, nvcpus, &out);
	long ref = ref_resolve(mask, base, nvcpus, &want);

	FZ_CHECK(rc == ref && out == want,
		 "hmask_resolve(0x%llx, 0x%llx, %llu): %ld 0x%llx, expected "
		 "%ld 0x%llx",
		 (unsigned long long)mask, (unsigned long long)base,
		 (unsigned long long)nvcpus, rc, (unsigned long long)out, ref,
		 (unsigned long long)want);
}

/* Walk the set bits round and round, n steps */
static long ref_nth(u64 mask, u64 n)
{
	unsigned int count = __builtin_popcountll(mask), i, seen = 0;

	if (!count)
		return -1;
	n %= count;
	for (i = 0; i < 64; i++)
		if ((mask >> i) & 1 && seen++ == n)
			return i;
	return -2;
}

static void check_nth(u64 mask, u64 n)
{
	long rc = hmask_nth(mask, n), ref = ref_nth(mask, n);

	FZ_CHECK(rc == ref, "hmask_nth(0x%llx, %llu): %ld, expected %ld",
		 (unsigned long long)mask, (unsigned long long)n, rc, ref);
}

/*
 * [addr, addr + len) inside [base, base + size), as mathematical
 * integers. Regions never wrap (guest RAM, a device window): only such
 * regions are asked about.
 */
static void check_within(u64 base, u64 size, u64 addr, u64 len)
{
	bool rc, ref;

	if ((u128)base + size > (u128)1 << 64)
		return;
	rc = range_within(base, size, addr, len);
	ref = addr >= base && (u128)addr + len <= (u128)base + size;
	FZ_CHECK(rc == ref,
		 "range_within(0x%llx, 0x%llx, 0x%llx, 0x%llx): %d, "
		 "expected %d",
		 (unsigned long long)base, (unsigned long long)size,
		 (unsigned long long)addr, (unsigned long long)len, rc, ref);
}

#ifdef RANGE_ALL
/* Pages of 1 << shift bytes that [start, start + size) touches */
static void check_pages(u64 start, u64 size, unsigned int shift, u64 limit)
{
	u64 rc = range_pages(start, size, shift, limit), ref;
	u128 last = (u128)start + size - 1, n;

	if ((!start && !size) || size == ~0ULL)
		ref = RANGE_ALL; /* SBI v2.0 §8: the whole address space */
	else if (!size)
		ref = 0;
	else if (last >> 64)
		ref = RANGE_ALL; /* wraps around */
	else {
		n = (last >> shift) - (start >> shift) + 1;
		ref = n > limit ? RANGE_ALL : (u64)n;
	}
	FZ_CHECK(rc == ref,
		 "range_pages(0x%llx, 0x%llx, %u, %llu): 0x%llx, expected "
		 "0x%llx",
		 (unsigned long long)start, (unsigned long long)size, shift,
		 (unsigned long long)limit, (unsigned long long)rc,
		 (unsigned long long)ref);
}
#endif

/*
 * send_ipi on a fake guest: VSSIP set in exactly the targets' records,
 * and the harts kicked are those of the targets whose bit was clear
 * (one already pending has its kick on the way); nothing on an error.
 */
static void check_vipi(struct fz *f)
{
	static struct shv_guest g;
	u64 mask = fz_edge(f), base = fz_edge(f), targets, harts = 0;
	unsigned long pend[SHV_MAX_VCPUS], kicked = 0, out = 0x77;
	unsigned int i, nv = fz_u8(f) % (SHV_MAX_VCPUS + 4);
	long rc, ref;

	memset(&g, 0, sizeof(g));
	g.nvcpus = nv;
	for (i = 0; i < SHV_MAX_VCPUS; i++) {
		g.vcpu[i].hart = fz_u8(f) % 72; /* ids >= 64: no hart bit */
		g.vcpu[i].pending = pend[i] = fz_u8(f) & 0x26;
	}
	rc = vipi_post(&g, mask, base, &out);
	ref = ref_resolve(mask, base, nv < SHV_MAX_VCPUS ? nv : SHV_MAX_VCPUS,
			  &targets);
	FZ_CHECK(rc == ref, "vipi_post(0x%llx, 0x%llx) nvcpus %u: %ld, %ld",
		 (unsigned long long)mask, (unsigned long long)base, nv, rc,
		 ref);
	if (rc) {
		targets = 0;
		FZ_CHECK(out == 0x77, "harts written on an error");
	}
	for (i = 0; i < SHV_MAX_VCPUS; i++) {
		if ((targets >> i) & 1) {
			if (!(pend[i] & VIPI_VSSIP) && g.vcpu[i].hart < 64)
				harts |= 1ULL << g.vcpu[i].hart;
			pend[i] |= VIPI_VSSIP;
		}
		FZ_CHECK(g.vcpu[i].pending == pend[i],
			 "vCPU %u pending 0x%lx, expected 0x%lx", i,
			 (unsigned long)g.vcpu[i].pending, pend[i]);
	}
	FZ_CHECK(rc || out == harts, "kicked 0x%lx, expected 0x%llx", out,
		 (unsigned long long)harts);

	/* the harts the guest's vCPUs in a mask run on */
	mask = fz_edge(f);
	for (i = 0; i < SHV_MAX_VCPUS && i < nv; i++)
		if ((mask >> i) & 1 && g.vcpu[i].hart < 64)
			kicked |= 1UL << g.vcpu[i].hart;
	out = vipi_harts(&g, mask);
	FZ_CHECK(out == kicked, "vipi_harts(0x%llx): 0x%lx, expected 0x%lx",
		 (unsigned long long)mask, out, kicked);

	/* taking returns what was pending, once */
	i = fz_u8(f) % SHV_MAX_VCPUS;
	out = vipi_take(&g.vcpu[i]);
	FZ_CHECK(out == pend[i] && !vipi_take(&g.vcpu[i]),
		 "vipi_take: 0x%lx, expected 0x%lx", out, pend[i]);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz f = { data, size };
	u64 a, b, c, d;

	while (fz_more(&f)) {
		switch (fz_u8(&f) % 5) {
		case 0:
			a = fz_edge(&f);
			b = fz_edge(&f);
			check_resolve(a, b, fz_u8(&f) % 80);
			break;
		case 1:
			a = fz_edge(&f);
			check_nth(a, fz_edge(&f));
			break;
		case 2:
			a = fz_edge(&f);
			b = fz_edge(&f);
			c = fz_edge(&f);
			d = fz_edge(&f);
			check_within(a, b, c, d);
			/* an address near the region's edges */
			check_within(a, b, a + b - (c & 0xffff), d & 0xffff);
			break;
		case 3:
#ifdef RANGE_ALL
			a = fz_edge(&f);
			b = fz_edge(&f);
			c = fz_u8(&f);
			check_pages(a, b, c % 64, fz_edge(&f));
#endif
			break;
		default:
			check_vipi(&f);
			break;
		}
	}
	return 0;
}
