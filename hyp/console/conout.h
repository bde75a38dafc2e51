/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console output: every writer (a guest, through DBCN, the legacy call
 * or its vUART) owns a port with a ring of its own. Writing queues bytes
 * and returns at once; the rings reach the UART through conout.c, a line
 * at a time in turn, each line prefixed with the port's name when
 * prefixes are on. No writer waits for the UART or for another writer.
 */
#ifndef HYP_CONOUT_H
#define HYP_CONOUT_H

#include "base/lock.h"
#include "base/types.h"

#define CONOUT_RING 2048 /* bytes queued per port (a power of two) */

struct conout_port {
	char ring[CONOUT_RING];
	unsigned long head, tail; /* free running; head moves under the
				     console lock, tail under `lock` */
	struct spinlock lock;	  /* between writers of one port */
	int stalled;		  /* a writer found the ring full */
	unsigned long stalls;	  /* writes that found it full */
	const char *name;
	/* after a stall, room again (console lock held; may kick harts) */
	void (*room)(struct conout_port *p);
	void *priv;
};

/* Boot time: the port's output joins the console */
void conout_register(struct conout_port *p, const char *name,
		     void (*room)(struct conout_port *p), void *priv);
/* Bytes of buf queued (0: the ring is full and `stalled` is set) */
unsigned long conout_write(struct conout_port *p, const char *buf,
			   unsigned long n);
bool conout_putc(struct conout_port *p, char c);
/* Prefix lines with port names (several guests configured) */
void conout_set_prefix(bool on);
/* The console thread that drains what writers leave (boot hart) */
int conout_init(unsigned long hartid);

/* For the hypervisor's own messages, console lock held (console.c) */
void conout_log(const char *buf, unsigned long n);
void conout_flush(void); /* everything queued, waiting for the UART */

#endif
