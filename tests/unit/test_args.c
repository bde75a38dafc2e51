// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest argument checks: address ranges (DBCN buffers, HSM start
 * addresses) must never pass by wrapping around or by a huge length.
 */
#include "unit.h"
#include "../../lib/range.h"

#define BASE 0x80200000UL
#define SIZE 0x1fc00000UL

static void test_inside(void **state)
{
	(void)state;
	assert_true(range_within(BASE, SIZE, BASE, 1));
	assert_true(range_within(BASE, SIZE, BASE, SIZE));
	assert_true(range_within(BASE, SIZE, BASE + SIZE - 16, 16));
	assert_true(range_within(BASE, SIZE, BASE + 4096, 0));
	assert_true(range_within(BASE, SIZE, BASE + SIZE, 0));
}

static void test_edges_outside(void **state)
{
	(void)state;
	assert_false(range_within(BASE, SIZE, BASE - 1, 1));
	assert_false(range_within(BASE, SIZE, BASE - 8, 16));
	assert_false(range_within(BASE, SIZE, BASE + SIZE - 16, 17));
	assert_false(range_within(BASE, SIZE, BASE + SIZE, 1));
	assert_false(range_within(BASE, SIZE, BASE, SIZE + 1));
	assert_false(range_within(BASE, SIZE, 0, 16));
}

static void test_wrap_and_huge(void **state)
{
	(void)state;
	/* base + len wraps past 2^64 back into the region */
	assert_false(range_within(BASE, SIZE, -16UL, 64));
	assert_false(range_within(BASE, SIZE, -16UL, BASE + 32));
	assert_false(range_within(BASE, SIZE, BASE, -1UL));
	assert_false(range_within(BASE, SIZE, BASE + 4096, 1UL << 40));
	assert_false(range_within(BASE, SIZE, BASE + 4096, -4096UL));
	/* a region at the very top of the address space */
	assert_true(range_within(-8192UL, 8192, -4096UL, 4096));
	assert_false(range_within(-8192UL, 8192, -4096UL, 4097));
}

/* RFENCE page counts: bounded, never a cursor that wraps (issue #9) */
static void test_range_pages(void **state)
{
	(void)state;
	/* SBI v2.0 §8: both 0, or size = -1, is the whole address space */
	assert_int_equal(range_pages(0, 0, 12, 64), RANGE_ALL);
	assert_int_equal(range_pages(0x1000, -1UL, 12, 64), RANGE_ALL);
	assert_int_equal(range_pages(0x1000, 0, 12, 64), 0);
	assert_int_equal(range_pages(0x1000, 1, 12, 64), 1);
	assert_int_equal(range_pages(0x1fff, 2, 12, 64), 2);
	assert_int_equal(range_pages(0x1000, 0x1000, 12, 64), 1);
	assert_int_equal(range_pages(0x1000, 0x1001, 12, 64), 2);
	assert_int_equal(range_pages(0, 64 * 0x1000, 12, 64), 64);
	assert_int_equal(range_pages(1, 64 * 0x1000, 12, 64), RANGE_ALL);
	/* the top of the address space: the last page, without wrapping */
	assert_int_equal(range_pages(-0x800UL, 0x400, 12, 64), 1);
	assert_int_equal(range_pages(-0x1000UL, 0x1000, 12, 64), 1);
	assert_int_equal(range_pages(-0x2000UL, 0x2000, 12, 64), 2);
	assert_int_equal(range_pages(-0x1000UL, 0x1001, 12, 64), RANGE_ALL);
	assert_int_equal(range_pages(-1UL, 1, 12, 64), 1);
	assert_int_equal(range_pages(-1UL, 2, 12, 64), RANGE_ALL);
	assert_int_equal(range_pages(0x1000, -0x1000UL, 12, 64), RANGE_ALL);
}

/* range_common: the overlap of two ranges, the parser's and hostdt's */
static void test_range_common(void **state)
{
	(void)state;
	assert_int_equal(range_common(0x1000, 0x2000, 0x2000, 0x2000), 0x1000);
	assert_int_equal(range_common(0x2000, 0x2000, 0x1000, 0x2000), 0x1000);
	assert_int_equal(range_common(0x1000, 0x1000, 0x2000, 0x1000), 0);
	assert_int_equal(range_common(0x1000, 0x4000, 0x2000, 0x1000), 0x1000);
	assert_int_equal(range_common(0x1000, 0, 0x1000, 0x1000), 0);
	assert_int_equal(range_common(0x1800, 0, 0x1000, 0x1000), 0);
	/*
	 * A window that runs past the top (a fuzzed PLIC "reg" of base
	 * 0x10008000, size 2^64 - 1) ends at the top and overlaps the
	 * device at its base; before, its wrapped end overlapped nothing
	 */
	assert_int_equal(range_common(0x10008000, 0x1000, 0x10008000, ~0UL),
			 0x1000);
	assert_int_equal(range_common(0x10008000, ~0UL, 0x10009000, 0x1000),
			 0x1000);
	assert_int_equal(range_common(0x10007000, 0x1000, 0x10008000, ~0UL), 0);
	assert_int_equal(range_common(~0UL - 0xfff, 0x1000, 0x1000, ~0UL),
			 0xfff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_edges_outside),
		cmocka_unit_test(test_wrap_and_huge),
		cmocka_unit_test(test_range_pages),
		cmocka_unit_test(test_range_common),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
