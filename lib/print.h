/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_PRINT_H
#define SBIVISOR_PRINT_H

#include <stdarg.h>

/*
 * Minimal vsnprintf for HS and test guests: %s %c %d %i %u %x %p %%,
 * with l/ll/z length, '0' and '-' flags and a field width. Always
 * NUL-terminates when size > 0; returns the length it would have had.
 */
int print_vsnprintf(char *buf, unsigned long size, const char *fmt, va_list ap);
int print_snprintf(char *buf, unsigned long size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
