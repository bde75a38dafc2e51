// SPDX-License-Identifier: BSD-2-Clause
/*
 * Load/store decoding for MMIO emulation: raw RV64I/RV64C instructions
 * and the transformed instructions the H extension reports in htinst.
 */
#include "arch/insn.h"

static unsigned int insn_bits(unsigned long v, int lo, int n)
{
	return (v >> lo) & ((1U << n) - 1);
}

/* RV64C quadrant 0 and 2 integer loads and stores */
static int insn_decode16(u16 insn, struct insn_access *a)
{
	unsigned int q = insn & 3, f3 = insn_bits(insn, 13, 3);

	a->ilen = 2;
	a->sign = false;
	if (q == 0) {
		/* C.LW 010, C.LD 011, C.SW 110, C.SD 111: rd'/rs2' = x8+ */
		if (f3 != 2 && f3 != 3 && f3 != 6 && f3 != 7)
			return SBI_ERR_NOT_SUPPORTED;
		a->store = f3 & 4;
		a->len = (f3 & 1) ? 8 : 4;
		a->sign = !a->store && a->len == 4; /* C.LW sign-extends */
		a->reg = 8 + insn_bits(insn, 2, 3);
		return 0;
	}
	if (q == 2) {
		/* C.LWSP 010, C.LDSP 011 (rd != 0), C.SWSP 110, C.SDSP 111 */
		if (f3 == 2 || f3 == 3) {
			a->reg = insn_bits(insn, 7, 5);
			if (!a->reg)
				return SBI_ERR_NOT_SUPPORTED;
			a->store = false;
			a->len = f3 == 3 ? 8 : 4;
			a->sign = f3 == 2;
			return 0;
		}
		if (f3 == 6 || f3 == 7) {
			a->reg = insn_bits(insn, 2, 5);
			a->store = true;
			a->len = f3 == 7 ? 8 : 4;
			return 0;
		}
	}
	return SBI_ERR_NOT_SUPPORTED;
}

int insn_decode(unsigned long insn, struct insn_access *a)
{
	if ((insn & 3) == 3)
		return insn_decode32((u32)insn, a);
	return insn_decode16((u16)insn, a);
}

/*
 * A transformed load/store (priv. spec §9.6.3, "Transformed instruction
 * or pseudoinstruction for mtinst or htinst") is the trapping instruction
 * with the immediate cleared and rs1 replaced by the address offset; bit 1
 * is 0 when the original instruction was 16 bits wide. Decoding it as a
 * 32-bit instruction gives width, sign and register, whatever its origin.
 */
int insn_decode_htinst(unsigned long htinst, struct insn_access *a)
{
	u32 t = (u32)htinst;

	if (!htinst)
		return INSN_HT_NONE;
	if (htinst == INSN_HT_PTE_READ32 || htinst == INSN_HT_PTE_WRITE32 ||
	    htinst == INSN_HT_PTE_READ64 || htinst == INSN_HT_PTE_WRITE64)
		return INSN_HT_IMPLICIT;
	if (!(t & 1) || (htinst >> 32))
		return SBI_ERR_NOT_SUPPORTED;
	if (insn_decode32(t | 2, a))
		return SBI_ERR_NOT_SUPPORTED;
	a->ilen = (t & 2) ? 4 : 2;
	return INSN_HT_DECODED;
}
