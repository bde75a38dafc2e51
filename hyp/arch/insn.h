/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Decoding the guest load or store that faulted, for MMIO emulation
 * (priv. spec §9.6.3 for htinst). Pure logic, unit-tested on the host.
 */
#ifndef HYP_INSN_H
#define HYP_INSN_H

#include <sbi/sbi_ecall_interface.h>
#include "base/types.h"

struct insn_access {
	unsigned int len; /* access size in bytes: 1, 2, 4 or 8 */
	bool store;
	bool sign;	   /* loads: sign-extend to XLEN */
	unsigned int reg;  /* x register: rd of a load, rs2 of a store */
	unsigned int ilen; /* length of the trapping instruction: 2 or 4 */
};

#define INSN_OP_LOAD 0x03
#define INSN_OP_STORE 0x23

/*
 * Standard 32-bit LOAD / STORE (width and sign from funct3);
 * SBI_ERR_NOT_SUPPORTED for anything else. Inline: the MMIO exit decodes with
 * it directly.
 */
static inline int insn_decode32(u32 insn, struct insn_access *a)
{
	unsigned int op = insn & 0x7f, f3 = (insn >> 12) & 7;

	if (op == INSN_OP_LOAD) {
		if (f3 == 7) /* reserved (would be LDU on RV128) */
			return SBI_ERR_NOT_SUPPORTED;
		a->store = false;
		a->sign = !(f3 & 4);
		a->reg = (insn >> 7) & 0x1f;
	} else if (op == INSN_OP_STORE) {
		if (f3 & 4)
			return SBI_ERR_NOT_SUPPORTED;
		a->store = true;
		a->sign = false;
		a->reg = (insn >> 20) & 0x1f;
	} else {
		return SBI_ERR_NOT_SUPPORTED;
	}
	a->len = 1U << (f3 & 3);
	a->ilen = 4;
	return 0;
}

/*
 * Decode a raw instruction (as fetched from guest memory: a 32-bit
 * instruction, or a 16-bit compressed one in the low half). Integer
 * loads and stores of RV64I and RV64C (C.LW, C.LD, C.SW, C.SD and the SP
 * forms) decode; anything else returns -1.
 */
int insn_decode(unsigned long insn, struct insn_access *a);

/*
 * Decode htinst from a guest load/store page fault. Returns
 *  INSN_HT_DECODED: a transformed load/store (bit 0 set; bit 1 clear means
 *                   the trapping instruction was a 16-bit one);
 *  INSN_HT_NONE:    htinst is 0: the caller fetches the instruction;
 *  INSN_HT_IMPLICIT: a pseudoinstruction (0x2000, 0x2020, 0x3000, 0x3020):
 *                   the fault hit the guest's own page-table walk, not MMIO;
 *  SBI_ERR_NOT_SUPPORTED: anything else (not a load or store).
 */
/* The pseudoinstructions of a VS-stage walk (priv. spec §9.6.3, table) */
#define INSN_HT_PTE_READ32 0x2000UL
#define INSN_HT_PTE_WRITE32 0x2020UL
#define INSN_HT_PTE_READ64 0x3000UL
#define INSN_HT_PTE_WRITE64 0x3020UL
#define INSN_HT_NONE 0
#define INSN_HT_DECODED 1
#define INSN_HT_IMPLICIT 2
int insn_decode_htinst(unsigned long htinst, struct insn_access *a);

#endif
