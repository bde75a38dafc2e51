// SPDX-License-Identifier: BSD-2-Clause
#include <stdarg.h>
#include <libfdt.h>
#include "guest.h"
#include "../../lib/print.h"

volatile unsigned long irq_count[MAX_HARTS][16];
volatile unsigned long irq_time[MAX_HARTS][16];
volatile unsigned long exc_count[MAX_HARTS][24];
volatile unsigned long exc_resume[MAX_HARTS];
/* DBCN calls one line may take while the console is full (seconds) */
#define PRINT_TRIES 100000000UL

static unsigned long n_checks, n_fail, print_lock;
void (*volatile ext_irq_hook)(unsigned long hart);

struct ret ecall(unsigned long eid, unsigned long fid, unsigned long a0,
		 unsigned long a1, unsigned long a2, unsigned long a3,
		 unsigned long a4, unsigned long a5)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r5 asm("a5") = a5;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = eid;
	struct ret r;

	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	r.error = r0;
	r.value = r1;
	return r;
}

void gprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n, done = 0;
	unsigned long tries;
	struct ret r;

	va_start(ap, fmt);
	n = print_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		;
	/* a full console takes nothing for a while (§12.1): try again */
	for (tries = 0; done < n && tries < PRINT_TRIES; tries++) {
		r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, n - done,
			  (unsigned long)buf + done, 0, 0, 0, 0);
		if (r.error || r.value > (unsigned long)(n - done))
			break;
		done += r.value;
	}
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

void check(const char *name, int ok)
{
	unsigned long n = __atomic_add_fetch(&n_checks, 1, __ATOMIC_RELAXED);

	if (!ok)
		__atomic_add_fetch(&n_fail, 1, __ATOMIC_RELAXED);
	gprintf("%s %lu - %s\n", ok ? "ok" : "not ok", n, name);
}

void check_eq(const char *name, long got, long want)
{
	check(name, got == want);
	if (got != want)
		gprintf("#   %s: got %ld (0x%lx), want %ld (0x%lx)\n", name,
			got, got, want, want);
}

void skip(const char *name, const char *why)
{
	unsigned long n = __atomic_add_fetch(&n_checks, 1, __ATOMIC_RELAXED);

	gprintf("ok %lu - %s # SKIP %s\n", n, name, why);
}

unsigned long dt_nharts(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	unsigned long n = 0;

	if (cpus < 0)
		return 1;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *t = fdt_getprop(fdt, node, "device_type", NULL);

		if (t && t[0] == 'c')
			n++;
	}
	return n ? n : 1;
}

void sleep_ticks(unsigned long ticks)
{
	unsigned long end = rdtime() + ticks;

	while (rdtime() < end)
		;
}

int wait_until(volatile unsigned long *p, unsigned long want,
	       unsigned long ticks)
{
	unsigned long end = rdtime() + ticks;

	while (*p != want) {
		if (rdtime() >= end)
			return 0;
		__asm__ __volatile__("nop" ::: "memory");
	}
	return 1;
}

int wait_ge(volatile unsigned long *p, unsigned long want, unsigned long ticks)
{
	unsigned long end = rdtime() + ticks;

	while (*p < want) {
		if (rdtime() >= end)
			return 0;
		__asm__ __volatile__("nop" ::: "memory");
	}
	return 1;
}

int wait_hart_state(unsigned long hart, unsigned long state,
		    unsigned long ticks)
{
	unsigned long end = rdtime() + ticks;
	struct ret r;

	do {
		r = sbi_hart_status(hart);
		if (r.error)
			return 0;
		if (r.value == state)
			return 1;
	} while (rdtime() < end);
	return 0;
}

int dt_ram(const void *fdt, unsigned long *base, unsigned long *size)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						 "memory", 7);
	const fdt32_t *reg;
	int len;

	if (node < 0)
		return 0;
	/* QEMU virt: #address-cells = #size-cells = 2 */
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 16)
		return 0;
	*base = ((unsigned long)fdt32_to_cpu(reg[0]) << 32) |
		fdt32_to_cpu(reg[1]);
	*size = ((unsigned long)fdt32_to_cpu(reg[2]) << 32) |
		fdt32_to_cpu(reg[3]);
	return 1;
}

void guest_trap(unsigned long *frame);
void guest_trap(unsigned long *frame)
{
	unsigned long cause = csrr(scause), h = hartid();
	unsigned long code = cause & ~(1UL << 63);

	if (h >= MAX_HARTS)
		h = 0;
	if (cause >> 63) {
		if (code < 16) {
			irq_count[h][code]++;
			irq_time[h][code] = rdtime();
		}
		if (code == IRQ_S_TIMER)
			ecall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, -1UL, 0, 0,
			      0, 0, 0);
		else if (code == IRQ_S_SOFT)
			csrc(sip, MIP_SSIP);
		else if (code == IRQ_S_EXT && ext_irq_hook)
			ext_irq_hook(h); /* claims and completes at the PLIC */
		else
			csrc(sie, 1UL << code);
		return;
	}
	if (code < 24)
		exc_count[h][code]++;
	if (exc_resume[h]) {
		frame[32] = exc_resume[h];
		exc_resume[h] = 0;
		return;
	}
	gprintf("# unexpected exception %lu at 0x%lx (stval 0x%lx)\n", code,
		frame[32], csrr(stval));
	guest_exit();
}

__attribute__((weak)) void guest_secondary(unsigned long hart,
					   unsigned long opaque)
{
	(void)hart;
	(void)opaque;
}

void guest_exit_secondary(void);
void guest_exit_secondary(void)
{
	ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_STOP, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ __volatile__("wfi");
}

void guest_exit(void)
{
	gprintf("1..%lu\n# guest done: pass=%lu fail=%lu\n", n_checks,
		n_checks - n_fail, n_fail);
	ecall(SBI_EXT_SRST, SBI_EXT_SRST_RESET, SBI_SRST_RESET_TYPE_SHUTDOWN,
	      SBI_SRST_RESET_REASON_NONE, 0, 0, 0, 0);
	ecall(0x08, 0, 0, 0, 0, 0, 0, 0); /* legacy shutdown */
	for (;;)
		__asm__ __volatile__("wfi");
}

const char *dt_bootarg(const void *fdt, const char *key, int *len)
{
	int node = fdt_path_offset(fdt, "/chosen"), n, k = sbi_strlen(key);
	const char *s, *end, *w;

	s = node < 0 ? NULL : fdt_getprop(fdt, node, "bootargs", &n);
	if (!s)
		return NULL;
	for (end = s + sbi_strnlen(s, n); s < end; s = w + 1) {
		for (w = s; w < end && *w != ' '; w++)
			;
		if (w - s < k || sbi_strncmp(s, key, k))
			continue;
		if (w - s == k || s[k] == '=') {
			s += w - s == k ? k : k + 1;
			*len = w - s;
			return s;
		}
	}
	return NULL;
}

int dt_bootarg_ulong(const void *fdt, const char *key, unsigned long *v)
{
	unsigned long n = 0, base = 10, d;
	const char *s;
	int len, i = 0;

	s = dt_bootarg(fdt, key, &len);
	if (!s)
		return 0;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -1;
		if (n > (-1UL - d) / base)
			return -1;
		n = n * base + d;
	}
	*v = n;
	return 1;
}

unsigned long dt_timebase(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), len;
	const fdt32_t *p;

	p = cpus < 0 ? NULL
		     : fdt_getprop(fdt, cpus, "timebase-frequency", &len);
	return p && len == 4 && fdt32_to_cpu(*p) ? fdt32_to_cpu(*p)
						 : 10000000UL;
}

unsigned long dt_reserved(const void *fdt)
{
	int rm = fdt_path_offset(fdt, "/reserved-memory"), node, len;
	const fdt32_t *reg;

	if (rm < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, rm) {
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (fdt_getprop(fdt, node, "no-map", NULL) && reg && len >= 8)
			return (unsigned long)fdt32_to_cpu(reg[0]) << 32 |
			       fdt32_to_cpu(reg[1]);
	}
	return 0;
}
