/* regimen optimize with results, checkpoints, signals and resume (recorder.h) on a small
 * tumour problem (problems/default.cfg, seeded with its standard regimens): an interrupted and
 * resumed run ends with the same front, history and trajectories, bit for bit, as an
 * uninterrupted one, also across rank counts; `regimen info` names the reference-point rule
 * the run used. The ZDT1 runs are in test_recorder.c. */
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

/* ---- a small tumour problem: seeded with the standard regimens, trajectories, rules ---- */

static const char *const tumour = RG_SOURCE_DIR "/problems/default.cfg";
#define TGENS "24"
#define TPOP "16"

/* `regimen export FILE --what WHAT -o OUT` */
static void export_table(const char *h5, const char *what, const char *out)
{
    char err[1400];
    snprintf(err, sizeof err, "%s.err", out);
    unlink(out);
    const char *args[] = {"export", h5, "--what", what, "-o", out, NULL};
    assert_int_equal(run(err, args), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    for (size_t k; (k = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The front and history tables of two results files are the same bytes, and the two runs
 * agree bit for bit (same_run) and on the reference-point rule. */
static void same_tumour_run(const char *a_path, const char *b_path)
{
    same_run(a_path, b_path);
    static const char *const what[] = {"front", "history", "regimens"};
    for (size_t w = 0; w < 3; w++) {
        char ea[1300], eb[1300];
        snprintf(ea, sizeof ea, "%s.%s.csv", a_path, what[w]);
        snprintf(eb, sizeof eb, "%s.%s.csv", b_path, what[w]);
        export_table(a_path, what[w], ea);
        export_table(b_path, what[w], eb);
        size_t na, nb;
        char *ta = slurp(ea, &na), *tb = slurp(eb, &nb);
        assert_true(na > 0);
        assert_int_equal(na, nb);
        assert_memory_equal(ta, tb, na);
        free(ta);
        free(tb);
    }
    rg_results *a = NULL, *b = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(a_path, &a, &diag), RG_OK);
    assert_int_equal(rg_results_read(b_path, &b, &diag), RG_OK);
    assert_true(a->reference_rule >= 0);
    assert_int_equal(a->reference_rule, b->reference_rule);
    assert_true(a->n_regimens > 0);
    assert_true(a->n_visits > 0 && b->traj_front.n == b->front_size);
    rg_results_free(a);
    rg_results_free(b);
}

/* The uninterrupted tumour run (its stderr, with the reference-point line, in ref.err). */
static void tumour_reference_run(char *ref, size_t cap)
{
    char err[1400];
    snprintf(ref, cap, "%s/tumour-reference.h5", tmp_dir);
    if (rg_safefile_exists(ref))
        return;
    snprintf(err, sizeof err, "%s.err", ref);
    const char *args[] = {"optimize", tumour,    "--generations", TGENS,   "--population",
                          TPOP,       "--front", front_sink(),    "--out", ref,
                          NULL};
    assert_int_equal(run(err, args), 0);
}

/* A checkpoint of the seeded tumour problem holds the seeds' initial results and the rule. */
static void check_tumour_checkpoint(const char *ck, uint64_t generation, int n_ranks)
{
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_checkpoint_read(ck, &c, &diag);
    if (rc)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    if (generation)
        assert_int_equal(c->generation, generation);
    assert_true(c->n_seeds > 0);
    assert_int_equal(c->n_baselines, c->n_seeds);
    assert_non_null(c->baselines);
    assert_true(c->reference_rule >= 0);
    assert_int_equal(c->results->n_ranks, n_ranks);
    assert_int_equal(c->results->n_history, c->generation + 1);
    rg_checkpoint_free(c);
}

/* (a) --checkpoint-every on a tumour problem (every generation: a tumour problem's checkpoint
 * holds no trajectories, which the writer must accept), then a resume to the reference's end. */
static void test_tumour_checkpoint_every(void **state)
{
    (void)state;
    char ref[1200], out[1200], full[1200], ck[1200], err[1400];
    tumour_reference_run(ref, sizeof ref);
    path_in(full, sizeof full, "tumour-every-full.h5");
    path_in(ck, sizeof ck, "tumour-every.ck.h5");
    path_in(out, sizeof out, "tumour-every.h5");
    path_in(err, sizeof err, "tumour-every.err");
    const char *a1[] = {"optimize",
                        tumour,
                        "--generations",
                        "3",
                        "--population",
                        TPOP,
                        "--quiet",
                        "--front",
                        front_sink(),
                        "--out",
                        full,
                        "--checkpoint",
                        ck,
                        "--checkpoint-every",
                        "1",
                        NULL};
    assert_int_equal(run(err, a1), 0);
    check_tumour_checkpoint(ck, 2, 1);
    const char *a2[] = {
        "optimize", tumour,    "--generations", "10",         "--population",
        TPOP,       "--quiet", "--front",       front_sink(), "--out",
        full,       "--force", "--checkpoint",  ck,           "--checkpoint-every",
        "2",        NULL};
    assert_int_equal(run(err, a2), 0);
    check_tumour_checkpoint(ck, 8, 1);
    const char *a3[] = {
        "optimize", tumour,       "--generations", TGENS, "--population", TPOP, "--quiet",
        "--front",  front_sink(), "--out",         out,   "--checkpoint", ck,   "--resume",
        ck,         NULL};
    assert_int_equal(run(err, a3), 0);
    same_tumour_run(ref, out);
}

/* (b) SIGUSR1 mid-way: checkpoint, exit 128 + SIGUSR1; the resumed run ends identical. */
static void test_tumour_sigusr1_resume(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400];
    tumour_reference_run(ref, sizeof ref);
    path_in(out, sizeof out, "tumour-usr1.h5");
    path_in(ck, sizeof ck, "tumour-usr1.ck.h5");
    path_in(err, sizeof err, "tumour-usr1.err");
    const char *a1[] = {"optimize",     tumour,    "--generations", TGENS,   "--population",
                        TPOP,           "--front", front_sink(),    "--out", out,
                        "--checkpoint", ck,        "--log-every",   "1",     NULL};
    pid_t pid = spawn(err, a1);
    for (int waited = 0; !file_has(err, "\ngen 3/") && waited < 6000; waited++)
        sleep_ms(10);
    kill(pid, SIGUSR1);
    assert_int_equal(wait_status(pid), 128 + SIGUSR1);
    assert_true(file_has(err, "can be resumed"));
    assert_false(rg_safefile_exists(out));
    check_tumour_checkpoint(ck, 0, 1);
    const char *a2[] = {
        "optimize", tumour,       "--generations", TGENS, "--population", TPOP, "--quiet",
        "--front",  front_sink(), "--out",         out,   "--checkpoint", ck,   "--resume",
        ck,         NULL};
    assert_int_equal(run(err, a2), 0);
    same_tumour_run(ref, out);
}

/* (d) `regimen info` names the rule the optimiser reported when it chose the reference
 * point, for the tumour run, its resumed copy and the benchmark (given reference point). */
static void info_names_rule(const char *h5, const char *rule)
{
    char info[1300];
    snprintf(info, sizeof info, "%s.info", h5);
    const char *args[] = {"info", h5, NULL};
    assert_int_equal(run(info, args), 0);
    char want[300];
    snprintf(want, sizeof want, "(%s)\n", rule);
    if (!file_has(info, want))
        fprintf(stderr, "%s: info does not say '%s'\n", h5, want);
    assert_true(file_has(info, want));
}

static void test_info_reference_rule(void **state)
{
    (void)state;
    char ref[1200], err[1300];
    tumour_reference_run(ref, sizeof ref);
    snprintf(err, sizeof err, "%s.err", ref);
    size_t n;
    char *text = slurp(err, &n);
    char *a = strstr(text, "reference point (");
    assert_non_null(a);
    a += strlen("reference point (");
    char *b = strstr(a, "):");
    assert_non_null(b);
    *b = '\0';
    info_names_rule(ref, a);
    /* MTD_tariquidar does not progress within the default problem's 728 days: its TTP is
     * printed as the lower bound it is */
    char info[1300];
    snprintf(info, sizeof info, "%s.info", ref);
    /* (the name column is as wide as the longest regimen name, weekly_low_tariquidar) */
    assert_true(file_has(info, " MTD_tariquidar        ttp=>728 "));
    char out[1200];
    snprintf(out, sizeof out, "%s/tumour-usr1.h5", tmp_dir);
    if (rg_safefile_exists(out))
        info_names_rule(out, a);
    free(text);
    char zref[1200];
    reference_run(zref, sizeof zref);
    info_names_rule(zref, "optimize.reference_point");
}

#ifdef RG_MPIEXEC
/* A run on 3 MPI ranks (master + 2 workers) stopped by SIGUSR1 to mpirun (Open MPI forwards
 * it to every rank) resumes on 2 ranks and ends bit-identical to the serial reference. */
static void test_mpi_resume_other_rank_count(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400];
    reference_run(ref, sizeof ref);
    snprintf(err, sizeof err, "%s/mpi.err", tmp_dir);
    snprintf(out, sizeof out, "%s/mpi.h5", tmp_dir);
    snprintf(ck, sizeof ck, "%s/mpi.ck.h5", tmp_dir);
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
    pid_t pid = spawn_mpi(err, 3, a1);
    for (int waited = 0; !file_has(err, "\ngen 20/") && waited < 12000; waited++)
        sleep_ms(10);
    kill(pid, SIGUSR1);
    assert_int_equal(wait_status(pid), 128 + SIGUSR1);
    assert_true(rg_safefile_exists(ck));
    assert_false(rg_safefile_exists(out));
    assert_true(file_has(err, "can be resumed"));
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ck, &c, &diag), RG_OK);
    assert_int_equal(c->results->n_ranks, 3);
    assert_true(c->generation >= 20 && c->generation < 400);
    rg_checkpoint_free(c);
    const char *a2[] = {
        "optimize", problem,      "--generations", GENS, "--population", POP, "--quiet",
        "--front",  front_sink(), "--out",         out,  "--checkpoint", ck,  "--resume",
        ck,         NULL};
    assert_int_equal(wait_status(spawn_mpi(err, 2, a2)), 0);
    same_run(ref, out);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(out, &r, &diag), RG_OK);
    assert_int_equal(r->n_ranks, 2);
    rg_results_free(r);
}

/* (c) a tumour run on 3 MPI ranks checkpointed every 4 generations resumes serially (no
 * mpirun) and ends identical to the serial reference. */
static void test_tumour_mpi_to_serial(void **state)
{
    (void)state;
    char ref[1200], out[1200], full[1200], ck[1200], err[1400];
    tumour_reference_run(ref, sizeof ref);
    path_in(full, sizeof full, "tumour-mpi-full.h5");
    path_in(ck, sizeof ck, "tumour-mpi.ck.h5");
    path_in(out, sizeof out, "tumour-mpi.h5");
    path_in(err, sizeof err, "tumour-mpi.err");
    const char *a1[] = {"optimize",
                        tumour,
                        "--generations",
                        "10",
                        "--population",
                        TPOP,
                        "--quiet",
                        "--front",
                        front_sink(),
                        "--out",
                        full,
                        "--checkpoint",
                        ck,
                        "--checkpoint-every",
                        "4",
                        NULL};
    assert_int_equal(wait_status(spawn_mpi(err, 3, a1)), 0);
    check_tumour_checkpoint(ck, 8, 3);
    const char *a2[] = {
        "optimize", tumour,       "--generations", TGENS, "--population", TPOP, "--quiet",
        "--front",  front_sink(), "--out",         out,   "--checkpoint", ck,   "--resume",
        ck,         NULL};
    assert_int_equal(run(err, a2), 0);
    same_tumour_run(ref, out);
    rg_results *r = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(out, &r, &diag), RG_OK);
    assert_int_equal(r->n_ranks, 1);
    rg_results_free(r);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tumour_checkpoint_every),
        cmocka_unit_test(test_tumour_sigusr1_resume),
        cmocka_unit_test(test_info_reference_rule),
#ifdef RG_MPIEXEC
        cmocka_unit_test(test_mpi_resume_other_rank_count),
        cmocka_unit_test(test_tumour_mpi_to_serial),
#endif
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
