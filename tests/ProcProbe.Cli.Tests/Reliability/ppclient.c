/* ppclient: a small load client for procprobe's reliability tests. Each client is its own
 * process doing real open/read/write/close system calls on probe files.
 *
 *   ppclient read  FILE COUNT CHUNK   read COUNT snapshots, CHUNK bytes per read(2); each must be
 *                                     "N:PAD:N\n" with PAD = 'p' x 200 and N never going back
 *   ppclient write FILE COUNT ID      write COUNT records "ID.I;" (every 97th padded to 1,200 bytes,
 *                                     so the server's 511-byte cut makes short counts) with the
 *                                     writer's own retry loop
 *   ppclient stream FILE BYTES BUF    write BYTES bytes of a pattern in BUF-byte write(2) calls
 *   ppclient readraw FILE COUNT       open/read/close COUNT times, content not checked
 *
 * Prints one result line "pid P ops N calls C bytes B errors E maxn M" on stdout; the first
 * unexpected error is described on stderr. Exit 0 all fine, 3 bad snapshot, 4 syscall error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PADLEN 200

static long long parse_ll(const char *s) { return strtoll(s, NULL, 10); }

static int check_snapshot(const char *buf, size_t len, long long *n_out)
{
    /* N:PAD:N\n */
    char *end;
    if (len < 2 || buf[len - 1] != '\n') return 0;
    long long a = strtoll(buf, &end, 10);
    if (end == buf || *end != ':') return 0;
    const char *p = end + 1;
    for (int i = 0; i < PADLEN; i++, p++) {
        if (p >= buf + len || *p != 'p') return 0;
    }
    if (*p != ':') return 0;
    p++;
    long long b = strtoll(p, &end, 10);
    if (end == p || *end != '\n' || end != buf + len - 1) return 0;
    if (a != b) return 0;
    *n_out = a;
    return 1;
}

static int do_read(const char *file, long long count, size_t chunk, int check)
{
    char buf[65536];
    long long ops = 0, calls = 0, bytes = 0, maxn = -1;
    for (long long i = 0; i < count; i++) {
        int fd = open(file, O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "open %s: %s (after %lld reads)\n", file, strerror(errno), ops);
            goto fail;
        }
        size_t len = 0;
        for (;;) {
            size_t want = chunk;
            if (len + want > sizeof buf) want = sizeof buf - len;
            if (want == 0) { fprintf(stderr, "snapshot larger than %zu bytes\n", sizeof buf); close(fd); return 3; }
            ssize_t r = read(fd, buf + len, want);
            calls++;
            if (r < 0) {
                if (errno == EINTR) continue;
                fprintf(stderr, "read %s: %s (after %lld reads)\n", file, strerror(errno), ops);
                close(fd);
                goto fail;
            }
            if (r == 0) break;
            len += (size_t)r;
        }
        if (close(fd) != 0) {
            fprintf(stderr, "close %s: %s\n", file, strerror(errno));
            goto fail;
        }
        bytes += len;
        if (check) {
            long long n;
            if (!check_snapshot(buf, len, &n)) {
                fprintf(stderr, "bad snapshot (%zu bytes): %.*s\n", len, (int)(len > 300 ? 300 : len), buf);
                printf("pid %d ops %lld calls %lld bytes %lld errors 1 maxn %lld\n", getpid(), ops, calls, bytes, maxn);
                return 3;
            }
            if (n < maxn) {
                fprintf(stderr, "snapshot went back: %lld after %lld\n", n, maxn);
                printf("pid %d ops %lld calls %lld bytes %lld errors 1 maxn %lld\n", getpid(), ops, calls, bytes, maxn);
                return 3;
            }
            maxn = n;
        }
        ops++;
    }
    printf("pid %d ops %lld calls %lld bytes %lld errors 0 maxn %lld\n", getpid(), ops, calls, bytes, maxn);
    return 0;
fail:
    printf("pid %d ops %lld calls %lld bytes %lld errors 1 maxn %lld\n", getpid(), ops, calls, bytes, maxn);
    return 4;
}

/* Writes all of buf with the writer's usual retry loop; counts write(2) calls that returned > 0. */
static int write_all(int fd, const char *buf, size_t len, long long *calls)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, buf + done, len - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (w == 0) { errno = EIO; return -1; }
        (*calls)++;
        done += (size_t)w;
    }
    return 0;
}

static int do_write(const char *file, long long count, const char *id)
{
    char rec[2048];
    long long calls = 0, bytes = 0, ops = 0;
    int fd = open(file, O_WRONLY);
    if (fd < 0) { fprintf(stderr, "open %s: %s\n", file, strerror(errno)); goto fail; }
    for (long long i = 0; i < count; i++) {
        int n = snprintf(rec, sizeof rec, "%s.%lld;", id, i);
        if (i % 97 == 0) { memset(rec + n, 'x', 1200); n += 1200; }
        if (write_all(fd, rec, (size_t)n, &calls) != 0) {
            fprintf(stderr, "write %s: %s (record %lld)\n", file, strerror(errno), i);
            close(fd);
            goto fail;
        }
        bytes += n;
        ops++;
    }
    if (close(fd) != 0) { fprintf(stderr, "close: %s\n", strerror(errno)); goto fail; }
    printf("pid %d ops %lld calls %lld bytes %lld errors 0 maxn 0\n", getpid(), ops, calls, bytes);
    return 0;
fail:
    printf("pid %d ops %lld calls %lld bytes %lld errors 1 maxn 0\n", getpid(), ops, calls, bytes);
    return 4;
}

static int do_stream(const char *file, long long total, size_t bufsz)
{
    char *buf = malloc(bufsz);
    long long calls = 0, bytes = 0;
    for (size_t i = 0; i < bufsz; i++) buf[i] = (char)('a' + i % 26);
    int fd = open(file, O_WRONLY);
    if (fd < 0) { fprintf(stderr, "open %s: %s\n", file, strerror(errno)); goto fail; }
    while (bytes < total) {
        size_t n = bufsz;
        if ((long long)n > total - bytes) n = (size_t)(total - bytes);
        if (write_all(fd, buf, n, &calls) != 0) {
            fprintf(stderr, "write %s: %s (after %lld bytes)\n", file, strerror(errno), bytes);
            close(fd);
            goto fail;
        }
        bytes += n;
    }
    close(fd);
    printf("pid %d ops %lld calls %lld bytes %lld errors 0 maxn 0\n", getpid(), calls, calls, bytes);
    return 0;
fail:
    printf("pid %d ops %lld calls %lld bytes %lld errors 1 maxn 0\n", getpid(), calls, calls, bytes);
    return 4;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 5 && strcmp(argv[1], "read") == 0)
        return do_read(argv[2], parse_ll(argv[3]), (size_t)parse_ll(argv[4]), 1);
    if (argc >= 4 && strcmp(argv[1], "readraw") == 0)
        return do_read(argv[2], parse_ll(argv[3]), 65536, 0);
    if (argc >= 5 && strcmp(argv[1], "write") == 0)
        return do_write(argv[2], parse_ll(argv[3]), argv[4]);
    if (argc >= 5 && strcmp(argv[1], "stream") == 0)
        return do_stream(argv[2], parse_ll(argv[3]), (size_t)parse_ll(argv[4]));
    fprintf(stderr, "usage: ppclient read FILE COUNT CHUNK | readraw FILE COUNT | write FILE COUNT ID | stream FILE BYTES BUF\n");
    return 2;
}
