/* SPDX-License-Identifier: BSD-2-Clause */
/* M-mode part of sbivisor: internal interfaces (docs/architecture.md). */
#ifndef SBIVISOR_MHYP_H
#define SBIVISOR_MHYP_H

#include <sbi/sbi_types.h>
#include <sbi/sbi_trap.h>
#include <sbi/sbi_scratch.h>
#include <sbivisor/shared.h>

/* One guest SBI call being served on the fast path. */
struct mfast_call {
	struct sbi_trap_regs *regs;
	struct sbi_scratch *scratch;
	struct shv_hart *hart;
	struct shv_guest *guest;
	struct shv_vcpu *vcpu;
};

/*
 * An M-served SBI extension. handle() returns false to forward the call
 * to HS unchanged; otherwise it has set *err (a0) and *val (a1).
 */
struct mfast_ext {
	enum shv_ext slot;
	bool (*handle)(struct mfast_call *c, unsigned long fid, long *err,
		       unsigned long *val);
};

extern const struct mfast_ext mbase_ext, mtime_ext, mipi_ext, mrfence_ext;

/* firmware/mentry.S */
void mentry_trap(void);

/* firmware/mfast.c */
void mfast_vs_ecall(struct sbi_trap_regs *regs, struct sbi_scratch *scratch);

/* firmware/mshare.c */
extern bool mshare_fastpath;
extern bool mshare_stce;
struct shv_hart *mshare_hart(u32 hartindex);
struct shv_guest *mshare_guest(struct shv_guest *g);
int mshare_cold_init(struct sbi_scratch *scratch);
void mshare_hart_init(void);
unsigned long mshare_info(unsigned long which);

/* firmware/mbase.c */
void mbase_init(void);

/* firmware/mipi.c */
int mipi_init(void);

/* firmware/mrfence.c */
struct mrfence_req {
	unsigned long type; /* SHV_RF_* */
	unsigned long hgatp;
	unsigned long start;
	unsigned long size;
	unsigned long asid;
	unsigned long *done;
};
int mrfence_init(void);
void mrfence_run(struct mrfence_req *req, unsigned long hart_ids);

#endif
