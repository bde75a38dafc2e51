// SPDX-License-Identifier: BSD-2-Clause
/*
 * The guest's riscv,isa (hyp/config/guestdt_isa.c): the host's base and letters
 * without 'h', 'v' only when HS switches vector state, and of the
 * multi-letter extensions only those a guest may use as they are, or
 * that HS enabled for it in henvcfg (issue #9, item 12).
 */
#include "unit.h"
#include <string.h>
#include "../fuzz/hyp_host.h"
#include "../../hyp/config/guestdt_isa.c"

struct platform platform;

static char out[256];

static const char *isa(const char *host)
{
	guestdt_guest_isa(host, out, sizeof(out));
	return out;
}

static int reset(void **state)
{
	(void)state;
	platform.has_sstc = platform.vlenb = platform.henvcfg = 0;
	return 0;
}

static void test_qemu72(void **state)
{
	(void)state;
	platform.has_sstc = 1;
	assert_string_equal(isa("rv64imafdch_zicsr_zifencei_zihintpause_zba_"
				"zbb_zbc_zbs_"
				"sstc"),
			    "rv64imafdc_zicsr_zifencei_zihintpause_zba_zbb_zbc_"
			    "zbs_sstc");
	platform.has_sstc = 0;
	assert_string_equal(isa("rv64imafdch_zicsr_sstc"), "rv64imafdc_zicsr");
}

static void test_vector(void **state)
{
	(void)state;
	assert_string_equal(isa("rv64imafdcvh_zve64d_zvl128b_zvbb_zicsr"),
			    "rv64imafdc_zicsr");
	platform.vlenb = 16;
	assert_string_equal(isa("rv64imafdcvh_zve64d_zvl128b_zvbb_zicsr"),
			    "rv64imafdcv_zve64d_zvl128b_zvbb_zicsr");
}

/* Zicbom/Zicboz/Svpbmt only where henvcfg took the bits */
static void test_henvcfg(void **state)
{
	const char *host = "rv64imafdch_zicbom_zicboz_svpbmt_svadu_zawrs";

	(void)state;
	assert_string_equal(isa(host), "rv64imafdc");
	platform.henvcfg = ENVCFG_CBZE;
	assert_string_equal(isa(host), "rv64imafdc_zicboz");
	platform.henvcfg = (ENVCFG_CBIE_FLUSH << ENVCFG_CBIE_SHIFT) |
			   ENVCFG_CBCFE | ENVCFG_CBZE | ENVCFG_PBMTE;
	assert_string_equal(isa(host), "rv64imafdc_zicbom_zicboz_svpbmt");
}

/* What traps to HS or belongs to M never reaches a guest */
static void test_dropped(void **state)
{
	(void)state;
	assert_string_equal(isa("rv64imafdch_smaia_ssaia_smstateen_sscofpmf_"
				"zkr_zihpm_zawrs_zicntr"),
			    "rv64imafdc_zicntr");
	/* a prefix of an allowed name is not that name */
	assert_string_equal(isa("rv64imah_zb_zbbx_zba"), "rv64ima_zba");
}

/* riscv,isa-extensions as the list of what riscv,isa names */
static void test_extensions(void **state)
{
	static const char want[] = "i\0m\0a\0f\0d\0c\0zicsr\0sstc";
	char base[8], list[64];
	int n;

	(void)state;
	n = guestdt_isa_extensions("rv64imafdc_zicsr_sstc", base, sizeof(base),
				   list, sizeof(list));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(list, want, sizeof(want));
	assert_string_equal(base, "rv64i");
	n = guestdt_isa_extensions("rv32gc", base, sizeof(base), list,
				   sizeof(list));
	assert_int_equal(n, sizeof("i\0m\0a\0f\0d\0zicsr\0zifencei\0c"));
	assert_memory_equal(list, "i\0m\0a\0f\0d\0zicsr\0zifencei\0c",
			    (size_t)n);
	assert_string_equal(base, "rv32i");
	/* no separator doubled, an empty extension dropped */
	n = guestdt_isa_extensions("rv64i__zba_", base, sizeof(base), list,
				   sizeof(list));
	assert_int_equal(n, sizeof("i\0zba"));
	/* what is not an ISA string, and what does not fit */
	assert_int_equal(guestdt_isa_extensions("x64imac", base, sizeof(base),
						list, sizeof(list)),
			 -1);
	assert_int_equal(guestdt_isa_extensions("rv64Imac", base, sizeof(base),
						list, sizeof(list)),
			 -1);
	assert_int_equal(guestdt_isa_extensions("rv64imac_zicsr", base,
						sizeof(base), list, 10),
			 -1);
	assert_int_equal(guestdt_isa_extensions("rv64imac", base, 5, list,
						sizeof(list)),
			 -1);
	/* the guest string of a QEMU 10 host, as guestdt.c passes it */
	platform.has_sstc = 1;
	n = guestdt_isa_extensions(isa("rv64imafdch_zicsr_zifencei_sstc_"
				       "smaia"),
				   base, sizeof(base), list, sizeof(list));
	assert_int_equal(n, sizeof("i\0m\0a\0f\0d\0c\0zicsr\0zifencei\0"
				   "sstc"));
}

/* A/D bits: Svade as on the host; Svadu only with henvcfg.ADUE set */
static void test_svade_svadu(void **state)
{
	static const char both[] = "rv64imafdch_zicsr_svade_svadu_svpbmt";

	(void)state;
	assert_string_equal(isa(both), "rv64imafdc_zicsr_svade");
	assert_string_equal(isa("rv64imafdch_svadu"), "rv64imafdc");
	platform.henvcfg = ENVCFG_ADUE;
	assert_string_equal(isa("rv64imafdch_svadu"), "rv64imafdc_svadu");
}

static void test_bounds(void **state)
{
	char small[12];

	(void)state;
	guestdt_guest_isa("rv64imafdch_zicsr_zifencei", small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	assert_string_equal(small, "rv64imafdc");
	guestdt_guest_isa("rv64imafdch_zicsr", small, 1);
	assert_string_equal(small, "");
	assert_string_equal(isa(""), "");
	assert_string_equal(isa("rv64"), "rv64");
	assert_string_equal(isa("rv64i__zicsr_"), "rv64i_zicsr");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_qemu72, reset),
		cmocka_unit_test_setup(test_vector, reset),
		cmocka_unit_test_setup(test_henvcfg, reset),
		cmocka_unit_test_setup(test_dropped, reset),
		cmocka_unit_test_setup(test_extensions, reset),
		cmocka_unit_test_setup(test_svade_svadu, reset),
		cmocka_unit_test_setup(test_bounds, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
