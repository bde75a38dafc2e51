/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device trees for the configuration parser's unit tests: a tree in fdt[]
 * with an empty /chosen after setup(), helpers that add nodes and
 * properties (failing the test on any libfdt error), and parse() /
 * expect() / expect_ok() that run cfg_parse() on it against lim.
 */
#ifndef TEST_CFG_TREE_H
#define TEST_CFG_TREE_H

#include "unit.h"
#include <stdio.h>
#include <string.h>
#include <sbi/sbi_error.h>
#include "../../hyp/config/cfg.h"
#include <libfdt.h>

#define MB(x) ((u64)(x) << 20)

extern char fdt[65536];
extern char flat[sizeof(fdt)]; /* what parse() hands the parser */
extern struct cfg cfg;
extern char err[CFG_ERR_MAX];
extern struct cfg_limits lim; /* QEMU virt, -smp 4 -m 512M after setup() */

/* "/chosen/<g>[/<child>]" in one of a few rotating buffers */
const char *P(const char *g, const char *child);
int off(const char *path);
void node(const char *parent, const char *name);
void setp(const char *path, const char *name, const void *v, int len);
void delp(const char *path, const char *name);
void strp(const char *path, const char *name, const char *s);
void emptyp(const char *path, const char *name);
/* n 32-bit cells */
void cells(const char *path, const char *name, int n, ...);
void u32p(const char *path, const char *name, u32 v);
/* <u64 a u64 b> as 2 + 2 cells */
void pair64(const char *path, const char *name, u64 a, u64 b);
void guest(const char *g);
void module(const char *g, const char *name, const char *kind, u64 a, u64 size);
void shm(const char *g, const char *name, const char *peer, u64 gpa, u64 size,
	 u32 irq);
/* A valid guest: 32 MiB at the default base, a 2 MiB kernel at kaddr */
void simple(const char *g, u64 kaddr);
const void *in_order(void);
int parse_blob(const void *blob);
int parse(void);
void expect(const char *msg);
void expect_ok(void);
int setup(void **state);

/* Phandles of the host tree host_tree() adds to (QEMU virt's devices) */
enum {
	PH_PLIC = 5,
	PH_TEST,
	PH_RTC,
	PH_VIO8,
	PH_VIO7,
	PH_SRAM,
	PH_UART,
	PH_CLINT,
	PH_MEM,
	PH_CPU,
	PH_FAKE,
	PH_GUEST,
	PH_APLIC,
};

/* A device node under parent: reg <base size> (2 + 2 cells), irq 0: none */
void dev(const char *parent, const char *name, const char *compat, u64 base,
	 u64 size, u32 irq, u32 phandle);
/* QEMU virt's devices (-smp 4 -m 512M), plus an SRAM without interrupt */
void host_tree(void);

#endif
