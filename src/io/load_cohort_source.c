/* Where a cohort's values come from (docs/model.md section 13): the inline `parameters` and
 * `patients`, a CSV `table` (relative to the problem file's folder), or `vary` sampled by
 * cohort.h. Each gives the parameter paths, the patient names and the value matrix. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"
#include "regimen/cohort.h"

enum { RG_CSV_LINE_MAX = 65536 };

static rg_cohort *read_inline(rg_loader *L, config_setting_t *g)
{
    config_setting_t *ps = rg_load_get_seq(g, "parameters");
    config_setting_t *pl = rg_load_get_seq(g, "patients");
    if (!ps || !pl) {
        rg_load_err(L, g, "an inline cohort needs both parameters and patients");
        return NULL;
    }
    size_t m = rg_load_count_of(ps, RG_COHORT_MAX_PARAMS);
    size_t n = rg_load_count_of(pl, RG_COHORT_MAX_PATIENTS);
    if (m == 0 || n == 0) {
        rg_load_err(L, m == 0 ? ps : pl, "a cohort needs at least one %s",
                    m == 0 ? "parameter" : "patient");
        return NULL;
    }
    rg_cohort *c = rg_cohort_alloc(n, m);
    if (!c) {
        rg_load_err(L, g, "out of memory");
        return NULL;
    }
    for (size_t j = 0; j < m; j++)
        snprintf(c->params[j], RG_PARAM_PATH_MAX, "%s", rg_load_elem_str(ps, (int)j));
    size_t before = L->errors;
    for (size_t i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(pl, (unsigned)i);
        rg_load_name(L, e, "patient", c->names[i], i, sizeof c->names[0], c->names[0]);
        config_setting_t *v = rg_load_get_seq(e, "values");
        if (!v)
            continue;
        if ((size_t)config_setting_length(v) != m) {
            rg_load_err(L, v, "%d values for %zu parameters", config_setting_length(v), m);
            continue;
        }
        for (size_t j = 0; j < m; j++)
            c->values[i * m + j] = rg_load_num_value(config_setting_get_elem(v, (unsigned)j));
    }
    if (L->errors > before) {
        rg_cohort_free(c);
        return NULL;
    }
    return c;
}

/* The table's path: relative to the folder of the problem file. */
static void table_path(const rg_loader *L, const char *rel, char *buf, size_t n)
{
    const char *slash = strrchr(L->file, '/');
    if (rel[0] == '/' || !slash)
        snprintf(buf, n, "%s", rel);
    else
        snprintf(buf, n, "%.*s/%s", (int)(slash - L->file), L->file, rel);
}

/* Splits line s at commas in place, trimming blanks; returns the number of fields. */
static size_t split_csv(char *s, char *f[], size_t max)
{
    size_t n = 0;
    for (char *p = s;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *end = strchr(p, ',');
        if (end)
            *end = '\0';
        char *t = p + strlen(p);
        while (t > p && isspace((unsigned char)t[-1]))
            *--t = '\0';
        if (n < max)
            f[n] = p;
        n++;
        if (!end)
            return n;
        p = end + 1;
    }
}

static bool skip_line(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0' || *s == '#';
}

#define TABLE_ERR(...)                                                                        \
    do {                                                                                      \
        char what_[RG_DIAG_MSG];                                                              \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                           \
        rg_diag_add(L->diag, "%s:%zu: %s (cohort.table of %s:%d)", path, row, what_, L->file, \
                    (int)config_setting_source_line(ts));                                     \
        L->errors++;                                                                          \
    } while (0)

/* One data row into patient i of c; false on an error (reported). */
static bool table_row(rg_loader *L, config_setting_t *ts, const char *path, size_t row,
                      char *line, rg_cohort *c, size_t i)
{
    char *f[RG_COHORT_MAX_PARAMS + 1];
    size_t m = c->n_params;
    size_t nf = split_csv(line, f, m + 1);
    if (nf != m + 1) {
        TABLE_ERR("%zu columns, the header has %zu", nf, m + 1);
        return false;
    }
    if (!rg_load_valid_name(f[0]) || strlen(f[0]) >= RG_NAME_MAX) {
        TABLE_ERR("column 1 (name): '%s' is not a valid patient name", f[0]);
        return false;
    }
    for (size_t k = 0; k < i; k++)
        if (!strcmp(c->names[k], f[0])) {
            TABLE_ERR("column 1 (name): patient '%s' is listed twice", f[0]);
            return false;
        }
    snprintf(c->names[i], RG_NAME_MAX, "%s", f[0]);
    for (size_t j = 0; j < m; j++) {
        char *end;
        errno = 0;
        double v = strtod(f[j + 1], &end);
        if (end == f[j + 1] || *end || !isfinite(v) || errno == ERANGE) {
            TABLE_ERR("column %zu (%s): '%s' is not a finite number", j + 2, c->params[j],
                      f[j + 1]);
            return false;
        }
        c->values[i * m + j] = v;
    }
    return true;
}

static rg_cohort *read_table(rg_loader *L, config_setting_t *g)
{
    config_setting_t *ts = config_setting_get_member(g, "table");
    char path[4200];
    table_path(L, config_setting_get_string(ts), path, sizeof path);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        rg_load_err(L, ts, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *line = malloc(RG_CSV_LINE_MAX);
    char *hdr = malloc(RG_CSV_LINE_MAX);
    size_t nrows = 0, row = 0, hdr_row = 0;
    bool have_hdr = false;
    /* first pass: the header and the number of patients */
    while (line && hdr && fgets(line, RG_CSV_LINE_MAX, fp)) {
        row++;
        if (skip_line(line))
            continue;
        if (!have_hdr) {
            memcpy(hdr, line, RG_CSV_LINE_MAX);
            have_hdr = true;
            hdr_row = row;
        } else
            nrows++;
    }
    rg_cohort *c = NULL;
    char *f[RG_COHORT_MAX_PARAMS + 1];
    size_t nf = have_hdr ? split_csv(hdr, f, RG_COHORT_MAX_PARAMS + 1) : 0;
    row = hdr_row ? hdr_row : 1;
    if (!line || !hdr)
        rg_load_err(L, ts, "out of memory");
    else if (!have_hdr || nf < 2 || strcmp(f[0], "name") != 0)
        TABLE_ERR("the header must be name,<parameter>,... (at least one parameter)");
    else if (nf - 1 > RG_COHORT_MAX_PARAMS)
        TABLE_ERR("%zu parameters (at most %d)", nf - 1, RG_COHORT_MAX_PARAMS);
    else if (nrows == 0 || nrows > RG_COHORT_MAX_PATIENTS)
        TABLE_ERR("%zu patients (expected 1 to %d)", nrows, RG_COHORT_MAX_PATIENTS);
    else if (!(c = rg_cohort_alloc(nrows, nf - 1)))
        rg_load_err(L, ts, "out of memory");
    if (c) {
        for (size_t j = 0; j + 1 < nf; j++)
            snprintf(c->params[j], RG_PARAM_PATH_MAX, "%s", f[j + 1]);
        rewind(fp);
        size_t i = 0;
        row = 0;
        bool ok = true;
        while (ok && fgets(line, RG_CSV_LINE_MAX, fp)) {
            row++;
            if (skip_line(line) || row == hdr_row)
                continue;
            line[strcspn(line, "\r\n")] = '\0';
            ok = table_row(L, ts, path, row, line, c, i++);
        }
        if (!ok) {
            rg_cohort_free(c);
            c = NULL;
        }
    }
    fclose(fp);
    free(line);
    free(hdr);
    return c;
}

/* One vary entry into *d; false on an error (reported). */
static bool read_dist(rg_loader *L, config_setting_t *e, rg_dist *d)
{
    static const char *const kinds[] = {"lognormal", "normal", "uniform"};
    d->kind = (rg_dist_kind)rg_load_parse_enum(rg_load_get_str(e, "distribution"), kinds, 3, 0);
    d->lo = -HUGE_VAL;
    d->hi = HUGE_VAL;
    rg_load_get_real(e, "min", &d->lo);
    rg_load_get_real(e, "max", &d->hi);
    static const char *const need[][2] = {{"median", "cv"}, {"mean", "sd"}, {"min", "max"}};
    bool ok = true;
    for (int k = 0; k < 3; k++)
        for (int q = 0; q < 2; q++) {
            bool mine = k == (int)d->kind;
            bool has = config_setting_get_member(e, need[k][q]) != NULL;
            if (mine && !has) {
                rg_load_err_key(L, e, need[k][q], "required for a %s distribution", kinds[k]);
                ok = false;
            } else if (!mine && has && k != 2) {
                rg_load_err_key(L, e, need[k][q], "not a key of a %s distribution",
                                kinds[d->kind]);
                ok = false;
            }
        }
    if (!ok)
        return false;
    if (d->kind == RG_DIST_LOGNORMAL) {
        rg_load_get_real(e, "median", &d->a);
        rg_load_get_real(e, "cv", &d->b);
    } else if (d->kind == RG_DIST_NORMAL) {
        rg_load_get_real(e, "mean", &d->a);
        rg_load_get_real(e, "sd", &d->b);
    } else {
        d->a = d->lo;
        d->b = d->hi;
    }
    if (!(d->lo < d->hi) || (d->kind == RG_DIST_LOGNORMAL && d->hi <= 0.0)) {
        rg_load_err(L, e, "min must be below max (and max > 0 for a lognormal)");
        return false;
    }
    return true;
}

static rg_cohort *read_sampled(rg_loader *L, config_setting_t *g)
{
    config_setting_t *vs = rg_load_get_seq(g, "vary");
    long long size = 0, seed = 1;
    if (!vs || !rg_load_get_int(g, "size", &size)) {
        rg_load_err(L, g, "a sampled cohort needs both size and vary");
        return NULL;
    }
    rg_load_get_int(g, "seed", &seed);
    bool sobol = rg_load_parse_enum(rg_load_get_str(g, "sampling"),
                                    (const char *const[]){"sobol", "random"}, 2, 0) == 0;
    size_t m = rg_load_count_of(vs, RG_COHORT_MAX_PARAMS);
    if (m == 0) {
        rg_load_err(L, vs, "a cohort needs at least one parameter");
        return NULL;
    }
    if (sobol && m > RG_SOBOL_MAX_DIM) {
        rg_load_err(L, vs,
                    "%zu varied parameters: sobol sampling takes at most %d (use "
                    "sampling = \"random\")",
                    m, RG_SOBOL_MAX_DIM);
        return NULL;
    }
    rg_dist d[RG_COHORT_MAX_PARAMS];
    bool ok = true;
    for (size_t j = 0; j < m; j++)
        ok = read_dist(L, config_setting_get_elem(vs, (unsigned)j), &d[j]) && ok;
    rg_cohort *c = ok ? rg_cohort_alloc((size_t)size, m) : NULL;
    if (ok && !c)
        rg_load_err(L, g, "out of memory");
    if (!c)
        return NULL;
    for (size_t j = 0; j < m; j++)
        snprintf(c->params[j], RG_PARAM_PATH_MAX, "%s",
                 rg_load_get_str(config_setting_get_elem(vs, (unsigned)j), "parameter"));
    for (size_t i = 0; i < c->n_patients; i++)
        snprintf(c->names[i], RG_NAME_MAX, "P%zu", i + 1);
    if (rg_cohort_sample(d, m, sobol, (unsigned long)seed, c->n_patients, c->values) != RG_OK) {
        rg_load_err(L, g, "out of memory");
        rg_cohort_free(c);
        return NULL;
    }
    return c;
}

/* The patients a run stored (L->resolved), in place of the group's source. */
static rg_cohort *copy_resolved(rg_loader *L, config_setting_t *g)
{
    const rg_cohort *r = L->resolved;
    if (r->n_patients == 0 || r->n_patients > RG_COHORT_MAX_PATIENTS || r->n_params == 0 ||
        r->n_params > RG_COHORT_MAX_PARAMS) {
        rg_load_err(L, g, "the stored cohort has %zu patients and %zu parameters",
                    r->n_patients, r->n_params);
        return NULL;
    }
    rg_cohort *c = rg_cohort_alloc(r->n_patients, r->n_params);
    if (!c) {
        rg_load_err(L, g, "out of memory");
        return NULL;
    }
    memcpy(c->params, r->params, r->n_params * sizeof *c->params);
    memcpy(c->names, r->names, r->n_patients * sizeof *c->names);
    memcpy(c->values, r->values, r->n_patients * r->n_params * sizeof *c->values);
    for (size_t j = 0; j < r->n_params; j++)
        c->params[j][RG_PARAM_PATH_MAX - 1] = '\0';
    for (size_t i = 0; i < r->n_patients; i++)
        c->names[i][RG_NAME_MAX - 1] = '\0';
    return c;
}

rg_cohort *rg_load_cohort_values(rg_loader *L, config_setting_t *g)
{
    if (L->resolved)
        return copy_resolved(L, g);
    bool in =
        config_setting_get_member(g, "parameters") || config_setting_get_member(g, "patients");
    bool tab = config_setting_get_member(g, "table") != NULL;
    bool smp = config_setting_get_member(g, "size") || config_setting_get_member(g, "vary") ||
               config_setting_get_member(g, "seed") || config_setting_get_member(g, "sampling");
    if ((int)in + (int)tab + (int)smp != 1) {
        rg_load_err(L, g,
                    "a cohort is exactly one of: parameters and patients (inline), table, or "
                    "size and vary (sampled)");
        return NULL;
    }
    if (in)
        return read_inline(L, g);
    if (tab)
        return read_table(L, g);
    return read_sampled(L, g);
}
