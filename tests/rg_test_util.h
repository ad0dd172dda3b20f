/* Helpers shared by several test files: a scratch directory (RG_TEST_TMPDIR) with paths in
 * it, and reading a whole file. Header-only: each test file is its own executable. */
#ifndef RG_TEST_UTIL_H
#define RG_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The scratch directory, set and created by tmp_dir_setup (a cmocka group setup). */
static char tmp_dir[1024];

static inline int tmp_dir_setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "%s", RG_TEST_TMPDIR);
    mkdir(tmp_dir, 0755);
    return 0;
}

/* buf = tmp_dir/name, with any file of that name removed. */
static inline void path_in(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmp_dir, name);
    unlink(buf);
}

/* The whole file as a NUL-terminated string (caller frees); NULL when it cannot be opened
 * or memory runs out. */
static inline char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Writes text to tmp_dir/name (replacing it); fails the test when it cannot. */
static inline void scratch_write(const char *name, const char *text)
{
    char path[1100];
    path_in(path, sizeof path, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The contents of tmp_dir/name (caller frees); fails the test when it cannot be read. */
static inline char *scratch_read(const char *name)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    char *s = read_all(path);
    assert_non_null(s);
    return s;
}

/* Runs a shell command made from a printf format (at most 32 kB): its exit status, or -1
 * when it did not exit normally (killed by a signal). */
static inline int run_sh(const char *fmt, ...)
{
    char cmd[32768];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif
