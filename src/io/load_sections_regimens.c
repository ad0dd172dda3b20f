/* The problem loader's pass 2, schedules: the time grid (horizon, decisions, visits, bolus
 * intervals) and the regimens with their per-policy keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"

void rg_load_grid(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    bool h = rg_load_get_real(root, "horizon_days", &p->horizon_days);
    bool d = rg_load_get_real(root, "decision_days", &p->decision_days);
    bool v = true;
    if (config_setting_get_member(root, "visit_days"))
        v = rg_load_get_real(root, "visit_days", &p->visit_days);
    if (h && d && p->horizon_days > 0 && p->decision_days > 0 &&
        !rg_load_whole_multiple(p->horizon_days, p->decision_days))
        rg_load_err_key(L, root, "horizon_days",
                        "%.17g days is not a positive whole multiple of decision_days = %.17g",
                        p->horizon_days, p->decision_days);
    if (h && v && p->horizon_days > 0 && p->visit_days > 0 &&
        !(p->horizon_days / p->visit_days <= (double)(RG_MAX_VISITS - 1)))
        rg_load_err_key(L, root, "horizon_days",
                        "%.17g days gives %.3g visits of %.17g days; at most %d (docs/model.md "
                        "section 0)",
                        p->horizon_days, p->horizon_days / p->visit_days + 1.0, p->visit_days,
                        RG_MAX_VISITS);
    if (d && v && p->decision_days > 0 && p->visit_days > 0 &&
        !rg_load_whole_multiple(p->decision_days, p->visit_days))
        rg_load_err_key(L, root, "decision_days",
                        "%.17g days is not a whole multiple of visit_days = %.17g",
                        p->decision_days, p->visit_days);
    if (!d || !(p->decision_days > 0))
        return;
    for (size_t i = 0; i < p->n_drugs; i++) {
        rg_drug *dr = &p->drugs[i];
        if (dr->administration == RG_ADMIN_BOLUS && dr->dosing_interval_days > 0 &&
            !rg_load_whole_multiple(dr->dosing_interval_days, p->decision_days)) {
            config_setting_t *e =
                config_setting_get_elem(rg_load_get_seq(root, "drugs"), (unsigned)i);
            rg_load_err_key(
                L, e, "dosing_interval_days",
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
    case RG_POLICY_FIXED: return "doses dosing_interval_days";
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

/* Keys of other policies in regimen e, then the keys its policy (named ps) requires. */
static void check_policy_keys(rg_loader *L, config_setting_t *e, const rg_regimen *r,
                              const char *ps)
{
    for (int j = 0; j < config_setting_length(e); j++) {
        config_setting_t *m = config_setting_get_elem(e, (unsigned)j);
        const char *kn = config_setting_name(m);
        if (!strcmp(kn, "name") || !strcmp(kn, "policy") || !strcmp(kn, "drugs"))
            continue;
        char pat[RG_LOAD_PATH_MAX];
        snprintf(pat, sizeof pat, "regimens.[].%s", kn);
        if (!rg_key_find(pat))
            continue; /* unknown: pass 1 */
        if (!word_in(kn, policy_keys(r->policy)))
            rg_load_err(L, m, "not a key of policy \"%s\" (which takes: %s)", ps,
                        policy_keys(r->policy));
    }
    const char *req = r->policy == RG_POLICY_METRONOMIC        ? "level"
                      : r->policy == RG_POLICY_ADAPTIVE        ? "dose stop_below resume_above"
                      : r->policy == RG_POLICY_DOSE_MODULATION ? "dose rise fall step"
                      : r->policy == RG_POLICY_FIXED           ? "doses"
                                                               : "";
    for (const char *s = req; *s;) {
        size_t l = strcspn(s, " ");
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)l, s);
        if (!config_setting_get_member(e, key))
            rg_load_err_key(L, e, key, "missing: required by policy \"%s\"", ps);
        s += l;
        while (*s == ' ')
            s++;
    }
}

static void read_mtd(rg_loader *L, config_setting_t *e, rg_regimen *r)
{
    const rg_problem *p = L->p;
    bool hc = rg_load_get_real(e, "cycle_days", &r->cycle_days);
    bool ho = rg_load_get_real(e, "on_days", &r->on_days);
    bool mc = config_setting_get_member(e, "cycle_days") != NULL;
    bool mo = config_setting_get_member(e, "on_days") != NULL;
    if (mc != mo) {
        rg_load_err_key(L, e, mc ? "on_days" : "cycle_days",
                        "cycle_days and on_days go together (set both or neither)");
        return;
    }
    if (!hc || !ho)
        return;
    if (p->decision_days > 0 && r->cycle_days > 0 &&
        !rg_load_whole_multiple(r->cycle_days, p->decision_days))
        rg_load_err_key(L, e, "cycle_days",
                        "%.17g days is off the grid: not a whole multiple of decision_days = "
                        "%.17g",
                        r->cycle_days, p->decision_days);
    if (p->decision_days > 0 && r->on_days > 0 &&
        !rg_load_whole_multiple(r->on_days, p->decision_days))
        rg_load_err_key(L, e, "on_days",
                        "%.17g days is off the grid: not a whole multiple of decision_days = "
                        "%.17g",
                        r->on_days, p->decision_days);
    if (r->on_days > r->cycle_days)
        rg_load_err_key(L, e, "on_days", "%.17g days is longer than cycle_days = %.17g",
                        r->on_days, r->cycle_days);
}

/* One dose array per drug of the regimen (ds, its drugs list); each array is copied to the
 * heap (rg_problem_free releases it). */
static void read_fixed(rg_loader *L, config_setting_t *e, rg_regimen *r, config_setting_t *ds)
{
    config_setting_t *dl = rg_load_get_seq(e, "doses");
    if (!dl || config_setting_type(dl) != CONFIG_TYPE_LIST)
        return;
    size_t nd = (size_t)config_setting_length(dl);
    size_t ndr = ds ? (size_t)config_setting_length(ds) : 0;
    if (nd != ndr) {
        rg_load_err(L, dl,
                    "%zu dose arrays for %zu drugs (one array per drug, in the order of "
                    "drugs)",
                    nd, ndr);
        return;
    }
    for (size_t j = 0; j < nd && j < r->n_drugs; j++) {
        config_setting_t *a = config_setting_get_elem(dl, (unsigned)j);
        if (config_setting_type(a) != CONFIG_TYPE_ARRAY)
            continue;
        size_t len = (size_t)config_setting_length(a);
        if (len == 0) {
            rg_load_err(L, a, "an empty dose array (give at least one level)");
            continue;
        }
        double *v = malloc(len * sizeof *v);
        if (!v) {
            rg_load_err(L, a, "out of memory");
            continue;
        }
        for (size_t q = 0; q < len; q++) {
            config_setting_t *x = config_setting_get_elem(a, (unsigned)q);
            v[q] = rg_load_is_number(x) ? rg_load_num_value(x) : 0.0;
        }
        r->doses[j] = v;
        r->n_doses[j] = len;
    }
}

/* A fixed regimen's own bolus interval (docs/model.md section 2): on the decision grid, at
 * most the interval of every bolus drug it names, and for at least one bolus drug. */
static void read_fixed_interval(rg_loader *L, config_setting_t *e, rg_regimen *r)
{
    if (!config_setting_get_member(e, "dosing_interval_days") ||
        !rg_load_get_real(e, "dosing_interval_days", &r->dosing_interval_days))
        return;
    const rg_problem *p = L->p;
    const double iv = r->dosing_interval_days;
    if (p->decision_days > 0 && iv > 0 && !rg_load_whole_multiple(iv, p->decision_days))
        rg_load_err_key(L, e, "dosing_interval_days",
                        "%.17g days is off the grid: not a whole multiple of decision_days = "
                        "%.17g",
                        iv, p->decision_days);
    bool bolus = false;
    for (size_t j = 0; j < r->n_drugs; j++) {
        const rg_drug *d = &p->drugs[r->drugs[j]];
        if (d->administration != RG_ADMIN_BOLUS)
            continue;
        bolus = true;
        if (iv > d->dosing_interval_days)
            rg_load_err_key(L, e, "dosing_interval_days",
                            "%.17g days is longer than the dosing_interval_days of %s (%.17g): "
                            "write the longer calendar in doses instead",
                            iv, d->name, d->dosing_interval_days);
    }
    if (!bolus)
        rg_load_err_key(L, e, "dosing_interval_days",
                        "the regimen names no bolus drug for it to apply to");
}

/* Regimen i, list element e. */
static void read_regimen(rg_loader *L, config_setting_t *e, size_t i)
{
    rg_problem *p = L->p;
    rg_regimen *r = &p->regimens[i];
    rg_load_name(L, e, "regimen", r->name, i, sizeof p->regimens[0],
                 (const char *)p->regimens[0].name);
    static const char *const pol[] = {"mtd", "metronomic", "adaptive", "dose_modulation",
                                      "fixed"};
    const char *ps = rg_load_get_str(e, "policy");
    int pk = rg_load_parse_enum(ps, pol, 5, -1);
    r->policy = pk < 0 ? RG_POLICY_MTD : (rg_policy_kind)pk;
    config_setting_t *ds = rg_load_get_seq(e, "drugs");
    r->n_drugs = 0;
    rg_load_drug_list(L, ds, r->drugs, &r->n_drugs);
    if (ds && config_setting_length(ds) == 0)
        rg_load_err(L, ds, "a regimen needs at least one drug");
    if (pk < 0)
        return; /* pass 1 reported the policy */

    check_policy_keys(L, e, r, ps);
    switch (r->policy) {
    case RG_POLICY_MTD: read_mtd(L, e, r); break;
    case RG_POLICY_METRONOMIC: rg_load_get_real(e, "level", &r->level); break;
    case RG_POLICY_ADAPTIVE:
        rg_load_get_real(e, "dose", &r->dose);
        rg_load_get_real(e, "stop_below", &r->stop_below);
        /* resume_above < stop_below is a well-defined rule (docs/model.md section 8), not an error */
        rg_load_get_real(e, "resume_above", &r->resume_above);
        break;
    case RG_POLICY_DOSE_MODULATION:
        rg_load_get_real(e, "dose", &r->dose);
        rg_load_get_real(e, "rise", &r->rise);
        rg_load_get_real(e, "fall", &r->fall);
        rg_load_get_real(e, "step", &r->step);
        rg_load_get_real(e, "min_dose", &r->min_dose);
        rg_load_get_real(e, "skip_below", &r->skip_below);
        break;
    case RG_POLICY_FIXED:
        read_fixed(L, e, r, ds);
        read_fixed_interval(L, e, r);
        break;
    default: break;
    }
}

void rg_load_regimens(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = rg_load_get_seq(root, "regimens");
    p->n_regimens = rg_load_count_of(list, RG_MAX_REGIMENS);
    for (size_t i = 0; i < p->n_regimens; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) == CONFIG_TYPE_GROUP)
            read_regimen(L, e, i);
    }
}
