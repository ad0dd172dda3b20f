/* Helpers shared by test_problem_load.c and test_problem_defaults.c (header-only: each test
 * file is its own executable). */
#ifndef RG_PROBLEM_LOAD_UTIL_H
#define RG_PROBLEM_LOAD_UTIL_H

#include "rg_test.h"
#include "rg_test_util.h"

#include <errno.h>
#include <stdint.h>
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

/* One bad-input case: the file RG_TEST_TMPDIR/bad_ID.cfg holding text is refused by the
 * library (from the file and from memory) and by `regimen check` (exit 2, nothing on stdout),
 * with a message starting FILE:LINE: PATH: (the line of the #! marker) and holding what. */
static inline void check_bad(const char *id, const char *text, const char *path,
                             const char *what)
{
    char file[1024], prefix[1200];
    snprintf(file, sizeof file, "%s/bad_%s.cfg", RG_TEST_TMPDIR, id);
    write_file(file, text);
    int line = marker_line(text);
    if (!line) {
        print_error("case %s has no #! marker\n", id);
        fail();
    }
    if (*path)
        snprintf(prefix, sizeof prefix, "%s:%d: %s: ", file, line, path);
    else
        snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);

    /* library */
    rg_diag *d = malloc(sizeof *d);
    assert_non_null(d);
    rg_diag_init(d);
    rg_problem *p = (rg_problem *)(uintptr_t)1;
    int st = rg_problem_load(file, &p, d);
    if (st != RG_EINVAL || p != NULL || !diag_has(d, prefix, what)) {
        print_error("case %s: status %d, expected a message starting '%s' holding '%s'\n", id,
                    st, prefix, what);
        print_diag(d);
        free(d);
        fail();
    }
    /* the same text in memory, named by the file */
    rg_diag_init(d);
    p = (rg_problem *)(uintptr_t)1;
    st = rg_problem_load_string(text, file, &p, d);
    assert_int_equal(st, RG_EINVAL);
    assert_null(p);
    assert_true(diag_has(d, prefix, what));
    free(d);

    /* binary */
    char *out, *err;
    int code = run_check(file, NULL, &out, &err);
    if (code != 2 || out[0] != '\0' || !strstr(err, prefix) || !strstr(err, what)) {
        print_error("case %s: regimen check exit %d, stdout '%s', stderr '%s'\n", id, code, out,
                    err);
        free(out);
        free(err);
        fail();
    }
    free(out);
    free(err);
}

#endif
