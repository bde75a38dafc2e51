// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console multiplexer, input side (DESIGN.md §4 "Console"; output is
 * conout.c). Input: Ctrl-] followed by a digit gives
 * the focus to that guest id, Ctrl-] n to the next running guest, Ctrl-] s
 * to the hypervisor shell, Ctrl-] Ctrl-] sends a literal Ctrl-];
 * everything else is queued for the focus. With no guest running, input
 * goes to the shell.
 */
#include "conmux.h"
#include "guest.h"
#include "shell.h"

static struct {
	bool escape; /* the last input byte was CONMUX_ESCAPE */
	struct guest *focus;
	bool shell; /* the shell has the focus */
} conmux;

static void conmux_qlock(struct conmux_q *q)
{
	while (__atomic_exchange_n(&q->lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void conmux_qunlock(struct conmux_q *q)
{
	__atomic_store_n(&q->lock, 0, __ATOMIC_RELEASE);
}

long conmux_read(struct guest *g, char *buf, unsigned long n)
{
	struct conmux_q *q = &g->con_in;
	unsigned long i;

	if (q->head == q->tail && n)
		con_input_wanted();
	conmux_qlock(q);
	for (i = 0; i < n && q->head != q->tail; i++)
		buf[i] = q->buf[q->head++ % CONMUX_INQ];
	conmux_qunlock(q);
	return i;
}

int conmux_getc(struct guest *g, bool take)
{
	struct conmux_q *q = &g->con_in;

	if (__atomic_load_n(&q->head, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE)) {
		/* the common case (a UART status read): no lock taken */
		if (!con_input_wanted())
			return -1;
	}
	return conmux_qpop(q, take);
}

int conmux_qpop(struct conmux_q *q, bool take)
{
	int c = -1;

	conmux_qlock(q);
	if (q->head != q->tail) {
		c = (u8)q->buf[q->head % CONMUX_INQ];
		if (take)
			q->head++;
	}
	conmux_qunlock(q);
	return c;
}

void conmux_flush(struct guest *g)
{
	conmux_qlock(&g->con_in);
	g->con_in.head = g->con_in.tail;
	conmux_qunlock(&g->con_in);
}

bool conmux_set_focus(struct guest *g)
{
	if (!g || g->state != GUEST_RUNNING)
		return false;
	conmux.focus = g;
	conmux.shell = false;
	hyp_printf("\nsbivisor: console input goes to guest '%s' (id %lu)\n",
		   g->name, g->id);
	return true;
}

static void conmux_focus_shell(void)
{
	if (!shell_present())
		return;
	conmux.shell = true;
	hyp_printf("\nsbivisor: console input goes to the hypervisor shell "
		   "(help lists its commands)\n");
	shell_focused();
}

void conmux_qpush(struct conmux_q *q, char c)
{
	conmux_qlock(q);
	if (q->tail - q->head < CONMUX_INQ)
		q->buf[q->tail++ % CONMUX_INQ] = c;
	conmux_qunlock(q);
}

/* Escape handled: true if buf[i] was the key after Ctrl-] */
static bool conmux_escape(char c)
{
	if (!conmux.escape) {
		conmux.escape = c == CONMUX_ESCAPE;
		return conmux.escape;
	}
	conmux.escape = false;
	if (c >= '0' && c <= '9')
		conmux_set_focus(guest_by_id(c - '0'));
	else if (c == 'n')
		conmux_set_focus(guest_next(conmux.focus));
	else if (c == 's')
		conmux_focus_shell();
	return c != CONMUX_ESCAPE; /* Ctrl-] Ctrl-]: a literal Ctrl-] */
}

void conmux_input(const char *buf, unsigned long n)
{
	struct guest *g = NULL;
	bool to_shell = false;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (conmux_escape(buf[i]))
			continue;
		g = conmux.shell ? NULL : conmux.focus;
		if (!conmux.shell && (!g || g->state != GUEST_RUNNING))
			g = conmux.focus = guest_next(NULL);
		if (g) {
			conmux_qpush(&g->con_in, buf[i]);
		} else if (shell_present()) {
			shell_input(buf[i]);
			to_shell = true;
		}
	}
	if (to_shell)
		shell_kick();
	g = conmux.shell ? NULL : conmux.focus;
	if (g)
		guest_console_input(g);
}
