// SPDX-License-Identifier: BSD-2-Clause
/* MMIO instruction decoding: raw RV64I/RV64C and htinst (priv. §9.6.3). */
#include "unit.h"
#include "../../hyp/arch/insn.h"

#define NS SBI_ERR_NOT_SUPPORTED /* not an instruction MMIO emulates */

/* Encoders, so the cases read as assembly */
static unsigned long i_type(unsigned int op, unsigned int f3, unsigned int rd,
			    unsigned int rs1, int imm)
{
	return ((unsigned long)(imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) |
	       (rd << 7) | op;
}

static unsigned long s_type(unsigned int f3, unsigned int rs1, unsigned int rs2,
			    int imm)
{
	return ((unsigned long)((imm >> 5) & 0x7f) << 25) | (rs2 << 20) |
	       (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | 0x23;
}

static void same_access(const struct insn_access *a, unsigned int len,
			bool store, bool sign, unsigned int reg,
			unsigned int ilen)
{
	assert_int_equal(a->len, len);
	assert_int_equal(a->store, store);
	assert_int_equal(a->sign, sign);
	assert_int_equal(a->reg, reg);
	assert_int_equal(a->ilen, ilen);
}

static void expect(unsigned long insn, int rc, unsigned int len, bool store,
		   bool sign, unsigned int reg, unsigned int ilen)
{
	struct insn_access a = { 0 };

	assert_int_equal(insn_decode(insn, &a), rc);
	if (!rc)
		same_access(&a, len, store, sign, reg, ilen);
}

static void test_loads(void **state)
{
	(void)state;
	expect(i_type(0x03, 0, 5, 10, 4), 0, 1, false, true, 5, 4);  /* lb */
	expect(i_type(0x03, 1, 6, 10, -2), 0, 2, false, true, 6, 4); /* lh */
	expect(i_type(0x03, 2, 7, 10, 0), 0, 4, false, true, 7, 4);  /* lw */
	expect(i_type(0x03, 3, 31, 1, 8), 0, 8, false, true, 31, 4); /* ld */
	expect(i_type(0x03, 4, 1, 2, 0), 0, 1, false, false, 1, 4);  /* lbu */
	expect(i_type(0x03, 5, 2, 2, 0), 0, 2, false, false, 2, 4);  /* lhu */
	expect(i_type(0x03, 6, 3, 2, 0), 0, 4, false, false, 3, 4);  /* lwu */
	expect(i_type(0x03, 7, 3, 2, 0), NS, 0, 0, 0, 0, 0); /* reserved */
	/* lw x0: decodes; the emulator discards the value */
	expect(i_type(0x03, 2, 0, 2, 0), 0, 4, false, true, 0, 4);
}

static void test_stores(void **state)
{
	(void)state;
	expect(s_type(0, 10, 11, 3), 0, 1, true, false, 11, 4);	   /* sb */
	expect(s_type(1, 10, 12, -4), 0, 2, true, false, 12, 4);   /* sh */
	expect(s_type(2, 10, 0, 0), 0, 4, true, false, 0, 4);	   /* sw x0 */
	expect(s_type(3, 10, 31, 2047), 0, 8, true, false, 31, 4); /* sd */
	expect(s_type(4, 10, 1, 0), NS, 0, 0, 0, 0, 0); /* reserved */
}

static void test_not_load_store(void **state)
{
	(void)state;
	expect(0x00000013, NS, 0, 0, 0, 0, 0);		     /* nop (addi) */
	expect(0x10500073, NS, 0, 0, 0, 0, 0);		     /* wfi */
	expect(i_type(0x07, 3, 1, 2, 0), NS, 0, 0, 0, 0, 0); /* fld */
	expect(0x0000, NS, 0, 0, 0, 0, 0);		     /* illegal c.0 */
	expect(0x0001, NS, 0, 0, 0, 0, 0); /* c.nop: quadrant 1 */
	expect(0x4501, NS, 0, 0, 0, 0, 0); /* c.li a0, 0 */
}

static void test_compressed(void **state)
{
	(void)state;
	/* c.lw a0, 0(a1) = 0x4188; c.ld a0, 8(a1) = 0x6588 */
	expect(0x4188, 0, 4, false, true, 10, 2);
	expect(0x6588, 0, 8, false, false, 10, 2);
	/* c.sw a2, 4(a3) = 0xc2d0; c.sd s1, 0(s0) = 0xe004 */
	expect(0xc2d0, 0, 4, true, false, 12, 2);
	expect(0xe004, 0, 8, true, false, 9, 2);
	/* c.lwsp a5, 12(sp) = 0x47b2; c.ldsp ra, 8(sp) = 0x60a2 */
	expect(0x47b2, 0, 4, false, true, 15, 2);
	expect(0x60a2, 0, 8, false, false, 1, 2);
	/* c.lwsp with rd = x0 is reserved */
	expect(0x4002, NS, 0, 0, 0, 0, 0);
	/* c.swsp a0, 4(sp) = 0xc22a; c.sdsp ra, 8(sp) = 0xe406 */
	expect(0xc22a, 0, 4, true, false, 10, 2);
	expect(0xe406, 0, 8, true, false, 1, 2);
	/* the upper half of a fetched word is ignored for 16-bit forms */
	expect(0xdead0000UL | 0x4188, 0, 4, false, true, 10, 2);
}

static void ht(unsigned long v, int rc, unsigned int len, bool store, bool sign,
	       unsigned int reg, unsigned int ilen)
{
	struct insn_access a = { 0 };

	assert_int_equal(insn_decode_htinst(v, &a), rc);
	if (rc == INSN_HT_DECODED)
		same_access(&a, len, store, sign, reg, ilen);
}

static void test_htinst(void **state)
{
	(void)state;
	ht(0, INSN_HT_NONE, 0, 0, 0, 0, 0);
	/* pseudoinstructions: implicit VS-stage page-table accesses */
	ht(0x2000, INSN_HT_IMPLICIT, 0, 0, 0, 0, 0);
	ht(0x2020, INSN_HT_IMPLICIT, 0, 0, 0, 0, 0);
	ht(0x3000, INSN_HT_IMPLICIT, 0, 0, 0, 0, 0);
	ht(0x3020, INSN_HT_IMPLICIT, 0, 0, 0, 0, 0);
	/* transformed lw a0 (rs1 = address offset 0, imm = 0) */
	ht(i_type(0x03, 2, 10, 0, 0), INSN_HT_DECODED, 4, false, true, 10, 4);
	/* transformed lhu with a nonzero address offset in rs1 */
	ht(i_type(0x03, 5, 9, 3, 0), INSN_HT_DECODED, 2, false, false, 9, 4);
	/* transformed sd s1 */
	ht(s_type(3, 0, 9, 0), INSN_HT_DECODED, 8, true, false, 9, 4);
	/* from a compressed c.lw a0: bit 1 cleared, still a 32-bit form */
	ht(i_type(0x03, 2, 10, 0, 0) & ~2UL, INSN_HT_DECODED, 4, false, true,
	   10, 2);
	/* from c.sd s1: bit 1 cleared */
	ht(s_type(3, 0, 9, 0) & ~2UL, INSN_HT_DECODED, 8, true, false, 9, 2);
	/* bit 0 clear but not a known pseudoinstruction */
	ht(0x4000, NS, 0, 0, 0, 0, 0);
	/* a transformed non-memory instruction (AMOs are not emulated) */
	ht(0x0800202fUL, NS, 0, 0, 0, 0, 0);
	/* upper bits set: not a transformed instruction */
	ht((1UL << 40) | i_type(0x03, 2, 10, 0, 0), NS, 0, 0, 0, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads),
		cmocka_unit_test(test_stores),
		cmocka_unit_test(test_not_load_store),
		cmocka_unit_test(test_compressed),
		cmocka_unit_test(test_htinst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
