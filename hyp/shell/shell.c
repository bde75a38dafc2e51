// SPDX-License-Identifier: BSD-2-Clause
/*
 * The hypervisor shell: a hypervisor thread on the boot hart that reads
 * lines from the console while it has the input focus (Ctrl-] s) and
 * lists, stops, starts and reboots guests. Input reaches it through its
 * own queue, like a guest's; it sleeps in thread_wait() in between.
 */
#include <sbi/sbi_string.h>
#include "config/board.h"
#include "console/conmux.h"
#include "core/guest.h"
#include "core/hart.h"
#include "core/thread.h"
#include "shell/shell.h"

#define SHELL_LINE 80
#define SHELL_ARGS 4
#define SHELL_PRIORITY 255 /* above RR guests; RM guests still come first */
#define SHELL_PROMPT "sbivisor> "

static struct {
	struct thread *t;
	struct conmux_port port; /* its console input */
	char line[SHELL_LINE];
	unsigned long len;
	bool overlong; /* the line outgrew SHELL_LINE: refused at Enter */
	int greet;     /* focus came: print a prompt */
} shell;

struct shell_cmd {
	const char *name, *args, *help;
	int nargs; /* arguments required (optional ones are not counted) */
	void (*fn)(int argc, char **argv);
};

static const struct shell_cmd shell_cmds[];

static const char *const shell_hsm[] = { "started",  "stopped",	  "starting",
					 "stopping", "suspended", "suspending",
					 "resuming" };
static const char *const shell_gstate[] = { "free", "running", "stopped",
					    "resetting", "loading" };

static unsigned long shell_ms(u64 ticks)
{
	return platform.timebase ? ticks * MSEC_PER_SEC / platform.timebase : 0;
}

/* A guest named on the command line, or NULL after saying why */
static struct guest *shell_guest(const char *what)
{
	struct guest *g = guest_find(what);

	if (!g)
		hyp_printf("sbivisor: no guest '%s' (see: guests)\n", what);
	return g;
}

static void shell_help(int argc, char **argv)
{
	const struct shell_cmd *c;

	(void)argc;
	(void)argv;
	for (c = shell_cmds; c->name; c++)
		hyp_printf("  %-8s %-12s %s\n", c->name, c->args, c->help);
	hyp_printf("  Ctrl-] 0-9: input to that guest, Ctrl-] n: the next "
		   "guest, Ctrl-] s: this shell\n");
}

static void shell_guests(int argc, char **argv)
{
	struct guest *g;
	unsigned long i;

	(void)argc;
	(void)argv;
	hyp_printf("  id name             state     vcpus  ram        vmid\n");
	for (i = 0; i < CONFIG_MAX_GUESTS; i++) {
		g = guest_at(i);
		if (g)
			hyp_printf("  %-2lu %-16s %-9s %-6lu %4lu MiB   %lu\n",
				   g->id, g->name,
				   (unsigned long)g->state <
						   ARRAY_SIZE(shell_gstate)
					   ? shell_gstate[g->state]
					   : "?",
				   g->nvcpus, g->ram_size >> 20, g->vmid);
	}
}

static void shell_vcpus_of(struct guest *g)
{
	struct vcpu *v;
	unsigned long i;
	int st;

	for (i = 0; i < g->nvcpus; i++) {
		v = g->vcpu[i];
		st = __atomic_load_n(&v->state, __ATOMIC_RELAXED);
		hyp_printf("  %-16s %-4lu %-10s %-4lu %-10lu %lu\n", g->name, i,
			   st >= 0 && st < 7 ? shell_hsm[st] : "?",
			   __atomic_load_n(&v->hart, __ATOMIC_RELAXED),
			   v->migrations, shell_ms(v->se.runtime));
	}
}

static void shell_vcpus(int argc, char **argv)
{
	struct guest *g = NULL;
	unsigned long i;

	if (argc > 1 && !(g = shell_guest(argv[1])))
		return;
	hyp_printf("  guest            vcpu state      hart moves      "
		   "run_ms\n");
	for (i = 0; i < CONFIG_MAX_GUESTS; i++)
		if (guest_at(i) && (!g || g == guest_at(i)))
			shell_vcpus_of(guest_at(i));
}

static void shell_threads(int argc, char **argv)
{
	struct thread *t;

	(void)argc;
	(void)argv;
	hyp_printf("  thread           hart state    run_ms\n");
	for (t = thread_next(NULL); t; t = thread_next(t))
		hyp_printf("  %-16s %-4lu %-8s %lu\n", t->name, t->hart,
			   t->dead		      ? "ended"
			   : t == hart_self()->thread ? "running"
			   : t->se.runnable	      ? "ready"
						      : "waiting",
			   shell_ms(t->se.runtime));
}

/* The running guest named by what, or NULL after saying why not */
static struct guest *shell_running(const char *what)
{
	struct guest *g = shell_guest(what);

	if (g && g->state != GUEST_RUNNING) {
		hyp_printf("sbivisor: guest '%s' is not running (see: start)\n",
			   g->name);
		return NULL;
	}
	return g;
}

static void shell_stop(int argc, char **argv)
{
	struct guest *g = shell_running(argv[1]);

	(void)argc;
	if (g)
		guest_stop(g, "stopped from the shell");
}

static void shell_start(int argc, char **argv)
{
	struct guest *g = shell_guest(argv[1]);
	int rc;

	(void)argc;
	if (!g)
		return;
	rc = guest_start_again(g);
	if (rc == SBI_ERR_NOT_SUPPORTED)
		hyp_printf("sbivisor: guest '%s' has no image to reload (only "
			   "configured guests start again)\n",
			   g->name);
	else if (rc)
		hyp_printf("sbivisor: guest '%s' is not stopped\n", g->name);
}

static void shell_reboot(int argc, char **argv)
{
	struct guest *g = shell_running(argv[1]);

	(void)argc;
	if (g)
		guest_reset_request(g, SBI_SRST_RESET_TYPE_COLD_REBOOT,
				    SBI_SRST_RESET_REASON_NONE);
}

static void shell_stats(int argc, char **argv)
{
	struct guest *g;

	if (argc < 2) {
		guest_print_mem_stats();
		return;
	}
	g = shell_guest(argv[1]);
	if (g)
		guest_print_stats(g);
}

static void shell_focus(int argc, char **argv)
{
	struct guest *g = shell_guest(argv[1]);

	(void)argc;
	if (g && !conmux_set_focus(&board_of(g)->con_in))
		hyp_printf("sbivisor: guest '%s' is not running\n", g->name);
}

static const struct shell_cmd shell_cmds[] = {
	{ "help", "", "this list", 0, shell_help },
	{ "guests", "", "guests and their state", 0, shell_guests },
	{ "vcpus", "[guest]", "vCPUs: state, hart, migrations, run time", 0,
	  shell_vcpus },
	{ "threads", "", "hypervisor threads", 0, shell_threads },
	{ "stop", "<guest>", "stop a guest (as if it shut down)", 1,
	  shell_stop },
	{ "start", "<guest>", "boot a stopped configured guest again", 1,
	  shell_start },
	{ "reboot", "<guest>", "reboot a guest", 1, shell_reboot },
	{ "stats", "[guest]", "memory, or a guest's exit and SBI counts", 0,
	  shell_stats },
	{ "focus", "<guest>", "console input to a guest", 1, shell_focus },
	{ NULL, NULL, NULL, 0, NULL },
};

static void shell_execute(char *line)
{
	char *argv[SHELL_ARGS + 1];
	const struct shell_cmd *c;
	int argc = 0;

	while (*line) {
		while (*line == ' ' || *line == '\t')
			*line++ = 0;
		if (!*line)
			break;
		if (argc == SHELL_ARGS) {
			hyp_printf("sbivisor: too many arguments (at most "
				   "%d)\n",
				   SHELL_ARGS - 1);
			return;
		}
		argv[argc++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	if (!argc)
		return;
	for (c = shell_cmds; c->name; c++) {
		if (sbi_strcmp(c->name, argv[0]))
			continue;
		if (argc - 1 < c->nargs)
			hyp_printf("sbivisor: usage: %s %s\n", c->name,
				   c->args);
		else
			c->fn(argc, argv);
		return;
	}
	hyp_printf("sbivisor: unknown command '%s' (try: help)\n", argv[0]);
}

/* One input byte: line editing, echo, Enter runs the line */
static void shell_key(char c)
{
	if (c == '\r' || c == '\n') {
		hyp_printf("\n");
		if (shell.overlong)
			hyp_printf("sbivisor: line too long (at most %d "
				   "characters)\n",
				   SHELL_LINE - 1);
		else
			shell_execute(shell.line);
		shell.len = 0;
		shell.line[0] = 0;
		shell.overlong = false;
		hyp_printf(SHELL_PROMPT);
	} else if (c == 0x7f || c == '\b') {
		if (shell.len && !shell.overlong) {
			shell.line[--shell.len] = 0;
			hyp_printf("\b \b");
		}
	} else if (c == 0x03) { /* Ctrl-C: drop the line */
		shell.len = 0;
		shell.line[0] = 0;
		shell.overlong = false;
		hyp_printf("^C\n" SHELL_PROMPT);
	} else if (c >= ' ' && c < 0x7f) {
		if (shell.len < SHELL_LINE - 1) {
			shell.line[shell.len++] = c;
			shell.line[shell.len] = 0;
			hyp_printf("%c", c);
		} else {
			shell.overlong = true;
		}
	}
}

static void shell_main(struct thread *t, void *arg)
{
	int c;

	(void)t;
	(void)arg;
	for (;;) {
		thread_wait();
		if (__atomic_exchange_n(&shell.greet, 0, __ATOMIC_ACQ_REL))
			hyp_printf(SHELL_PROMPT "%s", shell.line);
		while ((c = conmux_getc(&shell.port, true)) >= 0)
			shell_key(c);
	}
}

static void shell_input(struct conmux_port *p)
{
	(void)p;
	thread_wake(shell.t);
}

static void shell_focused(struct conmux_port *p)
{
	(void)p;
	__atomic_store_n(&shell.greet, 1, __ATOMIC_RELEASE);
	thread_wake(shell.t);
}

int shell_init(unsigned long hartid)
{
	shell.t = thread_create("shell", hartid, SHELL_PRIORITY, shell_main,
				NULL);
	if (!shell.t)
		return SBI_ERR_NO_SHMEM;
	shell.port.name = "shell";
	shell.port.shell = true;
	shell.port.input = shell_input;
	shell.port.focused = shell_focused;
	conmux_register(&shell.port);
	return 0;
}
