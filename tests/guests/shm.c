// SPDX-License-Identifier: BSD-2-Clause
/*
 * Two configured guests exchange data through a shared-memory window and
 * its doorbells (docs/config.md, tests/system/test_multi.py). The guest
 * finds the window in its device tree: the first node compatible
 * "sbivisor,shmem", reg = <window gpa, size, doorbell gpa, doorbell size>
 * (2 + 2 cells each), "interrupts" = the PLIC source the peer's doorbell
 * raises here. A 32-bit write to our doorbell interrupts the peer; a read
 * returns how many times we rang it.
 *
 * Roles from bootargs "shm=ping" or "shm=pong"; "shm.rounds=N" (16).
 * Window layout: a header page (pong's ready word and the two sequence
 * numbers), then the message half and the reply half of the rest.
 *   pong: programs its PLIC context (the S context of vCPU 0 is context 0)
 *         and sets ready;
 *   ping: waits for ready, then per round writes a pattern into the
 *         message half, publishes the round number and rings; waits for
 *         the doorbell interrupt; checks the reply;
 *   pong: on each interrupt checks the message and the round number,
 *         writes the complement into the reply half, publishes and rings.
 * External interrupts are taken through the trap handler (QEMU 7.2 hides
 * vsip.SEIP from VS-mode reads), which claims and completes at the PLIC.
 *
 * With "shm.exec" the guest finally jumps into the window, which is never
 * executable: the hypervisor stops it with an instruction guest-page
 * fault. If the jump returns, or comes back as an exception, the check
 * shm_window_not_executable fails.
 */
#include <libfdt.h>
#include "guest.h"

#define PLIC_BASE 0x0c000000UL
#define PLIC_PRIO(irq) (PLIC_BASE + 4 * (irq))
#define PLIC_ENABLE(ctx, irq)                                                  \
	(PLIC_BASE + 0x2000 + 0x80 * (ctx) + (irq) / 32 * 4)
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_THRESHOLD(ctx) + 4)

#define READY 0x73686d2072656479UL /* "shm redy" */
#define TIMEOUT 50000000UL	   /* 5 s at 10 MHz */
#define INSN_RET 0x00008067U

struct hdr {
	unsigned long ready;
	unsigned long seq_ping;
	unsigned long seq_pong;
};

static unsigned long win, win_size, bell;
static int is_ping;
static unsigned long bell_irq; /* 0: the peer does not ring us */
/*
 * shm.notimer: no timer is ever armed. The pong side sleeps in wfi with
 * nothing but the doorbell to wake it; the ping side spins (no wfi, no
 * timer) until the reply, bounded by reading the time. With both on one
 * hart, only the hypervisor's reaction to the doorbell can end the wfi
 * (issue #9, defect 5: the wake-up was lost).
 */
static bool notimer;
static volatile unsigned long claims, stray;

static inline void w32(unsigned long a, unsigned int v)
{
	*(volatile unsigned int *)a = v;
}

static inline unsigned int r32(unsigned long a)
{
	return *(volatile unsigned int *)a;
}

static inline void fence(void)
{
	__asm__ __volatile__("fence rw, rw" ::: "memory");
}

/* Claim and complete everything pending for this hart's context */
static void shm_ext_irq(unsigned long h)
{
	unsigned int src;

	while ((src = r32(PLIC_CLAIM(h)))) {
		if (src == bell_irq)
			claims++;
		else
			stray++;
		w32(PLIC_CLAIM(h), src);
	}
}

static unsigned long cells(const fdt32_t *p)
{
	return (unsigned long)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

static int find_window(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "sbivisor,shmem");
	const fdt32_t *reg, *irq;
	int len;

	if (node < 0)
		return 0;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len != 32)
		return 0;
	win = cells(reg);
	win_size = cells(reg + 2);
	bell = cells(reg + 4);
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	bell_irq = irq && len == 4 ? fdt32_to_cpu(*irq) : 0;
	gprintf("# shm: window 0x%lx+0x%lx, doorbell 0x%lx, irq %lu, peer %s\n",
		win, win_size, bell, bell_irq,
		(const char *)fdt_getprop(fdt, node, "sbivisor,peer", NULL)
			?: "?");
	return win_size > 3 * 4096;
}

static void plic_setup(unsigned long ctx)
{
	w32(PLIC_PRIO(bell_irq), 1);
	w32(PLIC_ENABLE(ctx, bell_irq),
	    r32(PLIC_ENABLE(ctx, bell_irq)) | 1U << (bell_irq % 32));
	w32(PLIC_THRESHOLD(ctx), 0);
	ext_irq_hook = shm_ext_irq;
	csrs(sie, MIP_SEIP | (notimer ? 0 : MIP_STIP));
}

/* wfi until claims >= n, taking interrupts with SIE open briefly */
static int wait_bell(unsigned long n)
{
	unsigned long end = rdtime() + TIMEOUT;

	if (!notimer)
		sbi_set_timer(end); /* bounds every wfi */
	while (claims < n && rdtime() < end) {
		if (!notimer || !is_ping)
			wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
	sbi_set_timer(-1UL);
	return claims >= n;
}

static unsigned long pattern(unsigned long round, unsigned long i)
{
	return (round << 48) ^ (i * 0x9e3779b97f4a7c15UL);
}

static void ring(void)
{
	fence();
	w32(bell, 1);
}

static void ping(struct hdr *h, unsigned long *msg, unsigned long *reply,
		 unsigned long words, unsigned long rounds)
{
	unsigned long r, i, end = rdtime() + TIMEOUT;
	int data_ok = 1, seq_ok = 1, irq_ok = 1;

	while (__atomic_load_n(&h->ready, __ATOMIC_ACQUIRE) != READY &&
	       rdtime() < end)
		;
	check("shm_peer_ready", h->ready == READY);
	if (h->ready != READY)
		return;
	for (r = 1; r <= rounds; r++) {
		for (i = 0; i < words; i++)
			msg[i] = pattern(r, i);
		__atomic_store_n(&h->seq_ping, r, __ATOMIC_RELEASE);
		ring();
		if (!wait_bell(r)) {
			irq_ok = 0;
			break;
		}
		if (__atomic_load_n(&h->seq_pong, __ATOMIC_ACQUIRE) != r)
			seq_ok = 0;
		for (i = 0; i < words; i++)
			data_ok &= reply[i] == ~pattern(r, i);
	}
	gprintf("# shm: ping: %lu rounds, %lu doorbell interrupts\n", r - 1,
		claims);
	check("shm_ping_doorbell_answered", irq_ok);
	check("shm_ping_sequence", seq_ok);
	check("shm_ping_reply_data", data_ok && r > rounds);
}

static void pong(struct hdr *h, unsigned long *msg, unsigned long *reply,
		 unsigned long words, unsigned long rounds)
{
	unsigned long r, i;
	int data_ok = 1, seq_ok = 1, irq_ok = 1;

	__atomic_store_n(&h->ready, READY, __ATOMIC_RELEASE);
	for (r = 1; r <= rounds; r++) {
		if (!wait_bell(r)) {
			irq_ok = 0;
			break;
		}
		if (__atomic_load_n(&h->seq_ping, __ATOMIC_ACQUIRE) != r)
			seq_ok = 0;
		for (i = 0; i < words; i++) {
			data_ok &= msg[i] == pattern(r, i);
			reply[i] = ~msg[i];
		}
		__atomic_store_n(&h->seq_pong, r, __ATOMIC_RELEASE);
		ring();
	}
	gprintf("# shm: pong: %lu rounds, %lu doorbell interrupts\n", r - 1,
		claims);
	check("shm_pong_doorbell_taken", irq_ok);
	check("shm_pong_sequence", seq_ok);
	check("shm_pong_message_data", data_ok && r > rounds);
}

static void __attribute__((noreturn)) exec_returned(void)
{
	check("shm_window_not_executable", 0);
	guest_exit();
}

/* In the header page, apart from the peer's: the data may be in use */
static void exec_window(unsigned long hart, int is_ping)
{
	unsigned long at = win + (is_ping ? 2048 : 3072);

	w32(at, INSN_RET);
	__asm__ __volatile__("fence.i" ::: "memory");
	gprintf("# shm: executing the window at 0x%lx\n", at);
	exc_resume[hart < MAX_HARTS ? hart : 0] = (unsigned long)exec_returned;
	((void (*)(void))at)();
	exec_returned();
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long rounds = 16, words;
	unsigned long *msg, *reply;
	const char *role;
	struct hdr *h;
	int len;

	role = dt_bootarg(fdt, "shm", &len);
	is_ping = role && len == 4 && !sbi_strncmp(role, "ping", 4);
	if (!role || (!is_ping && (len != 4 || sbi_strncmp(role, "pong", 4)))) {
		check("shm_role_known", 0);
		return;
	}
	notimer = dt_bootarg(fdt, "shm.notimer", &len) != NULL;
	if (dt_bootarg_ulong(fdt, "shm.rounds", &rounds) < 0 || !rounds)
		check("shm_rounds_valid", 0);
	check("shm_window_in_dt", find_window(fdt));
	check("shm_doorbell_irq_in_dt", bell_irq > 0);
	if (!win_size || !bell_irq)
		return;
	h = (struct hdr *)win;
	words = (win_size - 4096) / 2 / sizeof(unsigned long);
	msg = (unsigned long *)(win + 4096);
	reply = msg + words;
	plic_setup(hart);
	if (is_ping)
		ping(h, msg, reply, words, rounds);
	else
		pong(h, msg, reply, words, rounds);
	check_eq("shm_doorbell_claims", claims, rounds);
	check_eq("shm_no_stray_irq", stray, 0);
	check_eq("shm_doorbell_reads_rung", r32(bell), rounds);
	if (dt_bootarg(fdt, "shm.exec", &len))
		exec_window(hart, is_ping);
}
