// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console multiplexer (DESIGN.md §4 "Console"). Output: characters go to
 * the UART at once (prompts have no newline); a line started by one guest
 * and interrupted by another is ended first, and every line begins with
 * "[name] " when prefixes are on. Input: Ctrl-] followed by a digit gives
 * the focus to that guest id, Ctrl-] n to the next running guest, Ctrl-] s
 * to the hypervisor shell, Ctrl-] Ctrl-] sends a literal Ctrl-];
 * everything else is queued for the focus. With no guest running, input
 * goes to the shell.
 */
#include "conmux.h"
#include "guest.h"
#include "shell.h"

static struct {
	bool prefix;
	bool escape;	     /* the last input byte was CONMUX_ESCAPE */
	struct guest *owner; /* who wrote the current output line */
	unsigned long col;   /* 0: at the start of a line */
	bool hyp_open;	     /* the hypervisor left a line open (a prompt) */
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

void conmux_set_prefix(bool on)
{
	conmux.prefix = on;
}

/*
 * One guest byte to the UART, with the console lock held. Returns how
 * many bytes went to the UART for it (line break, prefix, the byte; a
 * newline is "\r\n" there): what the lock holder is charged.
 */
static unsigned long conmux_emit(struct guest *g, char c)
{
	char pre[sizeof(g->name) + 4];
	unsigned long n = 0, i, out = c == '\n' ? 2 : 1;

	if ((conmux.col && conmux.owner != g) || conmux.hyp_open) {
		con_putc('\n');
		conmux.col = 0;
		conmux.hyp_open = false;
		out += 2;
	}
	if (!conmux.col && conmux.prefix) {
		pre[n++] = '[';
		for (i = 0; g->name[i] && n < sizeof(pre) - 3; i++)
			pre[n++] = g->name[i];
		pre[n++] = ']';
		pre[n++] = ' ';
		con_write(pre, n);
		out += n;
	}
	conmux.owner = g;
	con_putc(c);
	conmux.col = c == '\n' ? 0 : conmux.col + 1;
	return out;
}

/*
 * The hypervisor is about to print (console lock held): end a guest line
 * left open, so the message starts its own line and the guest's next
 * byte gets its prefix again.
 */
void conmux_break_line(void)
{
	if (conmux.col) {
		con_putc('\n');
		conmux.col = 0;
	}
	conmux.owner = NULL;
}

/* The hypervisor printed (console lock held); ends with a newline or not */
void conmux_hyp_wrote(bool open)
{
	conmux.hyp_open = open;
}

void conmux_putc(struct guest *g, char c)
{
	con_lock();
	(void)conmux_emit(g, c);
	con_unlock();
}

/*
 * UART bytes one DBCN write may cost, prefixes and line breaks included
 * (~22 ms at 115200 baud): its hart has interrupts off meanwhile, and
 * other harts wait for the console lock. The rest is left to the guest's
 * next call (the spec allows partial writes).
 */
#define CONMUX_BUDGET 256UL

/* As much of buf[0..n) as the budget allows; bytes taken (>= 1 if n) */
static unsigned long conmux_write_locked(struct guest *g, const char *buf,
					 unsigned long n)
{
	unsigned long i = 0, j, budget = CONMUX_BUDGET, cost;

	while (i < n && budget) {
		if (!conmux.col || conmux.owner != g) {
			/* ends/prefixes the line: charged in full */
			cost = conmux_emit(g, buf[i++]);
			budget -= cost < budget ? cost : budget;
			continue;
		}
		/* the rest of this line, as far as the budget goes */
		for (j = i; j < n && j - i < budget && buf[j] != '\n'; j++)
			;
		if (j < n && j - i < budget && buf[j] == '\n')
			j++;
		if (j == i)
			break;
		con_write(buf + i, j - i);
		cost = j - i + (buf[j - 1] == '\n');
		budget -= cost < budget ? cost : budget;
		conmux.col = buf[j - 1] == '\n' ? 0 : conmux.col + (j - i);
		i = j;
	}
	return i;
}

long conmux_write(struct guest *g, const char *buf, unsigned long n)
{
	unsigned long done;

	if (!n)
		return 0;
	con_lock();
	done = conmux_write_locked(g, buf, n);
	con_unlock();
	return done;
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
