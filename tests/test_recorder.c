/* regimen optimize with results, checkpoints, signals and resume (recorder.h) on the ZDT1
 * benchmark: an interrupted and resumed run ends with the same front and history, bit for
 * bit, as an uninterrupted run; SIGKILL leaves a complete checkpoint or none. The tumour
 * problem's runs are in test_recorder_tumour.c. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/checkpoint.h"
#include "regimen/results.h"
#include "regimen/safefile.h"
#include "recorder_test_util.h"

static void test_results_file_and_refusal(void **state)
{
    (void)state;
    char ref[1200], err[1400];
    reference_run(ref, sizeof ref);
    rg_results *r = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(ref, &r, &diag), RG_OK);
    assert_string_equal(r->problem_name, "zdt1");
    assert_int_equal(r->generations, 400);
    assert_int_equal(r->n_history, 401);
    assert_int_equal(r->population, 100);
    assert_int_equal(r->seed, 20021);
    assert_int_equal(r->n_ranks, 1);
    assert_non_null(strstr(r->command_line, "--generations 400"));
    assert_non_null(strstr(r->problem_text, "problem    = \"zdt1\""));
    assert_close(r->reference_point[0], 1.1, 0, 0);
    /* one row per generation, in order; the search made progress (NSGA-II's crowding cut
     * does not make the hypervolume monotone, so only the ends are compared) */
    for (size_t g = 0; g < r->n_history; g++)
        assert_int_equal(r->history_generation[g], g);
    assert_true(r->hypervolume[400] > r->hypervolume[0]);
    /* the archive (the run's front) holds every feasible non-dominated point evaluated: its
     * hypervolume never decreases and is never below the population's */
    assert_non_null(r->archive_hypervolume);
    for (size_t g = 0; g < r->n_history; g++) {
        assert_true(r->archive_hypervolume[g] >= r->hypervolume[g]);
        if (g)
            assert_true(r->archive_hypervolume[g] >= r->archive_hypervolume[g - 1]);
    }
    assert_true(r->front_size > r->population); /* more than one population could hold */
    rg_results_free(r);
    /* a second run does not overwrite without --force: exit 2 before any work */
    path_in(err, sizeof err, "again.err");
    const char *args[] = {"optimize", problem,      "--generations", "3", "--quiet",
                          "--front",  front_sink(), "--out",         ref, NULL};
    assert_int_equal(run(err, args), 2);
    assert_true(file_has(err, "--force"));
    same_run(ref, ref);
}

/* SIGTERM (and SIGUSR1) mid-way: checkpoint, exit 128 + the signal, resume command; the resumed run ends
 * bit-identical to the reference. */
static void interrupt_and_resume(int sig, const char *name)
{
    char ref[1200], out[1200], ck[1200], err[1400], err2[1400];
    reference_run(ref, sizeof ref);
    snprintf(err, sizeof err, "%s/%s.err", tmp_dir, name);
    snprintf(out, sizeof out, "%s/%s.h5", tmp_dir, name);
    snprintf(ck, sizeof ck, "%s/%s.ck.h5", tmp_dir, name);
    unlink(out);
    unlink(ck);
    unlink(err);
    const char *a1[] = {"optimize",
                        problem,
                        "--generations",
                        GENS,
                        "--population",
                        POP,
                        "--front",
                        front_sink(),
                        "--out",
                        out,
                        "--checkpoint",
                        ck,
                        "--log-every",
                        "1",
                        NULL};
    pid_t pid = spawn(err, a1);
    /* mid-way: once the progress line of generation 20 is out (never before the handlers
     * are installed), within 60 s */
    for (int waited = 0; !file_has(err, "\ngen 20/") && waited < 6000; waited++)
        sleep_ms(10);
    kill(pid, sig);
    assert_int_equal(wait_status(pid), 128 + sig);
    bool interrupted = rg_safefile_exists(ck);
    assert_false(rg_safefile_exists(out)); /* no results file from a stopped run */
    assert_true(file_has(err, "can be resumed"));
    assert_true(file_has(err, "--resume"));
    assert_true(interrupted);
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ck, &c, &diag), RG_OK);
    assert_true(c->generation < 400);
    rg_checkpoint_free(c);
    /* resume with the same options plus --resume */
    snprintf(err2, sizeof err2, "%s/%s.resume.err", tmp_dir, name);
    const char *args[] = {"optimize",
                          problem,
                          "--generations",
                          GENS,
                          "--population",
                          POP,
                          "--front",
                          front_sink(),
                          "--out",
                          out,
                          "--checkpoint",
                          ck,
                          "--resume",
                          ck,
                          NULL};
    assert_int_equal(run(err2, args), 0);
    assert_true(file_has(err2, "resumed from"));
    same_run(ref, out);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(out, &r, &diag), RG_OK);
    assert_non_null(strstr(r->command_line, "resumed at generation"));
    rg_results_free(r);
}

static void test_sigterm_resume(void **state)
{
    (void)state;
    interrupt_and_resume(SIGTERM, "term");
}

static void test_sigusr1_resume(void **state)
{
    (void)state;
    interrupt_and_resume(SIGUSR1, "usr1");
}

/* --checkpoint-every, then a resume from that periodic checkpoint */
static void test_checkpoint_every(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400], full[1200];
    reference_run(ref, sizeof ref);
    path_in(out, sizeof out, "every.h5");
    path_in(full, sizeof full, "every-full.h5");
    snprintf(ck, sizeof ck, "%s/every.checkpoint.h5", tmp_dir);
    unlink(ck);
    path_in(err, sizeof err, "every.err");
    char ckfull[1200];
    snprintf(ckfull, sizeof ckfull, "%s/every-full.checkpoint.h5", tmp_dir);
    unlink(ckfull); /* an earlier run's checkpoint would be refused, not replaced */
    /* a shorter run leaves its last periodic checkpoint (generation 150) */
    const char *args[] = {
        "optimize", problem,      "--generations", "160", "--population",       POP,
        "--front",  front_sink(), "--out",         full,  "--checkpoint-every", "50",
        NULL};
    assert_int_equal(run(err, args), 0);
    assert_true(rg_safefile_exists(full));
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ckfull, &c, &diag), RG_OK);
    assert_int_equal(c->generation, 150);
    rg_checkpoint_free(c);
    /* resuming it with --generations 400 continues to the reference's end */
    const char *args2[] = {
        "optimize", problem,      "--generations", GENS, "--population", POP,
        "--front",  front_sink(), "--out",         out,  "--resume",     ckfull,
        NULL};
    assert_int_equal(run(err, args2), 0);
    same_run(ref, out);
}

/* --history-every 7: rows at generations 0, 7, ..., 35 and the last (40); a run resumed
 * from a periodic checkpoint (generation 30) records the same rows, bit for bit. */
static void test_history_every(void **state)
{
    (void)state;
    char full[1200], out[1200], err[1400], ck[1200];
    path_in(full, sizeof full, "thin.h5");
    path_in(out, sizeof out, "thin-resumed.h5");
    path_in(err, sizeof err, "thin.err");
    snprintf(ck, sizeof ck, "%s/thin.checkpoint.h5", tmp_dir);
    unlink(ck);
    const char *a1[] = {"optimize",
                        problem,
                        "--generations",
                        "40",
                        "--population",
                        POP,
                        "--quiet",
                        "--front",
                        front_sink(),
                        "--out",
                        full,
                        "--history-every",
                        "7",
                        "--checkpoint-every",
                        "10",
                        NULL};
    assert_int_equal(run(err, a1), 0);
    rg_results *r = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(full, &r, &diag), RG_OK);
    static const uint64_t rows[] = {0, 7, 14, 21, 28, 35, 40};
    assert_int_equal(r->n_history, 7);
    assert_memory_equal(r->history_generation, rows, sizeof rows);
    assert_int_equal(r->generations, 40);
    rg_results_free(r);
    rg_checkpoint *c = NULL;
    assert_int_equal(rg_checkpoint_read(ck, &c, &diag), RG_OK);
    assert_int_equal(c->generation, 30);
    assert_int_equal(c->results->n_history, 5);
    rg_checkpoint_free(c);
    const char *a2[] = {
        "optimize", problem,      "--generations", "40", "--population",    POP, "--quiet",
        "--front",  front_sink(), "--out",         out,  "--history-every", "7", "--resume",
        ck,         NULL};
    assert_int_equal(run(err, a2), 0);
    same_run(full, out);
    /* a value that is not a count >= 1 is refused, naming the option */
    const char *a3[] = {"optimize", problem, "--history-every", "0", "--out", out, NULL};
    assert_int_equal(run(err, a3), 2);
    assert_true(file_has(err, "--history-every"));
}

/* Foreign, damaged and mismatched checkpoints are refused with exit 2. */
static void test_resume_refusals(void **state)
{
    (void)state;
    char ref[1200], out[1200], err[1400], bad[1200];
    reference_run(ref, sizeof ref);
    path_in(out, sizeof out, "refused.h5");
    path_in(err, sizeof err, "refused.err");
    /* a results file is not a checkpoint */
    const char *a1[] = {"optimize", problem, "--quiet", "--out", out, "--resume", ref, NULL};
    assert_int_equal(run(err, a1), 2);
    assert_true(file_has(err, "not a checkpoint"));
    /* a text file */
    path_in(bad, sizeof bad, "junk.h5");
    FILE *f = fopen(bad, "w");
    fputs("junk\n", f);
    fclose(f);
    const char *a2[] = {"optimize", problem, "--quiet", "--out", out, "--resume", bad, NULL};
    assert_int_equal(run(err, a2), 2);
    assert_true(file_has(err, "no integrity block"));
    /* a checkpoint of another problem (zdt2) */
    char ck2[1200], out2[1200];
    path_in(ck2, sizeof ck2, "zdt2.ck.h5");
    path_in(out2, sizeof out2, "zdt2.h5");
    const char *a3[] = {"optimize",
                        RG_SOURCE_DIR "/problems/benchmarks/zdt2.cfg",
                        "--generations",
                        "4",
                        "--population",
                        "8",
                        "--quiet",
                        "--front",
                        front_sink(),
                        "--out",
                        out2,
                        "--checkpoint",
                        ck2,
                        "--checkpoint-every",
                        "2",
                        NULL};
    assert_int_equal(run(err, a3), 0);
    assert_true(rg_safefile_exists(ck2));
    const char *a4[] = {"optimize", problem, "--population", "8", "--quiet",
                        "--out",    out,     "--resume",     ck2, NULL};
    assert_int_equal(run(err, a4), 2);
    assert_true(file_has(err, "different problem"));
    /* the same problem with another seed */
    const char *a5[] = {"optimize",
                        RG_SOURCE_DIR "/problems/benchmarks/zdt2.cfg",
                        "--population",
                        "8",
                        "--seed",
                        "5",
                        "--quiet",
                        "--out",
                        out,
                        "--resume",
                        ck2,
                        NULL};
    assert_int_equal(run(err, a5), 2);
    assert_true(file_has(err, "seed"));
    /* a truncated checkpoint */
    struct stat st;
    assert_int_equal(stat(ck2, &st), 0);
    assert_int_equal(truncate(ck2, st.st_size / 2), 0);
    const char *a6[] = {"optimize",
                        RG_SOURCE_DIR "/problems/benchmarks/zdt2.cfg",
                        "--population",
                        "8",
                        "--quiet",
                        "--out",
                        out,
                        "--resume",
                        ck2,
                        NULL};
    assert_int_equal(run(err, a6), 2);
    assert_true(file_has(err, "zdt2.ck.h5"));
    assert_false(rg_safefile_exists(out));
}

/* SIGKILL at random moments of a run that checkpoints every generation: the checkpoint is
 * absent or complete, and a complete one resumes to the reference's front. */
static void test_sigkill(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400];
    reference_run(ref, sizeof ref);
    srand(2385);
    size_t resumed = 0;
    for (int trial = 0; trial < 4; trial++) {
        path_in(out, sizeof out, "killed.h5");
        path_in(ck, sizeof ck, "killed.ck.h5");
        path_in(err, sizeof err, "killed.err");
        const char *args[] = {"optimize",
                              problem,
                              "--generations",
                              GENS,
                              "--population",
                              POP,
                              "--quiet",
                              "--front",
                              front_sink(),
                              "--out",
                              out,
                              "--checkpoint",
                              ck,
                              "--checkpoint-every",
                              "1",
                              NULL};
        pid_t pid = spawn(err, args);
        /* once the first checkpoint exists (slow under sanitizers), kill at a random moment */
        for (int w = 0; w < 6000 && !rg_safefile_exists(ck); w++)
            sleep_ms(5);
        sleep_ms(rand() % 60);
        kill(pid, SIGKILL);
        wait_status(pid);
        if (!rg_safefile_exists(ck))
            continue;
        rg_checkpoint *c = NULL;
        rg_diag diag;
        rg_diag_init(&diag);
        int rc = rg_checkpoint_read(ck, &c, &diag);
        if (rc)
            rg_diag_print(&diag, stderr);
        assert_int_equal(rc, RG_OK);
        assert_int_equal(c->n_hv, c->generation + 1);
        assert_int_equal(c->results->n_history, c->generation + 1);
        rg_checkpoint_free(c);
        if (rg_safefile_exists(out))
            continue; /* the run finished before the kill */
        const char *a2[] = {
            "optimize", problem,      "--generations", GENS, "--population", POP, "--quiet",
            "--front",  front_sink(), "--out",         out,  "--checkpoint", ck,  "--resume",
            ck,         NULL};
        assert_int_equal(run(err, a2), 0);
        same_run(ref, out);
        resumed++;
    }
    assert_true(resumed > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_file_and_refusal),
        cmocka_unit_test(test_sigterm_resume),
        cmocka_unit_test(test_sigusr1_resume),
        cmocka_unit_test(test_checkpoint_every),
        cmocka_unit_test(test_history_every),
        cmocka_unit_test(test_resume_refusals),
        cmocka_unit_test(test_sigkill),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
