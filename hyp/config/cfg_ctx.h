/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal to the configuration parser (cfg.c, cfg_dt.c, cfg_pt.c): the parsing
 * context and the checked device-tree accessors every rule uses.
 */
#ifndef HYP_CFG_CTX_H
#define HYP_CFG_CTX_H

/* sbi_types.h before libfdt.h: on the host, stdbool.h defines bool */
#include <sbi/sbi_error.h>
#include "config/cfg.h"
#include "config/shmem.h"
#include <libfdt.h>
#include "../../lib/dt.h"
#include "../../lib/range.h"

#define CFG_HARTS_MAX (8 * sizeof(unsigned long)) /* bits of affinity */
#define CFG_MEM_BASE 0x80000000UL /* "memory" given as a size only */
#define CFG_PAGE 0x1000UL
#define CFG_PATH_MAX 96
#define CFG_BELL SHMEM_DOORBELL_SIZE /* the page after each window */

/* Known properties, space-separated; CFG_ANY ones are allowed anywhere */
#define CFG_ANY "compatible phandle #address-cells #size-cells name"
#define CFG_GUEST_PROPS                                                        \
	"cpus sbivisor,harts sbivisor,sched sbivisor,priority "                \
	"sbivisor,timeslice-us sbivisor,period-us sbivisor,budget-us "         \
	"sbivisor,pin-vcpus memory sbivisor,identity sbivisor,no-vuart "       \
	"bootargs sbivisor,passthrough " CFG_ANY
#define CFG_MOD_PROPS "reg " CFG_ANY
#define CFG_SHM_PROPS "reg sbivisor,peer sbivisor,doorbell " CFG_ANY

enum { CFG_KERNEL, CFG_RAMDISK, CFG_DTB, CFG_NMOD };

/*
 * Host devices the hypervisor uses, with their windows, collected once per
 * parse for the passthrough checks (cfg_pt.c); a tree with more than
 * CFG_HYP_WINDOWS of them is searched again for each device instead.
 */
#define CFG_HYP_WINDOWS 16
struct cfg_hyp_window {
	u64 base, size;
	int node;
	const char *what;
};

struct cfg_ctx {
	const void *fdt;
	const struct cfg_limits *lim;
	struct cfg *cfg;
	char *err;
	unsigned long errlen;
	int at;			     /* the node being read: errors name it */
	int node[CONFIG_MAX_GUESTS]; /* guest nodes */
	int mod[CONFIG_MAX_GUESTS][CFG_NMOD]; /* module nodes, -1: none */
	struct cfg_module *modp[CONFIG_MAX_GUESTS][CFG_NMOD];
	int shm[CONFIG_MAX_GUESTS][CFG_MAX_SHM]; /* shared-memory nodes */
	u32 load[CFG_HARTS_MAX];		 /* vCPUs homed on each hart */
	struct cfg_hyp_window hyp[CFG_HYP_WINDOWS];
	int nhyp;	/* -1: too many, searched for each device */
	bool hyp_known; /* hyp[] and nhyp collected */
};

void cfg_path(struct cfg_ctx *c, int node, char *buf, int len);
int cfg_fail(struct cfg_ctx *c, const char *prop, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cfg_known(struct cfg_ctx *c, const char *ok);
int cfg_get(struct cfg_ctx *c, const char *prop, int want, const void **p);
int cfg_u32(struct cfg_ctx *c, const char *prop, u32 *v);
int cfg_flag(struct cfg_ctx *c, const char *prop, bool *v);
int cfg_string(struct cfg_ctx *c, const char *prop, const char **s);
int cfg_reg(struct cfg_ctx *c, int ac, int sc, u64 *base, u64 *size);

/* cfg_pt.c: "sbivisor,passthrough" of guest i, then against doorbells */
int cfg_pt_parse(struct cfg_ctx *c, int i);
int cfg_pt_doorbells(struct cfg_ctx *c, int i);

#endif
