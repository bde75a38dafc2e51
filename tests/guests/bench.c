// SPDX-License-Identifier: BSD-2-Clause
/*
 * Benchmark guest: path lengths of guest SBI calls, traps and interrupts.
 *
 * The same binary runs natively (an S-mode payload of stock OpenSBI 1.6's
 * fw_jump.bin) and as the default guest of sbivisor; scripts/bench.py runs
 * it under `qemu -icount shift=0,sleep=off`, where the cycle counter is
 * QEMU's instruction count of the whole machine (every hart, every mode),
 * so each number below is the instructions M-mode, HS-mode and the guest
 * executed, identical from run to run. One line per operation:
 *
 *	bench: op=<name> iters=<n> insns=<per op> total=<n * per op>
 *
 * Calls and MMIO accesses run in a loop of ITERS iterations; the same loop
 * with the trapping instruction replaced by one that does not trap (nop
 * for ecall, a RAM access for MMIO) is subtracted, so insns is what the
 * trap costs beyond the instruction itself. Interrupt latencies come from
 * a cycle stamp taken by the second instruction of the trap vector:
 *
 *  - timer_irq: the guest spins on `csrr t0, cycle` with SIE set; the
 *    handler gets the t0 of the interrupted loop, so the latency is the
 *    instructions between the last guest instruction and the handler's
 *    first (deadline -> handler), exactly, whatever the deadline rounding.
 *  - ipi_remote_handler, wfi_wake_ipi: hart 0 sends an IPI to hart 1,
 *    which sleeps in wfi, and goes idle itself (wfi) right after; the
 *    stamp at hart 1's handler minus hart 0's stamp before the call
 *    (ipi_remote_handler) or after it returned (wfi_wake_ipi). Under
 *    icount one host thread runs every hart, so these include the
 *    sender's way into idle (natively one wfi; under sbivisor a trap into
 *    HS) and the target's wake-up from wfi.
 *
 * Waits never spin (under icount a spinning hart starves the others):
 * a waiting hart sleeps in wfi with sstatus.SIE clear, so an interrupt
 * that arrives before the wfi keeps it awake, then opens SIE to take it.
 */
#include "guest.h"

#define ITERS 1024UL
#ifndef ITERS_XHART
#define ITERS_XHART 256UL /* ops that involve the other hart */
#endif
#define ITERS_DBCN 256UL  /* each prints a byte */
#define TIMER_DELTA 100UL /* ticks (100 instructions each under icount) */
#define UART_LSR 0x10000005UL
#define SETTLE 10000UL /* ticks: 1 ms */

#define SSIE MIP_SSIP
#define STIE MIP_STIP

/* Frame of bench_vec: crt_trap's layout (guest_trap reads it) + stamp */
#define F_T0 5
#define F_EPC 32
#define F_STAMP 33

struct hart_rec {
	unsigned long soft, timer; /* interrupts taken */
	unsigned long hit; /* set by each interrupt: ends bench_spin */
	unsigned long cause;
	unsigned long stamp, t0, epc; /* of the last interrupt */
	unsigned long pong_to; /* answer each IPI with one to this hart */
	unsigned long ready, quit, bye;
} __attribute__((aligned(64)));

static volatile struct hart_rec rec[MAX_HARTS];
static volatile unsigned char ram_byte;
static unsigned long n_ops;

void guest_trap(unsigned long *frame);
void bench_trap(unsigned long *f);
void bench_vec(void);
void bench_spin(volatile unsigned long *flag);
extern char bench_spin_ld[], bench_spin_br[], bench_spin_top[];

/*
 * Trap vector: the second instruction stamps the cycle counter; the
 * frame is crt_trap's (so exceptions go on to guest_trap) plus the stamp.
 */
__asm__(".text\n"
	".align 2\n"
	".globl bench_vec\n"
	"bench_vec:\n"
	"	csrw	sscratch, t0\n"
	"	csrr	t0, cycle\n"
	"	addi	sp, sp, -34 * 8\n"
	"	sd	t0, 33 * 8(sp)\n"
	"	csrr	t0, sscratch\n"
	"	sd	ra, 1 * 8(sp)\n"
	"	sd	gp, 3 * 8(sp)\n"
	"	sd	t0, 5 * 8(sp)\n"
	"	sd	t1, 6 * 8(sp)\n"
	"	sd	t2, 7 * 8(sp)\n"
	"	sd	s0, 8 * 8(sp)\n"
	"	sd	s1, 9 * 8(sp)\n"
	"	sd	a0, 10 * 8(sp)\n"
	"	sd	a1, 11 * 8(sp)\n"
	"	sd	a2, 12 * 8(sp)\n"
	"	sd	a3, 13 * 8(sp)\n"
	"	sd	a4, 14 * 8(sp)\n"
	"	sd	a5, 15 * 8(sp)\n"
	"	sd	a6, 16 * 8(sp)\n"
	"	sd	a7, 17 * 8(sp)\n"
	"	sd	t3, 28 * 8(sp)\n"
	"	sd	t4, 29 * 8(sp)\n"
	"	sd	t5, 30 * 8(sp)\n"
	"	sd	t6, 31 * 8(sp)\n"
	"	csrr	t0, sepc\n"
	"	sd	t0, 32 * 8(sp)\n"
	"	mv	a0, sp\n"
	"	call	bench_trap\n"
	"	ld	t0, 32 * 8(sp)\n"
	"	csrw	sepc, t0\n"
	"	ld	ra, 1 * 8(sp)\n"
	"	ld	gp, 3 * 8(sp)\n"
	"	ld	t0, 5 * 8(sp)\n"
	"	ld	t1, 6 * 8(sp)\n"
	"	ld	t2, 7 * 8(sp)\n"
	"	ld	s0, 8 * 8(sp)\n"
	"	ld	s1, 9 * 8(sp)\n"
	"	ld	a0, 10 * 8(sp)\n"
	"	ld	a1, 11 * 8(sp)\n"
	"	ld	a2, 12 * 8(sp)\n"
	"	ld	a3, 13 * 8(sp)\n"
	"	ld	a4, 14 * 8(sp)\n"
	"	ld	a5, 15 * 8(sp)\n"
	"	ld	a6, 16 * 8(sp)\n"
	"	ld	a7, 17 * 8(sp)\n"
	"	ld	t3, 28 * 8(sp)\n"
	"	ld	t4, 29 * 8(sp)\n"
	"	ld	t5, 30 * 8(sp)\n"
	"	ld	t6, 31 * 8(sp)\n"
	"	addi	sp, sp, 34 * 8\n"
	"	sret\n"
	/*
	 * Spin with SIE set until *a0 != 0, t0 = cycle at every turn. The
	 * handler learns from sepc how many instructions ran since t0.
	 */
	".globl bench_spin, bench_spin_top, bench_spin_ld, bench_spin_br\n"
	"bench_spin:\n"
	"	csrsi	sstatus, 2\n"
	"bench_spin_top:\n"
	"	csrr	t0, cycle\n"
	"bench_spin_ld:\n"
	"	ld	t1, 0(a0)\n"
	"bench_spin_br:\n"
	"	beqz	t1, bench_spin_top\n"
	"	csrci	sstatus, 2\n"
	"	ret\n");

static inline unsigned long rdcycle(void)
{
	return csrr(cycle);
}

static inline unsigned long me(void)
{
	return hartid() & (MAX_HARTS - 1);
}

void bench_trap(unsigned long *f)
{
	unsigned long cause = csrr(scause), code = cause & 0xff;
	volatile struct hart_rec *r = &rec[me()];

	if (!(cause >> 63)) {
		guest_trap(f);
		return;
	}
	r->stamp = f[F_STAMP];
	r->t0 = f[F_T0];
	r->epc = f[F_EPC];
	r->hit = 1;
	r->cause = code;
	if (code == IRQ_S_TIMER) {
		sbi_set_timer(-1UL);
		r->timer++;
	} else if (code == IRQ_S_SOFT) {
		csrc(sip, MIP_SSIP);
		r->soft++;
		if (r->pong_to != -1UL)
			sbi_send_ipi(1, r->pong_to);
	} else {
		csrc(sie, 1UL << code);
	}
}

/* Sleep until *p >= want: wfi with SIE clear, then take what woke us */
static void wait_ge_wfi(volatile unsigned long *p, unsigned long want)
{
	while (*p < want) {
		wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
}

/*
 * Let every other hart finish what it is doing (booting, a wake-up) so
 * that none of it lands in a measurement: sleep in wfi, with the timer as
 * the only wake-up, until `ticks` have passed (under icount the clock
 * jumps there once every hart sleeps).
 */
static void settle(unsigned long ticks)
{
	unsigned long end = rdtime() + ticks, sie = csrr(sie);

	csrc(sstatus, SSTATUS_SIE);
	csrw(sie, STIE);
	sbi_set_timer(end);
	while (rdtime() < end)
		wfi();
	sbi_set_timer(-1UL);
	csrw(sie, sie);
}

static void report(const char *op, unsigned long iters, long total)
{
	long per = (total + (total >= 0 ? 1 : -1) * (long)iters / 2) /
		   (long)iters;

	gprintf("bench: op=%s iters=%lu insns=%ld total=%ld\n", op, iters, per,
		total);
	n_ops++;
}

/*
 * n SBI calls in a loop: arguments reloaded each turn from a[0..7]
 * (a0-a5, fid, eid). INSN is ecall, or nop for the loop's own cost; POST
 * runs after each call.
 */
#define SBI_LOOP(name, insn, post)                                         \
	static unsigned long name(const unsigned long *a, unsigned long n)   \
	{                                                                    \
		unsigned long c0, c1;                                        \
		__asm__ __volatile__("csrr %0, cycle\n"                      \
				     "1:	ld a0, 0(%2)\n"                     \
				     "	ld a1, 8(%2)\n"                      \
				     "	ld a2, 16(%2)\n"                     \
				     "	ld a3, 24(%2)\n"                     \
				     "	ld a4, 32(%2)\n"                     \
				     "	ld a5, 40(%2)\n"                     \
				     "	ld a6, 48(%2)\n"                     \
				     "	ld a7, 56(%2)\n"                     \
				     "	" insn "\n"                          \
				     "	" post "\n"                          \
				     "	addi %3, %3, -1\n"                   \
				     "	bnez %3, 1b\n"                       \
				     "	csrr %1, cycle\n"                    \
				     : "=&r"(c0), "=&r"(c1), "+r"(a), "+r"(n) \
				     :                                       \
				     : "a0", "a1", "a2", "a3", "a4", "a5",   \
				       "a6", "a7", "memory");               \
		return c1 - c0;                                              \
	}

SBI_LOOP(loop_ecall, "ecall", "nop")
SBI_LOOP(loop_nop, "nop", "nop")
SBI_LOOP(loop_ecall_clr, "ecall", "csrci sip, 2")
SBI_LOOP(loop_nop_clr, "nop", "csrci sip, 2")

struct sbi_op {
	const char *name;
	unsigned long a[8]; /* a0-a5, fid, eid */
	unsigned long iters;
	int clear_ssip;
};

static struct ret sbi_op_once(const struct sbi_op *op)
{
	return ecall(op->a[7], op->a[6], op->a[0], op->a[1], op->a[2],
		     op->a[3], op->a[4], op->a[5]);
}

static void run_sbi_op(const struct sbi_op *op)
{
	unsigned long real, base;
	struct ret r = sbi_op_once(op);

	if (r.error)
		gprintf("# %s: error %ld\n", op->name, r.error);
#ifdef BENCH_DEBUG
	gprintf("# %s: start\n", op->name);
#endif
	if (op->clear_ssip) {
		csrc(sip, MIP_SSIP);
		real = loop_ecall_clr(op->a, op->iters);
		base = loop_nop_clr(op->a, op->iters);
	} else {
		real = loop_ecall(op->a, op->iters);
		base = loop_nop(op->a, op->iters);
	}
	report(op->name, op->iters, real - base);
}

/* MMIO: the access to the device against the same access to RAM */
static unsigned long loop_lbu(volatile unsigned char *p, unsigned long n)
{
	unsigned long c0, c1, t;

	__asm__ __volatile__("csrr %0, cycle\n"
			     "1:	lbu %2, 0(%3)\n"
			     "	addi %4, %4, -1\n"
			     "	bnez %4, 1b\n"
			     "	csrr %1, cycle\n"
			     : "=&r"(c0), "=&r"(c1), "=&r"(t), "+r"(p), "+r"(n)
			     :
			     : "memory");
	return c1 - c0;
}

static unsigned long loop_sb(volatile unsigned char *p, unsigned long n)
{
	unsigned long c0, c1;

	__asm__ __volatile__("csrr %0, cycle\n"
			     "1:	sb zero, 0(%2)\n"
			     "	addi %3, %3, -1\n"
			     "	bnez %3, 1b\n"
			     "	csrr %1, cycle\n"
			     : "=&r"(c0), "=&r"(c1), "+r"(p), "+r"(n)
			     :
			     : "memory");
	return c1 - c0;
}

static void run_mmio(void)
{
	volatile unsigned char *lsr = (volatile unsigned char *)UART_LSR;

	check("mmio_lsr_thr_empty", (*lsr & 0x20) != 0);
	report("mmio_read_uart_lsr", ITERS,
	       loop_lbu(lsr, ITERS) - loop_lbu(&ram_byte, ITERS));
	report("mmio_write_uart_lsr", ITERS,
	       loop_sb(lsr, ITERS) - loop_sb(&ram_byte, ITERS));
}

/*
 * Timer interrupt latency: deadline TIMER_DELTA ticks ahead, spin with SIE
 * set; latency = stamp - interrupted t0 - instructions the loop ran after
 * reading t0 (from sepc) - the vector's 2 instructions up to the stamp.
 */
static void run_timer_irq(void)
{
	volatile struct hart_rec *r = &rec[me()];
	unsigned long i, n, k, epc, total = 0, bad = 0;

	csrc(sstatus, SSTATUS_SIE);
	csrs(sie, STIE);
	for (i = 0; i < ITERS_XHART; i++) {
		n = r->timer;
		r->hit = 0;
#ifdef BENCH_DEBUG
		{
			unsigned long ca = rdcycle(), ta = rdtime(), cb, tb;
			sbi_set_timer(ta + TIMER_DELTA);
			cb = rdcycle();
			tb = rdtime();
			gprintf("# set: c %lu t %lu -> c %lu t %lu\n", ca, ta, cb, tb);
		}
#else
		sbi_set_timer(rdtime() + TIMER_DELTA);
#endif
		bench_spin(&r->hit);
		epc = r->epc;
		if (r->timer != n + 1)
			bad++;
		if (epc == (unsigned long)bench_spin_ld)
			k = 0;
		else if (epc == (unsigned long)bench_spin_br)
			k = 1;
		else if (epc == (unsigned long)bench_spin_top)
			k = 2;
		else {
			bad++;
			k = 0;
		}
		total += r->stamp - r->t0 - k - 2;
#ifdef BENCH_DEBUG
		gprintf("# timer %lu: lat %lu k %lu t0 %lu now %lu cause %lu\n", i,
			r->stamp - r->t0 - k - 2, k, r->t0, rdtime(), r->cause);
#endif
	}
	csrc(sie, STIE);
	check("timer_irq_each_taken_in_loop", bad == 0);
	report("timer_irq", ITERS_XHART, total);
}

/* Start hart 1 at crt_secondary; it sleeps in wfi and answers IPIs */
static int start_peer(unsigned long peer)
{
	struct ret r;

	rec[peer].pong_to = 0;
	r = sbi_hart_start(peer, (unsigned long)crt_secondary, 0);
	if (r.error)
		return 0;
	wait_ge_wfi(&rec[peer].ready, 1);
	return 1;
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	volatile struct hart_rec *r = &rec[hart & (MAX_HARTS - 1)];

	(void)opaque;
	csrw(stvec, (unsigned long)bench_vec);
	csrc(sstatus, SSTATUS_SIE);
	csrs(sie, SSIE);
	r->ready = 1;
	sbi_send_ipi(1, r->pong_to);
	while (!r->quit) {
		wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
	r->pong_to = -1UL;
	r->bye = 1;
	sbi_send_ipi(1, 0);
	csrc(sie, SSIE);
}

/*
 * IPI to the sleeping peer, which answers with one back: the sender's
 * call, the peer's handler entry from the sender's stamp before the call
 * and after it.
 */
static void run_ipi_remote(unsigned long peer)
{
	volatile struct hart_rec *self = &rec[me()], *p = &rec[peer];
	unsigned long i, c0, c1, base = -1UL, send = 0, to_handler = 0;
	unsigned long wake = 0, n;
	int ok = 1;

	/* the stamps' own cost: the same sequence with a nop */
	for (i = 0; i < 8; i++) {
		__asm__ __volatile__("csrr %0, cycle\n"
				     "	li a0, 1\n"
				     "	mv a1, %2\n"
				     "	li a6, 0\n"
				     "	li a7, %3\n"
				     "	nop\n"
				     "	csrr %1, cycle\n"
				     : "=&r"(c0), "=&r"(c1)
				     : "r"(peer), "i"(SBI_EXT_IPI)
				     : "a0", "a1", "a6", "a7", "memory");
		if (c1 - c0 < base)
			base = c1 - c0;
	}
	for (i = 0; i < ITERS_XHART; i++) {
		n = self->soft;
		__asm__ __volatile__("csrr %0, cycle\n"
				     "	li a0, 1\n"
				     "	mv a1, %2\n"
				     "	li a6, 0\n"
				     "	li a7, %3\n"
				     "	ecall\n"
				     "	csrr %1, cycle\n"
				     : "=&r"(c0), "=&r"(c1)
				     : "r"(peer), "i"(SBI_EXT_IPI)
				     : "a0", "a1", "a2", "a3", "a4", "a5", "a6",
				       "a7", "memory");
		wait_ge_wfi(&self->soft, n + 1);
		if (p->soft != i + 1)
			ok = 0;
		send += c1 - c0 - base;
		to_handler += p->stamp - c0;
		wake += p->stamp - c1;
	}
	check("ipi_remote_each_delivered", ok);
	report("ipi_remote", ITERS_XHART, send);
	report("ipi_remote_handler", ITERS_XHART, to_handler);
	report("wfi_wake_ipi", ITERS_XHART, wake);
}

static void stop_peer(unsigned long peer)
{
	rec[peer].quit = 1;
	sbi_send_ipi(1, peer);
	wait_ge_wfi(&rec[peer].bye, 1);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long h = me(), nharts = dt_nharts(fdt), peer = !h;
	unsigned long self = 1UL << h, other = 1UL << peer, i;
	const struct sbi_op local_ops[] = {
		{ "base_get_spec_version",
		  { 0, 0, 0, 0, 0, 0, SBI_EXT_BASE_GET_SPEC_VERSION,
		    SBI_EXT_BASE },
		  ITERS, 0 },
		{ "base_probe_extension",
		  { SBI_EXT_TIME, 0, 0, 0, 0, 0, SBI_EXT_BASE_PROBE_EXT,
		    SBI_EXT_BASE },
		  ITERS, 0 },
		{ "time_set_timer",
		  { -1UL, 0, 0, 0, 0, 0, SBI_EXT_TIME_SET_TIMER, SBI_EXT_TIME },
		  ITERS, 0 },
		{ "ipi_self_masked",
		  { self, 0, 0, 0, 0, 0, SBI_EXT_IPI_SEND_IPI, SBI_EXT_IPI },
		  ITERS, 1 },
		{ "rfence_fence_i_self",
		  { self, 0, 0, 0, 0, 0, SBI_EXT_RFENCE_REMOTE_FENCE_I,
		    SBI_EXT_RFENCE },
		  ITERS, 0 },
		{ "rfence_sfence_vma_self",
		  { self, 0, 0x80200000UL, 4096, 0, 0,
		    SBI_EXT_RFENCE_REMOTE_SFENCE_VMA, SBI_EXT_RFENCE },
		  ITERS, 0 },
		{ "hsm_hart_get_status",
		  { h, 0, 0, 0, 0, 0, SBI_EXT_HSM_HART_GET_STATUS,
		    SBI_EXT_HSM },
		  ITERS, 0 },
		{ "dbcn_write_byte",
		  { '.', 0, 0, 0, 0, 0, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE,
		    SBI_EXT_DBCN },
		  ITERS_DBCN, 0 },
	};
	const struct sbi_op remote_ops[] = {
		{ "rfence_fence_i_remote",
		  { other, 0, 0, 0, 0, 0, SBI_EXT_RFENCE_REMOTE_FENCE_I,
		    SBI_EXT_RFENCE },
		  ITERS_XHART, 0 },
		{ "rfence_sfence_vma_remote",
		  { other, 0, 0x80200000UL, 4096, 0, 0,
		    SBI_EXT_RFENCE_REMOTE_SFENCE_VMA, SBI_EXT_RFENCE },
		  ITERS_XHART, 0 },
	};
	unsigned long want = 0;

	gprintf("# bench: hart %lu, %lu harts\n", hart, nharts);
	csrw(stvec, (unsigned long)bench_vec);
	csrc(sstatus, SSTATUS_SIE);
	csrs(sie, SSIE);
	for (i = 0; i < MAX_HARTS; i++)
		rec[i].pong_to = -1UL;

	for (i = 0; i < sizeof(local_ops) / sizeof(local_ops[0]); i++) {
		settle(SETTLE);
		run_sbi_op(&local_ops[i]);
		if (local_ops[i].a[7] == SBI_EXT_DBCN)
			gprintf("\n");
	}
	want += sizeof(local_ops) / sizeof(local_ops[0]);
	settle(SETTLE);
	run_mmio();
	settle(SETTLE);
	run_timer_irq();
	want += 3;

	if (nharts >= 2 && start_peer(peer)) {
		for (i = 0; i < sizeof(remote_ops) / sizeof(remote_ops[0]);
		     i++) {
			settle(SETTLE);
			run_sbi_op(&remote_ops[i]);
		}
		settle(SETTLE);
		run_ipi_remote(peer);
		stop_peer(peer);
	} else {
		gprintf("# bench: no second hart: cross-hart ops skipped\n");
	}
	want += 5;
	check_eq("bench_every_op_measured", n_ops, want);
	sbi_set_timer(-1UL);
}
