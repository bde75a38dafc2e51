// SPDX-License-Identifier: BSD-2-Clause
/* Stage-2 table builder: leaf sizes, PTE bits, translation, errors. */
#include "unit.h"
#include <stdlib.h>
#include <string.h>
#include <sbi/sbi_ecall_interface.h>
#include "../../hyp/core/gstage.h"

#define POOL 16
static void *pages[POOL];
static int used, limit = POOL;

static void *alloc_page(void *ctx)
{
	(void)ctx;
	if (used >= limit)
		return NULL;
	pages[used] = aligned_alloc(4096, 4096);
	memset(pages[used], 0, 4096);
	return pages[used++];
}

static struct gstage gs;
static u64 *root;

static int setup(void **state)
{
	struct gstage_alloc a = { alloc_page, NULL };

	(void)state;
	used = 0;
	limit = POOL;
	root = aligned_alloc(GSTAGE_ROOT_SIZE, GSTAGE_ROOT_SIZE);
	gstage_init(&gs, root, a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	while (used)
		free(pages[--used]);
	free(root);
	return 0;
}

static void test_identity_uses_big_leaves(void **state)
{
	hpa_t hpa;
	unsigned long prot;

	(void)state;
	/* 0x80200000..0xC0000000 + 4 KiB: 2M leaves up to 3G, then 4K */
	assert_int_equal(gstage_map(&gs, 0x80200000, 0x80200000,
				    0x3fe00000 + 0x1000, GSTAGE_RWX),
			 0);
	assert_int_equal(gs.leaves[2], 0);
	assert_int_equal(gs.leaves[1], 0x3fe00000 / 0x200000);
	assert_int_equal(gs.leaves[0], 1);
	assert_int_equal(gstage_lookup(&gs, 0x80234567, &hpa, &prot), 0);
	assert_true(hpa == 0x80234567);
	assert_int_equal(prot, GSTAGE_RWX);
	assert_int_equal(gstage_lookup(&gs, 0xc0000fff, &hpa, &prot), 0);
	assert_int_equal(gstage_lookup(&gs, 0xc0001000, &hpa, &prot),
			 SBI_ERR_INVALID_ADDRESS);
	assert_int_equal(gstage_lookup(&gs, 0x80000000, &hpa, &prot),
			 SBI_ERR_INVALID_ADDRESS);
}

static void test_gigapage_and_pte_bits(void **state)
{
	u64 pte;

	(void)state;
	assert_int_equal(gstage_map(&gs, 1UL << 30, 2UL << 30, 1UL << 30,
				    GSTAGE_R | GSTAGE_W),
			 0);
	assert_int_equal(gs.leaves[2], 1);
	/* root index uses 11 bits for Sv39x4 */
	pte = root[1];
	/* V, R, W, U, A, D set; X clear; PPN of 2 GiB */
	assert_int_equal(pte & 0xff, 0x1 | 0x2 | 0x4 | 0x10 | 0x40 | 0x80);
	assert_true((pte >> 10) == (2UL << 30) >> 12);
	assert_int_equal(used, 0);
}

static void test_root_covers_41_bits(void **state)
{
	hpa_t hpa;
	unsigned long prot;

	(void)state;
	assert_int_equal(gstage_map(&gs, (1UL << 41) - (1UL << 30), 1UL << 30,
				    1UL << 30, GSTAGE_RWX),
			 0);
	assert_true(root[2047] & 1);
	assert_int_equal(gstage_lookup(&gs, (1UL << 41) - 1, &hpa, &prot), 0);
	assert_true(hpa == (2UL << 30) - 1);
	assert_int_equal(gstage_map(&gs, 1UL << 41, 0, 4096, GSTAGE_RWX),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(gstage_lookup(&gs, 1UL << 41, &hpa, &prot),
			 SBI_ERR_INVALID_ADDRESS);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(gstage_map(&gs, 0x1001, 0, 4096, GSTAGE_RWX),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(gstage_map(&gs, 0, 0, 0, GSTAGE_RWX),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(gstage_map(&gs, 0, 0, 4096, GSTAGE_W),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(gstage_map(&gs, -4096UL, 0, 8192, GSTAGE_RWX),
			 SBI_ERR_INVALID_PARAM);
}

static void test_overlap_rejected(void **state)
{
	(void)state;
	assert_int_equal(gstage_map(&gs, 0x80000000, 0x80000000, 0x200000,
				    GSTAGE_RWX),
			 0);
	/* 4K inside an existing 2M leaf */
	assert_int_equal(gstage_map(&gs, 0x80001000, 0x1000, 0x1000,
				    GSTAGE_RWX),
			 SBI_ERR_INVALID_PARAM);
	/* same 2M block again */
	assert_int_equal(gstage_map(&gs, 0x80000000, 0x0, 0x200000, GSTAGE_RWX),
			 SBI_ERR_INVALID_PARAM);
}

static void test_out_of_pages(void **state)
{
	(void)state;
	limit = 1;
	/* needs a level-1 and a level-0 table */
	assert_int_equal(gstage_map(&gs, 0x1000, 0x1000, 0x1000, GSTAGE_RWX),
			 SBI_ERR_FAILED);
}

static void test_hgatp(void **state)
{
	unsigned long h;

	(void)state;
	h = gstage_hgatp(&gs, 5);
	assert_int_equal(h >> 60, 8);
	assert_int_equal((h >> 44) & 0x3fff, 5);
	assert_true((h & ((1UL << 44) - 1)) == (unsigned long)root >> 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_uses_big_leaves,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gigapage_and_pte_bits,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_covers_41_bits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overlap_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_out_of_pages, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hgatp, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
