/* Checkpoints: round trip (state, RNG continuation), refusals, damage, SIGKILL mid-write. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>
#include <hdf5.h>

#include "rg_test.h"

#include "regimen/checkpoint.h"
#include "regimen/safefile.h"
#include "regimen/seal.h"
#include "results_fixture.h"
#include "rg_test_util.h"

/* A checkpoint whose contents follow from `gen`, so a reader can check consistency. */
static rg_checkpoint *make_checkpoint(uint64_t gen, gsl_rng *rng)
{
    rg_checkpoint *c = rg_checkpoint_alloc();
    rg_results_free(c->results);
    c->results = fixture_results();
    c->generation = gen;
    c->generations_target = 250;
    assert_int_equal(rg_checkpoint_alloc_population(c, 6, 10), RG_OK);
    for (size_t i = 0; i < 60; i++)
        c->genomes[i] = fixture_value((size_t)gen, i);
    for (size_t i = 0; i < 6; i++) {
        for (size_t m = 0; m < 3; m++) {
            c->evals[i].value[m] = fixture_value(i, m) + (double)gen;
            c->evals[i].fitness[m] = m == 0 ? -c->evals[i].value[m] : c->evals[i].value[m];
        }
        c->evals[i].violation = i == 4 ? 0.375 : 0.0;
        c->evals[i].flags = i == 4 ? 2u : 0u;
        snprintf(c->evals[i].reason, RG_REASON_MAX, i == 4 ? "cumulative dose of drug 1" : "");
    }
    assert_int_equal(rg_checkpoint_save_rng(c, rng), RG_OK);
    c->evaluations = 6 * (gen + 1);
    c->n_seeds = 2;
    c->n_baselines = 2; /* the seeds' initial results */
    c->baselines = calloc(2, sizeof *c->baselines);
    assert_non_null(c->baselines);
    for (size_t i = 0; i < 2; i++) {
        for (size_t m = 0; m < 3; m++) {
            c->baselines[i].value[m] = fixture_value(i + 10, m) - (double)gen;
            c->baselines[i].fitness[m] =
                m == 0 ? -c->baselines[i].value[m] : c->baselines[i].value[m];
        }
        c->baselines[i].violation = i == 1 ? 0.125 : 0.0;
        c->baselines[i].flags = i == 1 ? 3u : 1u;
        snprintf(c->baselines[i].reason, RG_REASON_MAX, i == 1 ? "toxicity above limit" : "");
    }
    c->reference_rule = 1; /* RG_HVREF_BASELINES */
    c->reference[0] = -12.5;
    c->reference[1] = 4.25;
    c->reference[2] = 1.0 / 3.0;
    double hv[3] = {1.5, 2.25, (double)gen};
    assert_int_equal(rg_checkpoint_set_hv_history(c, hv, 3), RG_OK);
    /* the archive: two members (the population's feasible rows 0 and 2), its bound and
     * its hypervolume per generation */
    c->archive_bound = 7;
    c->n_archive = 2;
    c->archive_genomes = calloc(20, sizeof(double));
    c->archive_evals = calloc(2, sizeof *c->archive_evals);
    c->archive_hv_history = calloc(3, sizeof(double));
    assert_non_null(c->archive_genomes);
    assert_non_null(c->archive_evals);
    assert_non_null(c->archive_hv_history);
    for (size_t i = 0; i < 2; i++) {
        memcpy(c->archive_genomes + i * 10, c->genomes + 2 * i * 10, 10 * sizeof(double));
        c->archive_evals[i] = c->evals[2 * i];
        c->archive_hv_history[i] = 1.625 + (double)i;
    }
    c->archive_hv_history[2] = 2.875 + (double)gen;
    unsigned char blob[5] = {1, 2, 3, 250, (unsigned char)gen};
    assert_int_equal(rg_checkpoint_set_optimizer_state(c, blob, sizeof blob), RG_OK);
    c->settings.population = 6;
    c->settings.seed = 17;
    c->settings.generations = 250;
    c->settings.n_objectives = 3;
    c->settings.objectives[0] = RG_OBJ_TTP;
    c->settings.objectives[1] = RG_OBJ_RESISTANT_BURDEN;
    c->settings.objectives[2] = RG_OBJ_DOSE_INTENSITY;
    c->settings.crossover_probability = 0.9;
    c->settings.mutation_probability = 0.1;
    c->settings.sbx_eta = 15;
    c->settings.pm_eta = 20;
    c->settings.n_levels = 3;
    c->settings.dose_levels[1] = 0.5;
    c->settings.dose_levels[2] = 1.0;
    return c;
}

static void test_round_trip_and_rng(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "ck.h5");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 17);
    for (int i = 0; i < 1000; i++)
        gsl_rng_get(rng);
    rg_checkpoint *c = make_checkpoint(42, rng);
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_OK);
    /* a second write replaces the first (checkpoints are overwritten in place) */
    c->generation = 43;
    assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_OK);
    rg_checkpoint *b = NULL;
    int rc = rg_checkpoint_read(path, &b, &diag);
    if (rc)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    assert_int_equal(b->generation, 43);
    assert_int_equal(b->generations_target, 250);
    assert_int_equal(b->n, 6);
    assert_int_equal(b->genome_length, 10);
    assert_memory_equal(b->genomes, c->genomes, 60 * sizeof(double));
    for (size_t i = 0; i < 6; i++) {
        assert_memory_equal(b->evals[i].value, c->evals[i].value, 3 * sizeof(double));
        assert_memory_equal(b->evals[i].fitness, c->evals[i].fitness, 3 * sizeof(double));
        assert_memory_equal(&b->evals[i].violation, &c->evals[i].violation, sizeof(double));
        assert_int_equal(b->evals[i].flags, c->evals[i].flags);
        assert_string_equal(b->evals[i].reason, c->evals[i].reason);
    }
    assert_int_equal(b->evaluations, c->evaluations);
    assert_int_equal(b->n_seeds, 2);
    assert_int_equal(b->n_baselines, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_memory_equal(b->baselines[i].value, c->baselines[i].value, 3 * sizeof(double));
        assert_memory_equal(b->baselines[i].fitness, c->baselines[i].fitness,
                            3 * sizeof(double));
        assert_memory_equal(&b->baselines[i].violation, &c->baselines[i].violation,
                            sizeof(double));
        assert_int_equal(b->baselines[i].flags, c->baselines[i].flags);
        assert_string_equal(b->baselines[i].reason, c->baselines[i].reason);
    }
    assert_int_equal(b->reference_rule, 1);
    assert_memory_equal(b->reference, c->reference, 3 * sizeof(double));
    assert_int_equal(b->n_hv, 3);
    assert_memory_equal(b->hv_history, c->hv_history, 3 * sizeof(double));
    assert_int_equal(b->archive_bound, 7);
    assert_int_equal(b->n_archive, 2);
    assert_memory_equal(b->archive_genomes, c->archive_genomes, 20 * sizeof(double));
    assert_memory_equal(b->archive_hv_history, c->archive_hv_history, 3 * sizeof(double));
    for (size_t i = 0; i < 2; i++) {
        assert_memory_equal(b->archive_evals[i].fitness, c->archive_evals[i].fitness,
                            3 * sizeof(double));
        assert_int_equal(b->archive_evals[i].flags, c->archive_evals[i].flags);
    }
    assert_int_equal(b->optimizer_state_size, 5);
    assert_memory_equal(b->optimizer_state, c->optimizer_state, 5);
    assert_string_equal(b->rng_name, "mt19937");
    assert_int_equal(b->settings.population, 6);
    assert_int_equal(b->settings.seed, 17);
    assert_int_equal(b->settings.n_levels, 3);
    assert_close(b->settings.sbx_eta, 15.0, 0, 0);
    assert_close(b->settings.mutation_probability, 0.1, 0, 0);
    assert_int_equal(b->results->n_history, 4);
    assert_string_equal(b->results->format, "regimen-checkpoint");
    assert_string_equal(b->results->problem_text, c->results->problem_text);
    /* the restored generator continues the same stream */
    gsl_rng *again = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(again, 99);
    assert_int_equal(rg_checkpoint_restore_rng(b, again), RG_OK);
    for (int i = 0; i < 2000; i++)
        assert_int_equal(gsl_rng_get(rng), gsl_rng_get(again));
    /* a generator of another type is refused */
    gsl_rng *other = gsl_rng_alloc(gsl_rng_taus2);
    assert_int_equal(rg_checkpoint_restore_rng(b, other), RG_EFORMAT);
    gsl_rng_free(other);
    gsl_rng_free(again);
    gsl_rng_free(rng);
    rg_checkpoint_free(b);
    rg_checkpoint_free(c);
}

static void test_refusals(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "ck2.h5");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    rg_checkpoint *c = make_checkpoint(7, rng);
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_OK);
    rg_problem *p = rg_problem_alloc();
    p->text = strdup(c->results->problem_text);
    p->optimize = c->settings;
    assert_int_equal(rg_checkpoint_check(c, p, path, &diag), RG_OK);
    /* a different problem */
    free(p->text);
    p->text = strdup("# another problem\n");
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_check(c, p, path, &diag), RG_EINVAL);
    assert_non_null(strstr(diag.msg[0], "different problem"));
    assert_non_null(strstr(diag.msg[0], path));
    free(p->text);
    p->text = strdup(c->results->problem_text);
    /* another population or seed */
    p->optimize.population = 8;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_check(c, p, path, &diag), RG_EINVAL);
    assert_non_null(strstr(diag.msg[0], "population 6"));
    p->optimize.population = 6;
    p->optimize.seed = 18;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_check(c, p, path, &diag), RG_EINVAL);
    assert_non_null(strstr(diag.msg[0], "seed 17"));
    rg_problem_free(p);

    /* a results file is not a checkpoint */
    char res[1200];
    path_in(res, sizeof res, "res.h5");
    assert_int_equal(rg_results_write(c->results, res, 0, &diag), RG_OK);
    rg_checkpoint *b = NULL;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(res, &b, &diag), RG_EFORMAT);
    assert_null(b);
    assert_non_null(strstr(diag.msg[0], "not a checkpoint"));

    /* truncated checkpoint */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size * 2 / 3), 0);
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(path, &b, &diag), RG_EFORMAT);
    assert_non_null(strstr(diag.msg[0], path));

    /* the state group damaged: rng bytes removed */
    assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "state/rng_state", H5P_DEFAULT);
    H5Fclose(f);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(path, &b, &diag), RG_EFORMAT);
    assert_non_null(strstr(diag.msg[0], "rng_state"));
    /* a seeded run's checkpoint without the seeds' results or the reference rule: a resume
     * could not continue identically */
    static const char *const parts[] = {"state/baselines", "baselines", "state/baselines/flags",
                                        "flags"};
    for (size_t k = 0; k < 4; k += 2) {
        assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_OK);
        f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
        H5Ldelete(f, parts[k], H5P_DEFAULT);
        H5Fclose(f);
        assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
        rg_diag_init(&diag);
        assert_int_equal(rg_checkpoint_read(path, &b, &diag), RG_EFORMAT);
        assert_non_null(strstr(diag.msg[0], parts[k + 1]));
    }
    assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_OK);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Adelete_by_name(f, "state", "reference_rule", H5P_DEFAULT);
    H5Fclose(f);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(path, &b, &diag), RG_EFORMAT);
    assert_non_null(strstr(diag.msg[0], "reference_rule"));
    /* an incomplete state is not written */
    c->n_baselines = 1;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_write(c, path, &diag), RG_EINVAL);
    c->n_baselines = 2;
    gsl_rng_free(rng);
    rg_checkpoint_free(c);
}

/* A writer killed with SIGKILL at random moments leaves either no file or a complete
 * checkpoint that reads back consistent; never a damaged file taken as good. */
static void test_sigkill_mid_write(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "killed.h5");
    srand(2385);
    size_t complete = 0, absent = 0;
    for (int trial = 0; trial < 12; trial++) {
        unlink(path);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
            for (uint64_t g = 0;; g++) {
                rg_checkpoint *c = make_checkpoint(g, rng);
                rg_checkpoint_write(c, path, NULL);
                rg_checkpoint_free(c);
            }
        }
        /* once a first checkpoint exists (slow under sanitizers), kill at a random moment */
        for (int w = 0; w < 3000 && !rg_safefile_exists(path); w++) {
            struct timespec poll = {0, 1000000L};
            nanosleep(&poll, NULL);
        }
        struct timespec ts = {0, (long)((rand() % 20) * 1000000L)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        if (!rg_safefile_exists(path)) {
            absent++;
            continue;
        }
        rg_checkpoint *b = NULL;
        rg_diag diag;
        rg_diag_init(&diag);
        int rc = rg_checkpoint_read(path, &b, &diag);
        if (rc)
            rg_diag_print(&diag, stderr);
        assert_int_equal(rc, RG_OK);
        for (size_t i = 0; i < 60; i++)
            assert_true(b->genomes[i] == fixture_value((size_t)b->generation, i));
        assert_int_equal(b->optimizer_state[4], (unsigned char)b->generation);
        rg_checkpoint_free(b);
        complete++;
    }
    assert_int_equal(complete + absent, 12);
    assert_true(complete > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_and_rng),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_sigkill_mid_write),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
