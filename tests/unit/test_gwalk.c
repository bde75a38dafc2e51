// SPDX-License-Identifier: BSD-2-Clause
/*
 * gwalk_classify: a load/store guest-page fault with htinst = 0 is told
 * apart from a VS-stage page-table walk into a device window (issue #9,
 * defect 10) by walking the guest's own tables.
 */
#include "unit.h"
#include <string.h>
#include <sbi/sbi_types.h>
#include "../../hyp/arch/gwalk.h"

/* Guest RAM at GPA 0x80000000, 64 pages, page tables inside it */
#define RAM 0x80000000UL
#define PAGES 64
#define DEV 0x10000000UL /* an emulated device window */
#define V 0x1UL
#define RWX 0xeUL
#define SV39 (8UL << 60)
#define SV48 (9UL << 60)

static u64 ram[PAGES * 512];
static int reads;

static int read_pte(void *ctx, gpa_t gpa, u64 *pte)
{
	(void)ctx;
	reads++;
	if (gpa < RAM || gpa - RAM >= sizeof(ram) || (gpa & 7))
		return -1;
	*pte = ram[(gpa - RAM) / 8];
	return 0;
}

static void set_pte(gpa_t table, unsigned long idx, gpa_t target,
		    unsigned long flags)
{
	ram[(table - RAM) / 8 + idx] = (target >> 12) << 10 | flags;
}

static unsigned long vsatp(unsigned long mode, gpa_t root)
{
	return mode | root >> 12;
}

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	reads = 0;
	return 0;
}

static void test_bare(void **state)
{
	(void)state;
	assert_int_equal(gwalk_classify(0, DEV + 4, DEV + 4, read_pte, NULL),
			 GWALK_EXPLICIT);
	assert_int_equal(gwalk_classify(0, DEV + 0x1004, DEV + 4, read_pte,
					NULL),
			 GWALK_UNKNOWN);
	assert_int_equal(reads, 0);
}

/* Sv39, 4 KiB leaf: gva 0x40001000 -> the device page */
static void test_sv39_leaf_explicit(void **state)
{
	gpa_t l2 = RAM, l1 = RAM + 0x1000, l0 = RAM + 0x2000;
	unsigned long gva = 0x40001008;

	(void)state;
	set_pte(l2, 1, l1, V);
	set_pte(l1, 0, l0, V);
	set_pte(l0, 1, DEV, V | RWX);
	assert_int_equal(gwalk_classify(vsatp(SV39, l2), gva, DEV + 8, read_pte,
					NULL),
			 GWALK_EXPLICIT);
	/* the same walk, but the fault was elsewhere: proves nothing */
	assert_int_equal(gwalk_classify(vsatp(SV39, l2), gva, DEV + 0x3008,
					read_pte, NULL),
			 GWALK_UNKNOWN);
}

/* A non-leaf PTE points into the device window: the walk faulted there */
static void test_sv39_table_in_device(void **state)
{
	gpa_t l2 = RAM, l1 = RAM + 0x1000;
	unsigned long gva = 0x40201000;

	(void)state;
	set_pte(l2, 1, l1, V);
	set_pte(l1, 1, DEV, V); /* the next level's table is "in" the UART */
	assert_int_equal(gwalk_classify(vsatp(SV39, l2), gva, DEV + 8, read_pte,
					NULL),
			 GWALK_IMPLICIT);
	/* and the root itself in a device */
	assert_int_equal(gwalk_classify(vsatp(SV39, DEV), gva, DEV + 8,
					read_pte, NULL),
			 GWALK_IMPLICIT);
}

/* 2 MiB and 1 GiB leaves map by the superpage's offset */
static void test_superpages(void **state)
{
	gpa_t l2 = RAM, l1 = RAM + 0x1000;

	(void)state;
	set_pte(l2, 0, DEV & ~0x3fffffffUL, V | RWX); /* 1 GiB at 0 */
	assert_int_equal(gwalk_classify(vsatp(SV39, l2), DEV + 0x10, DEV + 0x10,
					read_pte, NULL),
			 GWALK_EXPLICIT);
	set_pte(l2, 2, l1, V);
	set_pte(l1, 3, DEV & ~0x1fffffUL, V | RWX); /* 2 MiB */
	assert_int_equal(gwalk_classify(vsatp(SV39, l2),
					0x80600000UL + (DEV & 0x1fffff) + 4,
					DEV + 4, read_pte, NULL),
			 GWALK_EXPLICIT);
}

/* Invalid entries, PTEs outside RAM, unknown modes: no conclusion */
static void test_unknown(void **state)
{
	gpa_t l2 = RAM;

	(void)state;
	assert_int_equal(gwalk_classify(vsatp(SV39, l2), 0x1000, DEV, read_pte,
					NULL),
			 GWALK_UNKNOWN);
	set_pte(l2, 0, 0x20000000UL, V); /* next table outside RAM */
	assert_int_equal(gwalk_classify(vsatp(SV39, l2), 0x1000, DEV, read_pte,
					NULL),
			 GWALK_UNKNOWN);
	assert_int_equal(gwalk_classify(vsatp(1UL << 60, l2), 0x1000, DEV,
					read_pte, NULL),
			 GWALK_UNKNOWN);
	assert_int_equal(gwalk_classify(vsatp(15UL << 60, l2), 0x1000, DEV,
					read_pte, NULL),
			 GWALK_UNKNOWN);
}

/* Sv48: four levels, the deepest table in the device */
static void test_sv48(void **state)
{
	gpa_t l3 = RAM, l2 = RAM + 0x1000, l1 = RAM + 0x2000;
	unsigned long gva = (1UL << 39) + 0x1000;

	(void)state;
	set_pte(l3, 1, l2, V);
	set_pte(l2, 0, l1, V);
	set_pte(l1, 0, DEV, V);
	assert_int_equal(gwalk_classify(vsatp(SV48, l3), gva, DEV + 8, read_pte,
					NULL),
			 GWALK_IMPLICIT);
	assert_true(reads <= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bare, setup),
		cmocka_unit_test_setup(test_sv39_leaf_explicit, setup),
		cmocka_unit_test_setup(test_sv39_table_in_device, setup),
		cmocka_unit_test_setup(test_superpages, setup),
		cmocka_unit_test_setup(test_unknown, setup),
		cmocka_unit_test_setup(test_sv48, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
