/* The problem loader's pass 2, the host: tumour micro-environment (hypoxia, stroma),
 * neutrophils, constraints and the progression rule. */
#include "load_internal.h"

void rg_load_tme(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *tme = rg_load_get_group(root, "tme");
    config_setting_t *h = rg_load_get_group(tme, "hypoxia");
    rg_load_get_real(h, "max_fraction", &p->hypoxia_max_fraction);
    bool has_half = rg_load_get_real(h, "half_burden", &p->hypoxia_half_burden);
    rg_load_get_real(h, "quiescence", &p->hypoxia_quiescence);
    if (h && p->hypoxia_max_fraction > 0.0 && !has_half &&
        !config_setting_get_member(h, "half_burden"))
        rg_load_err_key(
            L, h, "half_burden",
            "missing: required when max_fraction > 0 (burden at half the maximal hypoxic "
            "fraction, cells)");
    config_setting_t *s = rg_load_get_group(tme, "stroma");
    rg_load_get_real(s, "protection", &p->stroma_protection);
    p->n_stroma_inhibitors =
        rg_load_inhibitors(L, rg_load_get_seq(s, "inhibitors"), p->stroma_inhibitors);
    static const char *const comb[] = {"any", "all"};
    p->stroma_combine =
        (rg_combine)rg_load_parse_enum(rg_load_get_str(s, "inhibitors_combine"), comb, 2, 0);
}

void rg_load_neutrophils_constraints(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *n = rg_load_get_group(root, "neutrophils");
    p->neutrophils = n != NULL;
    rg_load_get_real(n, "mtt_days", &p->mtt_days);
    rg_load_get_real(n, "circ0", &p->circ0);
    rg_load_get_real(n, "gamma", &p->gamma);

    config_setting_t *c = rg_load_get_group(root, "constraints");
    rg_load_get_real(c, "max_daily_toxicity", &p->max_daily_toxicity);
    if (rg_load_get_real(c, "anc_min", &p->anc_min) && !p->neutrophils)
        rg_load_err_key(L, c, "anc_min",
                        "needs the neutrophils group (the ANC is not modelled)");
    config_setting_t *mc = rg_load_get_group(c, "max_cumulative_dose");
    for (int j = 0; mc && j < config_setting_length(mc); j++) {
        config_setting_t *m = config_setting_get_elem(mc, (unsigned)j);
        int d = rg_load_find_drug(L, m, config_setting_name(m));
        if (d < 0 || !rg_load_is_number(m))
            continue;
        if (p->drugs[d].max_cumulative_dose >= 0.0) {
            rg_load_err(L, m, "the limit of drug '%s' is also set on the drug (keep one)",
                        p->drugs[d].name);
            continue;
        }
        p->drugs[d].max_cumulative_dose = rg_load_num_value(m);
    }

    config_setting_t *pr = rg_load_get_group(root, "progression");
    static const char *const refs[] = {"initial", "nadir"};
    p->progression_reference =
        (rg_progress_ref)rg_load_parse_enum(rg_load_get_str(pr, "reference"), refs, 2, 0);
    rg_load_get_real(pr, "factor", &p->progression_factor);
    if (!rg_load_get_real(pr, "min_cells", &p->progression_min_cells))
        p->progression_min_cells = p->extinction_cells;
}
