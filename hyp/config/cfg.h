/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest configuration from the host device tree's /chosen node
 * (docs/config.md), parsed once at boot into static tables. Pure logic
 * over libfdt, unit-tested on the host.
 */
#ifndef HYP_CFG_H
#define HYP_CFG_H

#include "base/config.h"
#include "base/types.h"
#include "host/ptdev.h"

#define CFG_MAX_SHM 4 /* shared-memory windows per guest */
#define CFG_MAX_PT 8  /* passed-through host devices per guest */
#define CFG_NAME_MAX 16
#define CFG_BOOTARGS_MAX CONFIG_BOOTARGS_MAX /* as the host's: one limit */
#define CFG_ERR_MAX 160

/*
 * What a configured guest sees besides its RAM and shared memory (QEMU
 * virt's layout): guest RAM and windows may not cover these.
 */
#define CFG_GUEST_PLIC_GPA 0x0c000000UL
#define CFG_GUEST_PLIC_SIZE 0x600000UL
#define CFG_GUEST_PLIC_NDEV 95 /* sources 1..95, as QEMU virt's PLIC */
#define CFG_GUEST_UART_GPA 0x10000000UL
#define CFG_GUEST_UART_SIZE 0x100UL
#define CFG_GUEST_UART_IRQ 10

enum cfg_sched { CFG_SCHED_RR, CFG_SCHED_RM };

struct cfg_module {
	hpa_t base; /* host address QEMU's loader put it at; 0: absent */
	unsigned long size;
};

struct cfg_shm {
	char peer[CFG_NAME_MAX]; /* the other guest's name */
	int peer_idx;	    /* its index in cfg.g[] (filled by the parser) */
	gpa_t gpa;	    /* where this guest sees the window */
	unsigned long size; /* same size on both sides */
	u32 irq; /* doorbell: vPLIC source raised in the peer, 0: none */
};

struct cfg_guest {
	char name[CFG_NAME_MAX];
	u32 nvcpus;
	unsigned long affinity; /* bit per host hart id the vCPUs may use */
	enum cfg_sched sched;
	u32 priority;		  /* RR: higher runs first */
	u64 slice_us;		  /* RR time slice */
	u64 period_us, budget_us; /* RM */
	bool pinned;	/* RR vCPUs stay on their home hart (RM always do) */
	gpa_t mem_base; /* guest-physical RAM base, 2 MiB aligned */
	unsigned long mem_size; /* multiple of 2 MiB */
	bool identity; /* GPA = HPA, trusted (may get DMA passthrough) */
	bool vuart;    /* an emulated 16550A (default: yes) */
	struct cfg_module kernel, initrd, dtb;
	char bootargs[CFG_BOOTARGS_MAX];
	u32 nshm;
	struct cfg_shm shm[CFG_MAX_SHM];
	u32 npt; /* host devices passed through (identity guests only) */
	struct ptdev pt[CFG_MAX_PT];
};

/* What the parser checks the configuration against */
struct cfg_limits {
	unsigned long harts; /* bit per host hart id that exists */
	hpa_t ram_base;	     /* host RAM */
	unsigned long ram_size;
	hpa_t reserved_base; /* host memory guests may not use: firmware, */
	unsigned long reserved_size; /* HS (modules must lie outside it) */
	hpa_t fdt_base; /* the host device tree HS reads: nobody's RAM */
	unsigned long fdt_size;
	u32 max_vcpus_per_hart; /* how many vCPUs one hart may carry */
};

struct cfg {
	u32 nguests;	   /* 0: no configuration, make the default guest */
	bool keep_running; /* machine stays up when the last guest stops */
	struct cfg_guest g[CONFIG_MAX_GUESTS];
};

/*
 * Parse /chosen. Returns 0 (cfg->nguests = 0 when there is no guest
 * node), or a negative SBI error with err holding one line that names the
 * node path and the property, e.g.
 *   "/chosen/guest1: property 'memory': overlaps guest 'guest0'".
 */
int cfg_parse(const void *fdt, const struct cfg_limits *lim, struct cfg *cfg,
	      char *err, unsigned long errlen);

/*
 * The host hart vCPU `vcpu` of g starts on (RR vCPUs that are not pinned
 * may then move within g->affinity): the (vcpu mod n)-th set bit
 * of g->affinity, n = its number of bits ("sbivisor,harts" is ascending).
 */
unsigned long cfg_vcpu_hart(const struct cfg_guest *g, u32 vcpu);

#endif
