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

#endif
