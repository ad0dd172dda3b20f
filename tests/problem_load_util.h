/* Helpers shared by test_problem_load.c and test_problem_defaults.c (header-only: each test
 * file is its own executable). */
#ifndef RG_PROBLEM_LOAD_UTIL_H
#define RG_PROBLEM_LOAD_UTIL_H

#include "rg_test.h"
#include "rg_test_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/problem.h"
#include "regimen/problem_load.h"

/* ---------------------------------------------------------------- helpers */

static inline void make_tmpdir(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", RG_TEST_TMPDIR);
    assert_int_equal(system(cmd), 0);
}

static inline void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* Runs `regimen check FILE [extra]`; returns the exit status, stdout and stderr (caller
 * frees). */
static inline int run_check(const char *file, const char *extra, char **out, char **err)
{
    char o[1024], e[1024], cmd[4096];
    snprintf(o, sizeof o, "%s/check.out", RG_TEST_TMPDIR);
    snprintf(e, sizeof e, "%s/check.err", RG_TEST_TMPDIR);
    snprintf(cmd, sizeof cmd, "'%s' check %s%s%s%s >'%s' 2>'%s'", RG_REGIMEN_EXE,
             file ? "'" : "", file ? file : "", file ? "' " : "", extra ? extra : "", o, e);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    *out = read_all(o);
    *err = read_all(e);
    assert_non_null(*out);
    assert_non_null(*err);
    return WEXITSTATUS(st);
}

/* Line (from 1) of the first line of text holding "#!"; 0 if none. */
static inline int marker_line(const char *text)
{
    const char *m = strstr(text, "#!");
    if (!m)
        return 0;
    int line = 1;
    for (const char *c = text; c < m; c++)
        line += *c == '\n';
    return line;
}

static inline bool diag_has(const rg_diag *d, const char *prefix, const char *what)
{
    for (size_t i = 0; i < d->count; i++)
        if (!strncmp(d->msg[i], prefix, strlen(prefix)) && strstr(d->msg[i], what))
            return true;
    return false;
}

static inline void print_diag(const rg_diag *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("    got: %s\n", d->msg[i]);
}

#endif
