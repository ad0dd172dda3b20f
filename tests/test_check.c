/* Tests of `regimen check` (src/cli/cmd_check.c, check_print*.c) and of the key reference.
 *
 * Round trip: problems/example.cfg and every problems/ ** / *.cfg found at test time load,
 * and `regimen check FILE --json` parses (json-c) and holds the values written in the file,
 * read here independently with libconfig: clones, drugs, mechanisms, the fold table
 * recomputed from the file, grid, regimens, optimisation settings, benchmark settings.
 * The shipped problems draw no warning that an adaptive regimen cannot resume before
 * progression; the warning itself is tested on hand-made cases.
 * Docs: the generated part of docs/problem-format.md equals `regimen check --doc-keys`. */
#include "rg_test.h"
#include "rg_test_util.h"

#include <dirent.h>
#include <json-c/json.h>
#include <libconfig.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/keys.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "check_json.h"

/* ---------------------------------------------------------------- helpers */

static void make_tmpdir(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", RG_TEST_TMPDIR);
    assert_int_equal(system(cmd), 0);
}

static int run_regimen(const char *args, char **out, char **err)
{
    char o[1024], e[1024], cmd[4096];
    snprintf(o, sizeof o, "%s/run.out", RG_TEST_TMPDIR);
    snprintf(e, sizeof e, "%s/run.err", RG_TEST_TMPDIR);
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s' 2>'%s'", RG_REGIMEN_EXE, args, o, e);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    *out = read_all(o);
    *err = read_all(e);
    assert_non_null(*out);
    assert_non_null(*err);
    return WEXITSTATUS(st);
}

/* stderr of a valid file: nothing, or warning lines only (check_warn.c). */
static void assert_only_warnings(const char *err)
{
    for (const char *line = err; *line;) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        const char *w = strstr(line, ": warning: ");
        if (!w || w > nl)
            print_error("not a warning on stderr: %.*s\n", (int)(nl - line), line);
        assert_true(w && w < nl);
        line = nl + 1;
    }
}

static void round_trip(const char *path)
{
    print_message("round trip: %s\n", path);
    rg_diag *d = malloc(sizeof *d);
    assert_non_null(d);
    rg_diag_init(d);
    rg_problem *p = NULL;
    int st = rg_problem_load(path, &p, d);
    if (st != RG_OK) {
        rg_diag_print(d, stderr);
        free(d);
        fail();
    }
    free(d);
    rg_problem_free(p);

    char args[4096], *out, *err;
    snprintf(args, sizeof args, "check '%s' --json", path);
    assert_int_equal(run_regimen(args, &out, &err), 0);
    assert_only_warnings(err);
    enum json_tokener_error jerr;
    json_object *j = json_tokener_parse_verbose(out, &jerr);
    if (!j) {
        print_error("check --json of %s is not JSON: %s\n", path,
                    json_tokener_error_desc(jerr));
        fail();
    }
    config_t cfg;
    config_init(&cfg);
    config_set_options(&cfg, CONFIG_OPTION_AUTOCONVERT);
    assert_int_equal(config_read_file(&cfg, path), CONFIG_TRUE);
    const char *title;
    if (config_lookup_string(&cfg, "name", &title))
        assert_string_equal(jstr(j, "name"), title);
    const char *bench;
    if (config_lookup_string(&cfg, "problem", &bench)) {
        assert_string_equal(jstr(j, "kind"), "benchmark");
        json_object *jb = jget(j, "benchmark");
        assert_string_equal(jstr(jb, "problem"), bench);
        static const char *const bk[] = {"variables", "objectives", NULL};
        same_numbers(config_root_setting(&cfg), jb, bk, "benchmark");
    } else {
        check_tumour(&cfg, j);
    }
    check_optimize(&cfg, j);
    config_destroy(&cfg);
    json_object_put(j);
    free(out);
    free(err);

    /* the text form works too */
    snprintf(args, sizeof args, "check '%s'", path);
    assert_int_equal(run_regimen(args, &out, &err), 0);
    assert_only_warnings(err);
    /* every adaptive arm of a shipped problem can resume before progression (docs/model.md
     * section 8) */
    if (strstr(path, "/problems/") && strstr(err, "cannot resume before progression")) {
        print_error("%s", err);
        fail();
    }
    assert_non_null(strstr(out, "problem: "));
    free(out);
    free(err);
}

static size_t walk_problems(const char *dir)
{
    size_t n = 0;
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += walk_problems(path);
        } else {
            size_t len = strlen(e->d_name);
            if (len > 4 && !strcmp(e->d_name + len - 4, ".cfg")) {
                round_trip(path);
                n++;
            }
        }
    }
    closedir(dp);
    return n;
}

static void test_round_trip_all_problems(void **state)
{
    (void)state;
    make_tmpdir();
    size_t n = walk_problems(RG_SOURCE_DIR "/problems");
    print_message("problem files checked: %zu\n", n);
    assert_true(n >= 1);
}

/* Values of the contract's illustration checked by hand (independent of the file reader
 * above): derived grid, defaults resolved, folds. */
static void test_example_values(void **state)
{
    (void)state;
    make_tmpdir();
    char *out, *err;
    assert_int_equal(
        run_regimen("check '" RG_SOURCE_DIR "/problems/example.cfg' --json", &out, &err), 0);
    json_object *j = json_tokener_parse(out);
    assert_non_null(j);
    json_object *grid = jget(j, "grid");
    assert_close(jnum(grid, "intervals"), 104, 0, 0);
    assert_close(jnum(grid, "visits"), 729, 0, 0);
    json_object *bt = jget(jget(grid, "bolus_times"), "doxorubicin");
    assert_int_equal(json_object_array_length(bt), 35);
    assert_close(json_object_get_double(jidx(bt, 34)), 714, 0, 0);
    json_object *clones = jget(j, "clones");
    assert_close(jnum(jnamed(clones, "sensitive"), "carrying_capacity"), 1e12, 0, 0);
    assert_close(jnum(jnamed(clones, "BCL2_high"), "carrying_capacity"), 5e11, 0, 0);
    assert_close(jnum(jget(jnamed(clones, "sensitive"), "competition"), "ABCB1_high"), 1.2, 0,
                 0);
    assert_close(jnum(jget(jnamed(clones, "sensitive"), "competition"), "BCL2_high"), 1.0, 0,
                 0);
    json_object *model = jget(j, "model");
    assert_close(jnum(model, "initial_burden"), 1.0001e9, 1e-15, 0);
    assert_close(jnum(model, "emergence_cells"), 1e9, 0, 0);
    json_object *tar = jnamed(jget(j, "drugs"), "tariquidar");
    assert_string_equal(jstr(tar, "administration"), "continuous");
    assert_close(jnum(tar, "hill"), 1.0, 0, 0);
    assert_true(json_object_is_type(jget(tar, "max_cumulative_dose"), json_type_null));
    assert_close(jnum(jnamed(jget(j, "drugs"), "doxorubicin"), "max_cumulative_dose"), 8, 0, 0);
    json_object *ft = jget(j, "fold_table"); /* clones x drugs in file order */
    assert_close(jnum(jidx(ft, 2), "exposure_divisor"), 12, 0,
                 0);                                              /* ABCB1_high x doxorubicin */
    assert_close(jnum(jidx(ft, 3), "exposure_divisor"), 1, 0, 0); /* ABCB1_high x tariquidar */
    assert_close(jnum(jidx(ft, 4), "emax_divisor"), 4, 0, 0);     /* BCL2_high x doxorubicin */
    assert_close(jnum(jidx(ft, 4), "exposure_divisor"), 1, 0, 0);
    json_object *prog = jget(j, "progression");
    assert_close(jnum(prog, "min_cells"), 1.0, 0, 0); /* = extinction_cells */
    json_object *mod = jnamed(jget(j, "regimens"), "modulation");
    assert_close(jnum(mod, "min_dose"), 0.05, 0, 0);
    json_object *mtd = jnamed(jget(j, "regimens"), "MTD");
    assert_close(jnum(mtd, "cycle_days"), 0, 0, 0);
    json_object *opt = jget(j, "optimize");
    assert_close(jnum(opt, "seed"), 20261126, 0, 0);
    assert_close(jnum(opt, "crossover_probability"), 0.9, 0, 0); /* %.17g round-trips */
    json_object_put(j);
    free(out);
    free(err);

    assert_int_equal(run_regimen("check '" RG_SOURCE_DIR "/problems/example.cfg'", &out, &err),
                     0);
    assert_non_null(strstr(out, "fold table"));
    assert_non_null(strstr(out, "ABCB1_high"));
    assert_non_null(strstr(out, "bolus times of doxorubicin (35)"));
    free(out);
    free(err);
}

/* ---------------------------------------------------------------- adaptive warning */

/* A toy problem with one adaptive regimen: B(0) = 1e6 cells; `progression` and the
 * thresholds as given. Runs `regimen check` on it and returns its stderr (exit 0). */
static char *check_adaptive(const char *progression, double stop, double resume)
{
    char path[1024], args[2048], *out, *err;
    snprintf(path, sizeof path, "%s/adaptive.cfg", RG_TEST_TMPDIR);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "horizon_days = 70.0; decision_days = 7.0; carrying_capacity = 1e9;\n"
            "drugs = ( { name = \"d\"; half_life_days = 1.0; administration = \"bolus\";\n"
            "            dosing_interval_days = 21.0; emax = 1.0; } );\n"
            "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.03; } );\n"
            "progression = { %s };\n"
            "regimens = ( { name = \"MTD\"; policy = \"mtd\"; drugs = [\"d\"]; },\n"
            "  { name = \"AT\"; policy = \"adaptive\"; drugs = [\"d\"]; dose = 1.0;\n"
            "    stop_below = %.17g; resume_above = %.17g; } );\n",
            progression, stop, resume);
    assert_int_equal(fclose(f), 0);
    snprintf(args, sizeof args, "check '%s'", path);
    assert_int_equal(run_regimen(args, &out, &err), 0);
    assert_non_null(strstr(out, "AT"));
    free(out);
    assert_only_warnings(err);
    return err;
}

/* docs/model.md section 8: no resume before progression when resume_above >= factor
 * (initial) or factor x stop_below <= resume_above (nadir), and resume_above B(0) >=
 * min_cells; comparisons inclusive, as the kernel's. */
static void test_adaptive_resume_warning(void **state)
{
    (void)state;
    make_tmpdir();
    static const struct {
        const char *progression;
        double stop, resume;
        bool warn;
    } cases[] = {
        /* NSCLC's rule: 1.728 x 0.5 = 0.864 <= 1.0 */
        {"reference = \"nadir\"; factor = 1.728; min_cells = 1e5;", 0.5, 1.0, true},
        /* 1.728 x 0.5 = 0.864 > 0.8: a burden of 0.8 B(0) resumes before 0.864 B(0) */
        {"reference = \"nadir\"; factor = 1.728; min_cells = 1e5;", 0.5, 0.8, false},
        /* the boundary: 2 x 0.5 = 1.0 <= 1.0, both comparisons inclusive */
        {"reference = \"nadir\"; factor = 2.0;", 0.5, 1.0, true},
        /* min_cells 2e6 > resume_above B(0) = 1e6: a resume at 1e6 cells is no progression */
        {"reference = \"nadir\"; factor = 1.728; min_cells = 2e6;", 0.5, 1.0, false},
        /* initial: 1.2 > 1.0 (Zhang 2017's AT50 with the 20% rule) */
        {"reference = \"initial\"; factor = 1.2;", 0.5, 1.0, false},
        {"reference = \"initial\"; factor = 1.2;", 0.5, 1.2, true},
        {"reference = \"initial\"; factor = 1.2; min_cells = 1.5e6;", 0.5, 1.2, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = check_adaptive(cases[i].progression, cases[i].stop, cases[i].resume);
        print_message("case %zu: %s", i, err[0] ? err : "(no warning)\n");
        if (cases[i].warn) {
            assert_non_null(strstr(err, "warning: adaptive regimen 'AT' cannot resume before "
                                        "progression"));
            assert_null(strstr(err, "'MTD'"));
            assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err)); /* one line */
        } else {
            assert_string_equal(err, "");
        }
        free(err);
    }
}

/* ---------------------------------------------------------------- docs and table */

static void test_docs_match_table(void **state)
{
    (void)state;
    make_tmpdir();
    char *gen, *err;
    assert_int_equal(run_regimen("check --doc-keys", &gen, &err), 0);
    assert_string_equal(err, "");
    char *doc = read_all(RG_SOURCE_DIR "/docs/problem-format.md");
    assert_non_null(doc);
    const char *begin = "<!-- BEGIN GENERATED KEYS: regimen check --doc-keys -->\n";
    const char *end = "<!-- END GENERATED KEYS -->";
    char *b = strstr(doc, begin), *e = b ? strstr(b, end) : NULL;
    if (!b || !e) {
        print_error("docs/problem-format.md lacks the generated-keys markers\n");
        fail();
    }
    b += strlen(begin);
    *e = '\0';
    if (strcmp(b, gen) != 0) {
        print_error("docs/problem-format.md differs from `regimen check --doc-keys`: "
                    "regenerate it (see the note in the file)\n");
        fail();
    }
    free(doc);
    free(gen);
    free(err);
}

/* The examples of docs/problem-format.md (its ``` blocks) are valid problem files. */
static void test_doc_examples_load(void **state)
{
    (void)state;
    make_tmpdir();
    char *doc = read_all(RG_SOURCE_DIR "/docs/problem-format.md");
    assert_non_null(doc);
    size_t n = 0;
    char *c = doc;
    while ((c = strstr(c, "\n```\n"))) {
        char *start = c + 5, *end = strstr(start, "\n```\n");
        assert_non_null(end);
        char path[1024];
        snprintf(path, sizeof path, "%s/doc_example_%zu.cfg", RG_TEST_TMPDIR, n++);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(start, 1, (size_t)(end - start) + 1, f);
        assert_int_equal(fclose(f), 0);
        round_trip(path);
        c = end + 5;
    }
    assert_int_equal(n, 2);
    free(doc);
}

/* Each row's enclosing group is a row of a kind that has children; names are unique. */
static void test_key_table_consistent(void **state)
{
    (void)state;
    size_t n;
    const rg_key *k = rg_keys(&n);
    assert_true(n > 100);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(k[i].path, k[j].path);
        const char *dot = strrchr(k[i].path, '.');
        if (!dot)
            continue;
        char parent[256];
        snprintf(parent, sizeof parent, "%.*s", (int)(dot - k[i].path), k[i].path);
        size_t pl = strlen(parent);
        bool elem = pl > 3 && !strcmp(parent + pl - 3, ".[]");
        if (elem)
            parent[pl - 3] = '\0';
        const rg_key *pk = rg_key_find(parent);
        if (!pk) {
            print_error("row %s has no parent row %s\n", k[i].path, parent);
            fail();
        }
        if (elem)
            assert_int_equal(pk->type, RG_KT_LIST);
        else if (pk->type == RG_KT_MAP)
            assert_int_equal(dot[1], '<');
        else
            assert_int_equal(pk->type, RG_KT_GROUP);
        assert_true((k[i].scope & pk->scope) == k[i].scope);
        assert_non_null(k[i].doc);
        assert_non_null(k[i].def);
    }
    assert_non_null(rg_key_find("clones.[].growth_rate"));
    assert_null(rg_key_find("clones.[].growth"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_table_consistent),
        cmocka_unit_test(test_example_values),
        cmocka_unit_test(test_round_trip_all_problems),
        cmocka_unit_test(test_docs_match_table),
        cmocka_unit_test(test_doc_examples_load),
        cmocka_unit_test(test_adaptive_resume_warning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
