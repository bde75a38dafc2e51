/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers of the hostile guests (tests/guests/hostile_*.c, driven by
 * tests/system/test_hostile.py): an SBI call that loads every register
 * and checks that the callee preserved all but a0/a1 (SBI v2.0 §3), the
 * selection of one attack per boot from the bootargs, and the line a
 * guest prints when an access that had to stop it came back instead.
 *
 * Every hostile guest prints "# hostile: try NAME" before an attack or
 * risky call: when a run hangs, the system test names the last one.
 */
#ifndef TEST_HOSTILE_H
#define TEST_HOSTILE_H

#include <libfdt.h>
#include "guest.h"
#include "../../lib/print.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* SBI 3.0 standard errors end at SBI_ERR_DENIED_LOCKED */
#define HOSTILE_ERR_LAST (-14L)

#define SSTATUS_FS_DIRTY (3UL << 13)

/* Register file of one call: x[0] is free (the caller's sp goes there) */
struct hregs {
	unsigned long x[32];
};

/*
 * Assembly for the stubs that leave C with every register in play: save
 * and restore ra, gp, tp and s0-s11 in a 128-byte frame (then ret).
 */
#define HOSTILE_ASM_SAVE_CALLEE                                                \
	"	addi	sp, sp, -128\n"                                                 \
	"	sd	ra, 0(sp)\n"                                                      \
	"	sd	gp, 8(sp)\n"                                                      \
	"	sd	tp, 16(sp)\n"                                                     \
	"	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11\n"                                  \
	"	sd	s\\n, (24 + 8 * \\n)(sp)\n"                                       \
	"	.endr\n"
#define HOSTILE_ASM_RESTORE_CALLEE_RET                                         \
	"	ld	ra, 0(sp)\n"                                                      \
	"	ld	gp, 8(sp)\n"                                                      \
	"	ld	tp, 16(sp)\n"                                                     \
	"	.irp	n,0,1,2,3,4,5,6,7,8,9,10,11\n"                                  \
	"	ld	s\\n, (24 + 8 * \\n)(sp)\n"                                       \
	"	.endr\n"                                                             \
	"	addi	sp, sp, 128\n"                                                  \
	"	ret\n"

/*
 * Load x1..x31 from *in, ecall, store x1..x31 to *out. No register is
 * assumed to survive the ecall: out is found again through sscratch,
 * which S-mode owns (nothing in the SBI call path may change it).
 */
void hostile_ecall_regs(const struct hregs *in, struct hregs *out);
/* one instruction a line */
/* clang-format off */
__asm__(".pushsection .text\n"
	".globl hostile_ecall_regs\n"
	".align 2\n"
	"hostile_ecall_regs:\n"
	HOSTILE_ASM_SAVE_CALLEE
	"	sd	sp, 0(a1)\n"
	"	csrw	sscratch, a1\n"
	"	mv	t6, a0\n"
	"	.irp	n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
	"21,22,23,24,25,26,27,28,29,30\n"
	"	ld	x\\n, (8 * \\n)(t6)\n"
	"	.endr\n"
	"	ld	t6, (8 * 31)(t6)\n"
	"	ecall\n"
	"	csrrw	t6, sscratch, t6\n"
	"	.irp	n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
	"21,22,23,24,25,26,27,28,29,30\n"
	"	sd	x\\n, (8 * \\n)(t6)\n"
	"	.endr\n"
	"	csrr	t5, sscratch\n"
	"	sd	t5, (8 * 31)(t6)\n"
	"	ld	sp, 0(t6)\n"
	HOSTILE_ASM_RESTORE_CALLEE_RET
	".popsection\n");
/* clang-format on */

/* f0-f31 into v[0..31] (FP must be on in sstatus) */
static inline void hostile_fp_store(unsigned long *v)
{
	__asm__ __volatile__(".option push\n.option arch, +d\n"
			     ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,"
			     "17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
			     "fsd f\\n, (8 * \\n)(%0)\n"
			     ".endr\n.option pop"
			     :
			     : "r"(v)
			     : "memory");
}

/* A pattern for register i of call salt: no two registers alike */
static inline unsigned long hostile_pattern(unsigned long salt, int i)
{
	return (salt ^ (0x9e3779b97f4a7c15UL * (unsigned long)(i + 1))) |
	       ((unsigned long)i << 56);
}

/* Bit i set: register x<i> was not preserved (a0, a1, or a0 only) */
static inline unsigned long
hostile_bad_regs(const struct hregs *in, const struct hregs *out, bool legacy)
{
	unsigned long bad = 0;
	int i;

	for (i = 1; i < 32; i++)
		if (in->x[i] != out->x[i] && i != 10 && (legacy || i != 11))
			bad |= 1UL << i;
	return bad;
}

/*
 * SBI call eid/fid with args a[0..5] in a0..a5 and every other register
 * holding a pattern; returns a0/a1 and the registers not preserved
 * (legacy EIDs 0x00-0x0F return nothing in a1: a1 must survive too).
 */
static inline unsigned long hostile_call(unsigned long eid, unsigned long fid,
					 const unsigned long a[6],
					 unsigned long salt, struct ret *r)
{
	/* a valid stack for the call's sp, which must differ from ours */
	static unsigned long alt_stack[512] __attribute__((aligned(16)));
	struct hregs in, out;
	int i;

	for (i = 0; i < 32; i++)
		in.x[i] = hostile_pattern(salt, i);
	in.x[2] = (unsigned long)&alt_stack[512] - 16 * (salt & 3);
	for (i = 0; i < 6; i++)
		in.x[10 + i] = a[i];
	in.x[16] = fid;
	in.x[17] = eid;
	hostile_ecall_regs(&in, &out);
	r->error = out.x[10];
	r->value = out.x[11];
	return hostile_bad_regs(&in, &out, eid <= 0xf);
}

static inline void hostile_try(const char *what)
{
	gprintf("# hostile: try %s\n", what);
}

/* An access that had to stop the guest came back (fault.c's convention) */
static inline void __attribute__((noreturn))
hostile_not_stopped(const char *attack, unsigned long v)
{
	gprintf("# hostile: %s returned 0x%lx\n", attack, v);
	check("hostile_not_stopped", 0);
	guest_exit();
}

/* Index of the bootarg key's value in names[0..n), -1 if absent/unknown */
static inline int hostile_select(const void *fdt, const char *key,
				 const char *const *names, int n)
{
	int len = 0, i;
	const char *v = dt_bootarg(fdt, key, &len);

	if (!v)
		return -1;
	for (i = 0; i < n; i++)
		if ((int)sbi_strlen(names[i]) == len &&
		    !sbi_strncmp(v, names[i], len))
			return i;
	return -1;
}

/* The first reg pair of the first node compatible with compat, or 0 */
static inline int hostile_dt_reg(const void *fdt, const char *compat, int pair,
				 unsigned long *base, unsigned long *size)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat), len;
	const fdt32_t *reg;

	reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 16 * (pair + 1))
		return 0;
	reg += 4 * pair;
	*base = (unsigned long)fdt32_to_cpu(reg[0]) << 32 |
		fdt32_to_cpu(reg[1]);
	*size = (unsigned long)fdt32_to_cpu(reg[2]) << 32 |
		fdt32_to_cpu(reg[3]);
	return 1;
}

/* FP on (Dirty) for guests that load FP registers or attack with them */
static inline void hostile_fp_on(void)
{
	csrs(sstatus, SSTATUS_FS_DIRTY);
}

/*
 * SBI calls of the hostile_sbi* and hostile_eid guests: registers a call
 * did not preserve are counted (and the first few printed) per group.
 */
__attribute__((weak)) unsigned long hostile_salt, hostile_regs_bad;

#define HOSTILE_FID_SWEEP 64
#define HOSTILE_JUNK0 0xdead0003UL /* reserved as a 32-bit type, no hart */

static inline struct ret hcall_a(unsigned long eid, unsigned long fid,
				 const unsigned long a[6])
{
	unsigned long bad;
	struct ret r;

	bad = hostile_call(eid, fid, a, ++hostile_salt * 0x2545f4914f6cdd1dUL,
			   &r);
	if (bad && hostile_regs_bad++ < 4)
		gprintf("#   eid 0x%lx fid 0x%lx: registers changed: 0x%lx\n",
			eid, fid, bad);
	return r;
}

static inline struct ret hcall(unsigned long eid, unsigned long fid,
			       unsigned long a0, unsigned long a1,
			       unsigned long a2, unsigned long a3,
			       unsigned long a4)
{
	const unsigned long a[6] = { a0, a1, a2, a3, a4, 0x5a5a5a5a5a5a5a5aUL };

	return hcall_a(eid, fid, a);
}

static inline void hexpect(const char *name, struct ret r, long want)
{
	check_eq(name, r.error, want);
}

/* Where the spec allows either of two errors */
static inline void hexpect2(const char *name, struct ret r, long w1, long w2)
{
	check(name, r.error == w1 || r.error == w2);
	if (r.error != w1 && r.error != w2)
		gprintf("#   %s: got %ld, want %ld or %ld\n", name, r.error, w1,
			w2);
}

/*
 * FIDs first..HOSTILE_FID_SWEEP-1, then FIDs with upper bits set (FIDs
 * are signed 32-bit values, SBI §3: 2^32 + 1 is not FID 1), junk
 * arguments: NOT_SUPPORTED.
 */
static inline void hsweep(const char *name, unsigned long eid,
			  unsigned long first)
{
	static const unsigned long huge[] = {
		0x7fffffffUL,	      0x80000000UL,
		0xffffffffUL,	      1UL << 32,
		(1UL << 32) | 1,      (1UL << 32) | 3,
		0xffffffff80000000UL, -1UL,
	};
	unsigned long fid, i, bad = 0;
	struct ret r;

	hostile_try(name);
	for (i = 0; i < HOSTILE_FID_SWEEP + ARRAY_SIZE(huge); i++) {
		fid = i < HOSTILE_FID_SWEEP ? i : huge[i - HOSTILE_FID_SWEEP];
		if (fid < first)
			continue;
		r = hcall(eid, fid, HOSTILE_JUNK0, 0xbad1, -1UL, 1UL << 63,
			  0x1000);
		if (r.error != SBI_ERR_NOT_SUPPORTED && bad++ < 4)
			gprintf("#   %s: fid 0x%lx -> %ld\n", name, fid,
				r.error);
	}
	check(name, !bad);
}

static inline void hgroup_end(const char *prefix, const char *group)
{
	char name[64];

	print_snprintf(name, sizeof(name), "%s_%s_registers_preserved", prefix,
		       group);
	check(name, !hostile_regs_bad);
	hostile_regs_bad = 0;
}

/*
 * Run the group the bootarg "hostile.ext" names, or all for "all";
 * names[n] must be "all". Returns 0 if it names none.
 */
static inline int hostile_groups(const void *fdt, const char *const *names,
				 void (*const *fns)(void), int n)
{
	int g = hostile_select(fdt, "hostile.ext", names, n + 1), i;

	for (i = 0; g >= 0 && i < n; i++)
		if (g == i || g == n)
			fns[i]();
	return g >= 0;
}

#endif
