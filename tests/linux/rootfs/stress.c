// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest workload that needs IPIs and remote TLB/I-cache fences to be right:
 * threads on every CPU map, protect, check and unmap memory in a shared
 * address space (each mprotect/munmap shoots down the other CPUs' TLBs),
 * while one thread migrates itself from CPU to CPU. A lost fence shows up
 * as a wrong value or a missing SIGSEGV; a lost IPI as a hang.
 * usage: stress [seconds]; prints "stress: ok ..." or "stress: FAIL ...".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES 16
#define PAGE 4096

static volatile int stop, failed;
static long ncpu;
static unsigned long rounds[64], migrations;
static __thread sigjmp_buf fault_jmp;
static __thread volatile int expect_fault;

static void on_segv(int sig)
{
	(void)sig;
	if (expect_fault)
		siglongjmp(fault_jmp, 1);
	_exit(3);
}

static void fail(const char *what, long id)
{
	printf("stress: FAIL %s (thread %ld)\n", what, id);
	failed = 1;
	stop = 1;
}

static void *churn(void *arg)
{
	long id = (long)arg, i;
	unsigned char *p;

	while (!stop) {
		p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return fail("mmap", id), NULL;
		for (i = 0; i < PAGES; i++)
			p[i * PAGE] = (unsigned char)(id + i);
		if (mprotect(p, PAGES * PAGE, PROT_READ))
			return fail("mprotect", id), NULL;
		/* a stale writable TLB entry would let this store through */
		expect_fault = 1;
		if (!sigsetjmp(fault_jmp, 1)) {
			p[(id % PAGES) * PAGE] = 0xff;
			expect_fault = 0;
			return fail("store to read-only page succeeded", id),
			       NULL;
		}
		expect_fault = 0;
		for (i = 0; i < PAGES; i++)
			if (p[i * PAGE] != (unsigned char)(id + i))
				return fail("data changed", id), NULL;
		if (munmap(p, PAGES * PAGE))
			return fail("munmap", id), NULL;
		rounds[id]++;
	}
	return NULL;
}

static void *migrate(void *arg)
{
	cpu_set_t set;
	long cpu = 0;

	(void)arg;
	while (!stop) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (!sched_setaffinity(0, sizeof(set), &set))
			migrations++;
		cpu = (cpu + 1) % ncpu;
		sched_yield();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 5;
	long n, i;
	unsigned long total = 0;
	pthread_t t[64], m;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	n = ncpu * 2 > 64 ? 64 : ncpu * 2;
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	pthread_create(&m, NULL, migrate, NULL);
	sleep(secs);
	stop = 1;
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_join(m, NULL);
	for (i = 0; i < n; i++)
		total += rounds[i];
	if (failed)
		return 1;
	printf("stress: ok cpus=%ld threads=%ld rounds=%lu migrations=%lu\n",
	       ncpu, n, total, migrations);
	return 0;
}
