/*
 * execlat.c - exec -> exit latency of a program, for bench/e2e.sh's start-up floor rows.
 *
 *   execlat RUNS PROGRAM [ARGS...]
 *
 * Runs PROGRAM RUNS times one after the other (fork, execv, waitpid; its stdout and stderr go to
 * /dev/null) and prints
 *   EXECLAT ms=<median> min=<min> max=<max> runs=<RUNS>
 * in milliseconds of CLOCK_MONOTONIC from before fork to after waitpid. Exits 1 if a run fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 3 || atoi(argv[1]) < 1) {
		fprintf(stderr, "usage: execlat RUNS PROGRAM [ARGS...]\n");
		return 1;
	}
	int runs = atoi(argv[1]);
	double *ms = calloc((size_t)runs, sizeof *ms);
	if (ms == NULL)
		return 1;
	for (int i = 0; i < runs; i++) {
		uint64_t t0 = now_ns();
		pid_t pid = fork();
		if (pid < 0) {
			perror("execlat: fork");
			return 1;
		}
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(null, 2);
			execv(argv[2], argv + 2);
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "execlat: %s failed (status 0x%x)\n", argv[2], status);
			return 1;
		}
		ms[i] = (double)(now_ns() - t0) / 1e6;
	}
	qsort(ms, (size_t)runs, sizeof *ms, by_value);
	double median = runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
	printf("EXECLAT ms=%.3f min=%.3f max=%.3f runs=%d\n", median, ms[0], ms[runs - 1], runs);
	return 0;
}
