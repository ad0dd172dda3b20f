/* The problem loader's pass 2, the tumour: drugs, resistance mechanisms, clones, mutations
 * between clones and drug interactions. */
#include <string.h>

#include "load_internal.h"

void rg_load_drugs(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = rg_load_get_seq(root, "drugs");
    p->n_drugs = rg_load_count_of(list, RG_MAX_DRUGS);
    for (size_t i = 0; i < p->n_drugs; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_drug *d = &p->drugs[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        rg_load_name(L, e, "drug", d->name, i, sizeof p->drugs[0],
                     (const char *)p->drugs[0].name);
        rg_load_get_real(e, "half_life_days", &d->half_life_days);
        static const char *const admin[] = {"continuous", "bolus"};
        d->administration =
            (rg_admin)rg_load_parse_enum(rg_load_get_str(e, "administration"), admin, 2, 0);
        bool has_interval =
            rg_load_get_real(e, "dosing_interval_days", &d->dosing_interval_days);
        static const char *const eff[] = {"hill", "linear"};
        d->effect = (rg_effect)rg_load_parse_enum(rg_load_get_str(e, "effect"), eff, 2, 0);
        rg_load_get_real(e, "emax", &d->emax);
        rg_load_get_real(e, "ec50", &d->ec50);
        rg_load_get_real(e, "hill", &d->hill);
        rg_load_get_bool(e, "cycle_specific", &d->cycle_specific);
        rg_load_get_real(e, "toxicity_weight", &d->toxicity_weight);
        rg_load_get_real(e, "hypoxia_penetration_loss", &d->hypoxia_penetration_loss);
        rg_load_get_bool(e, "stroma_sensitive", &d->stroma_sensitive);
        rg_load_get_real(e, "myelotoxicity_slope", &d->myelotoxicity_slope);
        rg_load_get_real(e, "max_cumulative_dose", &d->max_cumulative_dose);

        if (d->administration == RG_ADMIN_BOLUS) {
            if (!config_setting_get_member(e, "dosing_interval_days"))
                rg_load_err_key(
                    L, e, "dosing_interval_days",
                    "missing required key for a bolus drug (time between boluses, days)");
            if (config_setting_get_member(e, "half_life_days") && d->half_life_days == 0.0)
                rg_load_err_key(
                    L, e, "half_life_days",
                    "a bolus drug needs a half-life > 0 (0 is only for continuous drugs)");
        } else if (has_interval || config_setting_get_member(e, "dosing_interval_days")) {
            rg_load_err_key(
                L, e, "dosing_interval_days",
                "only bolus drugs have a dosing interval (this drug is continuous)");
        }
        if (!d->cycle_specific && d->emax > 50.0)
            rg_load_err_key(
                L, e, "emax",
                "%.17g is above 50 per day (only a cycle_specific drug, whose emax is a "
                "fold of the division rate, may exceed it)",
                d->emax);
    }
}

void rg_load_mechanisms(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = rg_load_get_seq(root, "mechanisms");
    p->n_mechs = rg_load_count_of(list, RG_MAX_MECHS);
    for (size_t i = 0; i < p->n_mechs; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_mechanism *m = &p->mechs[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        rg_load_name(L, e, "mechanism", m->name, i, sizeof p->mechs[0],
                     (const char *)p->mechs[0].name);
        static const char *const kinds[] = {"efflux", "detox",     "target",
                                            "repair", "apoptosis", "autophagy"};
        m->kind = (rg_mech_kind)rg_load_parse_enum(rg_load_get_str(e, "kind"), kinds,
                                                   RG_MECH_NKINDS, 0);
        config_setting_t *aff = rg_load_get_seq(e, "affects");
        for (int j = 0; aff && j < config_setting_length(aff); j++) {
            const char *dn = rg_load_elem_str(aff, j);
            if (!dn)
                continue;
            config_setting_t *at = config_setting_get_elem(aff, (unsigned)j);
            int d = rg_load_find_drug(L, at, dn);
            if (d < 0)
                continue;
            if (m->affects[d])
                rg_load_err(L, at, "drug '%s' is listed twice", dn);
            m->affects[d] = true;
        }
        if (aff && config_setting_length(aff) == 0)
            rg_load_err_key(L, e, "affects", "a mechanism must affect at least one drug");
        rg_load_get_real(e, "hypoxia_induction", &m->hypoxia_induction);
        m->n_inhibitors =
            rg_load_inhibitors(L, rg_load_get_seq(e, "inhibitors"), m->inhibitors);
        static const char *const comb[] = {"any", "all"};
        m->combine = (rg_combine)rg_load_parse_enum(rg_load_get_str(e, "inhibitors_combine"),
                                                    comb, 2, 0);
        if (config_setting_get_member(e, "inhibitors_combine") && m->n_inhibitors == 0 &&
            !rg_load_get_seq(e, "inhibitors"))
            rg_load_err_key(L, e, "inhibitors_combine", "set without any inhibitors");
    }
}

void rg_load_clones(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = rg_load_get_seq(root, "clones");
    p->n_clones = rg_load_count_of(list, RG_MAX_CLONES);
    if (list && config_setting_length(list) == 0)
        rg_load_err(L, list, "at least one clone is required");
    /* names first: competition refers to clones listed later */
    for (size_t i = 0; i < p->n_clones; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) == CONFIG_TYPE_GROUP)
            rg_load_name(L, e, "clone", p->clones[i].name, i, sizeof p->clones[0],
                         (const char *)p->clones[0].name);
    }
    for (size_t i = 0; i < p->n_clones; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_clone *c = &p->clones[i];
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        rg_load_get_real(e, "cells", &c->cells);
        rg_load_get_real(e, "growth_rate", &c->growth_rate);
        rg_load_get_real(e, "death_rate", &c->death_rate);
        if (!rg_load_get_real(e, "carrying_capacity", &c->carrying_capacity))
            c->carrying_capacity = p->carrying_capacity;
        rg_load_get_bool(e, "resistant", &c->resistant);
        config_setting_t *g = rg_load_get_group(e, "competition");
        for (int j = 0; g && j < config_setting_length(g); j++) {
            config_setting_t *m = config_setting_get_elem(g, (unsigned)j);
            int k = rg_load_find_clone(L, m, config_setting_name(m));
            if (k < 0 || !rg_load_is_number(m))
                continue;
            if ((size_t)k == i) {
                rg_load_err(L, m,
                            "a clone's weight on itself is 1 by definition (a_ii = 1); remove "
                            "this entry");
                continue;
            }
            c->competition[k] = rg_load_num_value(m);
        }
        g = rg_load_get_group(e, "capacity_effect");
        for (int j = 0; g && j < config_setting_length(g); j++) {
            config_setting_t *m = config_setting_get_elem(g, (unsigned)j);
            int k = rg_load_find_drug(L, m, config_setting_name(m));
            if (k >= 0 && rg_load_is_number(m))
                c->capacity_effect[k] = rg_load_num_value(m);
        }
        g = rg_load_get_group(e, "mechanisms");
        for (int j = 0; g && j < config_setting_length(g); j++) {
            config_setting_t *m = config_setting_get_elem(g, (unsigned)j);
            int k = rg_load_find_mech(L, m, config_setting_name(m));
            if (k >= 0 && rg_load_is_number(m)) {
                c->fold[k] = rg_load_num_value(m);
                c->carries[k] = true;
            }
        }
    }
}

void rg_load_mutations(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = rg_load_get_seq(root, "mutations");
    p->n_mutations = rg_load_count_of(list, RG_MAX_MUTATIONS);
    for (size_t i = 0; i < p->n_mutations; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rg_mutation *m = &p->mutations[i];
        m->from = m->to = -1;
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        const char *f = rg_load_get_str(e, "from"), *t = rg_load_get_str(e, "to");
        if (f)
            m->from = rg_load_find_clone(L, config_setting_get_member(e, "from"), f);
        if (t)
            m->to = rg_load_find_clone(L, config_setting_get_member(e, "to"), t);
        if (m->from >= 0 && m->from == m->to)
            rg_load_err_key(L, e, "to",
                            "a mutation must lead to another clone (from = to = '%s')", t);
        /* two entries on the same pair are two fluxes that add (docs/model.md section 6) */
        rg_load_get_real(e, "rate", &m->rate);
        config_setting_t *ind = rg_load_get_seq(e, "induced_by");
        size_t n = rg_load_count_of(ind, RG_MAX_INDUCERS);
        m->n_induced = 0;
        for (size_t j = 0; j < n; j++) {
            config_setting_t *ie = config_setting_get_elem(ind, (unsigned)j);
            if (config_setting_type(ie) != CONFIG_TYPE_GROUP)
                continue;
            const char *dn = rg_load_get_str(ie, "drug");
            int d = dn ? rg_load_find_drug(L, config_setting_get_member(ie, "drug"), dn) : -1;
            for (size_t q = 0; q < m->n_induced && d >= 0; q++)
                if (m->induced_drug[q] == d) {
                    rg_load_err_key(L, ie, "drug", "drug '%s' induces this mutation twice", dn);
                    d = -1;
                }
            double rate = 0.0;
            rg_load_get_real(ie, "rate", &rate);
            if (d >= 0) {
                m->induced_drug[m->n_induced] = d;
                m->induced_rate[m->n_induced] = rate;
                m->n_induced++;
            }
        }
    }
}

void rg_load_interactions(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    config_setting_t *list = rg_load_get_seq(root, "interactions");
    size_t n = rg_load_count_of(list, RG_MAX_INTERACTIONS);
    p->n_interactions = 0;
    for (size_t i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            continue;
        config_setting_t *ds = rg_load_get_seq(e, "drugs");
        if (!ds)
            continue;
        if (config_setting_length(ds) != 2) {
            if (config_setting_length(ds) < 2) /* more than 2: pass 1 reported the limit */
                rg_load_err(L, ds, "expected exactly two drugs, found %d",
                            config_setting_length(ds));
            continue;
        }
        int d[2];
        for (int j = 0; j < 2; j++) {
            const char *dn = rg_load_elem_str(ds, j);
            d[j] = dn ? rg_load_find_drug(L, config_setting_get_elem(ds, (unsigned)j), dn) : -1;
        }
        if (d[0] < 0 || d[1] < 0)
            continue;
        if (d[0] == d[1]) {
            rg_load_err(L, ds, "an interaction needs two different drugs ('%s' twice)",
                        p->drugs[d[0]].name);
            continue;
        }
        rg_interaction *x = &p->interactions[p->n_interactions];
        x->drug_a = d[0] < d[1] ? d[0] : d[1];
        x->drug_b = d[0] < d[1] ? d[1] : d[0];
        bool dup = false;
        for (size_t j = 0; j < p->n_interactions; j++)
            if (p->interactions[j].drug_a == x->drug_a &&
                p->interactions[j].drug_b == x->drug_b)
                dup = true;
        if (dup) {
            rg_load_err(L, ds, "duplicate interaction of '%s' and '%s'",
                        p->drugs[x->drug_a].name, p->drugs[x->drug_b].name);
            continue;
        }
        rg_load_get_real(e, "psi", &x->psi);
        p->n_interactions++;
    }
}
