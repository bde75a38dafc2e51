/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hypervisor's messages. hyp_printf formats a line here and hands it
 * to the sink the console registered (console/console.c: after the
 * guests' queued output, under the console lock); until then, and if
 * there is none, it goes to the firmware's console through SBI DBCN.
 */
#ifndef HYP_BASE_LOG_H
#define HYP_BASE_LOG_H

#define LOG_LINE_MAX 256 /* bytes of one message, the rest is cut */

typedef void (*log_sink_fn)(const char *buf, unsigned long n);

int hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The sink, and how to push out what it still holds (before a halt) */
void log_set_sink(log_sink_fn fn, void (*flush)(void));
void log_flush(void);

#endif
