/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_RANGE_H
#define SBIVISOR_RANGE_H

#include <stdbool.h>

/*
 * Whether [addr, addr + len) lies inside [base, base + size), with no
 * overflow anywhere: a range that wraps around the address space, or a
 * length larger than the region, is never inside (guest arguments such as
 * DBCN buffers and HSM start addresses go through this).
 */
static inline bool range_within(unsigned long base, unsigned long size,
				unsigned long addr, unsigned long len)
{
	return addr >= base && len <= size && addr - base <= size - len;
}

/* The end of [base, base + size), or the top of the address space */
static inline unsigned long range_end(unsigned long base, unsigned long size)
{
	return base + size < base ? ~0UL : base + size;
}

/*
 * How many bytes [a, a + as) and [b, b + bs) have in common; 0 when they
 * do not overlap (an empty range overlaps nothing). A range that runs past
 * the top of the address space (a device tree's "reg" can say so) ends
 * there: it overlaps everything above its base.
 */
static inline unsigned long range_common(unsigned long a, unsigned long as,
					 unsigned long b, unsigned long bs)
{
	unsigned long lo = a > b ? a : b;
	unsigned long ae = range_end(a, as), be = range_end(b, bs);
	unsigned long hi = ae < be ? ae : be;

	return as && bs && hi > lo ? hi - lo : 0;
}

/* range_pages(): the whole address space, not a page count */
#define RANGE_ALL (~0UL)

/*
 * How many pages of 1 << shift bytes [start, start + size) touches, for a
 * flush that goes page by page: computed without overflow, so a loop of
 * that many steps from start's page ends even at the top of the address
 * space. RANGE_ALL where SBI asks for everything (v2.0 §8: start = size =
 * 0, or size = 2^XLEN - 1), where the range wraps around, and where it
 * spans more than limit pages (one full flush is cheaper, and bounded).
 */
static inline unsigned long range_pages(unsigned long start, unsigned long size,
					unsigned int shift, unsigned long limit)
{
	unsigned long first, last;

	if ((!start && !size) || size == ~0UL)
		return RANGE_ALL;
	if (!size)
		return 0;
	if (size - 1 > ~0UL - start)
		return RANGE_ALL;
	first = start >> shift;
	last = (start + (size - 1)) >> shift;
	return last - first >= limit ? RANGE_ALL : last - first + 1;
}

#endif
