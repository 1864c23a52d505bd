/*
 * floor.c - the C side of bench/e2e.sh's start-up floor: a program that only makes FILE readable
 * with "abc\n" (written beside it, then renamed into place) and waits to be killed.
 *
 *   floor FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, "abc\n", 4) != 4 || close(fd) != 0 || rename(tmp, argv[1]) != 0) {
		perror("floor");
		return 1;
	}
	for (;;)
		pause();
}
