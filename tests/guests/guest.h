/* SPDX-License-Identifier: BSD-2-Clause */
/* Runtime for sbivisor's bare-metal test guests (TAP over SBI DBCN). */
#ifndef TEST_GUEST_H
#define TEST_GUEST_H

#include <sbi/sbi_ecall_interface.h>
#include <sbi/riscv_encoding.h>

#define MAX_HARTS 8

struct ret {
	long error;
	unsigned long value;
};

struct ret ecall(unsigned long eid, unsigned long fid, unsigned long a0,
		 unsigned long a1, unsigned long a2, unsigned long a3,
		 unsigned long a4, unsigned long a5);

#define csrr(csr)                                                              \
	({                                                                     \
		unsigned long __v;                                             \
		__asm__ __volatile__("csrr %0, " #csr : "=r"(__v));            \
		__v;                                                           \
	})
#define csrw(csr, v) __asm__ __volatile__("csrw " #csr ", %0" ::"rK"(v))
#define csrs(csr, v) __asm__ __volatile__("csrs " #csr ", %0" ::"rK"(v))
#define csrc(csr, v) __asm__ __volatile__("csrc " #csr ", %0" ::"rK"(v))

static inline unsigned long hartid(void)
{
	unsigned long h;

	__asm__ __volatile__("mv %0, tp" : "=r"(h));
	return h;
}

static inline unsigned long rdtime(void)
{
	return csrr(time);
}

void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* TAP: each check has a stable name the system tests refer to */
void check(const char *name, int ok);
void check_eq(const char *name, long got, long want);
void skip(const char *name, const char *why);

/* Interrupts taken, per hart, by cause (written by the trap handler) */
extern volatile unsigned long irq_count[MAX_HARTS][16];
extern volatile unsigned long irq_time[MAX_HARTS][16];
extern volatile unsigned long exc_count[MAX_HARTS][24];
/* Optional: resume address after a synchronous exception */
extern volatile unsigned long exc_resume[MAX_HARTS];

/* Guest device tree facts */
unsigned long dt_nharts(const void *fdt);

/* Busy-free waits: wfi until cond or timeout (timer ticks) */
int wait_until(volatile unsigned long *p, unsigned long want,
	       unsigned long ticks);
void sleep_ticks(unsigned long ticks);

/* Wait until a counter reaches at least want, or timeout (ticks) */
int wait_ge(volatile unsigned long *p, unsigned long want, unsigned long ticks);
/* Poll SBI HSM until hart is in state; 0 on timeout or error */
int wait_hart_state(unsigned long hart, unsigned long state,
		    unsigned long ticks);
/* Guest RAM from the device tree's memory node; 0 if none */
int dt_ram(const void *fdt, unsigned long *base, unsigned long *size);

static inline void wfi(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

static inline struct ret sbi_set_timer(unsigned long when)
{
	return ecall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, when, 0, 0, 0, 0, 0);
}

static inline struct ret sbi_send_ipi(unsigned long mask, unsigned long base)
{
	return ecall(SBI_EXT_IPI, SBI_EXT_IPI_SEND_IPI, mask, base, 0, 0, 0, 0);
}

static inline struct ret sbi_hart_start(unsigned long hart, unsigned long addr,
					unsigned long opaque)
{
	return ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_START, hart, addr, opaque, 0,
		     0, 0);
}

static inline struct ret sbi_hart_status(unsigned long hart)
{
	return ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_GET_STATUS, hart, 0, 0, 0, 0,
		     0);
}

/* The DT's timebase-frequency (10 MHz if absent) */
unsigned long dt_timebase(const void *fdt);
/* Base of the first no-map /reserved-memory region, or 0 */
unsigned long dt_reserved(const void *fdt);

void guest_main(unsigned long hart, const void *fdt);
void guest_secondary(unsigned long hart, unsigned long opaque);
void guest_exit(void) __attribute__((noreturn));
void crt_secondary(void);

/*
 * Word "key" or "key=value" of /chosen/bootargs (QEMU -append): a pointer
 * to the value ("" for a bare key) and its length, or NULL if absent.
 */
const char *dt_bootarg(const void *fdt, const char *key, int *len);

/*
 * Numeric bootarg "key=N" (decimal, or hexadecimal with 0x): 1 and *v set,
 * 0 if absent (*v unchanged), -1 if malformed or out of range.
 */
int dt_bootarg_ulong(const void *fdt, const char *key, unsigned long *v);

/*
 * Optional handler for the supervisor external interrupt (it claims and
 * completes at the PLIC); without one the trap handler masks sie.SEIE.
 */
extern void (*volatile ext_irq_hook)(unsigned long hart);

#endif
