// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the MMIO instruction decoder (hyp/arch/insn.c): every 8 input
 * bytes are one value, decoded as a raw instruction (32-bit or compressed)
 * and as htinst. The decoder is checked against a table of the encodings
 * (RISC-V unprivileged spec, ch. "RV32/64G Instruction Set Listings" and
 * "RVC Instruction Set Listings"), against its own results after
 * re-encoding, after expanding a compressed instruction to its 32-bit
 * form, and after transforming it as the H extension does for htinst
 * (priv. spec §9.6.3).
 */
#include "fuzz.h"
#include "../../hyp/arch/insn.h"

/* One integer load or store of the spec, as mask/match */
struct ref_op {
	u32 mask, match;
	unsigned int len;
	bool store, sign, compressed, sp;
};

static const struct ref_op ref_ops[] = {
	{ 0x707f, 0x0003, 1, false, true, false, false },  /* lb */
	{ 0x707f, 0x1003, 2, false, true, false, false },  /* lh */
	{ 0x707f, 0x2003, 4, false, true, false, false },  /* lw */
	{ 0x707f, 0x3003, 8, false, true, false, false },  /* ld */
	{ 0x707f, 0x4003, 1, false, false, false, false }, /* lbu */
	{ 0x707f, 0x5003, 2, false, false, false, false }, /* lhu */
	{ 0x707f, 0x6003, 4, false, false, false, false }, /* lwu */
	{ 0x707f, 0x0023, 1, true, false, false, false },  /* sb */
	{ 0x707f, 0x1023, 2, true, false, false, false },  /* sh */
	{ 0x707f, 0x2023, 4, true, false, false, false },  /* sw */
	{ 0x707f, 0x3023, 8, true, false, false, false },  /* sd */
	{ 0xe003, 0x4000, 4, false, true, true, false },   /* c.lw */
	{ 0xe003, 0x6000, 8, false, true, true, false },   /* c.ld */
	{ 0xe003, 0xc000, 4, true, false, true, false },   /* c.sw */
	{ 0xe003, 0xe000, 8, true, false, true, false },   /* c.sd */
	{ 0xe003, 0x4002, 4, false, true, true, true },	   /* c.lwsp */
	{ 0xe003, 0x6002, 8, false, true, true, true },	   /* c.ldsp */
	{ 0xe003, 0xc002, 4, true, false, true, true },	   /* c.swsp */
	{ 0xe003, 0xe002, 8, true, false, true, true },	   /* c.sdsp */
};

static unsigned int bits(u32 v, int hi, int lo)
{
	return (v >> lo) & ((1U << (hi - lo + 1)) - 1);
}

/* The reference decoder: table lookup, registers from the formats */
static int ref_decode(u64 raw, struct insn_access *a)
{
	bool wide = (raw & 3) == 3;
	u32 insn = wide ? (u32)raw : (u16)raw;
	const struct ref_op *op = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ref_ops); i++)
		if (ref_ops[i].compressed != wide &&
		    (insn & ref_ops[i].mask) == ref_ops[i].match)
			op = &ref_ops[i];
	if (!op)
		return SBI_ERR_NOT_SUPPORTED;
	a->len = op->len;
	a->store = op->store;
	a->sign = op->sign;
	a->ilen = wide ? 4 : 2;
	if (wide)
		a->reg = op->store ? bits(insn, 24, 20) : bits(insn, 11, 7);
	else if (!op->sp)
		a->reg = 8 + bits(insn, 4, 2); /* CL rd', CS rs2' */
	else
		a->reg = op->store ? bits(insn, 6, 2) : bits(insn, 11, 7);
	/* C.LWSP and C.LDSP with rd = x0 are reserved */
	if (op->sp && !op->store && !a->reg)
		return SBI_ERR_NOT_SUPPORTED;
	return 0;
}

/* An 8-byte load fills XLEN: sign-extension means nothing there */
static bool same_access(const struct insn_access *a,
			const struct insn_access *b, bool ilen)
{
	return a->len == b->len && a->store == b->store &&
	       (a->len == 8 || a->sign == b->sign) && a->reg == b->reg &&
	       (!ilen || a->ilen == b->ilen);
}

static void check_fields(const struct insn_access *a, u64 v)
{
	FZ_CHECK(a->len == 1 || a->len == 2 || a->len == 4 || a->len == 8,
		 "0x%llx: len %u", (unsigned long long)v, a->len);
	FZ_CHECK(a->reg < 32, "0x%llx: reg %u", (unsigned long long)v, a->reg);
	FZ_CHECK(a->ilen == 2 || a->ilen == 4, "0x%llx: ilen %u",
		 (unsigned long long)v, a->ilen);
	FZ_CHECK(!a->store || !a->sign, "0x%llx: signed store",
		 (unsigned long long)v);
}

/* I-type load / S-type store from the fields, with rs1 and imm */
static u32 encode(const struct insn_access *a, unsigned int rs1, u32 imm)
{
	unsigned int f3 = __builtin_ctz(a->len);

	if (a->store)
		return (bits(imm, 11, 5) << 25) | (a->reg << 20) | (rs1 << 15) |
		       (f3 << 12) | (bits(imm, 4, 0) << 7) | INSN_OP_STORE;
	/* ld has no unsigned twin: keep it signed */
	if (!a->sign && a->len < 8)
		f3 |= 4;
	return (imm << 20) | (rs1 << 15) | (f3 << 12) | (a->reg << 7) |
	       INSN_OP_LOAD;
}

/* RVC expansion (spec "RVC Instruction Set Listings"): rs1 and offset */
static void expand(u16 c, unsigned int *rs1, u32 *imm)
{
	bool sp = c & 2, dbl = bits(c, 13, 13);
	bool store = bits(c, 15, 15);

	if (!sp) {
		*rs1 = 8 + bits(c, 9, 7);
		*imm = (bits(c, 12, 10) << 3) |
		       (dbl ? bits(c, 6, 5) << 6
			    : (bits(c, 6, 6) << 2) | (bits(c, 5, 5) << 6));
		return;
	}
	*rs1 = 2;
	if (store)
		*imm = dbl ? (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6)
			   : (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
	else
		*imm = (bits(c, 12, 12) << 5) |
		       (dbl ? (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6)
			    : (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6));
}

/*
 * htinst of a trapping access: opcode, funct3 and rd (loads) or rs2
 * (stores) kept, the immediate cleared, rs1 replaced by the address
 * offset, bit 1 cleared for a compressed original.
 */
static u32 transform(u32 insn32, unsigned int off, bool compressed)
{
	u32 keep = (insn32 & 0x7f) == INSN_OP_LOAD ? 0x00007fffU : 0x01f0707fU;
	u32 t = (insn32 & keep) | (off & 31) << 15;

	return compressed ? t & ~2U : t;
}

static void check_htinst(u64 v)
{
	struct insn_access a, r;
	int rc, want;

	memset(&a, 0, sizeof(a));
	rc = insn_decode_htinst(v, &a);
	if (!v)
		want = INSN_HT_NONE;
	else if (v == 0x2000 || v == 0x2020 || v == 0x3000 || v == 0x3020)
		want = INSN_HT_IMPLICIT;
	else if ((v >> 32) || !(v & 1) || ref_decode((v | 2) & 0xffffffff, &r))
		want = SBI_ERR_NOT_SUPPORTED;
	else
		want = INSN_HT_DECODED;
	FZ_CHECK(rc == want, "htinst 0x%llx: %d, expected %d",
		 (unsigned long long)v, rc, want);
	if (rc != INSN_HT_DECODED)
		return;
	r.ilen = (v & 2) ? 4 : 2;
	check_fields(&a, v);
	FZ_CHECK(same_access(&a, &r, true), "htinst 0x%llx: decoded wrong",
		 (unsigned long long)v);
}

static void check_raw(u64 v, unsigned int off)
{
	struct insn_access a, r, b;
	unsigned int rs1;
	u32 imm, e;
	int rc, ref;

	memset(&a, 0, sizeof(a));
	rc = insn_decode(v, &a);
	ref = ref_decode(v, &r);
	FZ_CHECK(rc == ref, "0x%llx: %d, expected %d", (unsigned long long)v,
		 rc, ref);
	/* the upper bits of the fetched word are not the instruction's */
	b = a;
	rc = insn_decode((v & 3) == 3 ? (u32)v : (u16)v, &b);
	FZ_CHECK(rc == ref && (rc || same_access(&a, &b, true)),
		 "0x%llx: upper bits change the decoding",
		 (unsigned long long)v);
	if (ref)
		return;
	check_fields(&a, v);
	FZ_CHECK(same_access(&a, &r, true), "0x%llx: decoded wrong",
		 (unsigned long long)v);

	if ((v & 3) == 3) {
		/* re-encoded with other rs1/imm: the same access */
		e = encode(&a, off & 31, (u32)(v >> 40) & 0xfff);
		FZ_CHECK(!insn_decode32(e, &b) && same_access(&a, &b, true),
			 "0x%llx: re-encoded as 0x%x decodes differently",
			 (unsigned long long)v, e);
		rs1 = 0;
		imm = 0;
	} else {
		/* the 32-bit instruction it expands to: same access */
		expand((u16)v, &rs1, &imm);
		e = encode(&a, rs1, imm);
		FZ_CHECK(!insn_decode32(e, &b) && same_access(&a, &b, false),
			 "0x%llx: expansion 0x%x decodes differently",
			 (unsigned long long)v, e);
	}
	/* what the hart writes to htinst for it: same access, same ilen */
	e = transform(e, off, (v & 3) != 3);
	FZ_CHECK(insn_decode_htinst(e, &b) == INSN_HT_DECODED &&
			 same_access(&a, &b, true),
		 "0x%llx: its htinst 0x%x decodes differently",
		 (unsigned long long)v, e);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz f = { data, size };
	unsigned int off;
	u64 v;

	while (fz_more(&f)) {
		v = fz_u64(&f);
		off = fz_u8(&f);
		check_raw(v, off);
		check_raw(v >> 32, off); /* the fetched word's upper half */
		check_htinst(v);
		check_htinst(v & 0xffffffff);
	}
	return 0;
}
