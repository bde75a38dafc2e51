// SPDX-License-Identifier: BSD-2-Clause
/* BASE extension logic shared by M-mode and HS; the print helper. */
#include "unit.h"
#include <string.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbivisor/shared.h>
#include "../../lib/sbibase.h"
#include "../../lib/print.h"

static const struct sbibase_info info = { 1, 0x10006, 0x11, 0x22, 0x33 };

static void test_versions_and_ids(void **state)
{
	unsigned long v = 0;

	(void)state;
	assert_int_equal(sbibase_call(SBI_EXT_BASE_GET_SPEC_VERSION, 0, 0,
				      &info, &v),
			 0);
	assert_int_equal(v, 0x2000000);
	assert_int_equal(sbibase_call(SBI_EXT_BASE_GET_IMP_ID, 0, 0, &info, &v),
			 0);
	assert_int_equal(v, 1);
	assert_int_equal(sbibase_call(SBI_EXT_BASE_GET_MIMPID, 0, 0, &info, &v),
			 0);
	assert_int_equal(v, 0x33);
	assert_int_equal(sbibase_call(7, 0, 0, &info, &v),
			 SBI_ERR_NOT_SUPPORTED);
}

static void test_probe_follows_ext_avail(void **state)
{
	unsigned long v = 7,
		      avail = (1UL << SHV_EXT_IPI) | (1UL << SHV_EXT_LEGACY);

	(void)state;
	assert_int_equal(sbibase_call(SBI_EXT_BASE_PROBE_EXT, SBI_EXT_IPI,
				      avail, &info, &v),
			 0);
	assert_int_equal(v, 1);
	assert_int_equal(sbibase_call(SBI_EXT_BASE_PROBE_EXT, SBI_EXT_TIME,
				      avail, &info, &v),
			 0);
	assert_int_equal(v, 0);
	assert_int_equal(
		sbibase_call(SBI_EXT_BASE_PROBE_EXT, 0x1, avail, &info, &v), 0);
	assert_int_equal(v, 1);
	/* never reveal the firmware-private extension or unknown IDs */
	assert_int_equal(sbibase_call(SBI_EXT_BASE_PROBE_EXT, SHV_EID, ~0UL,
				      &info, &v),
			 0);
	assert_int_equal(v, 0);
}

static void test_print_formats(void **state)
{
	char buf[64];

	(void)state;
	print_snprintf(buf, sizeof(buf), "%s=%d %u 0x%lx %5s|%-3d|%03x", "a",
		       -12, 7u, 0xdeadbeefUL, "r", 4, 0xa);
	assert_string_equal(buf, "a=-12 7 0xdeadbeef     r|4  |00a");
	/* truncation keeps the NUL and reports the full length */
	assert_int_equal(print_snprintf(buf, 4, "%s", "abcdef"), 6);
	assert_string_equal(buf, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions_and_ids),
		cmocka_unit_test(test_probe_follows_ext_avail),
		cmocka_unit_test(test_print_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
