/* The cohort group (docs/model.md section 13): every patient is the problem file with the
 * patient's values written into its tree, loaded by the same two passes as the file, so
 * the same rules and messages hold; the messages name the patient. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"

enum { RG_PATH_PARTS = 8 };

/* The element of list `lst` whose `key` is `v` (and whose `key2` is `v2` when key2 is
 * set); NULL when none. */
static config_setting_t *find_elem(config_setting_t *lst, const char *key, const char *v,
                                   const char *key2, const char *v2)
{
    for (int i = 0; i < config_setting_length(lst); i++) {
        config_setting_t *e = config_setting_get_elem(lst, (unsigned)i);
        const char *a = rg_load_get_str(e, key);
        if (a && !strcmp(a, v) && (!key2 || ((a = rg_load_get_str(e, key2)) && !strcmp(a, v2))))
            return e;
    }
    return NULL;
}

/* Whether setting s may hold a cohort value: a real key of the table, or an entry of a
 * name-keyed map. */
static bool real_key(config_setting_t *s)
{
    char pat[RG_LOAD_PATH_MAX];
    rg_load_pattern_path(s, pat, sizeof pat);
    const rg_key *k = rg_key_find(pat);
    if (k)
        return k->type == RG_KT_REAL && (k->scope & RG_KS_TUMOUR);
    rg_load_pattern_path(config_setting_parent(s), pat, sizeof pat);
    k = rg_key_find(pat);
    return k && k->type == RG_KT_MAP;
}

/* The real setting that parameter `path` names (docs/model.md section 13), made a fresh
 * float setting (so that its messages point at the patient); NULL with why[] filled. */
static config_setting_t *resolve(config_setting_t *root, const char *path, char *why, size_t n)
{
    char buf[RG_PARAM_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    char *part[RG_PATH_PARTS], *save = NULL;
    size_t np = 0;
    for (char *t = strtok_r(buf, ".", &save); t; t = strtok_r(NULL, ".", &save)) {
        if (np == RG_PATH_PARTS) {
            snprintf(why, n, "'%s' has more than %d parts", path, RG_PATH_PARTS);
            return NULL;
        }
        part[np++] = t;
    }
    /* the optimiser's settings and the cohort itself are the same for every patient */
    if (np > 0 && (!strcmp(part[0], "optimize") || !strcmp(part[0], "cohort"))) {
        snprintf(why, n, "'%s': %s settings cannot vary between patients", path, part[0]);
        return NULL;
    }
    config_setting_t *cur = root;
    size_t i = 0;
    while (i + 1 < np) {
        config_setting_t *ch = config_setting_get_member(cur, part[i]);
        if (ch && config_setting_type(ch) == CONFIG_TYPE_LIST) {
            bool mut = cur == root && !strcmp(part[i], "mutations");
            size_t need = mut ? 3 : 2;
            if (i + need >= np) {
                snprintf(why, n, "'%s' names no key (%s needs %s)", path, part[i],
                         mut ? "mutations.<from>.<to>.rate" : "a name and a key");
                return NULL;
            }
            config_setting_t *e = mut ? find_elem(ch, "from", part[i + 1], "to", part[i + 2])
                                      : find_elem(ch, "name", part[i + 1], NULL, NULL);
            if (!e) {
                if (mut)
                    snprintf(why, n, "'%s': no mutation from %s to %s", path, part[i + 1],
                             part[i + 2]);
                else
                    snprintf(why, n, "'%s': no entry of %s is named %s", path, part[i],
                             part[i + 1]);
                return NULL;
            }
            cur = e;
            i += need;
            continue;
        }
        if (!ch)
            ch = config_setting_add(cur, part[i], CONFIG_TYPE_GROUP);
        if (!ch || config_setting_type(ch) != CONFIG_TYPE_GROUP) {
            snprintf(why, n, "'%s': %s is not a group of the problem", path, part[i]);
            return NULL;
        }
        cur = ch;
        i++;
    }
    if (np == 0 || i + 1 != np) {
        snprintf(why, n, "'%s' names no key of the problem", path);
        return NULL;
    }
    config_setting_t *s = config_setting_get_member(cur, part[i]);
    if (s && !rg_load_is_number(s)) {
        snprintf(why, n, "'%s' is not a real-valued key", path);
        return NULL;
    }
    if (s)
        config_setting_remove(cur, part[i]);
    s = config_setting_add(cur, part[i], CONFIG_TYPE_FLOAT);
    if (!s || !real_key(s)) {
        if (s)
            config_setting_remove(cur, part[i]);
        snprintf(why, n,
                 "'%s' is not a real-valued key of a problem file (docs/model.md "
                 "section 13 lists the paths)",
                 path);
        return NULL;
    }
    return s;
}

/* The setting that stands for parameter j in messages. */
static config_setting_t *param_at(config_setting_t *g, size_t j)
{
    config_setting_t *s = config_setting_get_member(g, "parameters");
    if (s)
        return config_setting_get_elem(s, (unsigned)j);
    if ((s = config_setting_get_member(g, "vary")))
        return config_setting_get_elem(s, (unsigned)j);
    return config_setting_get_member(g, "table");
}

/* "median", "mean", "q10", "cvar5", "pfs365" for objective obj. */
static bool parse_aggregate(const char *s, int obj, double horizon, rg_aggregate *a, char *why,
                            size_t n)
{
    char *end;
    double v = 0;
    if (!strcmp(s, "median")) {
        *a = (rg_aggregate){RG_AGG_QUANTILE, 0.5};
        return true;
    }
    if (!strcmp(s, "mean")) {
        *a = (rg_aggregate){RG_AGG_MEAN, 0.0};
        return true;
    }
    const char *num = !strncmp(s, "q", 1)      ? s + 1
                      : !strncmp(s, "cvar", 4) ? s + 4
                      : !strncmp(s, "pfs", 3)  ? s + 3
                                               : NULL;
    if (num && *num)
        v = strtod(num, &end);
    if (!num || !*num || *end || !isfinite(v)) {
        snprintf(why, n, "'%s' is not median, mean, q<P>, cvar<P> or pfs<D>", s);
        return false;
    }
    if (s[0] == 'p') {
        if (obj != RG_OBJ_TTP || !(v > 0 && v <= horizon)) {
            snprintf(why, n, "'%s': pfs<D> applies to ttp only, with 0 < D <= horizon_days", s);
            return false;
        }
        *a = (rg_aggregate){RG_AGG_PFS, v};
        return true;
    }
    if (!(v > 0 && v <= 100)) {
        snprintf(why, n, "'%s': P must be in (0, 100]", s);
        return false;
    }
    *a = (rg_aggregate){s[0] == 'q' ? RG_AGG_QUANTILE : RG_AGG_CVAR, v / 100.0};
    return true;
}

static void read_aggregates(rg_loader *L, config_setting_t *g, rg_cohort *c)
{
    const rg_problem *p = L->p;
    rg_load_get_real(g, "feasible_fraction", &c->feasible_fraction);
    config_setting_t *as = rg_load_get_seq(g, "aggregate");
    if (!as)
        return;
    size_t na = (size_t)config_setting_length(as);
    if (na > p->optimize.n_objectives) {
        rg_load_err(L, as, "%zu statistics for %zu objectives", na, p->optimize.n_objectives);
        return;
    }
    for (size_t j = 0; j < na; j++) {
        char why[160];
        const char *s = rg_load_elem_str(as, (int)j);
        if (s && !parse_aggregate(s, p->optimize.objectives[j], p->horizon_days,
                                  &c->aggregate[j], why, sizeof why))
            rg_load_err(L, config_setting_get_elem(as, (unsigned)j), "%s", why);
    }
}

/* Loads every patient of c from the tree; stops at the first that fails. */
static void load_patients(rg_loader *L, config_setting_t *root, config_setting_t *g,
                          rg_cohort *c, config_setting_t *const target[])
{
    config_setting_t *pl = config_setting_get_member(g, "patients");
    config_setting_t *tab = config_setting_get_member(g, "table");
    config_setting_t *vary = config_setting_get_member(g, "vary");
    for (size_t i = 0; i < c->n_patients; i++) {
        for (size_t j = 0; j < c->n_params; j++)
            config_setting_set_float(target[j], c->values[i * c->n_params + j]);
        char who[RG_NAME_MAX + 200];
        rg_loader pl_ = *L;
        pl_.errors = 0;
        pl_.p = NULL;
        pl_.patient = who;
        if (pl) {
            config_setting_t *e = config_setting_get_elem(pl, (unsigned)i);
            snprintf(who, sizeof who, "cohort patient %s, cohort.patients.[%zu]", c->names[i],
                     i);
            pl_.patient_line = (int)config_setting_source_line(e);
        } else if (tab) {
            snprintf(who, sizeof who, "cohort patient %s of table %s", c->names[i],
                     config_setting_get_string(tab));
            pl_.patient_line = (int)config_setting_source_line(tab);
        } else {
            snprintf(who, sizeof who,
                     "cohort patient %s, sampled by cohort.vary: truncate the distribution "
                     "with min and max",
                     c->names[i]);
            pl_.patient_line = (int)config_setting_source_line(vary);
        }
        c->patients[i] = rg_load_tumour_tree(&pl_, root);
        L->errors += pl_.errors;
        if (!c->patients[i])
            return;
    }
}

void rg_load_cohort(rg_loader *L, config_setting_t *root)
{
    config_setting_t *g = rg_load_get_group(root, "cohort");
    if (!g)
        return;
    rg_cohort *c = rg_load_cohort_values(L, g);
    if (!c)
        return;
    read_aggregates(L, g, c);
    config_setting_t *target[RG_COHORT_MAX_PARAMS];
    for (size_t j = 0; j < c->n_params; j++) {
        char why[RG_PARAM_PATH_MAX + 160];
        target[j] = NULL;
        for (size_t k = 0; k < j; k++)
            if (!strcmp(c->params[k], c->params[j])) {
                rg_load_err(L, param_at(g, j), "parameter '%s' is listed twice", c->params[j]);
                break;
            }
        if (!(target[j] = resolve(root, c->params[j], why, sizeof why)))
            rg_load_err(L, param_at(g, j), "%s", why);
    }
    if (L->errors == 0)
        load_patients(L, root, g, c, target);
    if (L->errors > 0) {
        rg_cohort_free(c);
        return;
    }
    L->p->cohort = c;
}
