// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: every kind of access to each emulated device page - the
 * vPLIC (0x0c000000, 0x600000 bytes), the 16550A UART (0x10000000, 0x100
 * bytes) and the doorbell page after its shared-memory window (from its
 * device tree; tests/configs/hostile.dts). What sbivisor emulates must
 * behave as the device (docs/devices.md, "MMIO emulation": the PLIC takes
 * naturally aligned 32- and 64-bit accesses, the UART 8- and 32-bit ones,
 * the doorbell 32-bit ones at offset 0; registers it does not model read
 * 0 and ignore writes); everything else - other widths, misaligned PLIC
 * accesses, accesses crossing a window's end, AMOs, LR, FP loads and
 * stores - must stop the guest with a one-line report.
 *
 * "mmio=emulated" runs every access that must be emulated, each checked
 * against the value the device model gives (PLIC spec 1.0.0, 16550A),
 * and prints lines through the UART's THR that the system test looks for.
 * "mmio=NAME" makes the one access NAME (attacks[] below) that must stop
 * the guest: if it returns, or comes back as an exception, the guest
 * prints the failing check "hostile_not_stopped". SC without a
 * reservation may fail without any access (QEMU does): then it prints
 * "mmio_sc_failed" and the register must be unchanged. "mmio=race": the
 * instruction is rewritten by vCPU 1 while the hypervisor decodes it.
 */
#include "hostile.h"

#define PLIC 0x0c000000UL
#define PLIC_END (PLIC + 0x600000UL)
#define UART 0x10000000UL

static unsigned long bell;

/* Uncompressed forms: the decoder must see the 32-bit instruction */
#define LD(insn, a)                                                            \
	({                                                                     \
		unsigned long __v;                                             \
		__asm__ __volatile__(".option push\n.option norvc\n" insn      \
				     " %0, 0(%1)\n.option pop"                 \
				     : "=r"(__v)                               \
				     : "r"(a)                                  \
				     : "memory");                              \
		__v;                                                           \
	})
#define ST(insn, a, v)                                                         \
	__asm__ __volatile__(".option push\n.option norvc\n" insn              \
			     " %0, 0(%1)\n.option pop" ::"r"(v),               \
			     "r"(a)                                            \
			     : "memory")
/* Compressed forms: rd'/rs1' in x8-x15, or sp-relative with sp moved */
#define CLD(insn, a)                                                           \
	({                                                                     \
		register unsigned long __v __asm__("a0");                      \
		register unsigned long __a __asm__("a1") = (a);                \
		__asm__ __volatile__(insn " a0, 0(a1)"                         \
				     : "=r"(__v)                               \
				     : "r"(__a)                                \
				     : "memory");                              \
		__v;                                                           \
	})
#define CST(insn, a, v)                                                        \
	do {                                                                   \
		register unsigned long __v __asm__("a0") = (v);                \
		register unsigned long __a __asm__("a1") = (a);                \
		__asm__ __volatile__(insn " a0, 0(a1)" ::"r"(__v), "r"(__a)    \
				     : "memory");                              \
	} while (0)
#define CLDSP(insn, a)                                                         \
	({                                                                     \
		unsigned long __v;                                             \
		__asm__ __volatile__("mv t0, sp\n mv sp, %1\n " insn           \
				     " a0, 0(sp)\n mv sp, t0\n mv %0, a0"      \
				     : "=r"(__v)                               \
				     : "r"(a)                                  \
				     : "t0", "a0", "memory");                  \
		__v;                                                           \
	})
#define CSTSP(insn, a, v)                                                      \
	__asm__ __volatile__("mv t0, sp\n mv a0, %1\n mv sp, %0\n " insn       \
			     " a0, 0(sp)\n mv sp, t0" ::"r"(a),                \
			     "r"(v)                                            \
			     : "t0", "a0", "memory")
#define FP(insn, a)                                                            \
	__asm__ __volatile__(".option push\n.option arch, +d\n"                \
			     ".option norvc\n" insn "\n.option pop" ::"r"(a)   \
			     : "memory")

static void emulated_plic(void)
{
	unsigned long p = PLIC;

	ST("sw", p + 12, 5);
	check_eq("mmio_plic_sw_lw", LD("lw", p + 12), 5);
	ST("sw", p, 5);
	check_eq("mmio_plic_source0_hardwired", LD("lw", p), 0);
	ST("sw", p + 12, -1UL);
	check_eq("mmio_plic_priority_warl", LD("lwu", p + 12), 7);
	ST("sd", p + 16, 6UL << 32 | 3);
	check("mmio_plic_sd_two_registers",
	      LD("lw", p + 16) == 3 && LD("lw", p + 20) == 6);
	check_eq("mmio_plic_ld_two_registers", LD("ld", p + 16), 6UL << 32 | 3);
	/* enables of context 0: source 0 is hardwired off */
	ST("sw", p + 0x2000, -1UL);
	check_eq("mmio_plic_lw_sign_extends", LD("lw", p + 0x2000), -2L);
	check_eq("mmio_plic_lwu_zero_extends", LD("lwu", p + 0x2000),
		 0xfffffffeUL);
	ST("sw", p + 0x2000, 0);
	/* sources 96-127 do not exist (95 sources) */
	ST("sw", p + 0x200c, -1UL);
	check_eq("mmio_plic_enable_past_ndev", LD("lw", p + 0x200c), 0);
	/* pending is read-only; nothing is pending */
	ST("sw", p + 0x1000, -1UL);
	check_eq("mmio_plic_pending_read_only", LD("lw", p + 0x1000), 0);
	ST("sw", p + 0x200000, 3);
	check_eq("mmio_plic_threshold", LD("lw", p + 0x200000), 3);
	ST("sw", p + 0x200000, 0xff);
	check_eq("mmio_plic_threshold_warl", LD("lw", p + 0x200000), 7);
	check_eq("mmio_plic_claim_none", LD("lw", p + 0x200004), 0);
	/* context 2 does not exist (2 vCPUs), nor the window's last words */
	ST("sw", p + 0x202000, 7);
	check_eq("mmio_plic_no_context_2", LD("lw", p + 0x202000), 0);
	check_eq("mmio_plic_last_word", LD("lw", PLIC_END - 4), 0);
	check_eq("mmio_plic_last_dword", LD("ld", PLIC_END - 8), 0);
	/* compressed forms */
	check_eq("mmio_plic_c_lw", CLD("c.lw", p + 12), 7);
	CST("c.sw", p + 24, 2);
	check_eq("mmio_plic_c_sw", LD("lw", p + 24), 2);
	check_eq("mmio_plic_c_ld", CLD("c.ld", p + 16), 6UL << 32 | 3);
	CST("c.sd", p + 32, 4UL << 32 | 1);
	check("mmio_plic_c_sd", LD("lw", p + 32) == 1 && LD("lw", p + 36) == 4);
	check_eq("mmio_plic_c_lwsp", CLDSP("c.lwsp", p + 24), 2);
	CSTSP("c.swsp", p + 40, 3);
	check_eq("mmio_plic_c_swsp", LD("lw", p + 40), 3);
	check_eq("mmio_plic_c_ldsp", CLDSP("c.ldsp", p + 32), 4UL << 32 | 1);
	CSTSP("c.sdsp", p + 48, 5UL << 32 | 6);
	check_eq("mmio_plic_c_sdsp", LD("ld", p + 48), 5UL << 32 | 6);
}

static void uart_puts(const char *s, int how)
{
	for (; *s; s++) {
		if (how == 0)
			ST("sb", UART, *s);
		else if (how == 1)
			ST("sw", UART, *s);
		else
			CST("c.sw", UART, *s);
	}
}

static void emulated_uart(void)
{
	unsigned long u = UART;

	check_eq("mmio_uart_lsr", LD("lbu", u + 5), 0x60);
	ST("sb", u + 7, 0xa5);
	check_eq("mmio_uart_lb_sign_extends", LD("lb", u + 7), -91L);
	check_eq("mmio_uart_lbu", LD("lbu", u + 7), 0xa5);
	/* 32 bits at a byte register: the register, zero-extended */
	check_eq("mmio_uart_lw_misaligned", LD("lw", u + 7), 0xa5);
	ST("sw", u + 7, 0x12345678);
	check_eq("mmio_uart_sw_low_byte", LD("lbu", u + 7), 0x78);
	ST("sb", u + 3, 0x83);
	ST("sb", u, 0x12);
	check_eq("mmio_uart_dll", LD("lbu", u), 0x12);
	ST("sb", u + 3, 0x03);
	check_eq("mmio_uart_lcr", LD("lbu", u + 3), 0x03);
	check_eq("mmio_uart_iir_idle", LD("lbu", u + 2), 0x01);
	check_eq("mmio_uart_msr", LD("lbu", u + 6), 0xb0);
	check_eq("mmio_uart_rbr_empty", LD("lbu", u), 0);
	ST("sb", u + 0xff, 0x55);
	check_eq("mmio_uart_hole", LD("lbu", u + 0xff), 0);
	check_eq("mmio_uart_last_word", LD("lw", u + 0xfc), 0);
	ST("sb", u + 4, 0x03);
	check_eq("mmio_uart_c_lw", CLD("c.lw", u + 4), 0x03);
	ST("sb", u + 4, 0);
	uart_puts("# mmio-uart-sb\n", 0);
	uart_puts("# mmio-uart-sw\n", 1);
	uart_puts("# mmio-uart-csw\n", 2);
}

static void emulated_bell(void)
{
	check_eq("mmio_bell_idle", LD("lw", bell), 0);
	ST("sw", bell, 1);
	check_eq("mmio_bell_rung", LD("lw", bell), 1);
	CST("c.sw", bell, 1);
	check_eq("mmio_bell_c_sw", CLD("c.lw", bell), 2);
	check_eq("mmio_bell_lwu", LD("lwu", bell), 2);
}

/* One access that must stop the guest; NAME, its address, and how */
struct attack {
	const char *name;
	char dev;	   /* 'p'lic, 'u'art, 'b'ell */
	unsigned long off; /* from the device's base */
	int how;
};

enum {
	A_LB,
	A_LH,
	A_LW,
	A_LD,
	A_SB,
	A_SH,
	A_SW,
	A_SD,
	A_AMOSWAP_W,
	A_AMOADD_D,
	A_AMOOR_W,
	A_LR_W,
	A_LR_D,
	A_SC_W,
	A_FLW,
	A_FLD,
	A_FSW,
	A_FSD,
	A_C_FLD,
	A_C_FSD,
	A_C_LD,
	A_C_SD,
};

static const struct attack attacks[] = {
	{ "plic_lb", 'p', 12, A_LB },
	{ "plic_lh", 'p', 12, A_LH },
	{ "plic_sb", 'p', 12, A_SB },
	{ "plic_sh", 'p', 12, A_SH },
	{ "plic_lw_misaligned", 'p', 14, A_LW },
	{ "plic_sw_misaligned", 'p', 14, A_SW },
	{ "plic_ld_misaligned", 'p', 20, A_LD },
	{ "plic_lw_straddle", 'p', 0x5ffffe, A_LW },
	{ "plic_ld_straddle", 'p', 0x5ffffc, A_LD },
	{ "plic_amoswap_w", 'p', 12, A_AMOSWAP_W },
	{ "plic_amoadd_d", 'p', 16, A_AMOADD_D },
	{ "plic_lr_w", 'p', 12, A_LR_W },
	{ "plic_sc_w", 'p', 12, A_SC_W },
	{ "plic_flw", 'p', 12, A_FLW },
	{ "plic_fld", 'p', 16, A_FLD },
	{ "plic_fsw", 'p', 12, A_FSW },
	{ "plic_fsd", 'p', 16, A_FSD },
	{ "plic_c_fld", 'p', 16, A_C_FLD },
	{ "plic_c_fsd", 'p', 16, A_C_FSD },
	{ "uart_lh", 'u', 6, A_LH },
	{ "uart_sh", 'u', 6, A_SH },
	{ "uart_ld", 'u', 0, A_LD },
	{ "uart_sd", 'u', 0, A_SD },
	{ "uart_c_ld", 'u', 0, A_C_LD },
	{ "uart_c_sd", 'u', 0, A_C_SD },
	{ "uart_lw_straddle", 'u', 0xfe, A_LW },
	{ "uart_past_window", 'u', 0x100, A_LB },
	{ "uart_amoor_w", 'u', 4, A_AMOOR_W },
	{ "uart_lr_d", 'u', 0, A_LR_D },
	{ "uart_flw", 'u', 4, A_FLW },
	{ "uart_fsd", 'u', 0, A_FSD },
	{ "bell_lb", 'b', 0, A_LB },
	{ "bell_sh", 'b', 0, A_SH },
	{ "bell_ld", 'b', 0, A_LD },
	{ "bell_sd", 'b', 0, A_SD },
	{ "bell_lw_off4", 'b', 4, A_LW },
	{ "bell_sw_off8", 'b', 8, A_SW },
	{ "bell_lw_straddle", 'b', 0xffe, A_LW },
	{ "bell_amoswap_w", 'b', 0, A_AMOSWAP_W },
	{ "bell_fsw", 'b', 0, A_FSW },
	{ "bell_c_ld", 'b', 0, A_C_LD },
};

static void __attribute__((noreturn)) returned(void)
{
	unsigned long c;

	for (c = 0; c < 24; c++)
		if (exc_count[0][c])
			gprintf("# hostile_mmio: exception %lu\n", c);
	hostile_not_stopped("access", 0);
}

static unsigned long amo(int how, unsigned long a)
{
	unsigned long v = 0;

	switch (how) {
	case A_AMOSWAP_W:
		__asm__ __volatile__("amoswap.w %0, %1, (%2)"
				     : "=r"(v)
				     : "r"(1UL), "r"(a)
				     : "memory");
		break;
	case A_AMOADD_D:
		__asm__ __volatile__("amoadd.d %0, %1, (%2)"
				     : "=r"(v)
				     : "r"(1UL), "r"(a)
				     : "memory");
		break;
	case A_AMOOR_W:
		__asm__ __volatile__("amoor.w %0, %1, (%2)"
				     : "=r"(v)
				     : "r"(1UL), "r"(a)
				     : "memory");
		break;
	case A_LR_W:
		__asm__ __volatile__("lr.w %0, (%1)"
				     : "=r"(v)
				     : "r"(a)
				     : "memory");
		break;
	case A_LR_D:
		__asm__ __volatile__("lr.d %0, (%1)"
				     : "=r"(v)
				     : "r"(a)
				     : "memory");
		break;
	}
	return v;
}

static unsigned long access(int how, unsigned long a)
{
	switch (how) {
	case A_LB:
		return LD("lb", a);
	case A_LH:
		return LD("lh", a);
	case A_LW:
		return LD("lw", a);
	case A_LD:
		return LD("ld", a);
	case A_SB:
		ST("sb", a, 1);
		return 0;
	case A_SH:
		ST("sh", a, 1);
		return 0;
	case A_SW:
		ST("sw", a, 1);
		return 0;
	case A_SD:
		ST("sd", a, 1);
		return 0;
	case A_C_LD:
		return CLD("c.ld", a);
	case A_C_SD:
		CST("c.sd", a, 1);
		return 0;
	case A_FLW:
		FP("flw ft0, 0(%0)", a);
		return 0;
	case A_FLD:
		FP("fld ft0, 0(%0)", a);
		return 0;
	case A_FSW:
		FP("fsw ft0, 0(%0)", a);
		return 0;
	case A_FSD:
		FP("fsd ft0, 0(%0)", a);
		return 0;
	case A_C_FLD:
		__asm__ __volatile__(".option push\n.option arch, +d\n"
				     "mv a1, %0\n c.fld fs0, 0(a1)\n.option pop"
				     :
				     : "r"(a)
				     : "a1", "memory");
		return 0;
	case A_C_FSD:
		__asm__ __volatile__(".option push\n.option arch, +d\n"
				     "mv a1, %0\n c.fsd fs0, 0(a1)\n.option pop"
				     :
				     : "r"(a)
				     : "a1", "memory");
		return 0;
	default:
		return amo(how, a);
	}
}

/* SC with no reservation: a stop, or a failure that wrote nothing */
static void sc_attack(unsigned long a)
{
	unsigned long fail, before = LD("lw", a);

	__asm__ __volatile__("sc.w %0, %1, (%2)"
			     : "=r"(fail)
			     : "r"(before ^ 1), "r"(a)
			     : "memory");
	gprintf("# hostile_mmio: sc.w returned %lu\n", fail);
	check("mmio_sc_failed", fail != 0);
	check_eq("mmio_sc_no_effect", LD("lw", a), before);
}

static void attack(const struct attack *t)
{
	unsigned long a = t->off, v;

	a += t->dev == 'p' ? PLIC : t->dev == 'u' ? UART : bell;
	gprintf("# hostile_mmio: %s at 0x%lx\n", t->name, a);
	hostile_try(t->name);
	if (t->how == A_SC_W) {
		sc_attack(a);
		return;
	}
	exc_resume[0] = (unsigned long)returned;
	v = access(t->how, a);
	hostile_not_stopped(t->name, v);
}

/*
 * "mmio=race": vCPU 1 rewrites the instruction vCPU 0 keeps executing on
 * the vPLIC - a load, a store, an AMO, an 8-byte load in turn - while the
 * hypervisor fetches it to decode the fault. Whatever it reads, it must
 * emulate what it decoded or stop the guest with its report; never
 * crash or hang.
 */
#define RACE_ROUNDS 20000UL
static unsigned int race_code[4] __attribute__((aligned(16)));
static volatile unsigned long race_stop, race_flips;

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	static const unsigned int forms[] = {
		0x0005a503, /* lw a0, 0(a1) */
		0x00a5a023, /* sw a0, 0(a1) */
		0x08a5a52f, /* amoswap.w a0, a0, (a1) */
		0x0005b503, /* ld a0, 0(a1) */
	};
	unsigned long i = 0;

	(void)hart;
	(void)opaque;
	while (!race_stop) {
		__atomic_store_n(&race_code[0], forms[i++ % 4],
				 __ATOMIC_RELAXED);
		race_flips++;
	}
}

static void race(void)
{
	unsigned long (*f)(unsigned long, unsigned long) =
		(unsigned long (*)(unsigned long, unsigned long))race_code;
	unsigned long i;

	race_code[0] = 0x0005a503;
	race_code[1] = 0x00008082; /* ret */
	__asm__ __volatile__("fence.i" ::: "memory");
	hostile_try("race");
	check_eq("mmio_race_secondary_started",
		 sbi_hart_start(1, (unsigned long)crt_secondary, 0).error, 0);
	for (i = 0; i < RACE_ROUNDS; i++) {
		f(i & 7, PLIC + 12);
		__asm__ __volatile__("fence.i" ::: "memory");
	}
	race_stop = 1;
	gprintf("# hostile_mmio: race: %lu rounds, %lu flips\n", i, race_flips);
	check("mmio_race_survived", 1);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long size, i;
	int len = 0;
	const char *m = dt_bootarg(fdt, "mmio", &len);

	if (hart || !m ||
	    !hostile_dt_reg(fdt, "sbivisor,shmem", 1, &bell, &size)) {
		check("hostile_mmio_setup", 0);
		return;
	}
	hostile_fp_on();
	if (len == 4 && !sbi_strncmp(m, "race", 4)) {
		race();
		return;
	}
	if (len == 8 && !sbi_strncmp(m, "emulated", 8)) {
		gprintf("# hostile_mmio: emulated, doorbell at 0x%lx\n", bell);
		emulated_plic();
		emulated_uart();
		emulated_bell();
		return;
	}
	for (i = 0; i < ARRAY_SIZE(attacks); i++)
		if ((int)sbi_strlen(attacks[i].name) == len &&
		    !sbi_strncmp(m, attacks[i].name, len)) {
			attack(&attacks[i]);
			return;
		}
	check("hostile_mmio_attack_known", 0);
}
