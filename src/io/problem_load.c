/* The problem loader: libconfig text -> rg_problem (model.md section 0 is the contract).
 *
 * Two passes over the libconfig tree:
 *  1. structure, against the key table of keys.c: unknown keys, types, non-finite numbers,
 *     ranges, allowed strings, names, size limits, required keys;
 *  2. meaning: names resolved to indices, duplicates, the grid, per-policy keys and the
 *     rules that involve several keys; the problem is filled in.
 * Both passes report every error they find into the caller's rg_diag, each as
 * "FILE:LINE: key.path: what is wrong"; pass 2 skips values pass 1 refused. */
#include "regimen/problem.h"

#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/keys.h"

enum { PATH_MAX_LEN = 256 };

enum { MAX_BIG_INTS = 16 };

typedef struct {
    const char *file; /* name used in messages */
    rg_diag *diag;
    size_t errors;
    rg_problem *p;
    bool bench;       /* top-level `problem` present */
    /* integer literals libconfig 1.5 truncated to 32 bits: their settings and true values
     * (each setting's hook points at its value; num_value reads it) */
    size_t n_big;
    config_setting_t *big[MAX_BIG_INTS];
    double big_val[MAX_BIG_INTS];
} loader;

/* ---------------------------------------------------------------- paths, messages */

static bool is_seq(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY;
}

/* "clones.[2].growth_rate" */
static void disp_path(config_setting_t *s, char *buf, size_t n)
{
    config_setting_t *par = config_setting_parent(s);
    if (!par) {
        buf[0] = '\0';
        return;
    }
    disp_path(par, buf, n);
    size_t len = strlen(buf);
    if (len >= n - 1)
        return;
    if (is_seq(par))
        snprintf(buf + len, n - len, "%s[%d]", len ? "." : "", config_setting_index(s));
    else
        snprintf(buf + len, n - len, "%s%s", len ? "." : "", config_setting_name(s));
}

/* "clones.[].mechanisms.<mechanism>" */
static void pattern_path(config_setting_t *s, char *buf, size_t n)
{
    config_setting_t *par = config_setting_parent(s);
    if (!par) {
        buf[0] = '\0';
        return;
    }
    pattern_path(par, buf, n);
    size_t len = strlen(buf);
    if (len >= n - 1)
        return;
    if (is_seq(par)) {
        snprintf(buf + len, n - len, "%s[]", len ? "." : "");
        return;
    }
    const rg_key *pk = len ? rg_key_find(buf) : NULL;
    if (pk && pk->type == RG_KT_MAP)
        snprintf(buf + len, n - len, ".<%s>", pk->values);
    else
        snprintf(buf + len, n - len, "%s%s", len ? "." : "", config_setting_name(s));
}

static int line_of(config_setting_t *s)
{
    int line = (int)config_setting_source_line(s);
    return line > 0 ? line : 1;
}

static void vreport(loader *L, int line, const char *path, const char *fmt, va_list ap)
{
    char what[RG_DIAG_MSG];
    vsnprintf(what, sizeof what, fmt, ap);
    if (path && *path)
        rg_diag_add(L->diag, "%s:%d: %s: %s", L->file, line, path, what);
    else
        rg_diag_add(L->diag, "%s:%d: %s", L->file, line, what);
    L->errors++;
}

#if defined(__GNUC__)
#define RG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RG_PRINTF(a, b)
#endif

/* An error about setting s. */
static void RG_PRINTF(3, 4) err(loader *L, config_setting_t *s, const char *fmt, ...)
{
    char path[PATH_MAX_LEN];
    disp_path(s, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vreport(L, line_of(s), path, fmt, ap);
    va_end(ap);
}

/* An error about key `key` of group g, which may be absent (then g's line is used). */
static void RG_PRINTF(4, 5) err_key(loader *L, config_setting_t *g, const char *key,
                                    const char *fmt, ...)
{
    config_setting_t *m = config_setting_get_member(g, key);
    char path[PATH_MAX_LEN];
    disp_path(g, path, sizeof path);
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", key);
    va_list ap;
    va_start(ap, fmt);
    vreport(L, m ? line_of(m) : line_of(g), path, fmt, ap);
    va_end(ap);
}

static const char *cfg_type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP: return "a group { ... }";
    case CONFIG_TYPE_INT: return "an integer";
    case CONFIG_TYPE_INT64: return "a 64-bit integer";
    case CONFIG_TYPE_FLOAT: return "a real number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
    case CONFIG_TYPE_LIST: return "a list ( ... )";
    default: return "nothing";
    }
}

static const char *expected_text(rg_key_type t)
{
    switch (t) {
    case RG_KT_REAL: return "a real number";
    case RG_KT_INT: return "an integer";
    case RG_KT_BOOL: return "true or false";
    case RG_KT_STRING:
    case RG_KT_NAME:
    case RG_KT_ENUM: return "a string \"...\"";
    case RG_KT_GROUP:
    case RG_KT_MAP: return "a group { ... }";
    case RG_KT_LIST: return "a list of groups ( { ... }, ... )";
    case RG_KT_NAMES: return "an array of names [\"...\", ...]";
    case RG_KT_REALS: return "an array of numbers [ ... ]";
    case RG_KT_REALS_LIST: return "a list of arrays of numbers ( [ ... ], ... )";
    }
    return "?";
}

/* ---------------------------------------------------------------- small helpers */

static bool is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static double num_value(const config_setting_t *s)
{
    /* an integer literal beyond 32 bits: the value of the literal (report_big_ints) */
    if (config_setting_get_hook(s))
        return *(const double *)config_setting_get_hook(s);
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
        return config_setting_get_float(s);
    return (double)config_setting_get_int64(s);
}

static bool valid_name(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return false;
    for (const char *c = s + 1; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
            return false;
    return true;
}

static bool in_range(const rg_key *k, double v)
{
    if (!isnan(k->lo) && (k->lo_open ? !(v > k->lo) : !(v >= k->lo)))
        return false;
    if (!isnan(k->hi) && (k->hi_open ? !(v < k->hi) : !(v <= k->hi)))
        return false;
    return true;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* The last component of a pattern, and whether row k sits directly under `parent`. */
static const char *last_component(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

static bool child_of(const rg_key *k, const char *parent)
{
    size_t pl = strlen(parent);
    if (pl == 0)
        return strchr(k->path, '.') == NULL;
    return !strncmp(k->path, parent, pl) && k->path[pl] == '.' && !strchr(k->path + pl + 1, '.');
}

/* ---------------------------------------------------------------- pass 1: structure */

static void walk_group(loader *L, config_setting_t *g, const char *gpattern);

static bool is_big(const loader *L, const config_setting_t *s)
{
    for (size_t i = 0; i < L->n_big; i++)
        if (L->big[i] == s)
            return true;
    return false;
}

static void check_number(loader *L, config_setting_t *s, const rg_key *k, bool integer)
{
    if (!is_number(s)) {
        err(L, s, "expected %s, found %s", integer ? "an integer" : "a real number",
            cfg_type_name(config_setting_type(s)));
        return;
    }
    double v = num_value(s);
    if (!isfinite(v)) {
        err(L, s, "the number is not finite (expected %s)", integer ? "an integer" : "a real number");
        return;
    }
    if (integer && config_setting_type(s) == CONFIG_TYPE_FLOAT && v != floor(v)) {
        err(L, s, "expected an integer, found %.17g", v);
        return;
    }
    if (!in_range(k, v)) {
        char r[96];
        rg_key_range_text(k, r, sizeof r);
        err(L, s, "%.17g is out of range (expected %s%s%s)", v, r, *k->unit ? ", " : "",
            k->unit);
    }
}

static void check_name_string(loader *L, config_setting_t *s)
{
    const char *v = config_setting_get_string(s);
    if (strlen(v) >= RG_NAME_MAX)
        err(L, s, "name \"%.40s...\" is longer than %d characters", v, RG_NAME_MAX - 1);
    else if (!valid_name(v))
        err(L, s, "\"%s\" is not a valid name (expected a letter, then letters, digits, '_' or "
                  "'-')",
            v);
}

static void check_count(loader *L, config_setting_t *s, const rg_key *k)
{
    int n = config_setting_length(s);
    if (k->max_count && (size_t)n > k->max_count)
        err(L, s, "%d entries exceed the limit of %zu", n, k->max_count);
}

static void check_setting(loader *L, config_setting_t *s, const rg_key *k)
{
    int t = config_setting_type(s);
    switch (k->type) {
    case RG_KT_REAL: check_number(L, s, k, false); return;
    case RG_KT_INT: check_number(L, s, k, true); return;
    case RG_KT_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            err(L, s, "expected true or false, found %s", cfg_type_name(t));
        return;
    case RG_KT_STRING:
    case RG_KT_NAME:
    case RG_KT_ENUM:
        if (t != CONFIG_TYPE_STRING) {
            err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
            return;
        }
        if (k->type == RG_KT_STRING) {
            if (k->max_count && strlen(config_setting_get_string(s)) > k->max_count)
                err(L, s, "longer than %zu characters", k->max_count);
        } else if (k->type == RG_KT_NAME) {
            check_name_string(L, s);
        } else {
            const char *v = config_setting_get_string(s);
            size_t lv = strlen(v);
            bool ok = false;
            for (const char *a = k->values; *a;) {
                const char *bar = strchr(a, '|');
                size_t la = bar ? (size_t)(bar - a) : strlen(a);
                if (la == lv && !strncmp(a, v, la))
                    ok = true;
                a += la + (bar ? 1 : 0);
            }
            if (!ok) {
                char alts[200];
                size_t j = 0;
                for (const char *a = k->values; *a && j + 8 < sizeof alts; a++) {
                    if (*a == '|') {
                        j += (size_t)snprintf(alts + j, sizeof alts - j, "\", \"");
                    } else
                        alts[j++] = *a;
                }
                alts[j] = '\0';
                err(L, s, "\"%s\" is not one of \"%s\"", v, alts);
            }
        }
        return;
    case RG_KT_GROUP:
    case RG_KT_MAP:
        if (t != CONFIG_TYPE_GROUP) {
            err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
            return;
        }
        if (k->type == RG_KT_MAP)
            check_count(L, s, k);
        walk_group(L, s, k->path);
        return;
    case RG_KT_LIST: {
        if (!(t == CONFIG_TYPE_LIST || (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0))) {
            err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
            return;
        }
        check_count(L, s, k);
        char ep[PATH_MAX_LEN];
        snprintf(ep, sizeof ep, "%s.[]", k->path);
        for (int i = 0; i < config_setting_length(s); i++) {
            config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (config_setting_type(e) != CONFIG_TYPE_GROUP)
                err(L, e, "expected a group { ... }, found %s",
                    cfg_type_name(config_setting_type(e)));
            else
                walk_group(L, e, ep);
        }
        return;
    }
    case RG_KT_NAMES:
    case RG_KT_REALS: {
        if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
            err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
            return;
        }
        check_count(L, s, k);
        for (int i = 0; i < config_setting_length(s); i++) {
            config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (k->type == RG_KT_NAMES) {
                if (config_setting_type(e) != CONFIG_TYPE_STRING)
                    err(L, e, "expected a name \"...\", found %s",
                        cfg_type_name(config_setting_type(e)));
                else
                    check_name_string(L, e);
            } else {
                check_number(L, e, k, false);
            }
        }
        return;
    }
    case RG_KT_REALS_LIST: {
        if (t != CONFIG_TYPE_LIST) {
            err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
            return;
        }
        check_count(L, s, k);
        for (int i = 0; i < config_setting_length(s); i++) {
            config_setting_t *a = config_setting_get_elem(s, (unsigned)i);
            if (config_setting_type(a) != CONFIG_TYPE_ARRAY) {
                err(L, a, "expected an array of numbers [ ... ], found %s",
                    cfg_type_name(config_setting_type(a)));
                continue;
            }
            for (int j = 0; j < config_setting_length(a); j++)
                check_number(L, config_setting_get_elem(a, (unsigned)j), k, false);
        }
        return;
    }
    }
}

static void walk_group(loader *L, config_setting_t *g, const char *gpattern)
{
    const rg_key *gk = *gpattern ? rg_key_find(gpattern) : NULL;
    unsigned mode = L->bench ? RG_KS_BENCHMARK : RG_KS_TUMOUR;
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        config_setting_t *c = config_setting_get_elem(g, (unsigned)i);
        char pat[PATH_MAX_LEN];
        pattern_path(c, pat, sizeof pat);
        const rg_key *k = rg_key_find(pat);
        if (!k) {
            /* suggest the nearest sibling key */
            size_t nk;
            const rg_key *all = rg_keys(&nk);
            const char *best = NULL;
            size_t bestd = 3;
            const char *name = config_setting_name(c);
            for (size_t j = 0; j < nk; j++) {
                if (!child_of(&all[j], gpattern) || !(all[j].scope & mode))
                    continue;
                size_t dd = edit_distance(name, last_component(all[j].path));
                if (dd < bestd) {
                    bestd = dd;
                    best = last_component(all[j].path);
                }
            }
            if (best)
                err(L, c, "unknown key (did you mean '%s'?)", best);
            else if (*gpattern)
                err(L, c, "unknown key in %s", gpattern);
            else
                err(L, c, "unknown key");
            continue;
        }
        if (!(k->scope & mode)) {
            if (L->bench)
                err(L, c, "not allowed in a benchmark problem (the file sets 'problem')");
            else
                err(L, c, "only allowed in benchmark problems (files that set 'problem')");
            continue;
        }
        check_setting(L, c, k);
    }
    if (gk && gk->type == RG_KT_MAP)
        return;
    /* required keys of this group */
    size_t nk;
    const rg_key *all = rg_keys(&nk);
    for (size_t j = 0; j < nk; j++) {
        if (!all[j].required || !(all[j].scope & mode) || !child_of(&all[j], gpattern))
            continue;
        const char *key = last_component(all[j].path);
        if (!config_setting_get_member(g, key))
            err_key(L, g, key, "missing required key (%s%s%s)", expected_text(all[j].type),
                    *all[j].unit ? ", " : "", all[j].unit);
    }
}

/* ---------------------------------------------------------------- pass 2: readers */

/* Each returns true and stores the value when the member is present with a usable value
 * (pass 1 has reported every other case). */
static bool get_real(config_setting_t *g, const char *key, double *out)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s || !is_number(s))
        return false;
    double v = num_value(s);
    if (!isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool get_int(config_setting_t *g, const char *key, long long *out)
{
    double v;
    if (!get_real(g, key, &v) || v != floor(v) || fabs(v) > 9e15)
        return false;
    *out = (long long)v;
    return true;
}

static bool get_bool(config_setting_t *g, const char *key, bool *out)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s || config_setting_type(s) != CONFIG_TYPE_BOOL)
        return false;
    *out = config_setting_get_bool(s) != 0;
    return true;
}

static const char *get_str(config_setting_t *g, const char *key)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s || config_setting_type(s) != CONFIG_TYPE_STRING)
        return NULL;
    return config_setting_get_string(s);
}

static config_setting_t *get_group(config_setting_t *g, const char *key)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    return s && config_setting_type(s) == CONFIG_TYPE_GROUP ? s : NULL;
}

static config_setting_t *get_seq(config_setting_t *g, const char *key)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    return s && is_seq(s) ? s : NULL;
}

static const char *elem_str(config_setting_t *a, int i)
{
    config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
    return e && config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
}

/* Number of entries of a list to read, clamped to the limit (pass 1 reported the excess). */
static size_t count_of(config_setting_t *s, size_t max)
{
    if (!s)
        return 0;
    size_t n = (size_t)config_setting_length(s);
    return n > max ? max : n;
}

static void copy_name(char *dst, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, RG_NAME_MAX, "%s", src);
}

static int parse_enum(const char *v, const char *const *names, int n, int fallback)
{
    if (!v)
        return fallback;
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return i;
    return fallback;
}

/* Lists the names of one kind for messages: "a, b, c". */
typedef const char *(*name_at_fn)(const rg_problem *p, size_t i);
static const char *drug_name_at(const rg_problem *p, size_t i) { return p->drugs[i].name; }
static const char *clone_name_at(const rg_problem *p, size_t i) { return p->clones[i].name; }
static const char *mech_name_at(const rg_problem *p, size_t i) { return p->mechs[i].name; }

static void name_list(const rg_problem *p, size_t n, name_at_fn at, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 1 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", at(p, i));
    if (n == 0)
        snprintf(buf, size, "none defined");
}

static int lookup(loader *L, config_setting_t *at, const char *name, const char *kind,
                  size_t n, name_at_fn fn)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fn(L->p, i), name))
            return (int)i;
    char list[200];
    name_list(L->p, n, fn, list, sizeof list);
    err(L, at, "unknown %s '%s' (%ss: %s)", kind, name, kind, list);
    return -1;
}

static int find_drug(loader *L, config_setting_t *at, const char *name)
{
    return lookup(L, at, name, "drug", L->p->n_drugs, drug_name_at);
}

/* Appends the drugs named by the string list ds (may be NULL) to drugs[] (*n of them, at
 * most RG_MAX_DRUGS): a name that is no drug of the problem is reported by find_drug, one
 * listed twice here; either is left out. */
static void read_drug_list(loader *L, config_setting_t *ds, int drugs[], size_t *n)
{
    for (int j = 0; ds && j < config_setting_length(ds) && *n < RG_MAX_DRUGS; j++) {
        const char *dn = elem_str(ds, j);
        if (!dn)
            continue;
        config_setting_t *at = config_setting_get_elem(ds, (unsigned)j);
        int d = find_drug(L, at, dn);
        if (d < 0)
            continue;
        bool dup = false;
        for (size_t q = 0; q < *n; q++)
            dup |= drugs[q] == d;
        if (dup)
            err(L, at, "drug '%s' is listed twice", dn);
        else
            drugs[(*n)++] = d;
    }
}
static int find_clone(loader *L, config_setting_t *at, const char *name)
{
    return lookup(L, at, name, "clone", L->p->n_clones, clone_name_at);
}
static int find_mech(loader *L, config_setting_t *at, const char *name)
{
    return lookup(L, at, name, "mechanism", L->p->n_mechs, mech_name_at);
}

/* Reads the name of list element e into dst and reports a duplicate among the first i. */
static void read_name(loader *L, config_setting_t *e, const char *kind, char *dst, size_t i,
                      size_t stride, const char *base)
{
    const char *nm = get_str(e, "name");
    if (!nm || !valid_name(nm) || strlen(nm) >= RG_NAME_MAX) {
        dst[0] = '\0';
        return;
    }
    for (size_t j = 0; j < i; j++) {
        const char *other = base + j * stride;
        if (!strcmp(other, nm)) {
            err_key(L, e, "name", "duplicate %s name '%s' (also used by element [%zu])", kind, nm,
                    j);
            break;
        }
    }
    copy_name(dst, nm);
}

/* Whole multiple test for grid quantities: a / b within 1e-9 relative of an integer >= 1. */
static bool whole_multiple(double a, double b)
{
    if (!(a > 0.0) || !(b > 0.0))
        return false;
    double r = a / b, k = nearbyint(r);
    return k >= 1.0 && fabs(r - k) <= 1e-9 * k;
}

/* Reads inhibitors ({drug; ic50;} list) into arr; returns the count. */
static size_t read_inhibitors(loader *L, config_setting_t *list, rg_inhibitor *arr)
{
    size_t n = count_of(list, RG_MAX_INHIB), k = 0;
    for (size_t i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        const char *dn = get_str(e, "drug");
        int d = dn ? find_drug(L, config_setting_get_member(e, "drug"), dn) : -1;
        for (size_t j = 0; j < k && d >= 0; j++)
            if (arr[j].drug == d) {
                err_key(L, e, "drug", "drug '%s' is listed twice as an inhibitor", dn);
                d = -1;
            }
        double ic50 = 1.0;
        get_real(e, "ic50", &ic50);
        if (d >= 0) {
            arr[k].drug = d;
            arr[k].ic50 = ic50;
            k++;
        }
    }
    return k;
}

/* ---------------------------------------------------------------- pass 2: sections */

static void read_drugs(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = get_seq(root, "drugs");
    p->n_drugs = count_of(list, RG_MAX_DRUGS);
    for (size_t i = 0; i < p->n_drugs; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_drug *d = &p->drugs[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        read_name(L, e, "drug", d->name, i, sizeof p->drugs[0], (const char *)p->drugs[0].name);
        get_real(e, "half_life_days", &d->half_life_days);
        static const char *const admin[] = {"continuous", "bolus"};
        d->administration = (rg_admin)parse_enum(get_str(e, "administration"), admin, 2, 0);
        bool has_interval = get_real(e, "dosing_interval_days", &d->dosing_interval_days);
        static const char *const eff[] = {"hill", "linear"};
        d->effect = (rg_effect)parse_enum(get_str(e, "effect"), eff, 2, 0);
        get_real(e, "emax", &d->emax);
        get_real(e, "ec50", &d->ec50);
        get_real(e, "hill", &d->hill);
        get_bool(e, "cycle_specific", &d->cycle_specific);
        get_real(e, "toxicity_weight", &d->toxicity_weight);
        get_real(e, "hypoxia_penetration_loss", &d->hypoxia_penetration_loss);
        get_bool(e, "stroma_sensitive", &d->stroma_sensitive);
        get_real(e, "myelotoxicity_slope", &d->myelotoxicity_slope);
        get_real(e, "max_cumulative_dose", &d->max_cumulative_dose);

        if (d->administration == RG_ADMIN_BOLUS) {
            if (!config_setting_get_member(e, "dosing_interval_days"))
                err_key(L, e, "dosing_interval_days",
                        "missing required key for a bolus drug (time between boluses, days)");
            if (config_setting_get_member(e, "half_life_days") && d->half_life_days == 0.0)
                err_key(L, e, "half_life_days",
                        "a bolus drug needs a half-life > 0 (0 is only for continuous drugs)");
        } else if (has_interval || config_setting_get_member(e, "dosing_interval_days")) {
            err_key(L, e, "dosing_interval_days",
                    "only bolus drugs have a dosing interval (this drug is continuous)");
        }
        if (!d->cycle_specific && d->emax > 50.0)
            err_key(L, e, "emax",
                    "%.17g is above 50 per day (only a cycle_specific drug, whose emax is a "
                    "fold of the division rate, may exceed it)",
                    d->emax);
    }
}

static void read_mechanisms(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = get_seq(root, "mechanisms");
    p->n_mechs = count_of(list, RG_MAX_MECHS);
    for (size_t i = 0; i < p->n_mechs; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_mechanism *m = &p->mechs[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        read_name(L, e, "mechanism", m->name, i, sizeof p->mechs[0],
                  (const char *)p->mechs[0].name);
        static const char *const kinds[] = {"efflux", "detox", "target",
                                            "repair", "apoptosis", "autophagy"};
        m->kind = (rg_mech_kind)parse_enum(get_str(e, "kind"), kinds, RG_MECH_NKINDS, 0);
        config_setting_t *aff = get_seq(e, "affects");
        for (int j = 0; aff && j < config_setting_length(aff); j++) {
            const char *dn = elem_str(aff, j);
            if (!dn)
                continue;
            config_setting_t *at = config_setting_get_elem(aff, (unsigned)j);
            int d = find_drug(L, at, dn);
            if (d < 0)
                continue;
            if (m->affects[d])
                err(L, at, "drug '%s' is listed twice", dn);
            m->affects[d] = true;
        }
        if (aff && config_setting_length(aff) == 0)
            err_key(L, e, "affects", "a mechanism must affect at least one drug");
        get_real(e, "hypoxia_induction", &m->hypoxia_induction);
        m->n_inhibitors = read_inhibitors(L, get_seq(e, "inhibitors"), m->inhibitors);
        static const char *const comb[] = {"any", "all"};
        m->combine = (rg_combine)parse_enum(get_str(e, "inhibitors_combine"), comb, 2, 0);
        if (config_setting_get_member(e, "inhibitors_combine") && m->n_inhibitors == 0 &&
            !get_seq(e, "inhibitors"))
            err_key(L, e, "inhibitors_combine", "set without any inhibitors");
    }
}

static void read_clones(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = get_seq(root, "clones");
    p->n_clones = count_of(list, RG_MAX_CLONES);
    if (list && config_setting_length(list) == 0)
        err(L, list, "at least one clone is required");
    /* names first: competition refers to clones listed later */
    for (size_t i = 0; i < p->n_clones; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) == CONFIG_TYPE_GROUP)
            read_name(L, e, "clone", p->clones[i].name, i, sizeof p->clones[0],
                      (const char *)p->clones[0].name);
    }
    for (size_t i = 0; i < p->n_clones; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_clone *c = &p->clones[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        get_real(e, "cells", &c->cells);
        get_real(e, "growth_rate", &c->growth_rate);
        get_real(e, "death_rate", &c->death_rate);
        if (!get_real(e, "carrying_capacity", &c->carrying_capacity))
            c->carrying_capacity = p->carrying_capacity;
        get_bool(e, "resistant", &c->resistant);
        config_setting_t *g = get_group(e, "competition");
        for (int j = 0; g && j < config_setting_length(g); j++) {
            config_setting_t *m = config_setting_get_elem(g, (unsigned)j);
            int k = find_clone(L, m, config_setting_name(m));
            if (k < 0 || !is_number(m))
                continue;
            if ((size_t)k == i) {
                err(L, m, "a clone's weight on itself is 1 by definition (a_ii = 1); remove "
                          "this entry");
                continue;
            }
            c->competition[k] = num_value(m);
        }
        g = get_group(e, "capacity_effect");
        for (int j = 0; g && j < config_setting_length(g); j++) {
            config_setting_t *m = config_setting_get_elem(g, (unsigned)j);
            int k = find_drug(L, m, config_setting_name(m));
            if (k >= 0 && is_number(m))
                c->capacity_effect[k] = num_value(m);
        }
        g = get_group(e, "mechanisms");
        for (int j = 0; g && j < config_setting_length(g); j++) {
            config_setting_t *m = config_setting_get_elem(g, (unsigned)j);
            int k = find_mech(L, m, config_setting_name(m));
            if (k >= 0 && is_number(m)) {
                c->fold[k] = num_value(m);
                c->carries[k] = true;
            }
        }
    }
}

static void read_mutations(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = get_seq(root, "mutations");
    p->n_mutations = count_of(list, RG_MAX_MUTATIONS);
    for (size_t i = 0; i < p->n_mutations; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_mutation *m = &p->mutations[i];
        m->from = m->to = -1;
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        const char *f = get_str(e, "from"), *t = get_str(e, "to");
        if (f)
            m->from = find_clone(L, config_setting_get_member(e, "from"), f);
        if (t)
            m->to = find_clone(L, config_setting_get_member(e, "to"), t);
        if (m->from >= 0 && m->from == m->to)
            err_key(L, e, "to", "a mutation must lead to another clone (from = to = '%s')", t);
        /* two entries on the same pair are two fluxes that add (model.md 6) */
        get_real(e, "rate", &m->rate);
        config_setting_t *ind = get_seq(e, "induced_by");
        size_t n = count_of(ind, RG_MAX_INDUCERS);
        m->n_induced = 0;
        for (size_t j = 0; j < n; j++) {
            config_setting_t *ie = config_setting_get_elem(ind, (unsigned)j);
            if (config_setting_type(ie) != CONFIG_TYPE_GROUP)
                continue;
            const char *dn = get_str(ie, "drug");
            int d = dn ? find_drug(L, config_setting_get_member(ie, "drug"), dn) : -1;
            for (size_t q = 0; q < m->n_induced && d >= 0; q++)
                if (m->induced_drug[q] == d) {
                    err_key(L, ie, "drug", "drug '%s' induces this mutation twice", dn);
                    d = -1;
                }
            double rate = 0.0;
            get_real(ie, "rate", &rate);
            if (d >= 0) {
                m->induced_drug[m->n_induced] = d;
                m->induced_rate[m->n_induced] = rate;
                m->n_induced++;
            }
        }
    }
}

static void read_interactions(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = get_seq(root, "interactions");
    size_t n = count_of(list, RG_MAX_INTERACTIONS);
    p->n_interactions = 0;
    for (size_t i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        config_setting_t *ds = get_seq(e, "drugs");
        if (!ds)
            continue;
        if (config_setting_length(ds) != 2) {
            if (config_setting_length(ds) < 2) /* more than 2: pass 1 reported the limit */
                err(L, ds, "expected exactly two drugs, found %d", config_setting_length(ds));
            continue;
        }
        int d[2];
        for (int j = 0; j < 2; j++) {
            const char *dn = elem_str(ds, j);
            d[j] = dn ? find_drug(L, config_setting_get_elem(ds, (unsigned)j), dn) : -1;
        }
        if (d[0] < 0 || d[1] < 0)
            continue;
        if (d[0] == d[1]) {
            err(L, ds, "an interaction needs two different drugs ('%s' twice)",
                p->drugs[d[0]].name);
            continue;
        }
        rg_interaction *x = &p->interactions[p->n_interactions];
        x->drug_a = d[0] < d[1] ? d[0] : d[1];
        x->drug_b = d[0] < d[1] ? d[1] : d[0];
        bool dup = false;
        for (size_t j = 0; j < p->n_interactions; j++)
            if (p->interactions[j].drug_a == x->drug_a && p->interactions[j].drug_b == x->drug_b)
                dup = true;
        if (dup) {
            err(L, ds, "duplicate interaction of '%s' and '%s'", p->drugs[x->drug_a].name,
                p->drugs[x->drug_b].name);
            continue;
        }
        get_real(e, "psi", &x->psi);
        p->n_interactions++;
    }
}

static void read_tme(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *tme = get_group(root, "tme");
    config_setting_t *h = get_group(tme, "hypoxia");
    get_real(h, "max_fraction", &p->hypoxia_max_fraction);
    bool has_half = get_real(h, "half_burden", &p->hypoxia_half_burden);
    get_real(h, "quiescence", &p->hypoxia_quiescence);
    if (h && p->hypoxia_max_fraction > 0.0 && !has_half &&
        !config_setting_get_member(h, "half_burden"))
        err_key(L, h, "half_burden",
                "missing: required when max_fraction > 0 (burden at half the maximal hypoxic "
                "fraction, cells)");
    config_setting_t *s = get_group(tme, "stroma");
    get_real(s, "protection", &p->stroma_protection);
    p->n_stroma_inhibitors = read_inhibitors(L, get_seq(s, "inhibitors"), p->stroma_inhibitors);
    static const char *const comb[] = {"any", "all"};
    p->stroma_combine = (rg_combine)parse_enum(get_str(s, "inhibitors_combine"), comb, 2, 0);
}

static void read_neutrophils_constraints(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *n = get_group(root, "neutrophils");
    p->neutrophils = n != NULL;
    get_real(n, "mtt_days", &p->mtt_days);
    get_real(n, "circ0", &p->circ0);
    get_real(n, "gamma", &p->gamma);

    config_setting_t *c = get_group(root, "constraints");
    get_real(c, "max_daily_toxicity", &p->max_daily_toxicity);
    if (get_real(c, "anc_min", &p->anc_min) && !p->neutrophils)
        err_key(L, c, "anc_min", "needs the neutrophils group (the ANC is not modelled)");
    config_setting_t *mc = get_group(c, "max_cumulative_dose");
    for (int j = 0; mc && j < config_setting_length(mc); j++) {
        config_setting_t *m = config_setting_get_elem(mc, (unsigned)j);
        int d = find_drug(L, m, config_setting_name(m));
        if (d < 0 || !is_number(m))
            continue;
        if (p->drugs[d].max_cumulative_dose >= 0.0) {
            err(L, m, "the limit of drug '%s' is also set on the drug (keep one)",
                p->drugs[d].name);
            continue;
        }
        p->drugs[d].max_cumulative_dose = num_value(m);
    }

    config_setting_t *pr = get_group(root, "progression");
    static const char *const refs[] = {"initial", "nadir"};
    p->progression_reference = (rg_progress_ref)parse_enum(get_str(pr, "reference"), refs, 2, 0);
    get_real(pr, "factor", &p->progression_factor);
    if (!get_real(pr, "min_cells", &p->progression_min_cells))
        p->progression_min_cells = p->extinction_cells;
}

static void read_grid(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    bool h = get_real(root, "horizon_days", &p->horizon_days);
    bool d = get_real(root, "decision_days", &p->decision_days);
    bool v = true;
    if (config_setting_get_member(root, "visit_days"))
        v = get_real(root, "visit_days", &p->visit_days);
    if (h && d && p->horizon_days > 0 && p->decision_days > 0 &&
        !whole_multiple(p->horizon_days, p->decision_days))
        err_key(L, root, "horizon_days",
                "%.17g days is not a positive whole multiple of decision_days = %.17g",
                p->horizon_days, p->decision_days);
    if (d && v && p->decision_days > 0 && p->visit_days > 0 &&
        !whole_multiple(p->decision_days, p->visit_days))
        err_key(L, root, "decision_days",
                "%.17g days is not a whole multiple of visit_days = %.17g", p->decision_days,
                p->visit_days);
    if (!d || !(p->decision_days > 0))
        return;
    for (size_t i = 0; i < p->n_drugs; i++) {
        rg_drug *dr = &p->drugs[i];
        if (dr->administration == RG_ADMIN_BOLUS && dr->dosing_interval_days > 0 &&
            !whole_multiple(dr->dosing_interval_days, p->decision_days)) {
            config_setting_t *e = config_setting_get_elem(get_seq(root, "drugs"), (unsigned)i);
            err_key(L, e, "dosing_interval_days",
                    "%.17g days is off the grid: not a whole multiple of decision_days = %.17g",
                    dr->dosing_interval_days, p->decision_days);
        }
    }
}

static const char *policy_keys(rg_policy_kind k)
{
    switch (k) {
    case RG_POLICY_MTD: return "cycle_days on_days";
    case RG_POLICY_METRONOMIC: return "level";
    case RG_POLICY_ADAPTIVE: return "dose stop_below resume_above";
    case RG_POLICY_DOSE_MODULATION: return "dose rise fall step min_dose skip_below";
    case RG_POLICY_FIXED: return "doses";
    default: return "";
    }
}

static bool word_in(const char *word, const char *list)
{
    size_t lw = strlen(word);
    for (const char *s = list; *s;) {
        while (*s == ' ')
            s++;
        size_t l = strcspn(s, " ");
        if (l == lw && !strncmp(s, word, l))
            return true;
        s += l;
    }
    return false;
}

static void read_regimens(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = get_seq(root, "regimens");
    p->n_regimens = count_of(list, RG_MAX_REGIMENS);
    for (size_t i = 0; i < p->n_regimens; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_regimen *r = &p->regimens[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        read_name(L, e, "regimen", r->name, i, sizeof p->regimens[0],
                  (const char *)p->regimens[0].name);
        static const char *const pol[] = {"mtd", "metronomic", "adaptive", "dose_modulation",
                                          "fixed"};
        const char *ps = get_str(e, "policy");
        int pk = parse_enum(ps, pol, 5, -1);
        r->policy = pk < 0 ? RG_POLICY_MTD : (rg_policy_kind)pk;
        config_setting_t *ds = get_seq(e, "drugs");
        r->n_drugs = 0;
        read_drug_list(L, ds, r->drugs, &r->n_drugs);
        if (ds && config_setting_length(ds) == 0)
            err(L, ds, "a regimen needs at least one drug");
        if (pk < 0)
            continue; /* pass 1 reported the policy */

        /* keys of other policies */
        for (int j = 0; j < config_setting_length(e); j++) {
            config_setting_t *m = config_setting_get_elem(e, (unsigned)j);
            const char *kn = config_setting_name(m);
            if (!strcmp(kn, "name") || !strcmp(kn, "policy") || !strcmp(kn, "drugs"))
                continue;
            char pat[PATH_MAX_LEN];
            snprintf(pat, sizeof pat, "regimens.[].%s", kn);
            if (!rg_key_find(pat))
                continue; /* unknown: pass 1 */
            if (!word_in(kn, policy_keys(r->policy)))
                err(L, m, "not a key of policy \"%s\" (which takes: %s)", ps,
                    policy_keys(r->policy));
        }
        /* required keys of this policy */
        const char *req = r->policy == RG_POLICY_METRONOMIC      ? "level"
                          : r->policy == RG_POLICY_ADAPTIVE      ? "dose stop_below resume_above"
                          : r->policy == RG_POLICY_DOSE_MODULATION ? "dose rise fall step"
                          : r->policy == RG_POLICY_FIXED           ? "doses"
                                                                   : "";
        for (const char *s = req; *s;) {
            size_t l = strcspn(s, " ");
            char key[32];
            snprintf(key, sizeof key, "%.*s", (int)l, s);
            if (!config_setting_get_member(e, key))
                err_key(L, e, key, "missing: required by policy \"%s\"", ps);
            s += l;
            while (*s == ' ')
                s++;
        }
        switch (r->policy) {
        case RG_POLICY_MTD: {
            bool hc = get_real(e, "cycle_days", &r->cycle_days);
            bool ho = get_real(e, "on_days", &r->on_days);
            bool mc = config_setting_get_member(e, "cycle_days") != NULL;
            bool mo = config_setting_get_member(e, "on_days") != NULL;
            if (mc != mo) {
                err_key(L, e, mc ? "on_days" : "cycle_days",
                        "cycle_days and on_days go together (set both or neither)");
                break;
            }
            if (!hc || !ho)
                break;
            if (p->decision_days > 0 && r->cycle_days > 0 &&
                !whole_multiple(r->cycle_days, p->decision_days))
                err_key(L, e, "cycle_days",
                        "%.17g days is off the grid: not a whole multiple of decision_days = "
                        "%.17g",
                        r->cycle_days, p->decision_days);
            if (p->decision_days > 0 && r->on_days > 0 &&
                !whole_multiple(r->on_days, p->decision_days))
                err_key(L, e, "on_days",
                        "%.17g days is off the grid: not a whole multiple of decision_days = "
                        "%.17g",
                        r->on_days, p->decision_days);
            if (r->on_days > r->cycle_days)
                err_key(L, e, "on_days", "%.17g days is longer than cycle_days = %.17g",
                        r->on_days, r->cycle_days);
            break;
        }
        case RG_POLICY_METRONOMIC: get_real(e, "level", &r->level); break;
        case RG_POLICY_ADAPTIVE:
            get_real(e, "dose", &r->dose);
            get_real(e, "stop_below", &r->stop_below);
            /* resume_above < stop_below is a well-defined rule (model.md 8), not an error */
            get_real(e, "resume_above", &r->resume_above);
            break;
        case RG_POLICY_DOSE_MODULATION:
            get_real(e, "dose", &r->dose);
            get_real(e, "rise", &r->rise);
            get_real(e, "fall", &r->fall);
            get_real(e, "step", &r->step);
            get_real(e, "min_dose", &r->min_dose);
            get_real(e, "skip_below", &r->skip_below);
            break;
        case RG_POLICY_FIXED: {
            config_setting_t *dl = get_seq(e, "doses");
            if (!dl || config_setting_type(dl) != CONFIG_TYPE_LIST)
                break;
            size_t nd = (size_t)config_setting_length(dl);
            size_t ndr = ds ? (size_t)config_setting_length(ds) : 0;
            if (nd != ndr) {
                err(L, dl, "%zu dose arrays for %zu drugs (one array per drug, in the order of "
                           "drugs)",
                    nd, ndr);
                break;
            }
            for (size_t j = 0; j < nd && j < r->n_drugs; j++) {
                config_setting_t *a = config_setting_get_elem(dl, (unsigned)j);
                if (config_setting_type(a) != CONFIG_TYPE_ARRAY)
                    continue;
                size_t len = (size_t)config_setting_length(a);
                if (len == 0) {
                    err(L, a, "an empty dose array (give at least one level)");
                    continue;
                }
                double *v = malloc(len * sizeof *v);
                if (!v) {
                    err(L, a, "out of memory");
                    continue;
                }
                for (size_t q = 0; q < len; q++) {
                    config_setting_t *x = config_setting_get_elem(a, (unsigned)q);
                    v[q] = is_number(x) ? num_value(x) : 0.0;
                }
                r->doses[j] = v;
                r->n_doses[j] = len;
            }
            break;
        }
        default: break;
        }
    }
}

static void read_optimize(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    rg_optimize *o = &p->optimize;
    config_setting_t *g = get_group(root, "optimize");
    static const char *const enc[] = {"schedule", "adaptive_rule", "benchmark"};
    const char *es = get_str(g, "encoding");
    int ek = parse_enum(es, enc, 3, -1);
    if (ek >= 0)
        o->encoding = (rg_encoding_kind)ek;
    else if (L->bench)
        o->encoding = RG_ENC_BENCHMARK;
    if (ek >= 0 && L->bench && o->encoding != RG_ENC_BENCHMARK)
        err_key(L, g, "encoding", "a benchmark problem needs encoding \"benchmark\", found \"%s\"",
                es);
    if (ek >= 0 && !L->bench && o->encoding == RG_ENC_BENCHMARK)
        err_key(L, g, "encoding",
                "\"benchmark\" needs a benchmark problem (top-level 'problem = \"zdt1\"' etc.)");

    if (!L->bench) {
        config_setting_t *ds = get_seq(g, "drugs");
        o->n_drugs = 0;
        if (!ds) {
            for (size_t d = 0; d < p->n_drugs; d++)
                o->drugs[o->n_drugs++] = (int)d;
        }
        read_drug_list(L, ds, o->drugs, &o->n_drugs);
        if (ds && config_setting_length(ds) == 0)
            err(L, ds, "at least one drug is required");

        config_setting_t *lv = get_seq(g, "dose_levels");
        if (lv) {
            size_t n = count_of(lv, RG_MAX_LEVELS);
            if (config_setting_length(lv) < 2)
                err(L, lv, "at least two levels are required, found %d",
                    config_setting_length(lv));
            o->n_levels = n;
            for (size_t j = 0; j < n; j++) {
                config_setting_t *x = config_setting_get_elem(lv, (unsigned)j);
                o->dose_levels[j] = is_number(x) ? num_value(x) : 0.0;
                if (j > 0 && is_number(x) && !(o->dose_levels[j] > o->dose_levels[j - 1]))
                    err(L, x, "%.17g does not exceed the previous level %.17g (levels must "
                              "increase strictly)",
                        o->dose_levels[j], o->dose_levels[j - 1]);
            }
        }

        config_setting_t *ob = get_seq(g, "objectives");
        if (ob) {
            size_t n = count_of(ob, RG_MAX_OBJ);
            if (config_setting_length(ob) == 0)
                err(L, ob, "at least one objective is required");
            o->n_objectives = 0;
            for (size_t j = 0; j < n; j++) {
                const char *on = elem_str(ob, (int)j);
                if (!on)
                    continue;
                config_setting_t *at = config_setting_get_elem(ob, (unsigned)j);
                int k = -1;
                for (int q = 0; q < RG_OBJ_NKINDS; q++)
                    if (!strcmp(on, rg_objective_name(q)))
                        k = q;
                if (k < 0) {
                    err(L, at,
                        "unknown objective '%s' (objectives: ttp, resistant_burden, "
                        "emergence_hazard, resistance_probability, final_burden, "
                        "dose_intensity, time_to_emergence, neutrophil_nadir)",
                        on);
                    continue;
                }
                bool dup = false;
                for (size_t q = 0; q < o->n_objectives; q++)
                    dup |= o->objectives[q] == k;
                if (dup) {
                    err(L, at, "objective '%s' is listed twice", on);
                    continue;
                }
                if (k == RG_OBJ_NEUTROPHIL_NADIR && !p->neutrophils)
                    err(L, at, "neutrophil_nadir needs the neutrophils group");
                o->objectives[o->n_objectives++] = k;
            }
        }
    }

    long long v;
    if (get_int(g, "population", &v) && v >= 4 && v <= 1000000)
        o->population = (size_t)(v + (v & 1));
    if (get_int(g, "generations", &v) && v >= 1)
        o->generations = (size_t)v;
    if (get_int(g, "seed", &v) && v >= 0)
        o->seed = (unsigned long)v;
    get_real(g, "crossover_probability", &o->crossover_probability);
    get_real(g, "mutation_probability", &o->mutation_probability);
    get_real(g, "sbx_eta", &o->sbx_eta);
    get_real(g, "pm_eta", &o->pm_eta);
    if (get_int(g, "chunk", &v) && v >= 0)
        o->chunk = (size_t)v;
}

/* The reference point is read once the number of objectives is known. */
static void read_reference_point(loader *L, config_setting_t *root)
{
    rg_optimize *o = &L->p->optimize;
    config_setting_t *rp = get_seq(get_group(root, "optimize"), "reference_point");
    if (!rp)
        return;
    size_t n = (size_t)config_setting_length(rp);
    if (n != o->n_objectives) {
        err(L, rp, "%zu values for %zu objectives (one per objective, in order)", n,
            o->n_objectives);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        config_setting_t *x = config_setting_get_elem(rp, (unsigned)j);
        o->reference_point[j] = is_number(x) ? num_value(x) : 0.0;
    }
    o->has_reference_point = true;
}

static void read_benchmark(loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    static const char *const names[] = {"zdt1", "zdt2", "zdt3", "zdt4", "zdt6", "dtlz1", "dtlz2"};
    static const rg_benchmark kinds[] = {RG_BENCH_ZDT1, RG_BENCH_ZDT2,  RG_BENCH_ZDT3, RG_BENCH_ZDT4,
                                         RG_BENCH_ZDT6, RG_BENCH_DTLZ1, RG_BENCH_DTLZ2};
    int k = parse_enum(get_str(root, "problem"), names, 7, -1);
    if (k < 0)
        return; /* pass 1 reported it */
    p->bench.kind = kinds[k];
    bool dtlz = p->bench.kind == RG_BENCH_DTLZ1 || p->bench.kind == RG_BENCH_DTLZ2;
    long long m = dtlz ? 3 : 2, n;
    bool has_m = get_int(root, "objectives", &m);
    if (!dtlz && has_m && m != 2) {
        err_key(L, root, "objectives", "%s has exactly 2 objectives, found %lld", names[k], m);
        m = 2;
    }
    if (m < 2 || m > RG_MAX_OBJ)
        return; /* pass 1 reported it */
    switch (p->bench.kind) {
    case RG_BENCH_ZDT4:
    case RG_BENCH_ZDT6: n = 10; break;
    case RG_BENCH_DTLZ1: n = m + 4; break;
    case RG_BENCH_DTLZ2: n = m + 9; break;
    default: n = 30; break;
    }
    if (get_int(root, "variables", &n)) {
        long long min = dtlz ? m : 2;
        if (n < min)
            err_key(L, root, "variables", "%s with %lld objectives needs at least %lld variables, "
                                          "found %lld",
                    names[k], m, min, n);
        if (n > RG_MAX_BENCH_VARS)
            return;
    }
    p->bench.n_vars = (size_t)n;
    p->bench.n_obj = (size_t)m;
    p->optimize.n_objectives = (size_t)m;
    for (long long j = 0; j < m; j++)
        p->optimize.objectives[j] = RG_OBJ_BENCH_F1 + (int)j;
    p->optimize.n_drugs = 0;
    p->optimize.n_levels = 0;
}

/* ---------------------------------------------------------------- 32-bit integers */

/* libconfig 1.5 reads an integer literal without the L suffix into an int, silently
 * keeping the low 32 bits (5000000000 becomes 705032704). A scan of the text finds such
 * literals so that they are refused instead of read wrong. */
typedef struct {
    int line;
    long long wrapped; /* the value libconfig stores */
    double value;      /* the value of the literal */
    char lit[48];
} big_int;

static size_t scan_big_ints(const char *t, big_int *out, size_t max, int *include_line)
{
    size_t n = 0;
    *include_line = 0;
    int line = 1;
    const char *c = t;
    while (*c) {
        if (*c == '\n') {
            line++;
            c++;
        } else if (*c == '#' || (c[0] == '/' && c[1] == '/')) {
            while (*c && *c != '\n')
                c++;
        } else if (c[0] == '/' && c[1] == '*') {
            c += 2;
            while (*c && !(c[0] == '*' && c[1] == '/')) {
                line += *c == '\n';
                c++;
            }
            if (*c)
                c += 2;
        } else if (*c == '"') {
            c++;
            while (*c && *c != '"') {
                if (*c == '\\' && c[1])
                    c++;
                line += *c == '\n';
                c++;
            }
            if (*c)
                c++;
        } else if (isalpha((unsigned char)*c) || *c == '*' || *c == '@') {
            if (*c == '@' && !*include_line)
                *include_line = line;
            c++;
            while (isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '*')
                c++;
        } else if (isdigit((unsigned char)*c) ||
                   ((*c == '-' || *c == '+' || *c == '.') && (isdigit((unsigned char)c[1]) ||
                                                              (c[1] == '.' && isdigit((unsigned char)c[2]))))) {
            const char *start = c;
            bool hex = false, real = false, suffix = false;
            if (*c == '-' || *c == '+')
                c++;
            if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X')) {
                hex = true;
                c += 2;
                while (isxdigit((unsigned char)*c))
                    c++;
            } else {
                while (isdigit((unsigned char)*c) || *c == '.' || *c == 'e' || *c == 'E' ||
                       ((*c == '-' || *c == '+') && (c[-1] == 'e' || c[-1] == 'E'))) {
                    real |= *c == '.' || *c == 'e' || *c == 'E';
                    c++;
                }
            }
            while (*c == 'L') {
                suffix = true;
                c++;
            }
            if (real || suffix)
                continue;
            errno = 0;
            long long v;
            double val;
            bool big;
            if (hex) {
                unsigned long long u = strtoull(start + (*start == '-' || *start == '+') + 2, NULL, 16);
                big = errno == ERANGE || u > 0x7fffffffULL;
                v = (long long)(int)(unsigned)(u & 0xffffffffULL);
                val = *start == '-' ? -(double)u : (double)u;
            } else {
                long long w = strtoll(start, NULL, 10);
                big = errno == ERANGE || w > 2147483647LL || w < -2147483648LL;
                v = (long long)(int)(unsigned)((unsigned long long)w & 0xffffffffULL);
                val = strtod(start, NULL);
            }
            if (big && n < max) {
                out[n].line = line;
                out[n].wrapped = v;
                out[n].value = val;
                size_t len = (size_t)(c - start);
                snprintf(out[n].lit, sizeof out[n].lit, "%.*s", (int)(len < 40 ? len : 40), start);
                n++;
            }
        } else {
            c++;
        }
    }
    return n;
}

static config_setting_t *find_int_setting(loader *L, config_setting_t *s, int line,
                                          long long value)
{
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT) {
        if ((int)config_setting_source_line(s) == line && config_setting_get_int64(s) == value &&
            !is_big(L, s))
            return s;
        return NULL;
    }
    if (t != CONFIG_TYPE_GROUP && t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
        return NULL;
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *r = find_int_setting(L, config_setting_get_elem(s, (unsigned)i), line, value);
        if (r)
            return r;
    }
    return NULL;
}

static void report_big_ints(loader *L, config_setting_t *root, const char *text)
{
    big_int b[MAX_BIG_INTS];
    int include_line;
    size_t n = scan_big_ints(text, b, MAX_BIG_INTS, &include_line);
    for (size_t i = 0; i < n; i++) {
        config_setting_t *s = find_int_setting(L, root, b[i].line, b[i].wrapped);
        if (s) {
            /* model.md 0: real-valued keys accept integer literals, so the setting is read
             * with the literal's value; the key's type and range checks then apply */
            L->big[L->n_big] = s;
            L->big_val[L->n_big] = b[i].value;
            config_setting_set_hook(s, &L->big_val[L->n_big]);
            L->n_big++;
            continue;
        }
        const char *what = "does not fit libconfig's 32-bit integers (it would be read as "
                           "%lld): write it as a real (%s.0) or, for an integer key, with an "
                           "L suffix (%sL)";
        char path[PATH_MAX_LEN] = "", msg[RG_DIAG_MSG];
        snprintf(msg, sizeof msg, what, b[i].wrapped, b[i].lit, b[i].lit);
        if (*path)
            rg_diag_add(L->diag, "%s:%d: %s: integer %s %s", L->file, b[i].line, path, b[i].lit,
                        msg);
        else
            rg_diag_add(L->diag, "%s:%d: integer %s %s", L->file, b[i].line, b[i].lit, msg);
        L->errors++;
    }
}

/* ---------------------------------------------------------------- entry points */

/* Line number of a stored message "FILE:LINE: ..." (0 when there is none). */
static long msg_line(const char *msg, size_t name_len)
{
    if (strlen(msg) <= name_len || msg[name_len] != ':')
        return 0;
    return strtol(msg + name_len + 1, NULL, 10);
}

/* Orders the messages stored from index `from` by line (stable), so that a user reads the
 * file top to bottom. */
static void sort_messages(rg_diag *d, size_t from, const char *name)
{
    size_t nl = strlen(name);
    char tmp[RG_DIAG_MSG];
    for (size_t i = from + 1; i < d->count; i++) {
        long li = msg_line(d->msg[i], nl);
        size_t j = i;
        while (j > from && msg_line(d->msg[j - 1], nl) > li)
            j--;
        if (j == i)
            continue;
        memcpy(tmp, d->msg[i], RG_DIAG_MSG);
        memmove(d->msg[j + 1], d->msg[j], (i - j) * RG_DIAG_MSG);
        memcpy(d->msg[j], tmp, RG_DIAG_MSG);
    }
}

static int load_text(const char *text, size_t len, const char *name, rg_problem **out,
                     rg_diag *diag)
{
    *out = NULL;
    loader L = {.file = name, .diag = diag, .errors = 0, .p = NULL, .bench = false};
    size_t first_msg = diag->count;
    if (strlen(text) != len) {
        rg_diag_add(diag, "%s:1: the file contains a NUL byte (not a text file)", name);
        return RG_EINVAL;
    }
    /* A problem file is self-contained: its text is stored in results and sent to the
     * workers, so libconfig's @include (which reads other files) is refused. */
    {
        big_int unused[1];
        int include_line;
        scan_big_ints(text, unused, 0, &include_line);
        if (include_line) {
            rg_diag_add(diag, "%s:%d: @include is not supported: a problem file must be "
                              "self-contained (its text is stored with the results)",
                        name, include_line);
            return RG_EINVAL;
        }
    }
    config_t cfg;
    config_init(&cfg);
    config_set_options(&cfg, CONFIG_OPTION_AUTOCONVERT);
    if (config_read_string(&cfg, text) != CONFIG_TRUE) {
        const char *et = config_error_text(&cfg);
        const char *hint = "";
        if (et && strstr(et, "mismatched element type"))
            hint = " (every element of an array must have the same type: write 0.0, not 0, "
                   "among reals)";
        else if (et && strstr(et, "duplicate setting"))
            hint = " (a key is set twice in the same group)";
        rg_diag_add(diag, "%s:%d: %s%s", name, config_error_line(&cfg), et ? et : "syntax error",
                    hint);
        config_destroy(&cfg);
        return RG_EINVAL;
    }
    rg_problem *p = rg_problem_alloc();
    if (!p) {
        config_destroy(&cfg);
        return RG_ENOMEM;
    }
    L.p = p;
    config_setting_t *root = config_root_setting(&cfg);
    L.bench = config_setting_get_member(root, "problem") != NULL;

    report_big_ints(&L, root, text);
    walk_group(&L, root, "");

    const char *title = get_str(root, "name");
    if (title)
        snprintf(p->name, sizeof p->name, "%s", title);
    long long sb;
    if (get_int(root, "step_budget", &sb) && sb >= 1)
        p->step_budget = (size_t)sb;

    if (L.bench) {
        read_benchmark(&L, root);
        read_optimize(&L, root);
        read_reference_point(&L, root);
    } else {
        get_real(root, "carrying_capacity", &p->carrying_capacity);
        static const char *const gr[] = {"logistic", "gompertz"};
        p->growth = (rg_growth)parse_enum(get_str(root, "growth"), gr, 2, 0);
        get_real(root, "extinction_cells", &p->extinction_cells);
        bool has_em = get_real(root, "emergence_cells", &p->emergence_cells);
        read_drugs(&L, root);
        read_mechanisms(&L, root);
        read_clones(&L, root);
        read_mutations(&L, root);
        read_interactions(&L, root);
        read_tme(&L, root);
        read_neutrophils_constraints(&L, root);
        read_grid(&L, root);
        read_regimens(&L, root);
        read_optimize(&L, root);
        read_reference_point(&L, root);
        double b0 = rg_problem_initial_burden(p);
        config_setting_t *cl = get_seq(root, "clones");
        if (cl && p->n_clones > 0 && b0 == 0.0)
            err(&L, cl, "the initial burden B(0) = sum of cells is 0 (at least one clone needs "
                        "cells > 0)");
        if (!has_em)
            p->emergence_cells = 0.1 * b0;
    }

    config_destroy(&cfg);
    sort_messages(diag, first_msg, name);
    if (L.errors > 0) {
        rg_problem_free(p);
        return RG_EINVAL;
    }
    p->path = strdup(name);
    p->text = malloc(len + 1);
    if (!p->path || !p->text) {
        rg_problem_free(p);
        return RG_ENOMEM;
    }
    memcpy(p->text, text, len + 1);
    *out = p;
    return RG_OK;
}

/* Callers that do not want the messages may pass diag = NULL. */
static int load_text_diag(const char *text, size_t len, const char *name, rg_problem **out,
                          rg_diag *diag)
{
    if (diag)
        return load_text(text, len, name, out, diag);
    rg_diag *tmp = malloc(sizeof *tmp);
    if (!tmp) {
        *out = NULL;
        return RG_ENOMEM;
    }
    rg_diag_init(tmp);
    int st = load_text(text, len, name, out, tmp);
    free(tmp);
    return st;
}

int rg_problem_load_string(const char *text, const char *name, rg_problem **out, rg_diag *diag)
{
    if (!name)
        name = "(string)";
    if (!text) {
        *out = NULL;
        if (diag)
            rg_diag_add(diag, "%s: no text", name);
        return RG_EINVAL;
    }
    return load_text_diag(text, strlen(text), name, out, diag);
}

int rg_problem_load(const char *path, rg_problem **out, rg_diag *diag)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (diag)
            rg_diag_add(diag, "%s: cannot open: %s", path, strerror(errno));
        return RG_EIO;
    }
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    int status = RG_OK;
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf)
        status = RG_ENOMEM;
    else if (ferror(f)) {
        if (diag)
            rg_diag_add(diag, "%s: cannot read: %s", path, strerror(errno));
        status = RG_EIO;
    }
    fclose(f);
    if (status != RG_OK) {
        free(buf);
        return status;
    }
    buf[len] = '\0';
    status = load_text_diag(buf, len, path, out, diag);
    free(buf);
    return status;
}
