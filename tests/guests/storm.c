// SPDX-License-Identifier: BSD-2-Clause
/*
 * Storms for the soak (issue #9, scripts/soak.py): every vCPU of the guest
 * loops over the storms its bootargs select, for storm.seconds, checking
 * its own invariants as it goes:
 *   ipi     IPIs to the next vCPU and to all (hart_mask_base -1): every
 *           IPI sent is taken by its target (a sequence number per sender
 *           and target, read by the target's handler after it cleared
 *           SSIP, reaches the one sent within IPI_TIMEOUT_S)
 *   rfence  remote fence.i and sfence.vma(_asid) at all, the next, itself,
 *           over ranges that include the top of the address space: each
 *           call succeeds (INVALID_ADDRESS allowed for wrapping ranges)
 *   timer   SBI set_timer churn (near, far then near, past, cancelled then
 *           re-armed) with deadlines of at most 500 us, taken as
 *           interrupts: none arrives before its deadline, none is lost
 *   dbcn    DBCN calls: bad ones (refused), empty ones, and every
 *           storm.dbcn_ms (default 100) 4 and 16 numbered 64-byte lines
 *           "~V SEQ payload" (partial counts followed) and one line
 *           "=V SEQ" by write_byte; the runner checks every line for loss
 *           and damage (a partial count lets other guests cut a line: the
 *           rest is the guest's next output, all of it under one lock)
 *   wfi     the timer waits sleep in wfi instead of spinning
 * Bootargs: storm.seconds=N [10], storm.report=S [5], storm.dbcn_ms=M,
 * storm.vK=list (comma-separated storms of vCPU K; default all).
 *
 * Every storm.report seconds each vCPU prints "# storm: vcpu N round R ok"
 * (FAIL and the error count when it found some since), at the end
 * "# storm: vcpu N done ..." and "# storm: vcpu N totals ..." with its
 * counters; vCPU 0 then prints the TAP checks. The guest has its own trap
 * vector: the runtime's handler takes IPIs with no hook for the receiver.
 */
#include <libfdt.h>
#include <sbi/sbi_string.h>
#include "guest.h"
#include "../../lib/print.h"

#define PAGE 4096UL
#define IPI_BURST 16
#define TIMER_BURST 6
#define TIMER_MAX_US 500
#define IPI_TIMEOUT_S 5
#define TIMER_TIMEOUT_S 5
#define START_TIMEOUT_S 5
#define FINISH_TIMEOUT_S 60
#define MAX_FAIL_LINES 20 /* per vCPU: the first errors say what broke */
#define LINE 64

enum { S_IPI, S_RFENCE, S_TIMER, S_DBCN, S_WFI, S_COUNT };
static const char *const storm_name[S_COUNT] = { "ipi", "rfence", "timer",
						 "dbcn", "wfi" };

struct vstate {
	/* written by other vCPUs' senders (want) and this vCPU's handler */
	volatile unsigned long want[MAX_HARTS]; /* IPIs sent here, per sender */
	volatile unsigned long got[MAX_HARTS];	/* want[] at the last IPI */
	volatile unsigned long ipis_taken, timer_irqs, timer_early, late_max;
	volatile unsigned long deadline, early_at; /* when one came early */
	volatile unsigned long up, finished, printed;
	unsigned long storms, rng, rounds, errors, reported_errors;
	unsigned long ipis, ack_max, rfences, rfence_max, wfis;
	unsigned long pend_w[MAX_HARTS], pend_t[MAX_HARTS];
	unsigned long last_w[MAX_HARTS], last_t[MAX_HARTS];
	unsigned long dbcn_calls, dbcn_bytes, dbcn_lines, dbcn_bursts;
	unsigned long byte_seq, next_dbcn;
	char buf[16 * LINE] __attribute__((aligned(8)));
	char msg[256];
} __attribute__((aligned(64)));

static struct vstate vs[MAX_HARTS];
/* DBCN calls in a row that may take nothing (the console is full) */
#define DBCN_ZEROS 10000000UL

static unsigned long nv, tpu, end_time, dbcn_ticks;
static volatile unsigned long go, out_lock;

static void out_write(const char *s, unsigned long n)
{
	struct ret r;

	unsigned long zeros = 0;

	/* a full console takes nothing for a while (SBI §12.1) */
	while (n && zeros < DBCN_ZEROS) {
		r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, n,
			  (unsigned long)s, 0, 0, 0, 0);
		if (r.error || r.value > n)
			return;
		zeros = r.value ? 0 : zeros + 1;
		s += r.value;
		n -= r.value;
	}
}

/*
 * One writer at a time: a line a partial count left open goes on with
 * this guest's next bytes (only other guests' lines may cut in)
 */
static void out_lock_take(void)
{
	while (__atomic_exchange_n(&out_lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void out_lock_drop(void)
{
	__atomic_store_n(&out_lock, 0, __ATOMIC_RELEASE);
}

static void __attribute__((format(printf, 2, 3)))
say(struct vstate *v, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(v->msg))
		n = sizeof(v->msg) - 1;
	out_lock_take();
	out_write(v->msg, n);
	out_lock_drop();
}

#define fail(v, me, fmt, ...)                                                  \
	do {                                                                   \
		if (++(v)->errors <= MAX_FAIL_LINES)                           \
			say(v, "# storm: vcpu %lu FAIL " fmt "\n", me,         \
			    ##__VA_ARGS__);                                    \
	} while (0)

static unsigned long rnd(struct vstate *v)
{
	v->rng ^= v->rng << 13;
	v->rng ^= v->rng >> 7;
	v->rng ^= v->rng << 17;
	return v->rng;
}

/* Our own vector: IPIs acknowledged by sequence, timers checked */
void __attribute__((interrupt("supervisor"), aligned(4))) storm_trap(void)
{
	unsigned long cause = csrr(scause), now = rdtime(), me = hartid(), s;
	struct vstate *v = &vs[me < MAX_HARTS ? me : 0];

	if (!(cause >> 63)) {
		/* no lock: it may be ours; the line may mix, the run fails */
		print_snprintf(v->msg, sizeof(v->msg),
			       "# storm: vcpu %lu FAIL exception %lu at 0x%lx "
			       "(stval 0x%lx)\n",
			       me, cause, csrr(sepc), csrr(stval));
		out_write(v->msg, sbi_strlen(v->msg));
		guest_exit();
	}
	switch (cause & 0xff) {
	case IRQ_S_SOFT:
		/* clear, then read: a later IPI raises it again */
		csrc(sip, MIP_SSIP);
		for (s = 0; s < nv; s++)
			v->got[s] =
				__atomic_load_n(&v->want[s], __ATOMIC_ACQUIRE);
		v->ipis_taken++;
		break;
	case IRQ_S_TIMER:
		sbi_set_timer(-1UL); /* also clears the pending bit */
		if (now < v->deadline) {
			v->timer_early++;
			v->early_at = now;
		} else if (now - v->deadline > v->late_max)
			v->late_max = now - v->deadline;
		v->timer_irqs++;
		break;
	default:
		csrc(sie, 1UL << (cause & 0xff));
	}
}

/* ---- ipi ---- */

/*
 * A sender does not wait for each IPI: per target it tracks the oldest
 * one not yet taken (pend) and the last one sent (last), and checks them
 * every round; only the end of the storm waits for the last ones.
 */
static void ipi_post(struct vstate *v, unsigned long me, unsigned long t)
{
	unsigned long w =
		__atomic_add_fetch(&vs[t].want[me], 1, __ATOMIC_ACQ_REL);

	v->last_w[t] = w;
	v->last_t[t] = rdtime();
	if (!v->pend_w[t]) {
		v->pend_w[t] = w;
		v->pend_t[t] = v->last_t[t];
	}
}

static void ipi_check(struct vstate *v, unsigned long me, unsigned long t,
		      int wait)
{
	unsigned long lim = IPI_TIMEOUT_S * 1000000 * tpu, now;

	while (v->pend_w[t]) {
		now = rdtime();
		if (vs[t].got[me] >= v->pend_w[t]) {
			if (now - v->pend_t[t] > v->ack_max)
				v->ack_max = now - v->pend_t[t];
			/* then the newest, if it is not taken yet */
			v->pend_w[t] =
				v->last_w[t] > vs[t].got[me] ? v->last_w[t] : 0;
			v->pend_t[t] = v->last_t[t];
		} else if (now - v->pend_t[t] > lim) {
			fail(v, me,
			     "IPI to vcpu %lu not taken in %d s (sent "
			     "%lu, taken %lu)",
			     t, IPI_TIMEOUT_S, v->pend_w[t], vs[t].got[me]);
			v->pend_w[t] = 0;
		} else if (!wait) {
			return;
		}
	}
}

static void storm_ipi(struct vstate *v, unsigned long me)
{
	unsigned long peer = (me + 1) % nv, t, i;
	struct ret r;

	for (i = 0; i < IPI_BURST; i++) {
		ipi_post(v, me, peer);
		r = sbi_send_ipi(1UL << peer, 0);
		v->ipis++;
		if (r.error)
			fail(v, me, "send_ipi to vcpu %lu: error %ld", peer,
			     r.error);
	}
	/* everyone, this vCPU included */
	for (t = 0; t < nv; t++)
		ipi_post(v, me, t);
	r = sbi_send_ipi(0, -1UL);
	v->ipis++;
	if (r.error)
		fail(v, me, "send_ipi to all: error %ld", r.error);
	for (t = 0; t < nv; t++)
		ipi_check(v, me, t, 0);
}

/* ---- rfence ---- */

static const struct {
	unsigned long start, size;
	int wraps;
} ranges[] = {
	{ 0, 0, 0 },
	{ 0, -1UL, 0 },
	{ 0x80200000UL, PAGE, 0 },
	{ 0x80000000UL, 0x2000000UL, 0 },
	{ -PAGE, PAGE, 0 }, /* the last page */
	{ -2 * PAGE, 2 * PAGE - 1, 0 },
	{ -PAGE / 2, PAGE / 4, 0 },
	{ -0x200000UL, 0x200000UL, 0 },
	{ -PAGE, -1UL, 0 }, /* size -1: everything */
	{ -PAGE, 2 * PAGE, 1 },
	{ -0x200000UL, 0x400000UL, 1 },
};
#define NRANGES (sizeof(ranges) / sizeof(ranges[0]))

static void storm_rfence(struct vstate *v, unsigned long me)
{
	unsigned long i, k, fid, mask, base, t0, dt;
	struct ret r;

	for (i = 0; i < NRANGES; i++) {
		k = v->rounds + i;
		fid = k % 3; /* fence.i, sfence.vma, sfence.vma.asid */
		switch (k / 3 % 4) {
		case 0: /* all */
			mask = 0;
			base = -1UL;
			break;
		case 1: /* the next */
			mask = 1UL << ((me + 1) % nv);
			base = 0;
			break;
		case 2: /* every vCPU by mask */
			mask = (1UL << nv) - 1;
			base = 0;
			break;
		default:
			mask = 1UL << me;
			base = 0;
		}
		t0 = rdtime();
		r = ecall(SBI_EXT_RFENCE, fid, mask, base, ranges[i].start,
			  ranges[i].size, k & 1, 0);
		dt = rdtime() - t0;
		v->rfences++;
		if (dt > v->rfence_max)
			v->rfence_max = dt;
		if (r.error && !(ranges[i].wraps && fid &&
				 r.error == SBI_ERR_INVALID_ADDRESS))
			fail(v, me,
			     "rfence fid %lu mask 0x%lx base %ld range "
			     "0x%lx+0x%lx: error %ld",
			     fid, mask, (long)base, ranges[i].start,
			     ranges[i].size, r.error);
	}
}

/* ---- timer (and wfi) ---- */

static int wait_timer(struct vstate *v, unsigned long n, unsigned long lim)
{
	while (v->timer_irqs == n) {
		if (rdtime() > lim)
			return 0;
		if (!(v->storms & (1 << S_WFI)))
			continue;
		/* no wake-up may slip between the test and the wfi */
		csrc(sstatus, SSTATUS_SIE);
		if (v->timer_irqs == n) {
			wfi();
			v->wfis++;
		}
		csrs(sstatus, SSTATUS_SIE);
	}
	return 1;
}

static void storm_timer(struct vstate *v, unsigned long me, unsigned long k)
{
	unsigned long i, r, d, n, early;

	for (i = 0; i < k; i++) {
		r = rnd(v);
		n = v->timer_irqs;
		early = v->timer_early;
		csrc(sstatus, SSTATUS_SIE);
		d = rdtime() + (r >> 8) % (TIMER_MAX_US * tpu);
		switch (r % 4) {
		case 1: /* churn: far away first */
			sbi_set_timer(d + 1000000 * tpu);
			break;
		case 2: /* already due: at once */
			d = rdtime() - 1;
			break;
		case 3: /* cancelled, then armed */
			sbi_set_timer(-1UL);
			break;
		}
		v->deadline = d;
		sbi_set_timer(d);
		csrs(sstatus, SSTATUS_SIE);
		if (!wait_timer(v, n,
				rdtime() + TIMER_TIMEOUT_S * 1000000 * tpu)) {
			fail(v, me, "timer due at %lu not taken in %d s", d,
			     TIMER_TIMEOUT_S);
			sbi_set_timer(-1UL);
		}
		if (v->timer_early != early)
			fail(v, me,
			     "timer due at %lu taken at %lu (armed as "
			     "case %lu)",
			     d, v->early_at, r % 4);
	}
}

/* ---- dbcn ---- */

static void dbcn_lines(struct vstate *v, unsigned long me, unsigned long n)
{
	unsigned long i, j, off, left = n * LINE, calls = 0, zeros = 0;
	char *p = v->buf;
	struct ret r;

	for (i = 0; i < n; i++, p += LINE) {
		print_snprintf(p, LINE, "~%lu %08lx ", me, v->dbcn_lines);
		for (j = 12; j < LINE - 1; j++)
			p[j] = 'a' + (v->dbcn_lines + j) % 26;
		p[LINE - 1] = '\n';
		v->dbcn_lines++;
	}
	out_lock_take();
	for (off = 0; left; off += r.value, left -= r.value) {
		r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, left,
			  (unsigned long)v->buf + off, 0, 0, 0, 0);
		calls++;
		zeros = r.value ? 0 : zeros + 1;
		if (r.error || r.value > left || zeros >= DBCN_ZEROS)
			break;
		v->dbcn_bytes += r.value;
	}
	out_lock_drop();
	v->dbcn_calls += calls;
	if (left)
		fail(v, me,
		     "dbcn write of %lu bytes stopped at %lu: error "
		     "%ld value %lu",
		     n * LINE, off, r.error, r.value);
}

static void storm_dbcn(struct vstate *v, unsigned long me)
{
	unsigned long ram = (unsigned long)v->buf, i, n;
	char b[24];
	struct ret r;

	/* refused: outside RAM, upper address bits; empty: nothing */
	r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, 16, 0x1000, 0, 0, 0,
		  0);
	if (r.error != SBI_ERR_INVALID_PARAM)
		fail(v, me, "dbcn write outside RAM: error %ld", r.error);
	r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, 16, ram, 1, 0, 0,
		  0);
	if (r.error != SBI_ERR_INVALID_PARAM)
		fail(v, me, "dbcn write with base_hi: error %ld", r.error);
	r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, 0, ram, 0, 0, 0, 0);
	if (r.error || r.value)
		fail(v, me, "empty dbcn write: error %ld value %lu", r.error,
		     r.value);
	v->dbcn_calls += 3;
	if (rdtime() < v->next_dbcn)
		return;
	v->next_dbcn = rdtime() + dbcn_ticks;
	dbcn_lines(v, me, 4); /* 256 bytes: one call */
	if (v->dbcn_bursts++ % 4 == 0)
		dbcn_lines(v, me, 16); /* partial counts */
	/* byte by byte: "=V SEQ", cut wherever other guests print */
	n = print_snprintf(b, sizeof(b), "=%lu %08lx\n", me, v->byte_seq++);
	out_lock_take();
	for (i = 0, r.error = 0; i < n && !r.error; i++) {
		r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE, b[i],
			  0, 0, 0, 0, 0);
		v->dbcn_calls++;
		v->dbcn_bytes += !r.error;
	}
	out_lock_drop();
	if (r.error)
		fail(v, me, "dbcn write_byte: error %ld", r.error);
}

/* ---- the loop ---- */

static void report(struct vstate *v, unsigned long me)
{
	if (v->errors == v->reported_errors)
		say(v, "# storm: vcpu %lu round %lu ok\n", me, v->rounds);
	else
		say(v, "# storm: vcpu %lu round %lu FAIL errors=%lu\n", me,
		    v->rounds, v->errors);
	v->reported_errors = v->errors;
}

static unsigned long us(unsigned long ticks)
{
	return ticks / tpu;
}

static void storm(unsigned long me, unsigned long report_ticks)
{
	struct vstate *v = &vs[me];
	unsigned long next = rdtime() + report_ticks, t, i;

	csrw(stvec, (unsigned long)storm_trap);
	if (csrr(stvec) != (unsigned long)storm_trap)
		fail(v, me, "stvec 0x%lx not taken", (unsigned long)storm_trap);
	csrs(sie, MIP_SSIP | MIP_STIP);
	csrs(sstatus, SSTATUS_SIE);
	v->rng = 0x9e3779b97f4a7c15UL * (me + 1) ^ rdtime();
	__atomic_store_n(&v->up, 1, __ATOMIC_RELEASE);
	while (!go)
		;
	while (rdtime() < end_time) {
		if (v->storms & (1 << S_IPI))
			storm_ipi(v, me);
		if (v->storms & (1 << S_RFENCE))
			storm_rfence(v, me);
		/* wfi alone still needs a wake-up: one short timer */
		if (v->storms & (1 << S_TIMER | 1 << S_WFI))
			storm_timer(v, me,
				    v->storms & (1 << S_TIMER) ? TIMER_BURST
							       : 1);
		if (v->storms & (1 << S_DBCN))
			storm_dbcn(v, me);
		v->rounds++;
		if (rdtime() >= next) {
			report(v, me);
			next += report_ticks;
		}
	}
	for (i = 0; i < nv; i++)
		ipi_check(v, me, i, 1);
	/* keep taking IPIs until no vCPU sends any more */
	__atomic_store_n(&v->finished, 1, __ATOMIC_RELEASE);
	t = rdtime() + FINISH_TIMEOUT_S * 1000000 * tpu;
	for (i = 0; i < nv; i++)
		while (!vs[i].finished && rdtime() < t)
			;
	say(v,
	    "# storm: vcpu %lu done rounds=%lu errors=%lu ipis=%lu "
	    "ipis_taken=%lu ipi_max_ack_us=%lu rfences=%lu "
	    "rfence_max_us=%lu\n",
	    me, v->rounds, v->errors, v->ipis, v->ipis_taken, us(v->ack_max),
	    v->rfences, us(v->rfence_max));
	say(v,
	    "# storm: vcpu %lu totals timer_irqs=%lu timer_early=%lu "
	    "timer_max_late_us=%lu dbcn_calls=%lu dbcn_bytes=%lu "
	    "dbcn_lines=%lu dbcn_byte_lines=%lu wfis=%lu\n",
	    me, v->timer_irqs, v->timer_early, us(v->late_max), v->dbcn_calls,
	    v->dbcn_bytes, v->dbcn_lines, v->byte_seq, v->wfis);
	__atomic_store_n(&v->printed, 1, __ATOMIC_RELEASE);
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	/* opaque: the report interval in seconds */
	if (hart < nv)
		storm(hart, opaque * 1000000 * tpu);
}

/* storm.vK=ipi,rfence,...: a mask of storms; -1 if a word is unknown */
static long storms_of(const void *fdt, unsigned long k)
{
	char key[16];
	const char *s, *e;
	unsigned long mask = 0, i;
	int len;

	print_snprintf(key, sizeof(key), "storm.v%lu", k);
	s = dt_bootarg(fdt, key, &len);
	if (!s)
		return (1 << S_COUNT) - 1;
	for (e = s + len; s < e; s++) {
		for (i = 0; i < S_COUNT; i++) {
			len = sbi_strlen(storm_name[i]);
			if (e - s >= len &&
			    !sbi_strncmp(s, storm_name[i], len) &&
			    (s + len == e || s[len] == ','))
				break;
		}
		if (i == S_COUNT)
			return -1;
		mask |= 1UL << i;
		s += len;
	}
	return mask;
}

static unsigned long total(unsigned long off)
{
	unsigned long i, n = 0;

	for (i = 0; i < nv; i++)
		n += *(unsigned long *)((char *)&vs[i] + off);
	return n;
}
#define TOTAL(f) total(__builtin_offsetof(struct vstate, f))

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long secs = 10, rep = 5, dms = 100, i, t;
	long m;
	int ok = 1, up = 1;

	tpu = dt_timebase(fdt) / 1000000 ?: 1;
	nv = dt_nharts(fdt);
	if (nv > MAX_HARTS)
		nv = MAX_HARTS;
	ok &= dt_bootarg_ulong(fdt, "storm.seconds", &secs) >= 0;
	ok &= dt_bootarg_ulong(fdt, "storm.report", &rep) >= 0 && rep;
	ok &= dt_bootarg_ulong(fdt, "storm.dbcn_ms", &dms) >= 0;
	for (i = 0; i < nv; i++) {
		m = storms_of(fdt, i);
		ok &= m >= 0;
		vs[i].storms = m < 0 ? 0 : m;
		gprintf("# storm: vcpu %lu storms 0x%lx\n", i, vs[i].storms);
	}
	check("storm_bootargs", ok);
	if (!ok || hart)
		return;
	dbcn_ticks = dms * 1000 * tpu;
	gprintf("# storm: %lu vcpus, %lu s, report every %lu s\n", nv, secs,
		rep);
	for (i = 1; i < nv; i++)
		sbi_hart_start(i, (unsigned long)crt_secondary, rep);
	t = START_TIMEOUT_S * 1000000 * tpu;
	for (i = 1; i < nv; i++)
		up &= wait_until(&vs[i].up, 1, t);
	check("storm_vcpus_up", up);
	end_time = rdtime() + secs * 1000000 * tpu;
	go = 1;
	storm(0, rep * 1000000 * tpu);
	t = FINISH_TIMEOUT_S * 1000000 * tpu;
	for (i = 1; i < nv; i++)
		up &= wait_until(&vs[i].printed, 1, t);
	csrc(sstatus, SSTATUS_SIE);
	check("storm_vcpus_finished", up);
	check_eq("storm_timers_early", TOTAL(timer_early), 0);
	check_eq("storm_errors", TOTAL(errors), 0);
	check("storm_progress", TOTAL(rounds) > 0);
}
