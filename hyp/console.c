// SPDX-License-Identifier: BSD-2-Clause
/*
 * HS console: the physical UART stays with OpenSBI's driver; HS writes
 * through SBI DBCN (HS addresses are physical) under one lock so that
 * lines from different harts do not interleave mid-line.
 */
#include <sbi/sbi_string.h>
#include "hyp.h"
#include "../lib/print.h"

static unsigned long con_lock_word;

void con_lock(void)
{
	while (__atomic_exchange_n(&con_lock_word, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&con_lock_word, __ATOMIC_RELAXED))
			;
}

void con_unlock(void)
{
	__atomic_store_n(&con_lock_word, 0, __ATOMIC_RELEASE);
}

long con_write_phys(hpa_t buf, unsigned long n)
{
	struct sbiret r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, n,
				  buf, 0, 0, 0);

	return r.error ? r.error : (long)r.value;
}

long con_read_phys(hpa_t buf, unsigned long n)
{
	struct sbiret r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_READ, n,
				  buf, 0, 0, 0);

	return r.error ? r.error : (long)r.value;
}

void con_putc(char c)
{
	sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE_BYTE, (u8)c, 0, 0, 0,
		0);
}

int con_getc(void)
{
	char c;
	long n = con_read_phys((hpa_t)&c, 1);

	return n == 1 ? (u8)c : -1;
}

void con_write(const char *s, unsigned long n)
{
	long w;

	while (n) {
		w = con_write_phys((hpa_t)s, n);
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

int hyp_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	con_lock();
	con_write(buf, n);
	con_unlock();
	return n;
}
