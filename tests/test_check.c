/* Tests of `regimen check` (src/cli/cmd_check.c, check_print*.c) and of the key reference.
 *
 * Round trip: problems/example.cfg and every problems/ ** / *.cfg found at test time load,
 * and `regimen check FILE --json` parses (json-c) and holds the values written in the file,
 * read here independently with libconfig: clones, drugs, mechanisms, the fold table
 * recomputed from the file, grid, regimens, optimisation settings, benchmark settings.
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

/* ---------------------------------------------------------------- JSON access */

static json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v)) {
        print_error("JSON has no member '%s'\n", key);
        fail();
    }
    return v;
}

static double jnum(json_object *o, const char *key)
{
    json_object *v = jget(o, key);
    assert_true(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int));
    return json_object_get_double(v);
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = jget(o, key);
    assert_true(json_object_is_type(v, json_type_string));
    return json_object_get_string(v);
}

static json_object *jidx(json_object *a, size_t i)
{
    assert_true(json_object_is_type(a, json_type_array));
    assert_true(i < json_object_array_length(a));
    return json_object_array_get_idx(a, i);
}

/* Element of a JSON array of objects whose "name" is `name`. */
static json_object *jnamed(json_object *a, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        json_object *e = json_object_array_get_idx(a, i);
        if (!strcmp(jstr(e, "name"), name))
            return e;
    }
    print_error("no element named '%s'\n", name);
    fail();
    return NULL;
}

/* ---------------------------------------------------------------- file access */

static bool cnum(config_setting_t *g, const char *key, double *v)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s)
        return false;
    *v = config_setting_get_float(s); /* AUTOCONVERT: integers too */
    return true;
}

/* Every numeric key of group g present in the file equals the same key of JSON object o. */
static void same_numbers(config_setting_t *g, json_object *o, const char *const *keys,
                         const char *where)
{
    for (size_t k = 0; keys[k]; k++) {
        double v;
        if (cnum(g, keys[k], &v)) {
            double j = jnum(o, keys[k]);
            if (j != v) {
                print_error("%s.%s: file %.17g, check --json %.17g\n", where, keys[k], v, j);
                fail();
            }
        }
    }
}

static void same_strings(config_setting_t *g, json_object *o, const char *const *keys)
{
    for (size_t k = 0; keys[k]; k++) {
        const char *v = NULL;
        if (config_setting_lookup_string(g, keys[k], &v))
            assert_string_equal(jstr(o, keys[k]), v);
    }
}

/* ---------------------------------------------------------------- round trip */

static void check_tumour(config_t *cfg, json_object *j)
{
    config_setting_t *root = config_root_setting(cfg);
    assert_string_equal(jstr(j, "kind"), "tumour");
    json_object *grid = jget(j, "grid");
    static const char *const gk[] = {"horizon_days", "decision_days", "visit_days", NULL};
    same_numbers(root, grid, gk, "grid");
    double h = 0, d = 0, v = 1.0;
    assert_true(cnum(root, "horizon_days", &h));
    assert_true(cnum(root, "decision_days", &d));
    cnum(root, "visit_days", &v);
    assert_close(jnum(grid, "intervals"), round(h / d), 0, 0);
    assert_close(jnum(grid, "visits"), round(h / v) + 1, 0, 0);
    static const char *const mk[] = {"carrying_capacity", "extinction_cells", "emergence_cells",
                                     NULL};
    json_object *model = jget(j, "model");
    same_numbers(root, model, mk, "model");

    /* drugs */
    config_setting_t *drugs = config_setting_get_member(root, "drugs");
    json_object *jd = jget(j, "drugs");
    int nd = drugs ? config_setting_length(drugs) : 0;
    assert_int_equal(json_object_array_length(jd), nd);
    static const char *const dk[] = {"half_life_days", "dosing_interval_days", "emax", "ec50",
                                     "hill", "toxicity_weight", "hypoxia_penetration_loss",
                                     "myelotoxicity_slope", "max_cumulative_dose", NULL};
    static const char *const ds[] = {"name", "administration", "effect", NULL};
    for (int i = 0; i < nd; i++) {
        config_setting_t *e = config_setting_get_elem(drugs, (unsigned)i);
        json_object *o = jidx(jd, (size_t)i);
        same_strings(e, o, ds);
        same_numbers(e, o, dk, "drug");
        const char *adm = "continuous";
        config_setting_lookup_string(e, "administration", &adm);
        if (!strcmp(adm, "bolus")) {
            double iv = 0;
            assert_true(cnum(e, "dosing_interval_days", &iv));
            json_object *bt = jget(jget(grid, "bolus_times"), jstr(o, "name"));
            size_t nb = json_object_array_length(bt);
            assert_true(nb >= 1);
            assert_close(json_object_get_double(jidx(bt, 0)), 0.0, 0, 0);
            assert_close(json_object_get_double(jidx(bt, nb - 1)), (double)(nb - 1) * iv, 1e-12, 0);
            assert_true((double)(nb - 1) * iv < h && (double)nb * iv >= h - 1e-9 * h);
        }
    }

    /* mechanisms */
    config_setting_t *mechs = config_setting_get_member(root, "mechanisms");
    json_object *jm = jget(j, "mechanisms");
    int nm = mechs ? config_setting_length(mechs) : 0;
    assert_int_equal(json_object_array_length(jm), nm);
    static const char *const ms[] = {"name", "kind", "inhibitors_combine", NULL};
    static const char *const mn[] = {"hypoxia_induction", NULL};
    for (int i = 0; i < nm; i++) {
        config_setting_t *e = config_setting_get_elem(mechs, (unsigned)i);
        same_strings(e, jidx(jm, (size_t)i), ms);
        same_numbers(e, jidx(jm, (size_t)i), mn, "mechanism");
    }

    /* clones, and the fold table recomputed from the file */
    config_setting_t *clones = config_setting_get_member(root, "clones");
    json_object *jc = jget(j, "clones"), *ft = jget(j, "fold_table");
    int nc = config_setting_length(clones);
    assert_int_equal(json_object_array_length(jc), nc);
    assert_int_equal(json_object_array_length(ft), nc * nd);
    static const char *const ck[] = {"cells", "growth_rate", "death_rate", "carrying_capacity",
                                     NULL};
    for (int i = 0; i < nc; i++) {
        config_setting_t *e = config_setting_get_elem(clones, (unsigned)i);
        json_object *o = jidx(jc, (size_t)i);
        const char *name;
        assert_true(config_setting_lookup_string(e, "name", &name));
        assert_string_equal(jstr(o, "name"), name);
        same_numbers(e, o, ck, name);
        double k = 0;
        if (!cnum(e, "carrying_capacity", &k)) {
            assert_true(cnum(root, "carrying_capacity", &k));
            assert_close(jnum(o, "carrying_capacity"), k, 0, 0);
        }
        const char *const groups[] = {"competition", "capacity_effect", "mechanisms"};
        for (int g = 0; g < 3; g++) {
            config_setting_t *m = config_setting_get_member(e, groups[g]);
            for (int q = 0; m && q < config_setting_length(m); q++) {
                config_setting_t *x = config_setting_get_elem(m, (unsigned)q);
                assert_close(jnum(jget(o, groups[g]), config_setting_name(x)),
                             config_setting_get_float(x), 0, 0);
            }
        }
        config_setting_t *cm = config_setting_get_member(e, "mechanisms");
        for (int dd = 0; dd < nd; dd++) {
            const char *dname;
            assert_true(config_setting_lookup_string(config_setting_get_elem(drugs, (unsigned)dd),
                                                     "name", &dname));
            double expo = 1, ec50 = 1, emax = 1;
            for (int q = 0; cm && q < config_setting_length(cm); q++) {
                config_setting_t *x = config_setting_get_elem(cm, (unsigned)q);
                for (int mm = 0; mm < nm; mm++) {
                    config_setting_t *me = config_setting_get_elem(mechs, (unsigned)mm);
                    const char *mname, *kind;
                    config_setting_lookup_string(me, "name", &mname);
                    config_setting_lookup_string(me, "kind", &kind);
                    if (strcmp(mname, config_setting_name(x)))
                        continue;
                    config_setting_t *aff = config_setting_get_member(me, "affects");
                    bool hits = false;
                    for (int a = 0; a < config_setting_length(aff); a++)
                        hits |= !strcmp(config_setting_get_string_elem(aff, a), dname);
                    if (!hits)
                        continue;
                    double f = config_setting_get_float(x);
                    if (!strcmp(kind, "efflux") || !strcmp(kind, "detox"))
                        expo *= f;
                    else if (!strcmp(kind, "target"))
                        ec50 *= f;
                    else
                        emax *= f;
                }
            }
            json_object *row = jidx(ft, (size_t)(i * nd + dd));
            assert_string_equal(jstr(row, "clone"), name);
            assert_string_equal(jstr(row, "drug"), dname);
            assert_close(jnum(row, "exposure_divisor"), expo, 1e-15, 0);
            assert_close(jnum(row, "ec50_factor"), ec50, 1e-15, 0);
            assert_close(jnum(row, "emax_divisor"), emax, 1e-15, 0);
        }
    }

    /* mutations */
    config_setting_t *mut = config_setting_get_member(root, "mutations");
    json_object *ju = jget(j, "mutations");
    int nu = mut ? config_setting_length(mut) : 0;
    assert_int_equal(json_object_array_length(ju), nu);
    static const char *const us[] = {"from", "to", NULL};
    static const char *const un[] = {"rate", NULL};
    for (int i = 0; i < nu; i++) {
        config_setting_t *e = config_setting_get_elem(mut, (unsigned)i);
        same_strings(e, jidx(ju, (size_t)i), us);
        same_numbers(e, jidx(ju, (size_t)i), un, "mutation");
    }

    /* tme, neutrophils, progression */
    config_setting_t *tme = config_setting_get_member(root, "tme");
    static const char *const hk[] = {"max_fraction", "half_burden", "quiescence", NULL};
    static const char *const sk[] = {"protection", NULL};
    if (tme && config_setting_get_member(tme, "hypoxia"))
        same_numbers(config_setting_get_member(tme, "hypoxia"), jget(jget(j, "tme"), "hypoxia"),
                     hk, "tme.hypoxia");
    if (tme && config_setting_get_member(tme, "stroma"))
        same_numbers(config_setting_get_member(tme, "stroma"), jget(jget(j, "tme"), "stroma"), sk,
                     "tme.stroma");
    config_setting_t *neu = config_setting_get_member(root, "neutrophils");
    static const char *const nk[] = {"mtt_days", "circ0", "gamma", NULL};
    if (neu)
        same_numbers(neu, jget(j, "neutrophils"), nk, "neutrophils");
    config_setting_t *pr = config_setting_get_member(root, "progression");
    static const char *const pk[] = {"factor", "min_cells", NULL};
    static const char *const ps[] = {"reference", NULL};
    if (pr) {
        same_numbers(pr, jget(j, "progression"), pk, "progression");
        same_strings(pr, jget(j, "progression"), ps);
    }
    config_setting_t *con = config_setting_get_member(root, "constraints");
    static const char *const ok[] = {"max_daily_toxicity", "anc_min", NULL};
    if (con)
        same_numbers(con, jget(j, "constraints"), ok, "constraints");

    /* regimens */
    config_setting_t *regs = config_setting_get_member(root, "regimens");
    json_object *jr = jget(j, "regimens");
    int nr = regs ? config_setting_length(regs) : 0;
    assert_int_equal(json_object_array_length(jr), nr);
    static const char *const rk[] = {"cycle_days", "on_days", "level", "dose", "stop_below",
                                     "resume_above", "rise", "fall", "step", "min_dose",
                                     "skip_below", NULL};
    static const char *const rs[] = {"name", "policy", NULL};
    for (int i = 0; i < nr; i++) {
        config_setting_t *e = config_setting_get_elem(regs, (unsigned)i);
        json_object *o = jidx(jr, (size_t)i);
        same_strings(e, o, rs);
        same_numbers(e, o, rk, "regimen");
        config_setting_t *rd = config_setting_get_member(e, "drugs");
        json_object *jrd = jget(o, "drugs");
        assert_int_equal(json_object_array_length(jrd), config_setting_length(rd));
        for (int q = 0; q < config_setting_length(rd); q++)
            assert_string_equal(json_object_get_string(jidx(jrd, (size_t)q)),
                                config_setting_get_string_elem(rd, q));
        config_setting_t *doses = config_setting_get_member(e, "doses");
        for (int q = 0; doses && q < config_setting_length(doses); q++) {
            config_setting_t *a = config_setting_get_elem(doses, (unsigned)q);
            json_object *ja = jidx(jget(o, "doses"), (size_t)q);
            assert_int_equal(json_object_array_length(ja), config_setting_length(a));
            for (int x = 0; x < config_setting_length(a); x++)
                assert_close(json_object_get_double(jidx(ja, (size_t)x)),
                             config_setting_get_float_elem(a, x), 0, 0);
        }
    }
}

static void check_optimize(config_t *cfg, json_object *j)
{
    config_setting_t *opt = config_lookup(cfg, "optimize");
    json_object *jo = jget(j, "optimize");
    if (!opt)
        return;
    static const char *const on[] = {"generations", "seed", "crossover_probability",
                                     "mutation_probability", "sbx_eta", "pm_eta", "chunk", NULL};
    static const char *const os[] = {"encoding", NULL};
    same_numbers(opt, jo, on, "optimize");
    same_strings(opt, jo, os);
    double pop = 0;
    if (cnum(opt, "population", &pop))
        assert_close(jnum(jo, "population"), pop + fmod(pop, 2.0), 0, 0);
    const char *const arrays[] = {"dose_levels", "objectives", "drugs", "reference_point"};
    for (int a = 0; a < 4; a++) {
        config_setting_t *s = config_setting_get_member(opt, arrays[a]);
        if (!s)
            continue;
        json_object *ja = jget(jo, arrays[a]);
        assert_int_equal(json_object_array_length(ja), config_setting_length(s));
        for (int q = 0; q < config_setting_length(s); q++) {
            config_setting_t *x = config_setting_get_elem(s, (unsigned)q);
            if (config_setting_type(x) == CONFIG_TYPE_STRING)
                assert_string_equal(json_object_get_string(jidx(ja, (size_t)q)),
                                    config_setting_get_string(x));
            else
                assert_close(json_object_get_double(jidx(ja, (size_t)q)),
                             config_setting_get_float(x), 0, 0);
        }
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
    assert_string_equal(err, "");
    enum json_tokener_error jerr;
    json_object *j = json_tokener_parse_verbose(out, &jerr);
    if (!j) {
        print_error("check --json of %s is not JSON: %s\n", path, json_tokener_error_desc(jerr));
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
    assert_string_equal(err, "");
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
    assert_int_equal(run_regimen("check '" RG_SOURCE_DIR "/problems/example.cfg' --json", &out, &err), 0);
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
    assert_close(jnum(jget(jnamed(clones, "sensitive"), "competition"), "ABCB1_high"), 1.2, 0, 0);
    assert_close(jnum(jget(jnamed(clones, "sensitive"), "competition"), "BCL2_high"), 1.0, 0, 0);
    json_object *model = jget(j, "model");
    assert_close(jnum(model, "initial_burden"), 1.0001e9, 1e-15, 0);
    assert_close(jnum(model, "emergence_cells"), 1e9, 0, 0);
    json_object *tar = jnamed(jget(j, "drugs"), "tariquidar");
    assert_string_equal(jstr(tar, "administration"), "continuous");
    assert_close(jnum(tar, "hill"), 1.0, 0, 0);
    assert_true(json_object_is_type(jget(tar, "max_cumulative_dose"), json_type_null));
    assert_close(jnum(jnamed(jget(j, "drugs"), "doxorubicin"), "max_cumulative_dose"), 8, 0, 0);
    json_object *ft = jget(j, "fold_table"); /* clones x drugs in file order */
    assert_close(jnum(jidx(ft, 2), "exposure_divisor"), 12, 0, 0); /* ABCB1_high x doxorubicin */
    assert_close(jnum(jidx(ft, 3), "exposure_divisor"), 1, 0, 0);  /* ABCB1_high x tariquidar */
    assert_close(jnum(jidx(ft, 4), "emax_divisor"), 4, 0, 0);      /* BCL2_high x doxorubicin */
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

    assert_int_equal(run_regimen("check '" RG_SOURCE_DIR "/problems/example.cfg'", &out, &err), 0);
    assert_non_null(strstr(out, "fold table"));
    assert_non_null(strstr(out, "ABCB1_high"));
    assert_non_null(strstr(out, "bolus times of doxorubicin (35)"));
    free(out);
    free(err);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
