// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console output (conout.h, docs/architecture.md "HS inside"). Writers queue
 * bytes in their port's ring and return. The rings go to the UART through a
 * small staging buffer that holds line breaks and name prefixes, under
 * the console lock, by whoever takes it without waiting: a writer right
 * after queueing (a bounded step, on its own time) or the console thread
 * for what is left (a step, then a sleep, so it never holds its hart).
 * The UART is written only as fast as it takes bytes (uart_tx_try): a
 * slow terminal fills rings, and then stalls only the writers whose ring
 * is full, never a hart with interrupts off.
 *
 * Lines: a port keeps the UART until its line ends (or CONOUT_LINE_MAX
 * bytes, so that one endless line cannot hold the others back), then the
 * next port with output gets its turn. A line that another port's output
 * interrupts is ended first, and every line starts with "[name] " when
 * prefixes are on.
 */
#include "console/conout.h"
#include "console/console.h"
#include "core/thread.h"

#define CONOUT_MAX_PORTS CONFIG_MAX_GUESTS
#define CONOUT_STAGE 64
#define CONOUT_ITEM 24	      /* the most one ring byte stages */
#define CONOUT_STEP 256UL     /* UART bytes a writer or the thread moves */
#define CONOUT_LINE_MAX 160UL /* bytes of one line before others' turn */
#define CONOUT_PRIORITY 255   /* as the shell: above RR guests, below RM */
/* a halt writes out everything queued: every ring (the messages' too) */
#define CONOUT_FLUSH_MAX                                                       \
	(2 * ((CONOUT_MAX_PORTS + 1) * CONOUT_RING + CONOUT_STAGE))

enum conout_state { CONOUT_IDLE, CONOUT_MORE, CONOUT_BUSY };

/* Everything below but the ports' tails is under the console lock */
static struct {
	struct conout_port *ports[CONOUT_MAX_PORTS];
	unsigned long nports, rr;  /* rr: the port that had the last turn */
	struct conout_port *owner; /* who wrote the current line */
	unsigned long col;	   /* 0: at the start of a line */
	unsigned long run;	   /* bytes of the owner's turn */
	bool prefix;
	/*
	 * The hypervisor's own messages: a port of their own, without a
	 * name; what the guests queued before a message goes out first
	 * (barrier: each port's tail when the message came).
	 */
	struct conout_port hyp;
	unsigned long barrier[CONOUT_MAX_PORTS];
	char stage[CONOUT_STAGE];
	unsigned long shead, stail;
	struct thread *thread;
} out;

static unsigned long conout_len(struct conout_port *p)
{
	return __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE) - p->head;
}

void conout_register(struct conout_port *p, const char *name,
		     void (*room)(struct conout_port *p), void *priv)
{
	p->name = name;
	p->room = room;
	p->priv = priv;
	if (out.nports < CONOUT_MAX_PORTS)
		out.ports[out.nports++] = p;
	else
		hyp_printf("sbivisor: no console port for '%s'\n", name);
}

void conout_set_prefix(bool on)
{
	out.prefix = on;
}

/*
 * The next port to stage from: the owner until its line ends, else the
 * next guest port in turn that has output (while a hypervisor message
 * waits, only output queued before it), else the messages.
 */
static struct conout_port *conout_pick(void)
{
	struct conout_port *p = out.owner;
	bool msg = conout_len(&out.hyp) != 0;
	unsigned long i, k;

	if (p && out.col && out.run < CONOUT_LINE_MAX && conout_len(p))
		return p;
	for (i = 1; i <= out.nports; i++) {
		k = (out.rr + i) % out.nports;
		p = out.ports[k];
		if (!conout_len(p) ||
		    (msg && (long)(out.barrier[k] - p->head) <= 0))
			continue;
		out.rr = k;
		out.run = 0;
		return p;
	}
	if (!msg)
		return NULL;
	out.run = 0;
	return &out.hyp;
}

static void conout_stage_put(char c)
{
	out.stage[out.stail++] = c;
}

/* One byte of p's line into the stage, with a line break and prefix */
static void conout_stage_byte(struct conout_port *p, char c)
{
	unsigned long i;

	if (out.col && out.owner != p) {
		conout_stage_put('\n');
		out.col = 0;
	}
	if (!out.col && out.prefix && p->name) {
		conout_stage_put('[');
		for (i = 0; p->name[i] && i < CONOUT_ITEM - 5; i++)
			conout_stage_put(p->name[i]);
		conout_stage_put(']');
		conout_stage_put(' ');
	}
	out.owner = p;
	conout_stage_put(c);
	out.col = c == '\n' ? 0 : out.col + 1;
}

/* Refill the (empty) stage from one port; false if no port has output */
static bool conout_fill(void)
{
	struct conout_port *p = conout_pick();
	unsigned long head, tail;
	char c;

	if (!p)
		return false;
	head = p->head;
	tail = __atomic_load_n(&p->tail, __ATOMIC_ACQUIRE);
	while (head != tail && CONOUT_STAGE - out.stail >= CONOUT_ITEM) {
		c = p->ring[head++ % CONOUT_RING];
		conout_stage_byte(p, c);
		if (c == '\n' || ++out.run >= CONOUT_LINE_MAX)
			break;
	}
	/* the ring's room is the writers' once head has moved */
	__atomic_store_n(&p->head, head, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&p->stalled, 0, __ATOMIC_SEQ_CST) && p->room)
		p->room(p);
	return true;
}

/*
 * Console lock held: move staged and queued bytes to the UART until all
 * is out (IDLE), *budget UART bytes are spent (MORE) or the UART is
 * full (BUSY). Every pass moves at least one byte or returns.
 */
static enum conout_state conout_drain(unsigned long *budget)
{
	unsigned long n, w;

	for (;;) {
		if (out.shead == out.stail) {
			out.shead = out.stail = 0;
			if (!conout_fill())
				return CONOUT_IDLE;
		}
		if (!*budget)
			return CONOUT_MORE;
		n = out.stail - out.shead;
		if (n > *budget)
			n = *budget;
		w = uart_tx_try(out.stage + out.shead, n);
		if (!w)
			return CONOUT_BUSY;
		out.shead += w;
		*budget -= w;
	}
}

/* Console lock held: one step now; the console thread does the rest */
static void conout_step(void)
{
	unsigned long budget = CONOUT_STEP;

	if (conout_drain(&budget) != CONOUT_IDLE)
		thread_wake(out.thread);
}

/* A writer queued output: a step now if the console is free */
static void conout_kick(void)
{
	if (con_trylock()) {
		conout_step();
		con_unlock();
	} else {
		thread_wake(out.thread);
	}
}

/* Bytes of buf that fit p's ring, queued; a full ring marks a stall */
static unsigned long conout_queue(struct conout_port *p, const char *buf,
				  unsigned long n)
{
	unsigned long tail, room, i;

	spin_lock(&p->lock);
	tail = p->tail;
	room = CONOUT_RING -
	       (tail - __atomic_load_n(&p->head, __ATOMIC_ACQUIRE));
	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		p->ring[(tail + i) % CONOUT_RING] = buf[i];
	__atomic_store_n(&p->tail, tail + n, __ATOMIC_RELEASE);
	if (!room) {
		p->stalls++;
		__atomic_store_n(&p->stalled, 1, __ATOMIC_SEQ_CST);
	}
	spin_unlock(&p->lock);
	return n;
}

unsigned long conout_write(struct conout_port *p, const char *buf,
			   unsigned long n)
{
	n = conout_queue(p, buf, n);
	conout_kick();
	return n;
}

bool conout_putc(struct conout_port *p, char c)
{
	return conout_write(p, &c, 1) == 1;
}

/*
 * A hypervisor message (console lock held): queued behind what the
 * guests queued before it, then one writer's step (CONOUT_STEP UART
 * bytes, as far as the UART takes them now) written at once; the
 * console thread writes the rest. So whoever prints, from whatever hart,
 * holds it for a bounded time even when the guests' rings are full (a
 * reboot message behind 8 KiB of guest output held a rate-monotonic
 * guest's hart 20 ms) or the terminal has stopped reading (a guest's
 * stop, with its statistics, held it 9 ms when each message waited 1 ms
 * for the UART). Only a full message ring (a terminal stopped for long)
 * waits for the UART.
 */
void conout_log(const char *buf, unsigned long n)
{
	unsigned long i, budget, w;

	if (!conout_len(&out.hyp))
		for (i = 0; i < out.nports; i++)
			out.barrier[i] = __atomic_load_n(&out.ports[i]->tail,
							 __ATOMIC_ACQUIRE);
	while (n) {
		w = conout_queue(&out.hyp, buf, n);
		buf += w;
		n -= w;
		budget = CONOUT_STEP;
		if (n)
			conout_drain(&budget);
	}
	conout_step();
}

/* Everything queued, waiting for the UART (halting: nothing comes after) */
void conout_flush(void)
{
	unsigned long budget = CONOUT_FLUSH_MAX;

	while (conout_drain(&budget) == CONOUT_BUSY)
		;
}

/*
 * What writers leave (the console was taken, their step ended, or the
 * UART was full): a step at a time, with a millisecond's sleep between
 * steps, so that the thread takes its hart for one step at most.
 */
static void conout_main(struct thread *t, void *arg)
{
	unsigned long budget;
	enum conout_state st;

	(void)t;
	(void)arg;
	for (;;) {
		budget = CONOUT_STEP;
		con_lock();
		st = conout_drain(&budget);
		con_unlock();
		if (st == CONOUT_IDLE)
			thread_wait();
		else
			thread_sleep(platform.timebase / MSEC_PER_SEC);
	}
}

int conout_init(unsigned long hartid)
{
	out.thread = thread_create("console", hartid, CONOUT_PRIORITY,
				   conout_main, NULL);
	return out.thread ? 0 : SBI_ERR_NO_SHMEM;
}
