/* The checks of test_check.c that hold `regimen check --json` against the problem file it
 * was made from: JSON and libconfig access, then one check per section of the file.
 * Header-only (static inline): included by test_check.c alone, kept apart for size. */
#ifndef RG_CHECK_JSON_H
#define RG_CHECK_JSON_H

#include <json-c/json.h>
#include <libconfig.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "rg_test.h"

/* ---------------------------------------------------------------- JSON access */

static inline json_object *jget(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v)) {
        print_error("JSON has no member '%s'\n", key);
        fail();
    }
    return v;
}

static inline double jnum(json_object *o, const char *key)
{
    json_object *v = jget(o, key);
    assert_true(json_object_is_type(v, json_type_double) ||
                json_object_is_type(v, json_type_int));
    return json_object_get_double(v);
}

static inline const char *jstr(json_object *o, const char *key)
{
    json_object *v = jget(o, key);
    assert_true(json_object_is_type(v, json_type_string));
    return json_object_get_string(v);
}

static inline json_object *jidx(json_object *a, size_t i)
{
    assert_true(json_object_is_type(a, json_type_array));
    assert_true(i < json_object_array_length(a));
    return json_object_array_get_idx(a, i);
}

/* Element of a JSON array of objects whose "name" is `name`. */
static inline json_object *jnamed(json_object *a, const char *name)
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

static inline bool cnum(config_setting_t *g, const char *key, double *v)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s)
        return false;
    *v = config_setting_get_float(s); /* AUTOCONVERT: integers too */
    return true;
}

/* Every numeric key of group g present in the file equals the same key of JSON object o. */
static inline void same_numbers(config_setting_t *g, json_object *o, const char *const *keys,
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

static inline void same_strings(config_setting_t *g, json_object *o, const char *const *keys)
{
    for (size_t k = 0; keys[k]; k++) {
        const char *v = NULL;
        if (config_setting_lookup_string(g, keys[k], &v))
            assert_string_equal(jstr(o, keys[k]), v);
    }
}

/* ---------------------------------------------------------------- round trip */

/* The grid and model scalars of the tumour problem in cfg against check's JSON j. */
static inline void check_grid(config_setting_t *root, json_object *j, double *h)
{
    assert_string_equal(jstr(j, "kind"), "tumour");
    json_object *grid = jget(j, "grid");
    static const char *const gk[] = {"horizon_days", "decision_days", "visit_days", NULL};
    same_numbers(root, grid, gk, "grid");
    double d = 0, v = 1.0;
    assert_true(cnum(root, "horizon_days", h));
    assert_true(cnum(root, "decision_days", &d));
    cnum(root, "visit_days", &v);
    assert_close(jnum(grid, "intervals"), round(*h / d), 0, 0);
    assert_close(jnum(grid, "visits"), round(*h / v) + 1, 0, 0);
    static const char *const mk[] = {"carrying_capacity", "extinction_cells", "emergence_cells",
                                     NULL};
    json_object *model = jget(j, "model");
    same_numbers(root, model, mk, "model");
}

/* Drugs (and each bolus drug's dosing times) against the file; returns how many. */
static inline int check_drugs(config_setting_t *root, json_object *j, double h)
{
    json_object *grid = jget(j, "grid");
    config_setting_t *drugs = config_setting_get_member(root, "drugs");
    json_object *jd = jget(j, "drugs");
    int nd = drugs ? config_setting_length(drugs) : 0;
    assert_int_equal(json_object_array_length(jd), nd);
    static const char *const dk[] = {"half_life_days",
                                     "dosing_interval_days",
                                     "emax",
                                     "ec50",
                                     "hill",
                                     "toxicity_weight",
                                     "hypoxia_penetration_loss",
                                     "myelotoxicity_slope",
                                     "max_cumulative_dose",
                                     NULL};
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
            assert_close(json_object_get_double(jidx(bt, nb - 1)), (double)(nb - 1) * iv, 1e-12,
                         0);
            assert_true((double)(nb - 1) * iv < h && (double)nb * iv >= h - 1e-9 * h);
        }
    }

    return nd;
}

/* Mechanisms against the file; returns how many. */
static inline int check_mechanisms(config_setting_t *root, json_object *j)
{
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

    return nm;
}

/* Clone i's row of the fold table ft, recomputed from the file's mechanisms (e: the
 * clone's setting). */
static inline void check_fold_row(config_setting_t *root, config_setting_t *e, const char *name,
                                  json_object *ft, size_t i, int nd, int nm)
{
    config_setting_t *drugs = config_setting_get_member(root, "drugs");
    config_setting_t *mechs = config_setting_get_member(root, "mechanisms");
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

/* Clones, and the fold table recomputed from the file. */
static inline void check_clones(config_setting_t *root, json_object *j, int nd, int nm)
{
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
        check_fold_row(root, e, name, ft, (size_t)i, nd, nm);
    }
}

/* Mutations, microenvironment, neutrophils, progression and constraints. */
static inline void check_host(config_setting_t *root, json_object *j)
{
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

    config_setting_t *tme = config_setting_get_member(root, "tme");
    static const char *const hk[] = {"max_fraction", "half_burden", "quiescence", NULL};
    static const char *const sk[] = {"protection", NULL};
    if (tme && config_setting_get_member(tme, "hypoxia"))
        same_numbers(config_setting_get_member(tme, "hypoxia"), jget(jget(j, "tme"), "hypoxia"),
                     hk, "tme.hypoxia");
    if (tme && config_setting_get_member(tme, "stroma"))
        same_numbers(config_setting_get_member(tme, "stroma"), jget(jget(j, "tme"), "stroma"),
                     sk, "tme.stroma");
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
}

/* Regimens, their drugs and fixed doses, against the file. */
static inline void check_regimens(config_setting_t *root, json_object *j)
{
    config_setting_t *regs = config_setting_get_member(root, "regimens");
    json_object *jr = jget(j, "regimens");
    int nr = regs ? config_setting_length(regs) : 0;
    assert_int_equal(json_object_array_length(jr), nr);
    static const char *const rk[] = {
        "cycle_days", "on_days", "level", "dose",     "stop_below", "resume_above",
        "rise",       "fall",    "step",  "min_dose", "skip_below", "dosing_interval_days",
        NULL};
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

static inline void check_tumour(config_t *cfg, json_object *j)
{
    config_setting_t *root = config_root_setting(cfg);
    double h = 0;
    check_grid(root, j, &h);
    int nd = check_drugs(root, j, h);
    int nm = check_mechanisms(root, j);
    check_clones(root, j, nd, nm);
    check_host(root, j);
    check_regimens(root, j);
}

static inline void check_optimize(config_t *cfg, json_object *j)
{
    config_setting_t *opt = config_lookup(cfg, "optimize");
    json_object *jo = jget(j, "optimize");
    if (!opt)
        return;
    static const char *const on[] = {"generations",
                                     "seed",
                                     "crossover_probability",
                                     "mutation_probability",
                                     "sbx_eta",
                                     "pm_eta",
                                     "chunk",
                                     NULL};
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

#endif
