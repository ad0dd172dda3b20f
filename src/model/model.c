/* The compiled tumour model and its right-hand side: docs/model.md sections 1 and 3-7.
 *
 * Everything here is evaluated once per Runge-Kutta stage, so the problem is flattened once
 * by rg_model_compile() into what the stage needs: each clone's kill parameters with its fixed
 * mechanisms' folds multiplied out and the mechanisms whose folds vary, a packed competition
 * matrix (skipped when every weight is 1), the switching edges and the interval's closed-form
 * pharmacokinetics. */
#include "regimen/model.h"
#include "regimen/friberg.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define RG_LN2 0.69314718055994530942

/* D0, E0, plain and the varying mechanisms of every clone of p (model.h); needs the drugs and
 * the mechanisms compiled. A clone's mechanisms are those it carries or gives a fold other
 * than 1. */
static void fold_fixed_mechanisms(rg_model *m, const rg_problem *p)
{
    m->n_kdrug = 0;
    for (size_t d = 0; d < m->nd; d++)
        if (m->kills[d])
            m->kdrug[m->n_kdrug++] = (int)d;
    for (size_t i = 0; i < m->n; i++) {
        double ediv[RG_MAX_DRUGS], ecm[RG_MAX_DRUGS], emd[RG_MAX_DRUGS];
        bool varies[RG_MAX_DRUGS];
        for (size_t d = 0; d < m->nd; d++) {
            ediv[d] = ecm[d] = emd[d] = 1.0;
            varies[d] = false;
        }
        m->n_dyn[i] = 0;
        const rg_clone *c = &p->clones[i];
        for (size_t k = 0; k < m->nm; k++) {
            if (!c->carries[k] && c->fold[k] == 1.0)
                continue;
            double F = c->fold[k];
            bool dyn = m->eta[k] != 0.0 || m->n_inh[k] > 0;
            if (dyn)
                m->dyn[i][m->n_dyn[i]++] = (rg_model_carried){.mech = (int)k, .fold = F};
            double *dst = m->mclass[k] == RG_MCLASS_EXPOSURE ? ediv
                          : m->mclass[k] == RG_MCLASS_EC50   ? ecm
                                                             : emd;
            for (size_t d = 0; d < m->nd; d++) {
                if (!(m->maffects[k] >> d & 1u))
                    continue;
                if (dyn)
                    varies[d] = varies[d] || m->mclass[k] != RG_MCLASS_EMAX;
                else
                    dst[d] *= F;
            }
        }
        for (size_t d = 0; d < m->nd; d++) {
            m->D0[i][d] = m->ec50[d] * ediv[d] * ecm[d];
            m->E0[i][d] = m->emax[d] / emd[d];
            m->plain[i][d] = !varies[d] && ediv[d] == 1.0 && ecm[d] == 1.0;
        }
    }
}

/* The clones: rates, capacities, the packed competition matrix and the capacity effects. */
static void compile_clones(rg_model *m, const rg_problem *p)
{
    const size_t n = m->n, nd = m->nd;
    m->comp_identity = true;
    for (size_t i = 0; i < n; i++) {
        const rg_clone *c = &p->clones[i];
        m->r[i] = c->growth_rate;
        m->delta[i] = c->death_rate;
        m->K[i] = c->carrying_capacity > 0.0 ? c->carrying_capacity : p->carrying_capacity;
        m->invK[i] = 1.0 / m->K[i];
        m->resistant[i] = c->resistant;
        for (size_t j = 0; j < n; j++) {
            double a = (i == j) ? 1.0 : c->competition[j];
            m->a[i * n + j] = a;
            if (a != 1.0)
                m->comp_identity = false;
        }
        for (size_t d = 0; d < nd; d++) {
            m->gamma[i * nd + d] = c->capacity_effect[d];
            if (c->capacity_effect[d] != 0.0)
                m->has_gamma[i] = true;
        }
    }
}

/* The drugs' effect and elimination parameters. RG_EINVAL for a nonpositive EC50 or Hill
 * exponent. */
static int compile_drugs(rg_model *m, const rg_problem *p)
{
    for (size_t d = 0; d < m->nd; d++) {
        const rg_drug *g = &p->drugs[d];
        m->emax[d] = g->emax;
        m->ec50[d] = g->ec50;
        m->hill[d] = g->hill;
        m->hill1[d] = g->hill == 1.0;
        m->linear[d] = g->effect == RG_EFFECT_LINEAR;
        m->cycle[d] = g->cycle_specific;
        m->stroma_drug[d] = g->stroma_sensitive;
        m->kills[d] = g->emax > 0.0;
        m->ploss[d] = g->hypoxia_penetration_loss;
        m->myelo[d] = g->myelotoxicity_slope;
        m->kel[d] = g->half_life_days > 0.0 ? RG_LN2 / g->half_life_days : 0.0;
        if (!(g->ec50 > 0.0) || !(g->hill > 0.0))
            return RG_EINVAL;
    }
    return RG_OK;
}

/* The mechanisms: class, affected drugs, hypoxia induction and inhibitors. RG_EINVAL for an
 * unknown kind or a malformed inhibitor. */
static int compile_mechanisms(rg_model *m, const rg_problem *p)
{
    for (size_t k = 0; k < p->n_mechs; k++) {
        const rg_mechanism *mc = &p->mechs[k];
        switch (mc->kind) {
        case RG_MECH_EFFLUX:
        case RG_MECH_DETOX: m->mclass[k] = RG_MCLASS_EXPOSURE; break;
        case RG_MECH_TARGET: m->mclass[k] = RG_MCLASS_EC50; break;
        case RG_MECH_REPAIR:
        case RG_MECH_APOPTOSIS:
        case RG_MECH_AUTOPHAGY: m->mclass[k] = RG_MCLASS_EMAX; break;
        default: return RG_EINVAL;
        }
        uint32_t mask = 0;
        for (size_t d = 0; d < m->nd; d++)
            if (mc->affects[d])
                mask |= (uint32_t)1 << d;
        m->maffects[k] = mask;
        m->eta[k] = mc->hypoxia_induction;
        if (mc->n_inhibitors > RG_MAX_INHIB)
            return RG_EINVAL;
        m->n_inh[k] = mc->n_inhibitors;
        for (size_t e = 0; e < mc->n_inhibitors; e++) {
            if (mc->inhibitors[e].drug < 0 || (size_t)mc->inhibitors[e].drug >= m->nd ||
                !(mc->inhibitors[e].ic50 > 0.0))
                return RG_EINVAL;
            m->inh[k][e] = mc->inhibitors[e];
        }
        m->combine[k] = mc->combine;
    }
    return RG_OK;
}

/* The drug interactions and the switching edges (with the clones that receive a hazard
 * edge). RG_EINVAL for an index out of range. */
static int compile_interactions_and_edges(rg_model *m, const rg_problem *p)
{
    const size_t n = m->n, nd = m->nd;
    m->n_inter = p->n_interactions;
    for (size_t q = 0; q < p->n_interactions; q++) {
        const rg_interaction *in = &p->interactions[q];
        if (in->drug_a < 0 || in->drug_b < 0 || (size_t)in->drug_a >= nd ||
            (size_t)in->drug_b >= nd)
            return RG_EINVAL;
        m->inter_a[q] = in->drug_a;
        m->inter_b[q] = in->drug_b;
        m->inter_psi[q] = in->psi;
    }

    m->n_edges = p->n_mutations;
    for (size_t q = 0; q < p->n_mutations; q++) {
        const rg_mutation *mu = &p->mutations[q];
        rg_model_edge *e = &m->edges[q];
        if (mu->from < 0 || mu->to < 0 || (size_t)mu->from >= n || (size_t)mu->to >= n ||
            mu->n_induced > RG_MAX_INDUCERS)
            return RG_EINVAL;
        e->from = mu->from;
        e->to = mu->to;
        e->mu = mu->rate;
        e->n_ind = mu->n_induced;
        for (size_t s = 0; s < mu->n_induced; s++) {
            if (mu->induced_drug[s] < 0 || (size_t)mu->induced_drug[s] >= nd)
                return RG_EINVAL;
            e->ind_drug[s] = mu->induced_drug[s];
            e->ind_nu[s] = mu->induced_rate[s];
        }
        e->hazard = !p->clones[mu->from].resistant && p->clones[mu->to].resistant;
        if (e->hazard) {
            bool seen = false;
            for (size_t h = 0; h < m->n_haz; h++)
                seen = seen || m->haz[h] == e->to;
            if (!seen)
                m->haz[m->n_haz++] = e->to;
        }
    }
    return RG_OK;
}

/* Which clones' growth max(g_i, 0) has a kink the integrator must watch: under a killing
 * cycle-specific drug, and the ends of switching edges. */
static void compile_kinks(rg_model *m)
{
    bool cyc = false;
    for (size_t d = 0; d < m->nd; d++)
        cyc = cyc || (m->cycle[d] && m->kills[d]);
    for (size_t i = 0; i < m->n; i++)
        m->gkink[i] = cyc;
    for (size_t q = 0; q < m->n_edges; q++) {
        if (m->edges[q].mu > 0.0)
            m->gkink[m->edges[q].from] = true;
        if (m->edges[q].hazard)
            m->gkink[m->edges[q].to] = true;
    }
}

/* The microenvironment (hypoxia, stroma) and the Friberg parameters. RG_EINVAL for a
 * malformed stroma inhibitor or nonpositive neutrophil parameters. */
static int compile_environment(rg_model *m, const rg_problem *p)
{
    m->hyp_max = p->hypoxia_max_fraction;
    m->hyp_half = p->hypoxia_half_burden;
    m->hyp_q = p->hypoxia_quiescence;
    m->stroma_s = p->stroma_protection;
    if (p->n_stroma_inhibitors > RG_MAX_INHIB)
        return RG_EINVAL;
    m->n_stroma_inh = p->n_stroma_inhibitors;
    for (size_t e = 0; e < p->n_stroma_inhibitors; e++) {
        if (p->stroma_inhibitors[e].drug < 0 || (size_t)p->stroma_inhibitors[e].drug >= m->nd ||
            !(p->stroma_inhibitors[e].ic50 > 0.0))
            return RG_EINVAL;
        m->stroma_inh[e] = p->stroma_inhibitors[e];
    }
    m->stroma_combine = p->stroma_combine;

    if (p->neutrophils) {
        if (!(p->mtt_days > 0.0) || !(p->circ0 > 0.0))
            return RG_EINVAL;
        m->ktr = 4.0 / p->mtt_days;
        m->circ0 = p->circ0;
        m->fgamma = p->gamma;
    }
    return RG_OK;
}

int rg_model_compile(rg_model *m, const rg_problem *p)
{
    if (!m || !p)
        return RG_EINVAL;
    if (p->n_clones == 0 || p->n_clones > RG_MAX_CLONES || p->n_drugs > RG_MAX_DRUGS ||
        p->n_mechs > RG_MAX_MECHS || p->n_mutations > RG_MAX_MUTATIONS ||
        p->n_interactions > RG_MAX_INTERACTIONS)
        return RG_EINVAL;
    memset(m, 0, offsetof(rg_model, a)); /* not the tables (model.h) */
    size_t n = p->n_clones;
    m->n = n;
    m->nd = p->n_drugs;
    m->nm = p->n_mechs;
    m->neut = p->neutrophils;
    m->ineut = p->neutrophils ? n : 0;
    m->ny = n + (p->neutrophils ? RG_NEUT_STATES : 0);
    m->gompertz = p->growth == RG_GROWTH_GOMPERTZ;

    compile_clones(m, p);
    int st = compile_drugs(m, p);
    if (st == RG_OK)
        st = compile_mechanisms(m, p);
    if (st != RG_OK)
        return st;
    fold_fixed_mechanisms(m, p);
    st = compile_interactions_and_edges(m, p);
    if (st != RG_OK)
        return st;
    compile_kinks(m);
    return compile_environment(m, p);
}

void rg_model_set_pk(rg_model *m, double t0, const double a[], const double b[])
{
    m->pk_t0 = t0;
    m->singular_start = false;
    m->bolus_restart = false;
    for (size_t d = 0; d < m->nd; d++) {
        m->pk_a[d] = a[d];
        m->pk_b[d] = b[d];
        double c0 = a[d] + b[d];
        if (m->kills[d] && !m->linear[d] && m->hill[d] != floor(m->hill[d]) && a[d] > 0.0 &&
            b[d] != 0.0 && c0 < 1e-3 * a[d])
            m->singular_start = true;
    }
}

void rg_model_conc(const rg_model *m, double t, double c[])
{
    double s = t - m->pk_t0;
    for (size_t d = 0; d < m->nd; d++) {
        double v = m->pk_a[d];
        if (m->pk_b[d] != 0.0)
            v += m->pk_b[d] * exp(-m->kel[d] * s);
        c[d] = v > 0.0 ? v : 0.0;
    }
}

/* Occupancy of a list of inhibitors (docs/model.md section 5): "any" I = min(1, sum o_e),
 * "all" I = prod o_e, with o_e = c_e / (c_e + ic50_e). */
#define SIG(h, bit) ((h) = (h)*0x100000001B3ull ^ (uint64_t)((bit) ? 0x9Eu : 0x3Bu))

static double occupancy(const rg_inhibitor *inh, size_t n, rg_combine mode, const double c[],
                        uint64_t *sig)
{
    if (n == 0)
        return 0.0;
    double acc = mode == RG_COMBINE_ALL ? 1.0 : 0.0;
    for (size_t e = 0; e < n; e++) {
        double ce = c[inh[e].drug];
        double o = ce > 0.0 ? ce / (ce + inh[e].ic50) : 0.0;
        if (mode == RG_COMBINE_ALL)
            acc *= o;
        else
            acc += o;
    }
    if (mode == RG_COMBINE_ALL)
        return acc;
    SIG(*sig, acc < 1.0);
    return acc < 1.0 ? acc : 1.0;
}

/* The Friberg states (docs/model.md section 7) at concentrations c: they depend on the drugs
 * alone, not on the tumour */
static void neut_rhs(const rg_model *m, const double c[], const double nz[], double dn[])
{
    double E = 0.0;
    for (size_t d = 0; d < m->nd; d++)
        E += m->myelo[d] * c[d];
    double circ = nz[4] > 1e-300 ? nz[4] : 1e-300;
    double fb = m->fgamma != 0.0 ? pow(m->circ0 / circ, m->fgamma) : 1.0;
    rg_friberg_deriv(m->ktr, E, fb, nz, dn);
}

/* One function of more than 120 lines on purpose: it runs at every Runge-Kutta stage (a dozen
 * per step), and its terms (hypoxia, effective capacity, the kill of every clone with its
 * varying mechanisms, switching inflow) share the per-evaluation intermediates
 * and the kink signature it builds; split, they would pass them through calls, or through
 * the scratch fields, in the kernel's hottest path. */
void rg_model_rhs(rg_model *m, double t, const double y[], double dy[])
{
    const size_t n = m->n, nd = m->nd;
    double *c = m->c;
    m->evals++;
    rg_model_conc(m, t, c);

    double xs[RG_MAX_CLONES];
    double B = 0.0;
    for (size_t i = 0; i < n; i++) {
        xs[i] = y[i] > 0.0 ? y[i] : 0.0;
        B += xs[i];
    }

    double f = 0.0;
    if (m->hyp_max > 0.0 && B + m->hyp_half > 0.0)
        f = m->hyp_max * B / (B + m->hyp_half);
    m->fhyp = f;
    uint64_t sig = 0;

    for (size_t k = 0; k < m->nm; k++)
        m->mI[k] =
            m->n_inh[k] ? occupancy(m->inh[k], m->n_inh[k], m->combine[k], c, &sig) : 0.0;
    double stroma = 1.0;
    if (m->stroma_s > 0.0)
        stroma = 1.0 - m->stroma_s * (1.0 - occupancy(m->stroma_inh, m->n_stroma_inh,
                                                      m->stroma_combine, c, &sig));

    double pen[RG_MAX_DRUGS];
    /* the Hill fraction of a clone whose exposure and EC50 no mechanism changes is the same
     * for every such clone: computed once per drug, on first use */
    double base_frac[RG_MAX_DRUGS];
    uint32_t base_done = 0; /* bit d: base_frac[d] is set */
    for (size_t d = 0; d < nd; d++) {
        pen[d] = 1.0 - m->ploss[d] * f;
    }
    const double quies = 1.0 - m->hyp_q * f;

    for (size_t i = 0; i < n; i++) {
        double C = B;
        if (!m->comp_identity) {
            const double *ai = &m->a[i * n];
            C = 0.0;
            for (size_t j = 0; j < n; j++)
                C += ai[j] * xs[j];
        }
        double rq = m->r[i] * quies;
        double g;
        if (m->has_gamma[i]) {
            const double *gi = &m->gamma[i * nd];
            double s = 1.0;
            for (size_t d = 0; d < nd; d++)
                s -= gi[d] * c[d];
            double Keff = m->K[i] * (s > 0.01 ? s : 0.01);
            SIG(sig, s > 0.01);
            if (m->gompertz)
                g = C > 0.0 ? rq * (log(Keff) - log(C)) : 0.0;
            else
                g = rq * (1.0 - C / Keff);
        } else if (m->gompertz) {
            /* log K - log C: K / C overflows for a clone of ~1e-300 cells */
            g = C > 0.0 ? rq * (log(m->K[i]) - log(C)) : 0.0;
        } else {
            g = rq * (1.0 - C * m->invK[i]);
        }
        m->g[i] = g;
        double gpos = g > 0.0 ? g : 0.0;
        /* offset: a clone resting at capacity has g ~ 0 up to rounding and must not chatter */
        if (m->gkink[i])
            SIG(sig, g > 1e-10 * m->r[i]);

        double kill = 0.0;
        if (m->n_kdrug) {
            /* the folds that vary with hypoxia and inhibitors (docs/model.md section 5) */
            const size_t ndyn = m->n_dyn[i];
            double Fe[RG_MAX_MECHS];
            for (size_t q = 0; q < ndyn; q++) {
                int k = m->dyn[i][q].mech;
                double F = m->dyn[i][q].fold;
                Fe[q] = 1.0 + (F * (1.0 + m->eta[k] * f) - 1.0) * (1.0 - m->mI[k]);
            }
            double *kap = m->kap;
            for (size_t e = 0; e < m->n_kdrug; e++) {
                const int d = m->kdrug[e];
                double kd = 0.0;
                /* exposure c pen / F against EC50 ec50 F, i.e. x against D: one division for
                 * the Hill fraction x / (x + D) of exponent 1 (most drugs) */
                double x = c[d] * pen[d];
                if (x > 0.0) {
                    double D = m->D0[i][d], em = m->E0[i][d], emd = 1.0;
                    for (size_t q = 0; q < ndyn; q++) {
                        int k = m->dyn[i][q].mech;
                        if (!(m->maffects[k] >> d & 1u))
                            continue;
                        if (m->mclass[k] == RG_MCLASS_EMAX)
                            emd *= Fe[q];
                        else
                            D *= Fe[q];
                    }
                    if (m->linear[d]) {
                        kd = em * x / (emd * D);
                    } else if (m->hill1[d]) {
                        kd = em * x / (emd * (x + D));
                    } else {
                        double fr;
                        if (m->plain[i][d] && (base_done >> d & 1u)) {
                            fr = base_frac[d];
                        } else {
                            double rn = pow(x / D, m->hill[d]);
                            fr = rn < 1e300 ? rn / (1.0 + rn) : 1.0;
                            if (m->plain[i][d]) {
                                base_frac[d] = fr;
                                base_done |= 1u << d;
                            }
                        }
                        kd = em * fr / emd;
                    }
                    if (m->cycle[d])
                        kd *= gpos;
                    if (m->stroma_drug[d])
                        kd *= stroma;
                }
                kap[d] = kd;
                kill += kd;
            }
            for (size_t q = 0; q < m->n_inter; q++) {
                double pr = kap[m->inter_a[q]] * kap[m->inter_b[q]];
                if (pr > 0.0)
                    kill += m->inter_psi[q] * sqrt(pr);
            }
            if (m->n_inter) {
                SIG(sig, kill > 0.0);
            }
            if (!(kill > 0.0))
                kill = 0.0;
        }
        m->kill[i] = kill;
        double net = g - m->delta[i] - kill;
        m->netg[i] = net;
        dy[i] = net * xs[i];
        m->inflow[i] = 0.0;
    }

    for (size_t q = 0; q < m->n_haz; q++)
        m->hflux[m->haz[q]] = 0.0;
    for (size_t q = 0; q < m->n_edges; q++) {
        const rg_model_edge *e = &m->edges[q];
        double xf = xs[e->from];
        if (xf == 0.0)
            continue;
        double gf = m->g[e->from];
        double rate = e->mu * (gf > 0.0 ? gf : 0.0);
        for (size_t s = 0; s < e->n_ind; s++)
            rate += e->ind_nu[s] * c[e->ind_drug[s]];
        double flux = rate * xf;
        dy[e->from] -= flux;
        dy[e->to] += flux;
        m->inflow[e->to] += flux;
        if (e->hazard)
            m->hflux[e->to] += flux; /* new lineages of docs/model.md section 6 */
    }
    m->sig = sig;

    if (m->neut && !m->neut_apart)
        neut_rhs(m, c, &y[m->ineut], &dy[m->ineut]);
}
