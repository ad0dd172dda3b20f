/* Nothing overwritten or lost (docs/results-format.md, "Outputs"): existing checkpoints and
 * fronts refused without --force except the checkpoint being resumed, two outputs naming one
 * file refused before the run, a full disk (a file size limit in the child) gives exit 2 with
 * the old file intact and no temporary, stale temporaries of dead processes removed, and an
 * output that cannot be created refused before the run. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/safefile.h"

static const char *problem = RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg";

/* Runs `sh -c cmd` with a file size limit of limit bytes and SIGXFSZ ignored, so that a write
 * past it fails with EFBIG as on a full disk. Returns the exit status, 128 + the signal
 * when one ended it. */
static int run_limited(rlim_t limit, const char *cmd)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {limit, limit};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(99);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(98);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool same_bytes(const char *a, const char *b)
{
    return run_sh("cmp -s '%s' '%s'", a, b) == 0;
}

/* Temporary files (".NAME.tmp-...") in the scratch directory. */
static int count_tmp(void)
{
    return run_sh("test -z \"$(ls -A '%s' | grep '\\.tmp-')\"", tmp_dir) == 0 ? 0 : 1;
}

static void optimize_args(char *buf, size_t cap, const char *extra)
{
    snprintf(buf, cap, "'%s' optimize '%s' --generations 2 --population 8 --quiet %s",
             RG_REGIMEN_EXE, problem, extra);
}

static void test_existing_refused(void **state)
{
    (void)state;
    char res[1200], keep[1200], ck[1200], front[1200], err[1200], cmd[12000], extra[8000];
    path_in(res, sizeof res, "a.h5");
    path_in(keep, sizeof keep, "a.keep");
    path_in(ck, sizeof ck, "a.ck.h5");
    path_in(front, sizeof front, "a.csv");
    path_in(err, sizeof err, "a.err");
    snprintf(extra, sizeof extra, "--out '%s' --checkpoint '%s' --checkpoint-every 1", res, ck);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 0);
    assert_int_equal(run_sh("cp '%s' '%s'", res, keep), 0);
    /* --checkpoint naming an existing results file, without --force */
    char other[1200];
    path_in(other, sizeof other, "b.h5");
    snprintf(extra, sizeof extra, "--out '%s' --checkpoint '%s' 2>'%s'", other, res, err);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 2);
    assert_int_equal(
        run_sh("grep -q 'a.h5: a checkpoint that exists; not overwritten' '%s'", err), 0);
    assert_true(same_bytes(res, keep));
    assert_false(rg_safefile_exists(other));
    /* --front naming an existing file */
    assert_int_equal(run_sh("echo precious > '%s'", front), 0);
    snprintf(extra, sizeof extra, "--out '%s' --checkpoint '%s.ck' --front '%s' 2>'%s'", other,
             other, front, err);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 2);
    assert_int_equal(run_sh("grep -qx precious '%s'", front), 0);
    assert_false(rg_safefile_exists(other));
    /* the checkpoint being resumed is continued in place */
    snprintf(extra, sizeof extra, "--out '%s' --resume '%s' --checkpoint '%s' 2>'%s'", other,
             ck, ck, err);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 0);
    assert_true(rg_safefile_exists(other));
    assert_int_equal(count_tmp(), 0);
}

static void test_same_file_refused(void **state)
{
    (void)state;
    char res[1200], err[1200], cmd[12000], extra[8000];
    path_in(res, sizeof res, "same.h5");
    path_in(err, sizeof err, "same.err");
    const char *forms[] = {"--out '%s' --front '%s'", "--out '%s' --checkpoint '%s'",
                           "--out x.h5 --checkpoint '%s' --front '%s'"};
    for (int k = 0; k < 3; k++) {
        char pair[4000];
        snprintf(pair, sizeof pair, forms[k], res, res);
        for (int force = 0; force < 2; force++) {
            snprintf(extra, sizeof extra, "%s %s 2>'%s'", pair, force ? "--force" : "", err);
            optimize_args(cmd, sizeof cmd, extra);
            assert_int_equal(run_sh("%s", cmd), 2);
            assert_int_equal(run_sh("grep -q 'each output needs its own file' '%s'", err), 0);
            assert_false(rg_safefile_exists(res));
        }
    }
    /* the same file under another name (./ and a symbolic link to the directory) */
    char link[1200];
    path_in(link, sizeof link, "dirlink");
    assert_int_equal(symlink(tmp_dir, link), 0);
    snprintf(extra, sizeof extra, "--out '%s' --front '%s/same.h5' 2>'%s'", res, link, err);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 2);
    assert_false(rg_safefile_exists(res));
}

/* A file size limit stands for a full disk: results, checkpoint, export, merge and simulate
 * each exit 2 with a message, the old file intact, no temporary left. A history row of this
 * problem is 2112 bytes in the spool (8 x (30 + 2 + 1) doubles), the results file about
 * 37 kB: under 600 bytes the run stops recording the history at generation 0, under 20000 it
 * stops writing the results or the checkpoint. */
static void test_full_disk(void **state)
{
    (void)state;
    char res[1200], keep[1200], ck[1200], csv[1200], cmd[12000], extra[8000], err[1200];
    path_in(res, sizeof res, "full.h5");
    path_in(keep, sizeof keep, "full.keep");
    path_in(ck, sizeof ck, "full.ck.h5");
    path_in(csv, sizeof csv, "full.csv");
    path_in(err, sizeof err, "full.err");
    snprintf(extra, sizeof extra, "--out '%s' --checkpoint '%s' --checkpoint-every 1", res, ck);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 0);
    assert_int_equal(run_sh("cp '%s' '%s' && echo old > '%s'", res, keep, csv), 0);
    const rlim_t limits[] = {600, 20000};
    for (int l = 0; l < 2; l++) {
        char cmds[6][12000];
        snprintf(extra, sizeof extra, "--force --out '%s' --checkpoint '%s'", res, ck);
        optimize_args(cmds[0], sizeof cmds[0], extra); /* the results file */
        snprintf(extra, sizeof extra,
                 "--force --out '%s' --checkpoint '%s' --checkpoint-every 1", res, ck);
        optimize_args(cmds[1], sizeof cmds[1], extra); /* the first checkpoint */
        cmds[2][0] = '\0'; /* the front CSV goes through the same code as export's -o */
        snprintf(cmds[3], sizeof cmds[3], "'%s' export '%s' -o '%s' --force", RG_REGIMEN_EXE,
                 keep, csv);
        snprintf(cmds[4], sizeof cmds[4], "'%s' merge -o '%s' --force '%s'", RG_REGIMEN_EXE,
                 csv, keep);
        snprintf(cmds[5], sizeof cmds[5],
                 "'%s' simulate '%s/problems/default.cfg' --csv '%s' "
                 "--force",
                 RG_REGIMEN_EXE, RG_SOURCE_DIR, csv);
        for (int c = 0; c < 6; c++) {
            if (!cmds[c][0] || (c >= 3 && limits[l] > 600))
                continue; /* the CSV files are smaller than 20000 bytes */
            char full[16000];
            assert_true(snprintf(full, sizeof full, "%s 2>'%s'", cmds[c], err) <
                        (int)sizeof full);
            int rc = run_limited(limits[l], full);
            if (rc != 2 || run_sh("grep -q 'nothing was replaced' '%s'", err) != 0) {
                print_error("limit %lu, command %d: exit %d\n", (unsigned long)limits[l], c,
                            rc);
                (void)run_sh("cat '%s' >&2", err);
                fail();
            }
            if (c < 2) {
                const char *why = l == 0 ? "cannot record the history" : "cannot write (";
                assert_int_equal(run_sh("grep -qF '%s' '%s'", why, err), 0);
            }
            assert_true(same_bytes(res, keep));
            assert_int_equal(run_sh("grep -qx old '%s'", csv), 0);
            assert_int_equal(count_tmp(), 0);
        }
    }
}

/* A temporary of a dead process of this host goes; one of a live process, one of another
 * host and an unrelated dot-file stay. */
static void test_stale_temporaries(void **state)
{
    (void)state;
    char tmp[RG_SAFEFILE_PATH_MAX], out[1200], live[1300], other[1300], dot[1300];
    path_in(out, sizeof out, "stale.h5");
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0); /* a PID that is dead now */
    assert_int_equal(rg_safefile_tmpname(out, tmp), RG_OK);
    char *dash = strrchr(tmp, '-');
    char dead[RG_SAFEFILE_PATH_MAX + 32];
    snprintf(dead, sizeof dead, "%.*s-%ld", (int)(dash - tmp), tmp, (long)child);
    snprintf(live, sizeof live, "%.*s-%ld", (int)(dash - tmp), tmp, (long)getppid());
    snprintf(other, sizeof other, "%s/.stale.h5.tmp-some-other-host-%ld", tmp_dir, (long)child);
    snprintf(dot, sizeof dot, "%s/.stale.h5.bak", tmp_dir);
    const char *files[4] = {dead, live, other, dot};
    for (int i = 0; i < 4; i++)
        assert_int_equal(run_sh("echo x > '%s'", files[i]), 0);
    char cmd[12000], extra[8000];
    snprintf(extra, sizeof extra, "--out '%s' --checkpoint '%s.ck'", out, out);
    optimize_args(cmd, sizeof cmd, extra);
    assert_int_equal(run_sh("%s", cmd), 0);
    assert_false(rg_safefile_exists(dead));
    assert_true(rg_safefile_exists(live));
    assert_true(rg_safefile_exists(other));
    assert_true(rg_safefile_exists(dot));
    for (int i = 1; i < 4; i++)
        unlink(files[i]);
}

/* An output that cannot be created fails before the run (exit 2, nothing written). */
static void test_uncreatable_output(void **state)
{
    (void)state;
    char cmd[12000], extra[8000], err[1200], ro[1200];
    path_in(err, sizeof err, "uncreatable.err");
    path_in(ro, sizeof ro, "missing-dir");
    const char *outs[2] = {"/proc/x.h5", NULL};
    char bad[1300];
    snprintf(bad, sizeof bad, "%s/sub/x.h5", ro);
    outs[1] = bad;
    for (int k = 0; k < 2; k++) {
        snprintf(extra, sizeof extra, "--out '%s' --checkpoint '%s/u.ck.h5' 2>'%s'", outs[k],
                 tmp_dir, err);
        optimize_args(cmd, sizeof cmd, extra);
        assert_int_equal(run_sh("%s", cmd), 2);
        assert_int_equal(run_sh("grep -qF '%s: cannot' '%s'", outs[k], err), 0);
        /* refused before generation 0: no progress line, no checkpoint */
        char ck[1300];
        snprintf(ck, sizeof ck, "%s/u.ck.h5", tmp_dir);
        assert_false(rg_safefile_exists(ck));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_existing_refused),   cmocka_unit_test(test_same_file_refused),
        cmocka_unit_test(test_full_disk),          cmocka_unit_test(test_stale_temporaries),
        cmocka_unit_test(test_uncreatable_output),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
