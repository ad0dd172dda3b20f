/* The de novo emergence probability: records of the forward run and the backward pass
 * (docs/model.md section 6; emergence.h says what a record holds and why). */
#include "regimen/emergence.h"

#include <math.h>
#include <stdlib.h>

#include "regimen/status.h"

size_t rg_emergence_clones(const rg_problem *p)
{
    bool fed[RG_MAX_CLONES] = {false};
    size_t n = 0;
    for (size_t q = 0; q < p->n_mutations; q++) {
        int from = p->mutations[q].from, to = p->mutations[q].to;
        if (from < 0 || to < 0 || (size_t)from >= p->n_clones || (size_t)to >= p->n_clones ||
            to >= RG_MAX_CLONES)
            continue;
        if (!p->clones[from].resistant && p->clones[to].resistant && !fed[to]) {
            fed[to] = true;
            n++;
        }
    }
    return n;
}

int rg_emergence_alloc(rg_emergence *e, size_t n_haz, size_t cap)
{
    *e = (rg_emergence){.n_haz = n_haz};
    if (n_haz == 0 || cap == 0)
        return RG_OK;
    e->t0 = malloc(cap * sizeof *e->t0);
    e->t1 = malloc(cap * sizeof *e->t1);
    e->rec = malloc(cap * n_haz * sizeof *e->rec);
    if (!e->t0 || !e->t1 || !e->rec) {
        rg_emergence_free(e);
        return RG_ENOMEM;
    }
    e->cap = cap;
    return RG_OK;
}

void rg_emergence_free(rg_emergence *e)
{
    if (!e)
        return;
    free(e->t0);
    free(e->t1);
    free(e->rec);
    *e = (rg_emergence){0};
}

rg_em_clone *rg_emergence_push(rg_emergence *e, double t0, double t1)
{
    if (e->n >= e->cap) {
        e->full = true;
        return NULL;
    }
    const size_t r = e->n++;
    e->t0[r] = t0;
    e->t1[r] = t1;
    return &e->rec[r * e->n_haz];
}

void rg_emergence_truncate(rg_emergence *e, size_t from)
{
    if (from < e->n)
        e->n = from;
    e->full = false;
}

double rg_emergence_hazard(const rg_emergence *e)
{
    double L = 0.0;
    for (size_t q = 0; q < e->n_haz; q++) {
        double phi = 1.0; /* at t_end */
        double l = 0.0;
        for (size_t r = e->n; r-- > 0;) {
            const rg_em_clone *c = &e->rec[r * e->n_haz + q];
            /* 1/u at a stage: e^{-A} phi1 / (alpha + (G1 - G) phi1) (emergence.h) */
            if (!(phi > 0.0))
                break; /* no lineage born earlier survives to t_end */
            for (size_t i = 0; i < RG_EM_NODES; i++) {
                double term = c->w[i] * phi / (c->alpha + (c->G1 - c->G[i]) * phi);
                if (c->w[i] != 0.0 && isfinite(term))
                    l += term;
            }
            double den = c->alpha + c->G1 * phi;
            phi = isfinite(den) ? phi / den : 0.0;
        }
        L += l;
    }
    return L;
}
