// SPDX-License-Identifier: BSD-2-Clause
/* Hart masks (SBI v2.0 §3.1) and virtual IPI posting. */
#include "unit.h"
#include <sbi/sbi_ecall_interface.h>
#include "../../lib/hmask.h"
#include "../../lib/vipi.h"

static void test_base_minus_one_is_all(void **state)
{
	unsigned long out = 0;

	(void)state;
	assert_int_equal(hmask_resolve(0, -1UL, 4, &out), SBI_SUCCESS);
	assert_int_equal(out, 0xf);
	/* hart_mask is ignored when base is -1 */
	assert_int_equal(hmask_resolve(0x100, -1UL, 2, &out), SBI_SUCCESS);
	assert_int_equal(out, 0x3);
	assert_int_equal(hmask_resolve(0, -1UL, 64, &out), SBI_SUCCESS);
	assert_true(out == ~0UL);
}

static void test_mask_with_base(void **state)
{
	unsigned long out = 0;

	(void)state;
	assert_int_equal(hmask_resolve(0x3, 1, 4, &out), SBI_SUCCESS);
	assert_int_equal(out, 0x6);
	assert_int_equal(hmask_resolve(0, 2, 4, &out), SBI_SUCCESS);
	assert_int_equal(out, 0);
}

static void test_invalid_harts_rejected_whole(void **state)
{
	unsigned long out = 0x55;

	(void)state;
	/* one id past the last vCPU spoils the whole mask */
	assert_int_equal(hmask_resolve(0x3, 3, 4, &out), SBI_ERR_INVALID_PARAM);
	assert_int_equal(out, 0x55);
	assert_int_equal(hmask_resolve(1, 1000, 4, &out),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(hmask_resolve(1UL << 63, 0, 4, &out),
			 SBI_ERR_INVALID_PARAM);
	/* base + bit wraps around: invalid, not hart 0 */
	assert_int_equal(hmask_resolve(0x2, -2UL, 4, &out),
			 SBI_ERR_INVALID_PARAM);
}

/* Homes of vCPUs: the n-th set bit, cyclically */
static void test_nth(void **state)
{
	(void)state;
	assert_int_equal(hmask_nth(0, 0), HMASK_NONE);
	assert_int_equal(hmask_nth(0x1, 5), 0);
	assert_int_equal(hmask_nth(0xa, 0), 1);
	assert_int_equal(hmask_nth(0xa, 1), 3);
	assert_int_equal(hmask_nth(0xa, 2), 1);
	assert_int_equal(hmask_nth(1UL << 63, 7), 63);
}

static void test_vipi_post_marks_pending_and_harts(void **state)
{
	static struct shv_guest g;
	unsigned long harts = 0;

	(void)state;
	g.nvcpus = 3;
	g.vcpu[0].hart = 0;
	g.vcpu[1].hart = 5;
	g.vcpu[2].hart = 7;
	assert_int_equal(vipi_post(&g, 0x6, 0, &harts), SBI_SUCCESS);
	assert_int_equal(harts, (1UL << 5) | (1UL << 7));
	assert_int_equal(g.vcpu[0].pending, 0);
	assert_int_equal(g.vcpu[1].pending, VIPI_VSSIP);
	assert_int_equal(vipi_take(&g.vcpu[1]), VIPI_VSSIP);
	assert_int_equal(vipi_take(&g.vcpu[1]), 0);
}

/* Only a 0 -> 1 change of a target's VSSIP kicks its hart */
static void test_vipi_post_kicks_on_change_only(void **state)
{
	static struct shv_guest g;
	unsigned long harts = 0;

	(void)state;
	g.nvcpus = 2;
	g.vcpu[0].hart = 1;
	g.vcpu[1].hart = 2;
	assert_int_equal(vipi_post(&g, 0x3, 0, &harts), SBI_SUCCESS);
	assert_int_equal(harts, 0x6);
	/* a storm at vCPUs that took nothing: no more kicks */
	assert_int_equal(vipi_post(&g, 0x3, 0, &harts), SBI_SUCCESS);
	assert_int_equal(harts, 0);
	assert_int_equal(vipi_post(&g, 0, -1UL, &harts), SBI_SUCCESS);
	assert_int_equal(harts, 0);
	/* vCPU 1 took its bit: only its hart is kicked again */
	assert_int_equal(vipi_take(&g.vcpu[1]), VIPI_VSSIP);
	assert_int_equal(vipi_post(&g, 0x3, 0, &harts), SBI_SUCCESS);
	assert_int_equal(harts, 0x4);
}

static void test_vipi_invalid_sends_nothing(void **state)
{
	static struct shv_guest g;
	unsigned long harts = 0;

	(void)state;
	g.nvcpus = 2;
	assert_int_equal(vipi_post(&g, 0x7, 0, &harts), SBI_ERR_INVALID_PARAM);
	assert_int_equal(g.vcpu[0].pending, 0);
	assert_int_equal(g.vcpu[1].pending, 0);
	assert_int_equal(harts, 0);
}

/* RFENCE flushes exactly the harts its target vCPUs run on */
static void test_vipi_harts_of_targets(void **state)
{
	static struct shv_guest g;

	(void)state;
	g.nvcpus = 4;
	g.vcpu[0].hart = 3;
	g.vcpu[1].hart = 1;
	g.vcpu[2].hart = 1;
	g.vcpu[3].hart = 0;
	assert_int_equal(vipi_harts(&g, 0x1), 0x8);
	assert_int_equal(vipi_harts(&g, 0x6), 0x2);
	assert_int_equal(vipi_harts(&g, 0xf), 0xb);
	assert_int_equal(vipi_harts(&g, 0), 0);
	/* bits beyond nvcpus name no vCPU */
	assert_int_equal(vipi_harts(&g, 0x30), 0);
	/* a hart id that does not fit the mask is never used */
	g.vcpu[0].hart = 200;
	assert_int_equal(vipi_harts(&g, 0x1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_minus_one_is_all),
		cmocka_unit_test(test_mask_with_base),
		cmocka_unit_test(test_invalid_harts_rejected_whole),
		cmocka_unit_test(test_nth),
		cmocka_unit_test(test_vipi_post_marks_pending_and_harts),
		cmocka_unit_test(test_vipi_post_kicks_on_change_only),
		cmocka_unit_test(test_vipi_invalid_sends_nothing),
		cmocka_unit_test(test_vipi_harts_of_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
