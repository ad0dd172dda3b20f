/* The problem loader's pass 2 getters: typed values of present, usable settings, and names
 * resolved to indices. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load_internal.h"

/* ---------------------------------------------------------------- typed values */

bool rg_load_is_number(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

double rg_load_num_value(const config_setting_t *s)
{
    /* an integer literal beyond 32 bits: the value of the literal (rg_load_report_big_ints) */
    if (config_setting_get_hook(s))
        return *(const double *)config_setting_get_hook(s);
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
        return config_setting_get_float(s);
    return (double)config_setting_get_int64(s);
}

bool rg_load_valid_name(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return false;
    for (const char *c = s + 1; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
            return false;
    return true;
}

/* Each returns true and stores the value when the member is present with a usable value
 * (pass 1 has reported every other case). */
bool rg_load_get_real(config_setting_t *g, const char *key, double *out)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s || !rg_load_is_number(s))
        return false;
    double v = rg_load_num_value(s);
    if (!isfinite(v))
        return false;
    *out = v;
    return true;
}

bool rg_load_get_int(config_setting_t *g, const char *key, long long *out)
{
    double v;
    if (!rg_load_get_real(g, key, &v) || v != floor(v) || fabs(v) > 9e15)
        return false;
    *out = (long long)v;
    return true;
}

bool rg_load_get_bool(config_setting_t *g, const char *key, bool *out)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s || config_setting_type(s) != CONFIG_TYPE_BOOL)
        return false;
    *out = config_setting_get_bool(s) != 0;
    return true;
}

const char *rg_load_get_str(config_setting_t *g, const char *key)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    if (!s || config_setting_type(s) != CONFIG_TYPE_STRING)
        return NULL;
    return config_setting_get_string(s);
}

config_setting_t *rg_load_get_group(config_setting_t *g, const char *key)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    return s && config_setting_type(s) == CONFIG_TYPE_GROUP ? s : NULL;
}

config_setting_t *rg_load_get_seq(config_setting_t *g, const char *key)
{
    config_setting_t *s = g ? config_setting_get_member(g, key) : NULL;
    return s && rg_load_is_seq(s) ? s : NULL;
}

const char *rg_load_elem_str(config_setting_t *a, int i)
{
    config_setting_t *e = config_setting_get_elem(a, (unsigned)i);
    return e && config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e)
                                                             : NULL;
}

size_t rg_load_count_of(config_setting_t *s, size_t max)
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

int rg_load_parse_enum(const char *v, const char *const *names, int n, int fallback)
{
    if (!v)
        return fallback;
    for (int i = 0; i < n; i++)
        if (!strcmp(v, names[i]))
            return i;
    return fallback;
}

/* ---------------------------------------------------------------- names */

/* Lists the names of one kind for messages: "a, b, c". */
typedef const char *(*name_at_fn)(const rg_problem *p, size_t i);
static const char *drug_name_at(const rg_problem *p, size_t i)
{
    return p->drugs[i].name;
}
static const char *clone_name_at(const rg_problem *p, size_t i)
{
    return p->clones[i].name;
}
static const char *mech_name_at(const rg_problem *p, size_t i)
{
    return p->mechs[i].name;
}

static void name_list(const rg_problem *p, size_t n, name_at_fn at, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 1 < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", at(p, i));
    if (n == 0)
        snprintf(buf, size, "none defined");
}

static int lookup(rg_loader *L, config_setting_t *at, const char *name, const char *kind,
                  size_t n, name_at_fn fn)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fn(L->p, i), name))
            return (int)i;
    char list[200];
    name_list(L->p, n, fn, list, sizeof list);
    rg_load_err(L, at, "unknown %s '%s' (%ss: %s)", kind, name, kind, list);
    return -1;
}

int rg_load_find_drug(rg_loader *L, config_setting_t *at, const char *name)
{
    return lookup(L, at, name, "drug", L->p->n_drugs, drug_name_at);
}

int rg_load_find_clone(rg_loader *L, config_setting_t *at, const char *name)
{
    return lookup(L, at, name, "clone", L->p->n_clones, clone_name_at);
}

int rg_load_find_mech(rg_loader *L, config_setting_t *at, const char *name)
{
    return lookup(L, at, name, "mechanism", L->p->n_mechs, mech_name_at);
}

void rg_load_drug_list(rg_loader *L, config_setting_t *ds, int drugs[], size_t *n)
{
    for (int j = 0; ds && j < config_setting_length(ds) && *n < RG_MAX_DRUGS; j++) {
        const char *dn = rg_load_elem_str(ds, j);
        if (!dn)
            continue;
        config_setting_t *at = config_setting_get_elem(ds, (unsigned)j);
        int d = rg_load_find_drug(L, at, dn);
        if (d < 0)
            continue;
        bool dup = false;
        for (size_t q = 0; q < *n; q++)
            dup |= drugs[q] == d;
        if (dup)
            rg_load_err(L, at, "drug '%s' is listed twice", dn);
        else
            drugs[(*n)++] = d;
    }
}

void rg_load_name(rg_loader *L, config_setting_t *e, const char *kind, char *dst, size_t i,
                  size_t stride, const char *base)
{
    const char *nm = rg_load_get_str(e, "name");
    if (!nm || !rg_load_valid_name(nm) || strlen(nm) >= RG_NAME_MAX) {
        dst[0] = '\0';
        return;
    }
    for (size_t j = 0; j < i; j++) {
        const char *other = base + j * stride;
        if (!strcmp(other, nm)) {
            rg_load_err_key(L, e, "name", "duplicate %s name '%s' (also used by element [%zu])",
                            kind, nm, j);
            break;
        }
    }
    copy_name(dst, nm);
}

bool rg_load_whole_multiple(double a, double b)
{
    if (!(a > 0.0) || !(b > 0.0))
        return false;
    double r = a / b, k = nearbyint(r);
    return k >= 1.0 && fabs(r - k) <= 1e-9 * k;
}

size_t rg_load_inhibitors(rg_loader *L, config_setting_t *list, rg_inhibitor *arr)
{
    size_t n = rg_load_count_of(list, RG_MAX_INHIB), k = 0;
    for (size_t i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        const char *dn = rg_load_get_str(e, "drug");
        int d = dn ? rg_load_find_drug(L, config_setting_get_member(e, "drug"), dn) : -1;
        for (size_t j = 0; j < k && d >= 0; j++)
            if (arr[j].drug == d) {
                rg_load_err_key(L, e, "drug", "drug '%s' is listed twice as an inhibitor", dn);
                d = -1;
            }
        double ic50 = 1.0;
        rg_load_get_real(e, "ic50", &ic50);
        if (d >= 0) {
            arr[k].drug = d;
            arr[k].ic50 = ic50;
            k++;
        }
    }
    return k;
}
