/* The inputs that fuzzing found (tests/fuzz/regressions/, scripts/fuzz) stay refused: each
 * damaged results file by info, export and merge, each problem by check, with exit 2 and a
 * message naming the file; none crashes or hangs (ctest's timeout). The problems under
 * accepted/ are valid files whose runs end badly: check accepts them, and compare runs every
 * regimen to its end within the file's step budget and names why each run stopped. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "rg_test_util.h"

enum { MAX_FILES = 64, PATH_LEN = 2048 };

/* The files of dir (not its dot-files), as paths, at most MAX_FILES; returns how many. */
static int files_in(const char *dir, char paths[MAX_FILES][PATH_LEN])
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < MAX_FILES;)
        if (e->d_name[0] != '.')
            snprintf(paths[n++], PATH_LEN, "%s/%s", dir, e->d_name);
    closedir(d);
    return n;
}

/* Runs `regimen CMD FILE` on every file of dir: exit 2 and FILE named on stderr. Returns
 * how many files were run. */
static int refuse_all(const char *dir, const char *const cmds[])
{
    static char paths[MAX_FILES][PATH_LEN];
    char err[1200];
    path_in(err, sizeof err, "cmd.err");
    int n = files_in(dir, paths);
    for (int k = 0; k < n; k++) {
        const char *path = paths[k], *base = strrchr(path, '/') + 1;
        for (int c = 0; cmds[c]; c++) {
            int rc =
                run_sh("'%s' %s '%s' 2>'%s' >/dev/null", RG_REGIMEN_EXE, cmds[c], path, err);
            if (rc != 2 || run_sh("grep -qF '%s' '%s'", base, err) != 0) {
                print_error("regimen %s %s: exit %d\n", cmds[c], path, rc);
                fail();
            }
        }
    }
    return n;
}

static void test_damaged_results_refused(void **state)
{
    (void)state;
    const char *const cmds[] = {"info", "export", "merge -o -", NULL};
    assert_true(refuse_all(RG_SOURCE_DIR "/tests/fuzz/regressions/results", cmds) >= 1);
}

static void test_bad_problems_refused(void **state)
{
    (void)state;
    const char *const cmds[] = {"check", "simulate", NULL};
    assert_true(refuse_all(RG_SOURCE_DIR "/tests/fuzz/regressions/problem", cmds) >= 1);
}

static void test_accepted_problems_end(void **state)
{
    (void)state;
    static char paths[MAX_FILES][PATH_LEN];
    char out[1200];
    path_in(out, sizeof out, "compare.out");
    int n = files_in(RG_SOURCE_DIR "/tests/fuzz/regressions/accepted", paths);
    for (int k = 0; k < n; k++) {
        const char *path = paths[k];
        int check = run_sh("'%s' check '%s' >/dev/null 2>&1", RG_REGIMEN_EXE, path);
        int cmp = run_sh("'%s' compare '%s' >'%s' 2>&1", RG_REGIMEN_EXE, path, out);
        /* a run that failed says so in its row ("run failed: ...") */
        int failed = run_sh("grep -q 'run failed: ' '%s'", out);
        if (check != 0 || cmp != 0 || failed != 0) {
            print_error("%s: check exit %d, compare exit %d, failure named %s\n", path, check,
                        cmp, failed == 0 ? "yes" : "no");
            fail();
        }
    }
    assert_true(n >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damaged_results_refused),
        cmocka_unit_test(test_bad_problems_refused),
        cmocka_unit_test(test_accepted_problems_end),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
