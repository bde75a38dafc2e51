// SPDX-License-Identifier: BSD-2-Clause
/*
 * Benchmark guest: path lengths of guest SBI calls, traps and interrupts.
 *
 * The same binary runs natively (an S-mode payload of stock OpenSBI 1.6's
 * fw_jump.bin) and as the default guest of sbivisor; scripts/bench.py runs
 * it under `qemu -icount shift=0,sleep=off -rtc clock=vm`, where the cycle
 * counter is QEMU's instruction count of the whole machine (every hart,
 * every mode): each number is the instructions M-mode, HS-mode and the
 * guest executed, identical from run to run. One line per operation:
 *
 *	bench: op=<name> iters=<n> insns=<per op> total=<sum over iters>
 *
 * Local operations run in a loop; the same loop with the trapping
 * instruction replaced by one that does not trap (nop for ecall, a RAM
 * access for MMIO) is subtracted, so insns is what the trap costs beyond
 * the instruction itself. Interrupt latencies use a cycle stamp taken by
 * the second instruction of the trap vector (bench_vec).
 *
 * Under icount one host thread runs every hart in turn, and QEMU switches
 * harts only when one sleeps (wfi) or its time slice ends at the next
 * timer deadline of the VM clock. So:
 *  - waits never spin: a waiting hart sleeps in wfi with sstatus.SIE clear
 *    (an interrupt that arrives before the wfi keeps it awake), then opens
 *    SIE to take it;
 *  - a call that waits for another hart (RFENCE, which M-mode serves with
 *    a busy-wait for completion) from hart 0 would spin until QEMU's
 *    100 ms round-robin kick: the last hart makes those calls, to hart 0
 *    (see xhart_caller), and the goldfish RTC's alarm (on the VM clock
 *    with -rtc clock=vm, interrupt disabled, so it costs no instruction)
 *    puts a deadline, hence a hart switch, at a chosen instruction;
 *    scanning it finds the interleaving where the other hart runs the
 *    moment the request reaches it, as parallel hardware would.
 */
#include <libfdt.h>
#include "guest.h"

#define ITERS 1024UL	  /* local operations */
#define ITERS_XHART 256UL /* operations that involve the other hart */
#define ITERS_DBCN 256UL  /* each prints a byte */
#define TIMER_DELTA 100UL /* ticks; 100 instructions each under icount */
#define SETTLE 10000UL	  /* ticks: 1 ms */
#define UART_LSR 0x10000005UL
#define RTC_DEFAULT 0x101000UL
#define RTC_TIME_LOW 0x00
#define RTC_TIME_HIGH 0x04
#define RTC_ALARM_LOW 0x08
#define RTC_ALARM_HIGH 0x0c
/* Hart-switch scan: alarm offsets in instructions after arming it */
#define SCAN_MAX 8192UL
#define SCAN_STEP 16UL
#define FALLBACK_TICKS 400UL /* bounds a probe whose alarm came too early */
#define XHART_RETRIES 4	     /* probes cut short by another deadline */

#define SSIE MIP_SSIP
#define STIE MIP_STIP

/* Frame of bench_vec: crt_trap's layout (guest_trap reads it) + stamp */
#define F_T0 5
#define F_EPC 32
#define F_STAMP 33

struct hart_rec {
	unsigned long soft, timer; /* interrupts taken */
	unsigned long hit;	   /* set by every interrupt: ends bench_spin */
	unsigned long stamp, t0, epc; /* of the last interrupt */
	unsigned long pong_to; /* answer each IPI with one to this hart */
	unsigned long ready, quit, bye;
} __attribute__((aligned(64)));

static volatile struct hart_rec rec[MAX_HARTS];
static volatile unsigned char ram_byte;
static volatile unsigned int *rtc;
static unsigned long rtc_off; /* RTC ns - cycle (both VM-clock ns) */
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
	long per =
		(total + (total >= 0 ? 1 : -1) * (long)iters / 2) / (long)iters;

	gprintf("bench: op=%s iters=%lu insns=%ld total=%ld\n", op, iters, per,
		total);
	n_ops++;
}

/* ---- local SBI calls ---- */

/*
 * n SBI calls in a loop: arguments reloaded each turn from a[0..7]
 * (a0-a5, fid, eid). INSN is ecall, or nop for the loop's own cost; POST
 * runs after each call.
 */
#define SBI_LOOP(name, insn, post)                                             \
	static unsigned long name(const unsigned long *a, unsigned long n)     \
	{                                                                      \
		unsigned long c0, c1;                                          \
		__asm__ __volatile__("csrr %0, cycle\n"                        \
				     "1:	ld a0, 0(%2)\n"                       \
				     "	ld a1, 8(%2)\n"                         \
				     "	ld a2, 16(%2)\n"                        \
				     "	ld a3, 24(%2)\n"                        \
				     "	ld a4, 32(%2)\n"                        \
				     "	ld a5, 40(%2)\n"                        \
				     "	ld a6, 48(%2)\n"                        \
				     "	ld a7, 56(%2)\n"                        \
				     "	" insn "\n"                            \
				     "	" post "\n"                            \
				     "	addi %3, %3, -1\n"                      \
				     "	bnez %3, 1b\n"                          \
				     "	csrr %1, cycle\n"                       \
				     : "=&r"(c0), "=&r"(c1), "+r"(a), "+r"(n)  \
				     :                                         \
				     : "a0", "a1", "a2", "a3", "a4", "a5",     \
				       "a6", "a7", "memory");                  \
		return c1 - c0;                                                \
	}

SBI_LOOP(loop_ecall, "ecall", "nop")
SBI_LOOP(loop_nop, "nop", "nop")
SBI_LOOP(loop_ecall_clr, "ecall", "csrci sip, 2")
SBI_LOOP(loop_nop_clr, "nop", "csrci sip, 2")

struct sbi_op {
	const char *name;
	unsigned long a[8]; /* a0-a5, fid, eid */
};

static long sbi_op_once(const struct sbi_op *op)
{
	struct ret r = ecall(op->a[7], op->a[6], op->a[0], op->a[1], op->a[2],
			     op->a[3], op->a[4], op->a[5]);

	if (r.error)
		gprintf("# bench: %s: SBI error %ld\n", op->name, r.error);
	return r.error;
}

static void run_sbi_op(const struct sbi_op *op, unsigned long iters,
		       int clear_ssip)
{
	unsigned long real, base;

	sbi_op_once(op);
	if (clear_ssip) {
		csrc(sip, MIP_SSIP);
		real = loop_ecall_clr(op->a, iters);
		base = loop_nop_clr(op->a, iters);
	} else {
		real = loop_ecall(op->a, iters);
		base = loop_nop(op->a, iters);
	}
	if (op->a[7] == SBI_EXT_DBCN)
		gprintf("\n"); /* after what the calls wrote */
	report(op->name, iters, real - base);
}

/* ---- MMIO: the access to the device against the same access to RAM ---- */

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

	check("bench_uart_lsr_thr_empty", (*lsr & 0x20) != 0);
	report("mmio_read_uart_lsr", ITERS,
	       loop_lbu(lsr, ITERS) - loop_lbu(&ram_byte, ITERS));
	report("mmio_write_uart_lsr", ITERS,
	       loop_sb(lsr, ITERS) - loop_sb(&ram_byte, ITERS));
}

/* ---- timer interrupt latency ---- */

/*
 * Deadline TIMER_DELTA ticks ahead, then spin with SIE set: latency =
 * stamp - interrupted t0 - the loop's instructions after reading t0 (from
 * sepc) - the vector's 2 instructions up to and including the stamp. So
 * it counts what runs between the guest's last instruction and its
 * handler's first, whatever the deadline's rounding.
 */
static void run_timer_irq(const char *name)
{
	volatile struct hart_rec *r = &rec[me()];
	unsigned long i, n, k, epc, total = 0, bad = 0;

	csrc(sstatus, SSTATUS_SIE);
	csrs(sie, STIE);
	for (i = 0; i < ITERS_XHART; i++) {
		n = r->timer;
		r->hit = 0;
		sbi_set_timer(rdtime() + TIMER_DELTA);
		bench_spin(&r->hit);
		epc = r->epc;
		if (r->timer != n + 1)
			bad++;
		if (epc == (unsigned long)bench_spin_ld) {
			k = 0;
		} else if (epc == (unsigned long)bench_spin_br) {
			k = 1;
		} else if (epc == (unsigned long)bench_spin_top) {
			k = 2;
		} else {
			bad++;
			k = 0;
		}
		total += r->stamp - r->t0 - k - 2;
	}
	csrc(sie, STIE);
	check("bench_timer_irq_each_in_loop", bad == 0);
	report(name, ITERS_XHART, total);
}

/* ---- the other hart ---- */

/*
 * Cross-hart operations are measured from the last hart against hart 0,
 * not the other way round: QEMU 7.2's single-threaded round robin under icount
 * runs each hart until the next deadline of the VM clock, and the harts
 * after it in the list get no time in that round, while the first gets a
 * fresh slice. A hart spinning in M-mode for a later one (RFENCE waits
 * for completion) live-locks until the 100 ms round-robin kick; the last
 * hart waiting for earlier ones hands over at every deadline. (Upstream
 * QEMU fixed this in 2023: "accel/tcg/tcg-accel-ops-rr: ensure fairness
 * with icount".) sbivisor fences every hart of the guest, so with more
 * than two harts the others, stopped, are targets too: all come first.
 */
static unsigned long xhart_caller, xhart_target;
static volatile unsigned long xhart_done_flag;
static int rtc_ok;

/* Sleep in wfi and answer each IPI with one to r->pong_to, until quit */
static void peer_loop(volatile struct hart_rec *r)
{
	csrw(stvec, (unsigned long)bench_vec);
	csrc(sstatus, SSTATUS_SIE);
	csrw(sie, SSIE);
	while (!r->quit) {
		wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
	r->quit = 0;
}

/*
 * The RTC's alarm as a hart-switch point. RTC time and cycle both count
 * VM-clock nanoseconds (one per instruction under icount shift=0), so
 * their difference is constant: rtc_off. Returns 0 if the RTC does not
 * follow the VM clock (QEMU run without -rtc clock=vm).
 */
static int rtc_init(const void *fdt)
{
	int node =
		fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc");
	const fdt32_t *reg = NULL;
	unsigned long lo, hi, c, off[2], i, base = RTC_DEFAULT;

	if (node >= 0)
		reg = fdt_getprop(fdt, node, "reg", NULL);
	if (reg)
		base = (unsigned long)fdt32_to_cpu(reg[0]) << 32 |
		       fdt32_to_cpu(reg[1]);
	rtc = (volatile unsigned int *)base;
	for (i = 0; i < 2; i++) {
		/* TIME_LOW latches TIME_HIGH; the cycle read follows it */
		__asm__ __volatile__("lw %0, %3(%5)\n"
				     "	csrr %2, cycle\n"
				     "	lwu %1, %4(%5)\n"
				     : "=&r"(lo), "=&r"(hi), "=&r"(c)
				     : "i"(RTC_TIME_LOW), "i"(RTC_TIME_HIGH),
				       "r"(rtc)
				     : "memory");
		off[i] = (hi << 32 | (lo & 0xffffffffUL)) - (c - 1);
		settle(10);
	}
	rtc_off = off[0];
	return off[0] == off[1];
}

/* Sstc: S-mode (VS-mode under sbivisor) writes its timer directly */
static inline void write_stimecmp(unsigned long v)
{
	__asm__ __volatile__("csrw 0x14d, %0" ::"r"(v));
}

struct probe {
	unsigned long d;      /* the alarm, in cycles */
	unsigned long c0, c1; /* cycle before the call and after it */
	long err;	      /* what the call returned in a0 */
};

/*
 * One SBI call (INSN ecall) or its nop, with the RTC alarm armed `delta`
 * instructions after the first cycle read: this hart (the last) stops
 * there and the target runs whatever reached it. A fallback timer
 * deadline (interrupt disabled: it costs nothing) bounds a probe whose
 * alarm came before the request did.
 */
#define XHART_PROBE(name, insn)                                                \
	static void name(const unsigned long *a, unsigned long delta,          \
			 struct probe *p)                                      \
	{                                                                      \
		unsigned long ca, c0, c1, t, off = rtc_off + delta;            \
                                                                               \
		write_stimecmp(rdtime() + FALLBACK_TICKS);                     \
		__asm__ __volatile__("csrr %0, cycle\n"                        \
				     "	add %3, %0, %6\n"                       \
				     "	srli %1, %3, 32\n"                      \
				     "	sw %1, %7(%5)\n"                        \
				     "	sw %3, %8(%5)\n"                        \
				     "	csrr %1, cycle\n"                       \
				     "	ld a0, 0(%4)\n"                         \
				     "	ld a1, 8(%4)\n"                         \
				     "	ld a2, 16(%4)\n"                        \
				     "	ld a3, 24(%4)\n"                        \
				     "	ld a4, 32(%4)\n"                        \
				     "	ld a5, 40(%4)\n"                        \
				     "	ld a6, 48(%4)\n"                        \
				     "	ld a7, 56(%4)\n"                        \
				     "	" insn "\n"                            \
				     "	csrr %2, cycle\n"                       \
				     "	mv %3, a0\n"                            \
				     : "=&r"(ca), "=&r"(c0), "=&r"(c1),        \
				       "=&r"(t)                                \
				     : "r"(a), "r"(rtc), "r"(off),             \
				       "i"(RTC_ALARM_HIGH), "i"(RTC_ALARM_LOW) \
				     : "a0", "a1", "a2", "a3", "a4", "a5",     \
				       "a6", "a7", "memory");                  \
		p->d = ca + delta;                                             \
		p->c0 = c0;                                                    \
		p->c1 = c1;                                                    \
		p->err = t;                                                    \
	}

XHART_PROBE(xhart_ecall, "ecall")
XHART_PROBE(xhart_nop, "nop")

static void xhart_end(void)
{
	write_stimecmp(-1UL);
	sbi_set_timer(-1UL);
	csrc(sip, MIP_SSIP);
}

/*
 * Smallest metric over the alarm offsets (ties: the earliest offset):
 * every SCAN_STEP up to SCAN_MAX, then one by one around the best.
 */
static unsigned long scan(unsigned long (*metric)(const void *, unsigned long),
			  const void *ctx)
{
	unsigned long d, m, best = -1UL, best_d = 0, lo, hi;

	for (d = 0; d <= SCAN_MAX; d += SCAN_STEP) {
		m = metric(ctx, d);
		if (m < best) {
			best = m;
			best_d = d;
		}
	}
	lo = best_d > SCAN_STEP ? best_d - SCAN_STEP : 0;
	hi = best_d + SCAN_STEP;
	for (d = lo; d <= hi; d++) {
		m = metric(ctx, d);
		if (m < best) {
			best = m;
			best_d = d;
		}
	}
	return best_d;
}

static unsigned long call_metric(const void *ctx, unsigned long d)
{
	struct probe p;

	xhart_ecall(ctx, d, &p);
	return p.c1 - p.c0;
}

/*
 * An SBI call that waits for the other hart (RFENCE): its fewest
 * instructions over the alarm offsets, i.e. with the target running the
 * moment the request reaches it, as on parallel hardware; then
 * ITERS_XHART calls at that offset. A call that involves no other hart
 * costs the same at any offset.
 */
static void run_xhart_sbi_op(const struct sbi_op *op)
{
	struct probe p;
	unsigned long d, base, i, total = 0;

	/* no plain call: waiting for the other hart, it would spin */
	xhart_ecall(op->a, SCAN_MAX, &p);
	if (p.err)
		gprintf("# bench: %s: SBI error %ld\n", op->name, p.err);
	xhart_nop(op->a, 0, &p);
	base = p.c1 - p.c0;
	d = scan(call_metric, op->a);
	for (i = 0; i < ITERS_XHART; i++) {
		xhart_ecall(op->a, d, &p);
		total += p.c1 - p.c0 - base;
	}
	xhart_end();
	gprintf("# bench: %s: hart switch %lu instructions after the alarm "
		"was armed\n",
		op->name, d);
	report(op->name, ITERS_XHART, total);
}

/*
 * IPI to the target, which sleeps in wfi and answers with one back;
 * *s = the target's handler-entry stamp, or -1 if it took no IPI.
 * delta -1: no alarm, the target runs once the caller sleeps.
 */
static void ipi_probe(const unsigned long *a, unsigned long delta,
		      struct probe *p, unsigned long *s)
{
	volatile struct hart_rec *self = &rec[xhart_caller];
	volatile struct hart_rec *tr = &rec[xhart_target];
	unsigned long n = self->soft, nt = tr->soft;

	if (delta == -1UL) {
		__asm__ __volatile__("csrr %0, cycle\n"
				     "	ld a0, 0(%2)\n"
				     "	ld a1, 8(%2)\n"
				     "	ld a6, 48(%2)\n"
				     "	ld a7, 56(%2)\n"
				     "	ecall\n"
				     "	csrr %1, cycle\n"
				     : "=&r"(p->c0), "=&r"(p->c1)
				     : "r"(a)
				     : "a0", "a1", "a2", "a3", "a4", "a5", "a6",
				       "a7", "memory");
		p->d = 0;
	} else {
		xhart_ecall(a, delta, p);
	}
	wait_ge_wfi(&self->soft, n + 1);
	*s = tr->soft == nt + 1 ? tr->stamp : -1UL;
}

/* The target's handler entry, counted from the call, if inside it */
static unsigned long ipi_metric(const void *ctx, unsigned long d)
{
	struct probe p;
	unsigned long s;

	ipi_probe(ctx, d, &p, &s);
	return s != -1UL && s < p.c1 ? s - p.c0 : -1UL;
}

/*
 *  ipi_remote: the caller's call; the target runs once the caller sleeps
 *   (no alarm), so nothing of the target is in it;
 *  ipi_remote_handler: from the call to the target's handler entry (its
 *   vector's cycle stamp), the target running the moment the IPI reaches
 *   it (the alarm offset with the earliest stamp);
 *  wfi_wake_ipi: the target's part of that: from the moment it runs (the
 *   alarm) to its handler entry, i.e. waking from wfi and taking the IPI.
 */
static void run_ipi_remote(void)
{
	const unsigned long a[8] = { 1, xhart_target,	      0,	  0, 0,
				     0, SBI_EXT_IPI_SEND_IPI, SBI_EXT_IPI };
	unsigned long d, i, t, s, base, send = 0, handler = 0, wake = 0;
	unsigned long retries = 0;
	struct probe p;
	int ok = 1;

	xhart_nop(a, 0, &p);
	xhart_end();
	base = p.c1 - p.c0;
	for (i = 0; i < ITERS_XHART; i++) {
		ipi_probe(a, -1UL, &p, &s);
		ok &= s != -1UL && s > p.c1;
		send += p.c1 - p.c0 - base;
	}
	check("bench_ipi_remote_each_delivered", ok);
	report("ipi_remote", ITERS_XHART, send);

	d = scan(ipi_metric, a);
	ok = 1;
	for (i = 0; i < ITERS_XHART; i++) {
		/*
		 * The target runs inside the call, from the alarm on. Unless
		 * another VM-clock deadline (a timer armed earlier) falls just
		 * after the alarm: QEMU then ends the target's slice there and
		 * the caller runs on. Such a probe says nothing about the
		 * path: it is made again.
		 */
		for (t = 0; t <= XHART_RETRIES; t++) {
			ipi_probe(a, d, &p, &s);
			if (s != -1UL && s < p.c1 && s > p.d)
				break;
		}
		ok &= t <= XHART_RETRIES;
		retries += t;
		handler += s - p.c0;
		wake += s - p.d;
	}
	xhart_end();
	check("bench_ipi_remote_target_woke_in_call", ok);
	gprintf("# bench: ipi_remote_handler: hart switch %lu instructions "
		"after the alarm was armed, %lu probes made again\n",
		d, retries);
	report("ipi_remote_handler", ITERS_XHART, handler);
	report("wfi_wake_ipi", ITERS_XHART, wake);
}

static const char *const rfence_names[] = { "rfence_fence_i_self",
					    "rfence_sfence_vma_self",
					    "rfence_fence_i_remote",
					    "rfence_sfence_vma_remote" };
#define N_RFENCE 4
#define N_XHART_OPS (N_RFENCE + 3)

/* The last hart: the cross-hart operations, against hart 0 */
static void run_xhart(void)
{
	unsigned long self = 1UL << xhart_caller;
	unsigned long other = 1UL << xhart_target, i;
	const struct sbi_op ops[N_RFENCE] = {
		{ rfence_names[0],
		  { self, 0, 0, 0, 0, 0, SBI_EXT_RFENCE_REMOTE_FENCE_I,
		    SBI_EXT_RFENCE } },
		{ rfence_names[1],
		  { self, 0, 0x80200000UL, 4096, 0, 0,
		    SBI_EXT_RFENCE_REMOTE_SFENCE_VMA, SBI_EXT_RFENCE } },
		{ rfence_names[2],
		  { other, 0, 0, 0, 0, 0, SBI_EXT_RFENCE_REMOTE_FENCE_I,
		    SBI_EXT_RFENCE } },
		{ rfence_names[3],
		  { other, 0, 0x80200000UL, 4096, 0, 0,
		    SBI_EXT_RFENCE_REMOTE_SFENCE_VMA, SBI_EXT_RFENCE } },
	};

	for (i = 0; i < N_RFENCE; i++) {
		settle(SETTLE);
		run_xhart_sbi_op(&ops[i]);
	}
	settle(SETTLE);
	run_ipi_remote();
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	volatile struct hart_rec *t = &rec[xhart_target];

	(void)opaque;
	csrw(stvec, (unsigned long)bench_vec);
	csrc(sstatus, SSTATUS_SIE);
	csrw(sie, SSIE);
	xhart_caller = hart & (MAX_HARTS - 1);
	rec[xhart_caller].pong_to = -1UL;
	if (rtc_ok)
		run_xhart();
	/* done: release the target, which finishes the run */
	t->pong_to = -1UL;
	t->quit = 1;
	__atomic_store_n(&xhart_done_flag, 1, __ATOMIC_RELEASE);
	sbi_send_ipi(1, xhart_target);
	csrw(sie, 0);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long h = me(), nharts = dt_nharts(fdt), i, want;
	const struct sbi_op local_ops[] = {
		{ "base_get_spec_version",
		  { 0, 0, 0, 0, 0, 0, SBI_EXT_BASE_GET_SPEC_VERSION,
		    SBI_EXT_BASE } },
		{ "base_probe_extension",
		  { SBI_EXT_TIME, 0, 0, 0, 0, 0, SBI_EXT_BASE_PROBE_EXT,
		    SBI_EXT_BASE } },
		{ "time_set_timer",
		  { -1UL, 0, 0, 0, 0, 0, SBI_EXT_TIME_SET_TIMER,
		    SBI_EXT_TIME } },
		{ "hsm_hart_get_status",
		  { h, 0, 0, 0, 0, 0, SBI_EXT_HSM_HART_GET_STATUS,
		    SBI_EXT_HSM } },
	};
	const struct sbi_op ipi_self = {
		"ipi_self_masked",
		{ 1UL << h, 0, 0, 0, 0, 0, SBI_EXT_IPI_SEND_IPI, SBI_EXT_IPI }
	};
	const struct sbi_op dbcn = { "dbcn_write_byte",
				     { '.', 0, 0, 0, 0, 0,
				       SBI_EXT_DBCN_CONSOLE_WRITE_BYTE,
				       SBI_EXT_DBCN } };
	const struct sbi_op set_timer_nosstc = {
		"time_set_timer_nosstc",
		{ -1UL, 0, 0, 0, 0, 0, SBI_EXT_TIME_SET_TIMER, SBI_EXT_TIME }
	};
	int started = 0, len;

	gprintf("# bench: hart %lu, %lu harts\n", hart, nharts);
	csrw(stvec, (unsigned long)bench_vec);
	csrc(sstatus, SSTATUS_SIE);
	csrw(sie, SSIE);
	for (i = 0; i < MAX_HARTS; i++)
		rec[i].pong_to = -1UL;

	/* `-cpu rv64,sstc=false -append bench.nosstc`: the timer path only */
	if (dt_bootarg(fdt, "bench.nosstc", &len)) {
		settle(SETTLE);
		run_sbi_op(&set_timer_nosstc, ITERS, 0);
		settle(SETTLE);
		run_timer_irq("timer_irq_nosstc");
		check_eq("bench_every_op_measured", n_ops, 2);
		return;
	}

	/* local operations: the other hart is stopped (HSM) */
	for (i = 0; i < sizeof(local_ops) / sizeof(local_ops[0]); i++) {
		settle(SETTLE);
		run_sbi_op(&local_ops[i], ITERS, 0);
	}
	settle(SETTLE);
	run_sbi_op(&ipi_self, ITERS, 1);
	settle(SETTLE);
	run_sbi_op(&dbcn, ITERS_DBCN, 0);
	settle(SETTLE);
	run_mmio();
	settle(SETTLE);
	run_timer_irq("timer_irq");
	want = sizeof(local_ops) / sizeof(local_ops[0]) + 5;

	/* cross-hart operations: hart 1 measures, this hart is the target */
	rtc_ok = rtc_init(fdt);
	check("bench_rtc_on_vm_clock", rtc_ok);
	if (!rtc_ok)
		gprintf("# bench: run QEMU with -icount shift=0,sleep=off "
			"-rtc clock=vm\n");
	if (nharts >= 2 && nharts <= MAX_HARTS && h == 0) {
		/* the last hart: every target runs before it in QEMU's order */
		xhart_target = h;
		rec[h].pong_to = nharts - 1;
		started = !sbi_hart_start(nharts - 1,
					  (unsigned long)crt_secondary, 0)
				   .error;
	}
	if (nharts < 2) {
		skip("bench_other_hart_started", "single hart");
	} else {
		check("bench_other_hart_started", started);
		want += N_XHART_OPS;
	}
	if (started) {
		peer_loop(&rec[h]);
		rec[h].pong_to = -1UL;
		wait_ge_wfi(&xhart_done_flag, 1);
	}
	check_eq("bench_every_op_measured",
		 __atomic_load_n(&n_ops, __ATOMIC_ACQUIRE), want);
	sbi_set_timer(-1UL);
}
