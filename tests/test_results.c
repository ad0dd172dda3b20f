/* rg_results: HDF5 round trip, atomic writes, refusals, damaged and foreign files. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "rg_test.h"

#include "regimen/results.h"
#include "regimen/safefile.h"
#include "regimen/seal.h"
#include "results_fixture.h"
#include "rg_test_util.h"

static size_t count_tmp_files(void)
{
    size_t n = 0;
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp-"))
            n++;
    if (d)
        closedir(d);
    return n;
}

static void assert_doubles_equal(const double *a, const double *b, size_t n)
{
    if (n == 0)
        return;
    assert_non_null(a);
    assert_non_null(b);
    /* bit-for-bit: HDF5 stores IEEE doubles unchanged */
    assert_memory_equal(a, b, n * sizeof(double));
}

static void assert_results_equal(const rg_results *a, const rg_results *b)
{
    assert_string_equal(a->problem_text, b->problem_text);
    assert_string_equal(a->problem_name, b->problem_name);
    assert_string_equal(a->command_line, b->command_line);
    assert_string_equal(a->version, b->version);
    assert_int_equal(a->seed, b->seed);
    assert_int_equal(a->n_ranks, b->n_ranks);
    assert_string_equal(a->start_time, b->start_time);
    assert_string_equal(a->end_time, b->end_time);
    assert_int_equal(a->encoding, b->encoding);
    assert_int_equal(a->n_obj, b->n_obj);
    for (size_t m = 0; m < a->n_obj; m++) {
        assert_string_equal(a->objective_names[m], b->objective_names[m]);
        assert_int_equal(a->maximised[m], b->maximised[m]);
    }
    assert_int_equal(a->has_reference_point, b->has_reference_point);
    assert_int_equal(a->reference_rule, b->reference_rule);
    assert_doubles_equal(a->reference_point, b->reference_point, a->n_obj);
    assert_int_equal(a->population, b->population);
    assert_int_equal(a->genome_length, b->genome_length);
    assert_int_equal(a->generations, b->generations);
    assert_int_equal(a->evaluations, b->evaluations);
    size_t G = a->n_history, N = a->population, L = a->genome_length, M = a->n_obj;
    assert_int_equal(G, b->n_history);
    assert_memory_equal(a->history_generation, b->history_generation, G * sizeof(uint64_t));
    assert_memory_equal(a->history_evaluations, b->history_evaluations, G * sizeof(uint64_t));
    assert_doubles_equal(a->hypervolume, b->hypervolume, G);
    assert_doubles_equal(a->history_genomes, b->history_genomes, G * N * L);
    assert_doubles_equal(a->history_objectives, b->history_objectives, G * N * M);
    assert_doubles_equal(a->history_violation, b->history_violation, G * N);
    size_t F = a->front_size;
    assert_int_equal(F, b->front_size);
    assert_doubles_equal(a->front_genomes, b->front_genomes, F * L);
    assert_doubles_equal(a->front_objectives, b->front_objectives, F * M);
    assert_doubles_equal(a->front_violation, b->front_violation, F);
    if (F)
        assert_memory_equal(a->front_flags, b->front_flags, F * sizeof(uint32_t));
    assert_int_equal(a->n_drugs, b->n_drugs);
    assert_int_equal(a->n_intervals, b->n_intervals);
    for (size_t d = 0; d < a->n_drugs; d++)
        assert_string_equal(a->drug_names[d], b->drug_names[d]);
    assert_doubles_equal(&a->decision_days, &b->decision_days, 1);
    assert_doubles_equal(a->front_doses, b->front_doses, F * a->n_drugs * a->n_intervals);
    assert_int_equal(a->n_rule_params, b->n_rule_params);
    for (size_t k = 0; k < a->n_rule_params; k++)
        assert_string_equal(a->rule_param_names[k], b->rule_param_names[k]);
    assert_doubles_equal(a->front_rule, b->front_rule, F * a->n_rule_params);
    size_t R = a->n_regimens;
    assert_int_equal(R, b->n_regimens);
    for (size_t i = 0; i < R; i++)
        assert_string_equal(a->regimen_names[i], b->regimen_names[i]);
    assert_doubles_equal(a->regimen_objectives, b->regimen_objectives, R * M);
    assert_doubles_equal(a->regimen_violation, b->regimen_violation, R);
    if (R)
        assert_memory_equal(a->regimen_flags, b->regimen_flags, R * sizeof(uint32_t));
    size_t V = a->n_visits, C = a->n_clones, D = a->n_drugs_all;
    assert_int_equal(V, b->n_visits);
    assert_int_equal(C, b->n_clones);
    assert_int_equal(D, b->n_drugs_all);
    for (size_t c = 0; c < C; c++)
        assert_string_equal(a->clone_names[c], b->clone_names[c]);
    for (size_t d = 0; d < D; d++)
        assert_string_equal(a->drug_names_all[d], b->drug_names_all[d]);
    assert_doubles_equal(a->traj_t, b->traj_t, V);
    const rg_traj_set *sa[2] = {&a->traj_front, &a->traj_regimens};
    const rg_traj_set *sb[2] = {&b->traj_front, &b->traj_regimens};
    for (size_t s = 0; s < 2; s++) {
        size_t n = sa[s]->n;
        assert_int_equal(n, sb[s]->n);
        assert_doubles_equal(sa[s]->burden, sb[s]->burden, n * V);
        assert_doubles_equal(sa[s]->resistant, sb[s]->resistant, n * V);
        assert_doubles_equal(sa[s]->clones, sb[s]->clones, n * C * V);
        assert_doubles_equal(sa[s]->conc, sb[s]->conc, n * D * V);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "roundtrip.h5");
    rg_results *r = fixture_results();
    assert_non_null(r);
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    rg_results *back = NULL;
    int rc = rg_results_read(path, &back, &diag);
    if (rc != RG_OK)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    assert_results_equal(r, back);
    assert_string_equal(back->format, "regimen-results");
    rg_results_free(back);
    assert_int_equal(count_tmp_files(), 0);
    rg_results_free(r);
}

static size_t count_dir_entries(void)
{
    size_t n = 0;
    DIR *d = opendir(tmp_dir);
    assert_non_null(d);
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* A spooled history (rg_results_spool_history) holds no population in memory, leaves no file
 * in the directory, gives back every row bit for bit, and writes the same file contents as
 * the history held in memory, rows recorded before and after the spool began. */
static void test_spooled_history(void **state)
{
    (void)state;
    char path[1200], mem_path[1200];
    path_in(path, sizeof path, "spooled.h5");
    path_in(mem_path, sizeof mem_path, "inmemory.h5");
    rg_results *r = fixture_results(), *ref = fixture_results();
    assert_non_null(r);
    assert_non_null(ref);
    size_t G = r->n_history, N = r->population, L = r->genome_length, M = r->n_obj;
    assert_true(G >= 2 && N * L * M > 0);
    rg_diag diag;
    rg_diag_init(&diag);
    size_t before = count_dir_entries();
    assert_int_equal(rg_results_spool_history(r, path, &diag), RG_OK);
    assert_int_equal(count_dir_entries(), before);
    assert_null(r->history_genomes);
    assert_null(r->history_objectives);
    assert_null(r->history_violation);
    /* one more row on both, after the spool began */
    double *gen = malloc(N * L * sizeof *gen), *obj = malloc(N * M * sizeof *obj),
           *viol = malloc(N * sizeof *viol);
    assert_true(gen && obj && viol);
    for (size_t k = 0; k < N * L; k++)
        gen[k] = 0.25 * (double)k;
    for (size_t k = 0; k < N * M; k++)
        obj[k] = 100.0 - (double)k;
    for (size_t k = 0; k < N; k++)
        viol[k] = k % 2 ? 0.5 : 0.0;
    assert_int_equal(rg_results_add_generation(r, 99, 999, 1.5, gen, obj, viol), RG_OK);
    assert_int_equal(rg_results_add_generation(ref, 99, 999, 1.5, gen, obj, viol), RG_OK);
    assert_int_equal(r->n_history, G + 1);
    r->generations = ref->generations = 99; /* a reader refuses rows past the run's end */
    for (size_t g = 0; g <= G; g++) {
        assert_int_equal(rg_results_history_row(r, g, gen, obj, viol), RG_OK);
        assert_doubles_equal(gen, ref->history_genomes + g * N * L, N * L);
        assert_doubles_equal(obj, ref->history_objectives + g * N * M, N * M);
        assert_doubles_equal(viol, ref->history_violation + g * N, N);
    }
    assert_int_equal(rg_results_history_row(r, G + 1, gen, obj, viol), RG_EINVAL);
    free(gen);
    free(obj);
    free(viol);
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    assert_int_equal(rg_results_write(ref, mem_path, 0, &diag), RG_OK);
    rg_results *a = NULL, *b = NULL;
    assert_int_equal(rg_results_read(path, &a, &diag), RG_OK);
    assert_int_equal(rg_results_read(mem_path, &b, &diag), RG_OK);
    assert_results_equal(a, b);
    assert_results_equal(ref, a);
    rg_results_free(a);
    rg_results_free(b);
    rg_results_free(r);
    rg_results_free(ref);
    assert_int_equal(count_tmp_files(), 0);
}

static void test_round_trip_rule_and_empty(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "rule.h5");
    rg_results *r = fixture_results();
    assert_non_null(r);
    /* adaptive-rule encoding, no trajectories, empty regimens */
    r->encoding = RG_ENC_ADAPTIVE_RULE;
    r->n_drugs = 0;
    r->n_intervals = 0;
    r->n_rule_params = 3;
    snprintf(r->rule_param_names[0], RG_NAME_MAX, "dose");
    snprintf(r->rule_param_names[1], RG_NAME_MAX, "stop_below");
    snprintf(r->rule_param_names[2], RG_NAME_MAX, "resume_above");
    assert_int_equal(rg_results_alloc_front(r, 2), RG_OK);
    for (size_t i = 0; i < 6; i++)
        r->front_rule[i] = 0.1 + 0.2 * (double)i;
    for (size_t i = 0; i < 20; i++)
        r->front_genomes[i] = -3.5 + (double)i;
    assert_int_equal(rg_results_alloc_regimens(r, 0), RG_OK);
    r->n_visits = 0;
    r->traj_front.n = 0;
    r->traj_regimens.n = 0;
    rg_results *copy = rg_results_alloc();
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    rg_results *back = NULL;
    assert_int_equal(rg_results_read(path, &back, &diag), RG_OK);
    assert_int_equal(back->n_visits, 0);
    assert_int_equal(back->traj_front.n, 0);
    assert_null(back->front_doses);
    assert_int_equal(back->n_regimens, 0);
    /* the reader sees no trajectories: compare with what was meant */
    r->n_clones = back->n_clones;
    r->n_drugs_all = back->n_drugs_all;
    for (size_t c = 0; c < r->n_clones; c++)
        snprintf(r->clone_names[c], RG_NAME_MAX, "%s", back->clone_names[c]);
    assert_results_equal(r, back);
    rg_results_free(back);
    rg_results_free(copy);
    rg_results_free(r);
}

static void test_no_overwrite_without_force(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "exists.h5");
    FILE *f = fopen(path, "w");
    fputs("precious", f);
    fclose(f);
    rg_results *r = fixture_results();
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_EEXIST);
    assert_non_null(strstr(diag.msg[0], "--force"));
    assert_non_null(strstr(diag.msg[0], "exists.h5"));
    char buf[32] = "";
    f = fopen(path, "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "precious");
    assert_int_equal(rg_status_exit_code(RG_EEXIST), 2);
    /* with force it is replaced by a readable result */
    assert_int_equal(rg_results_write(r, path, RG_WRITE_FORCE, &diag), RG_OK);
    rg_results *back = NULL;
    assert_int_equal(rg_results_read(path, &back, &diag), RG_OK);
    rg_results_free(back);
    assert_int_equal(count_tmp_files(), 0);
    rg_results_free(r);
}

static void test_failure_midway_leaves_nothing(void **state)
{
    (void)state;
    char path[1200];
    path_in(path, sizeof path, "midway.h5");
    rg_results *r = fixture_results();
    /* the front's genomes are missing: the writer fails after the history is written */
    free(r->front_genomes);
    r->front_genomes = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_results_write(r, path, 0, &diag);
    assert_int_not_equal(rc, RG_OK);
    assert_false(rg_safefile_exists(path));
    assert_int_equal(count_tmp_files(), 0);
    assert_non_null(strstr(diag.msg[0], "genomes"));
    /* the same with --force over an existing good file: the old file survives intact */
    rg_results *good = fixture_results();
    assert_int_equal(rg_results_write(good, path, 0, &diag), RG_OK);
    assert_int_not_equal(rg_results_write(r, path, RG_WRITE_FORCE, &diag), RG_OK);
    rg_results *back = NULL;
    assert_int_equal(rg_results_read(path, &back, &diag), RG_OK);
    assert_results_equal(good, back);
    rg_results_free(back);
    rg_results_free(good);
    /* an unwritable directory */
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(r, "/nonexistent-dir/x.h5", 0, &diag), RG_EIO);
    rg_results_free(r);
}

static void expect_read_error(const char *path, int status, const char *words)
{
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    int rc = rg_results_read(path, &r, &diag);
    assert_null(r);
    assert_int_equal(rc, status);
    assert_true(diag.count >= 1);
    if (!strstr(diag.msg[0], words) || !strstr(diag.msg[0], path)) {
        print_error("message '%s' lacks '%s' or the path\n", diag.msg[0], words);
        fail();
    }
    assert_int_equal(rg_status_exit_code(rc), status == RG_EIO ? 1 : 2);
}

static void test_damaged_and_foreign(void **state)
{
    (void)state;
    char good[1200], path[1200];
    path_in(good, sizeof good, "good.h5");
    rg_results *r = fixture_results();
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_write(r, good, 0, &diag), RG_OK);
    rg_results_free(r);

    /* missing file */
    path_in(path, sizeof path, "missing.h5");
    expect_read_error(path, RG_EIO, "cannot open");

    /* plain text */
    path_in(path, sizeof path, "text.h5");
    FILE *f = fopen(path, "w");
    fputs("ttp,resistant_burden\n1,2\n", f);
    fclose(f);
    expect_read_error(path, RG_EFORMAT, "no integrity block");

    /* truncated copies: half, and all but the last 100 bytes */
    struct stat st;
    assert_int_equal(stat(good, &st), 0);
    FILE *in = fopen(good, "rb");
    char *buf = malloc((size_t)st.st_size);
    assert_int_equal(fread(buf, 1, (size_t)st.st_size, in), (size_t)st.st_size);
    fclose(in);
    size_t cuts[2] = {(size_t)st.st_size / 2, (size_t)st.st_size - 100};
    for (size_t k = 0; k < 2; k++) {
        path_in(path, sizeof path, "truncated.h5");
        f = fopen(path, "wb");
        fwrite(buf, 1, cuts[k], f);
        fclose(f);
        rg_results *t = NULL;
        rg_diag_init(&diag);
        int rc = rg_results_read(path, &t, &diag);
        assert_null(t);
        assert_int_equal(rc, RG_EFORMAT);
        assert_non_null(strstr(diag.msg[0], path));
    }
    free(buf);

    /* an HDF5 file that is not a regimen result */
    path_in(path, sizeof path, "foreign.h5");
    hid_t fh = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dim = 3;
    double x[3] = {1.5, 2.5, 3.5};
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t ds = H5Dcreate2(fh, "x", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x);
    H5Dclose(ds);
    H5Sclose(sp);
    H5Fclose(fh);
    expect_read_error(path, RG_EFORMAT, "not a regimen results file");

    /* a regimen file with a dataset removed */
    path_in(path, sizeof path, "nofront.h5");
    r = fixture_results();
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    rg_results_free(r);
    fh = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(H5Ldelete(fh, "front/violation", H5P_DEFAULT) >= 0);
    H5Fclose(fh);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
    expect_read_error(path, RG_EFORMAT, "missing dataset 'violation'");

    /* a dataset of the wrong shape */
    path_in(path, sizeof path, "badshape.h5");
    r = fixture_results();
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    rg_results_free(r);
    fh = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(fh, "regimens/violation", H5P_DEFAULT);
    dim = 5;
    sp = H5Screate_simple(1, &dim, NULL);
    hid_t g = H5Gopen2(fh, "regimens", H5P_DEFAULT);
    ds = H5Dcreate2(g, "violation", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(ds);
    H5Gclose(g);
    H5Sclose(sp);
    H5Fclose(fh);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
    expect_read_error(path, RG_EFORMAT, "expected 2");

    /* a format version from the future */
    path_in(path, sizeof path, "future.h5");
    r = fixture_results();
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    rg_results_free(r);
    fh = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t a = H5Aopen(fh, "format_version", H5P_DEFAULT);
    int v = 99;
    H5Awrite(a, H5T_NATIVE_INT, &v);
    H5Aclose(a);
    H5Fclose(fh);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
    expect_read_error(path, RG_EFORMAT, "format_version 99");
}

static void test_helpers(void **state)
{
    (void)state;
    rg_results *r = rg_results_alloc();
    char *argv[] = {"regimen", "optimize", "my problem.cfg", "--seed", "5", "it's"};
    assert_int_equal(rg_results_set_argv(r, 6, argv), RG_OK);
    assert_string_equal(r->command_line,
                        "regimen optimize 'my problem.cfg' --seed 5 'it'\\''s'");
    char now[RG_RESULTS_TIME_MAX];
    rg_results_now(now);
    assert_int_equal(strlen(now), 20);
    assert_int_equal(now[10], 'T');
    assert_int_equal(now[19], 'Z');
    char h1[17], h2[17];
    rg_results_text_hash("abc", h1);
    /* FNV-1a 64 of "abc" (published test vector) */
    assert_string_equal(h1, "e71fa2190541574b");
    rg_results_text_hash("abd", h2);
    assert_string_not_equal(h1, h2);
    double t[4 * 2] = {10, 1, 30, 2, 20, 0.5, 40, 9};
    bool maxi[2] = {true, false};
    double viol[4] = {0, 0, 0, 0.5};
    assert_int_equal(rg_results_best(t, 4, 2, 0, maxi, viol, NULL), 1);
    assert_int_equal(rg_results_best(t, 4, 2, 1, maxi, viol, NULL), 2);
    assert_int_equal(rg_results_best(t, 4, 2, 0, maxi, NULL, NULL), 3);
    rg_results_free(r);
    rg_results_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_rule_and_empty),
        cmocka_unit_test(test_spooled_history),
        cmocka_unit_test(test_no_overwrite_without_force),
        cmocka_unit_test(test_failure_midway_leaves_nothing),
        cmocka_unit_test(test_damaged_and_foreign),
        cmocka_unit_test(test_helpers),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
