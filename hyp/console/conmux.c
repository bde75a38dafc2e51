// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console multiplexer, input side (conmux.h; output is conout.c;
 * docs/architecture.md "HS inside"). Ctrl-] followed by a digit gives the focus
 * to the port with that id (a guest's id), Ctrl-] n to the next live port,
 * Ctrl-] s to the hypervisor shell, Ctrl-] Ctrl-] sends a literal Ctrl-];
 * everything else is queued for the focus. With no live guest port,
 * input goes to the shell.
 */
#include "console/conmux.h"
#include "console/console.h"

#define CONMUX_MAX_PORTS (CONFIG_MAX_GUESTS + 1)

static struct {
	struct conmux_port *ports[CONMUX_MAX_PORTS];
	unsigned long nports;
	bool escape; /* the last input byte was CONMUX_ESCAPE */
	struct conmux_port *focus;
} conmux;

void conmux_register(struct conmux_port *p)
{
	if (conmux.nports < CONMUX_MAX_PORTS)
		conmux.ports[conmux.nports++] = p;
	else
		hyp_printf("sbivisor: no console input for '%s'\n", p->name);
}

static bool conmux_live(struct conmux_port *p)
{
	return p && !p->shell && (!p->live || p->live(p));
}

static struct conmux_port *conmux_shell(void)
{
	unsigned long i;

	for (i = 0; i < conmux.nports; i++)
		if (conmux.ports[i]->shell)
			return conmux.ports[i];
	return NULL;
}

/* The next live guest port after `after` (NULL: from the first) */
static struct conmux_port *conmux_next(struct conmux_port *after)
{
	unsigned long i, start = 0, k;

	for (i = 0; after && i < conmux.nports; i++)
		if (conmux.ports[i] == after)
			start = i + 1;
	for (i = 0; i < conmux.nports; i++) {
		k = (start + i) % conmux.nports;
		if (conmux_live(conmux.ports[k]))
			return conmux.ports[k];
	}
	return NULL;
}

static struct conmux_port *conmux_by_id(unsigned long id)
{
	unsigned long i;

	for (i = 0; i < conmux.nports; i++)
		if (!conmux.ports[i]->shell && conmux.ports[i]->id == id)
			return conmux.ports[i];
	return NULL;
}

long conmux_read(struct conmux_port *p, char *buf, unsigned long n)
{
	struct conmux_q *q = &p->in;
	unsigned long i;

	if (q->head == q->tail && n)
		con_input_wanted();
	spin_lock(&q->lock);
	for (i = 0; i < n && q->head != q->tail; i++)
		buf[i] = q->buf[q->head++ % CONMUX_INQ];
	spin_unlock(&q->lock);
	return i;
}

static int conmux_qpop(struct conmux_q *q, bool take)
{
	int c = NO_CHAR;

	spin_lock(&q->lock);
	if (q->head != q->tail) {
		c = (u8)q->buf[q->head % CONMUX_INQ];
		if (take)
			q->head++;
	}
	spin_unlock(&q->lock);
	return c;
}

int conmux_getc(struct conmux_port *p, bool take)
{
	struct conmux_q *q = &p->in;

	if (__atomic_load_n(&q->head, __ATOMIC_RELAXED) ==
	    __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE)) {
		/* the common case (a UART status read): no lock taken */
		if (!con_input_wanted())
			return NO_CHAR;
	}
	return conmux_qpop(q, take);
}

void conmux_flush(struct conmux_port *p)
{
	spin_lock(&p->in.lock);
	p->in.head = p->in.tail;
	spin_unlock(&p->in.lock);
}

bool conmux_set_focus(struct conmux_port *p)
{
	if (!p || (!p->shell && !conmux_live(p)))
		return false;
	conmux.focus = p;
	if (p->shell)
		hyp_printf("\nsbivisor: console input goes to the hypervisor "
			   "shell (help lists its commands)\n");
	else
		hyp_printf("\nsbivisor: console input goes to guest '%s' "
			   "(id %lu)\n",
			   p->name, p->id);
	if (p->focused)
		p->focused(p);
	return true;
}

static void conmux_qpush(struct conmux_q *q, char c)
{
	spin_lock(&q->lock);
	if (q->tail - q->head < CONMUX_INQ) /* dropped when full */
		q->buf[q->tail++ % CONMUX_INQ] = c;
	spin_unlock(&q->lock);
}

/* Escape handled: true if c was Ctrl-] or the key after it */
static bool conmux_escape(char c)
{
	if (!conmux.escape) {
		conmux.escape = c == CONMUX_ESCAPE;
		return conmux.escape;
	}
	conmux.escape = false;
	if (c >= '0' && c <= '9')
		conmux_set_focus(conmux_by_id(c - '0'));
	else if (c == 'n')
		conmux_set_focus(conmux_next(conmux.focus));
	else if (c == 's')
		conmux_set_focus(conmux_shell());
	return c != CONMUX_ESCAPE; /* Ctrl-] Ctrl-]: a literal Ctrl-] */
}

/* Where input goes now: the focus, a live guest, or the shell */
static struct conmux_port *conmux_target(void)
{
	struct conmux_port *p = conmux.focus;

	if (p && p->shell)
		return p;
	if (!conmux_live(p))
		p = conmux.focus = conmux_next(NULL);
	return p ? p : conmux_shell();
}

void conmux_input(const char *buf, unsigned long n)
{
	struct conmux_port *p = NULL, *fed[CONMUX_MAX_PORTS];
	unsigned long i, j, nfed = 0;

	for (i = 0; i < n; i++) {
		if (conmux_escape(buf[i]))
			continue;
		p = conmux_target();
		if (!p)
			continue;
		conmux_qpush(&p->in, buf[i]);
		for (j = 0; j < nfed && fed[j] != p; j++)
			;
		if (j == nfed && nfed < CONMUX_MAX_PORTS)
			fed[nfed++] = p;
	}
	for (j = 0; j < nfed; j++)
		if (fed[j]->input)
			fed[j]->input(fed[j]);
}
