/* The problem loader's pass 1: every setting of the file against the key table of keys.c
 * (unknown keys, types, non-finite numbers, ranges, allowed strings, names, size limits,
 * required keys). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "load_internal.h"

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
    case RG_KT_STRINGS: return "an array of strings [\"...\", ...]";
    case RG_KT_REALS: return "an array of numbers [ ... ]";
    case RG_KT_REALS_LIST: return "a list of arrays of numbers ( [ ... ], ... )";
    }
    return "?";
}

static bool in_range(const rg_key *k, double v)
{
    if (!isnan(k->lo) && (k->lo_open ? !(v > k->lo) : !(v >= k->lo)))
        return false;
    if (!isnan(k->hi) && (k->hi_open ? !(v < k->hi) : !(v <= k->hi)))
        return false;
    return true;
}

static void check_number(rg_loader *L, config_setting_t *s, const rg_key *k, bool integer)
{
    if (!rg_load_is_number(s)) {
        rg_load_err(L, s, "expected %s, found %s", integer ? "an integer" : "a real number",
                    cfg_type_name(config_setting_type(s)));
        return;
    }
    double v = rg_load_num_value(s);
    if (!isfinite(v)) {
        rg_load_err(L, s, "the number is not finite (expected %s)",
                    integer ? "an integer" : "a real number");
        return;
    }
    if (integer && config_setting_type(s) == CONFIG_TYPE_FLOAT && v != floor(v)) {
        rg_load_err(L, s, "expected an integer, found %.17g", v);
        return;
    }
    if (!in_range(k, v)) {
        char r[96];
        rg_key_range_text(k, r, sizeof r);
        rg_load_err(L, s, "%.17g is out of range (expected %s%s%s)", v, r, *k->unit ? ", " : "",
                    k->unit);
    }
}

static void check_name_string(rg_loader *L, config_setting_t *s)
{
    const char *v = config_setting_get_string(s);
    if (strlen(v) >= RG_NAME_MAX)
        rg_load_err(L, s, "name \"%.40s...\" is longer than %d characters", v, RG_NAME_MAX - 1);
    else if (!rg_load_valid_name(v))
        rg_load_err(
            L, s,
            "\"%s\" is not a valid name (expected a letter, then letters, digits, '_' or "
            "'-')",
            v);
}

static void check_count(rg_loader *L, config_setting_t *s, const rg_key *k)
{
    int n = config_setting_length(s);
    if (k->max_count && (size_t)n > k->max_count)
        rg_load_err(L, s, "%d entries exceed the limit of %zu", n, k->max_count);
}

/* An enum string v against the alternatives "a|b|c" of k->values. */
static void check_enum(rg_loader *L, config_setting_t *s, const rg_key *k)
{
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
        rg_load_err(L, s, "\"%s\" is not one of \"%s\"", v, alts);
    }
}

static void check_string(rg_loader *L, config_setting_t *s, const rg_key *k, int t)
{
    if (t != CONFIG_TYPE_STRING) {
        rg_load_err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
        return;
    }
    if (k->type == RG_KT_STRING) {
        if (k->max_count && strlen(config_setting_get_string(s)) > k->max_count)
            rg_load_err(L, s, "longer than %zu characters", k->max_count);
    } else if (k->type == RG_KT_NAME) {
        check_name_string(L, s);
    } else {
        check_enum(L, s, k);
    }
}

/* A list of groups, each walked with the pattern "<k->path>.[]". */
static void check_list(rg_loader *L, config_setting_t *s, const rg_key *k, int t)
{
    if (!(t == CONFIG_TYPE_LIST || (t == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0))) {
        rg_load_err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
        return;
    }
    check_count(L, s, k);
    char ep[RG_LOAD_PATH_MAX];
    snprintf(ep, sizeof ep, "%s.[]", k->path);
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            rg_load_err(L, e, "expected a group { ... }, found %s",
                        cfg_type_name(config_setting_type(e)));
        else
            rg_load_walk_group(L, e, ep);
    }
}

/* An array of names or of numbers. */
static void check_array(rg_loader *L, config_setting_t *s, const rg_key *k, int t)
{
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
        rg_load_err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
        return;
    }
    check_count(L, s, k);
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (k->type == RG_KT_NAMES || k->type == RG_KT_STRINGS) {
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                rg_load_err(L, e, "expected a string \"...\", found %s",
                            cfg_type_name(config_setting_type(e)));
            else if (k->type == RG_KT_NAMES)
                check_name_string(L, e);
        } else {
            check_number(L, e, k, false);
        }
    }
}

static void check_reals_list(rg_loader *L, config_setting_t *s, const rg_key *k, int t)
{
    if (t != CONFIG_TYPE_LIST) {
        rg_load_err(L, s, "expected %s, found %s", expected_text(k->type), cfg_type_name(t));
        return;
    }
    check_count(L, s, k);
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *a = config_setting_get_elem(s, (unsigned)i);
        if (config_setting_type(a) != CONFIG_TYPE_ARRAY) {
            rg_load_err(L, a, "expected an array of numbers [ ... ], found %s",
                        cfg_type_name(config_setting_type(a)));
            continue;
        }
        for (int j = 0; j < config_setting_length(a); j++)
            check_number(L, config_setting_get_elem(a, (unsigned)j), k, false);
    }
}

static void check_setting(rg_loader *L, config_setting_t *s, const rg_key *k)
{
    int t = config_setting_type(s);
    switch (k->type) {
    case RG_KT_REAL: check_number(L, s, k, false); return;
    case RG_KT_INT: check_number(L, s, k, true); return;
    case RG_KT_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            rg_load_err(L, s, "expected true or false, found %s", cfg_type_name(t));
        return;
    case RG_KT_STRING:
    case RG_KT_NAME:
    case RG_KT_ENUM: check_string(L, s, k, t); return;
    case RG_KT_GROUP:
    case RG_KT_MAP:
        if (t != CONFIG_TYPE_GROUP) {
            rg_load_err(L, s, "expected %s, found %s", expected_text(k->type),
                        cfg_type_name(t));
            return;
        }
        if (k->type == RG_KT_MAP)
            check_count(L, s, k);
        rg_load_walk_group(L, s, k->path);
        return;
    case RG_KT_LIST: check_list(L, s, k, t); return;
    case RG_KT_NAMES:
    case RG_KT_STRINGS:
    case RG_KT_REALS: check_array(L, s, k, t); return;
    case RG_KT_REALS_LIST: check_reals_list(L, s, k, t); return;
    }
}

/* An unknown key c of the group with pattern gpattern, with the nearest sibling key. */
static void report_unknown(rg_loader *L, config_setting_t *c, const char *gpattern,
                           unsigned mode)
{
    const char *best = rg_load_suggest(gpattern, config_setting_name(c), mode);
    if (best)
        rg_load_err(L, c, "unknown key (did you mean '%s'?)", best);
    else if (*gpattern)
        rg_load_err(L, c, "unknown key in %s", gpattern);
    else
        rg_load_err(L, c, "unknown key");
}

void rg_load_walk_group(rg_loader *L, config_setting_t *g, const char *gpattern)
{
    const rg_key *gk = *gpattern ? rg_key_find(gpattern) : NULL;
    unsigned mode = L->bench ? RG_KS_BENCHMARK : RG_KS_TUMOUR;
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        config_setting_t *c = config_setting_get_elem(g, (unsigned)i);
        /* a cohort patient's load has had its cohort group checked with the nominal file */
        if (L->patient && !*gpattern && !strcmp(config_setting_name(c), "cohort"))
            continue;
        char pat[RG_LOAD_PATH_MAX];
        rg_load_pattern_path(c, pat, sizeof pat);
        const rg_key *k = rg_key_find(pat);
        if (!k) {
            report_unknown(L, c, gpattern, mode);
            continue;
        }
        if (!(k->scope & mode)) {
            if (L->bench)
                rg_load_err(L, c,
                            "not allowed in a benchmark problem (the file sets 'problem')");
            else
                rg_load_err(L, c,
                            "only allowed in benchmark problems (files that set 'problem')");
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
        if (!all[j].required || !(all[j].scope & mode) || !rg_load_child_of(&all[j], gpattern))
            continue;
        const char *key = rg_load_last_component(all[j].path);
        if (!config_setting_get_member(g, key))
            rg_load_err_key(L, g, key, "missing required key (%s%s%s)",
                            expected_text(all[j].type), *all[j].unit ? ", " : "", all[j].unit);
    }
}
