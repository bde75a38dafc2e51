// SPDX-License-Identifier: BSD-2-Clause
/* The logger (log.h): one formatter, one registered sink. */
#include "base/hyp.h"
#include "../../lib/print.h"

/* Before the console is up: the firmware's console, waiting for it */
static void log_firmware(const char *buf, unsigned long n)
{
	struct sbiret r;

	while (n) {
		r = sbicall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, n,
			    (unsigned long)buf, 0, 0, 0);
		if (r.error || !r.value || r.value > n)
			return;
		buf += r.value;
		n -= r.value;
	}
}

static log_sink_fn log_sink = log_firmware;
static void (*log_flusher)(void);

void log_set_sink(log_sink_fn fn, void (*flush)(void))
{
	log_sink = fn ? fn : log_firmware;
	log_flusher = flush;
}

void log_flush(void)
{
	if (log_flusher)
		log_flusher();
}

int hyp_printf(const char *fmt, ...)
{
	char buf[LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = print_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (n > 0)
		log_sink(buf, n);
	return n;
}
