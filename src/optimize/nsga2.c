/* Constrained NSGA-II: lifecycle, the init/step driver, accessors and the state for
 * checkpoints (nsga2.h states the algorithm and its sources; nsga2_sort.c sorts,
 * nsga2_select.c selects). */
#include "regimen/nsga2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "nsga2_internal.h"

void rg_nsga2_settings_from_problem(const rg_problem *p, size_t n_obj, rg_nsga2_settings *s)
{
    memset(s, 0, sizeof *s);
    const rg_optimize *o = &p->optimize;
    s->population = o->population;
    s->generations = o->generations;
    s->seed = o->seed;
    s->n_obj = n_obj;
    s->archive_size = o->archive_size;
    s->has_reference = o->has_reference_point;
    bool bench = p->bench.kind != RG_BENCH_NONE;
    for (size_t j = 0; j < n_obj && j < RG_MAX_OBJ; j++) {
        bool maxim = !bench && j < o->n_objectives && rg_objective_maximised(o->objectives[j]);
        s->reference[j] = maxim ? -o->reference_point[j] : o->reference_point[j];
    }
}

rg_nsga2 *rg_nsga2_alloc(const rg_encoding *enc, const rg_nsga2_settings *s)
{
    if (!enc || !s || s->n_obj == 0 || s->n_obj > RG_MAX_OBJ || enc->length == 0)
        return NULL;
    size_t n = s->population < 4 ? 4 : s->population + (s->population & 1);
    if (s->archive_size && s->archive_size < n)
        return NULL;
    rg_nsga2 *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->enc = enc;
    g->set = *s;
    g->n = s->population < 4 ? 4 : s->population + (s->population & 1);
    g->set.population = g->n;
    g->len = enc->length;
    g->m = s->n_obj;
    size_t n2 = 2 * g->n;
    g->rng = gsl_rng_alloc(gsl_rng_mt19937);
    g->genomes = calloc(n2 * g->len, sizeof(double));
    g->res = calloc(n2, sizeof(rg_eval_result));
    g->rank = calloc(n2, sizeof(size_t));
    g->crowd = calloc(n2, sizeof(double));
    g->perm = calloc(n2, sizeof(size_t));
    g->sel_genomes = calloc(g->n * g->len, sizeof(double));
    g->sel_res = calloc(g->n, sizeof(rg_eval_result));
    g->sel_tmp = calloc(n2, sizeof(size_t));
    g->base = calloc(g->n, sizeof(rg_eval_result));
    g->hv_points = calloc(g->n * g->m, sizeof(double));
    g->hv = rg_hv_alloc(g->n, g->m);
    g->cap_hv = s->generations + 1;
    g->hv_hist = calloc(g->cap_hv, sizeof(double));
    g->arch_hv_hist = calloc(g->cap_hv, sizeof(double));
    g->arch = rg_archive_alloc(g->len, g->m, s->archive_size);
    g->rng_saved = g->rng ? malloc(gsl_rng_size(g->rng)) : NULL;
    if (!g->arch_hv_hist || !g->arch || !g->rng_saved || !g->rng || !g->genomes || !g->res ||
        !g->rank || !g->crowd || !g->perm || !g->sel_genomes || !g->sel_res || !g->sel_tmp ||
        !g->base || !g->hv_points || !g->hv || !g->hv_hist ||
        rg_nsga2_sorter_alloc(&g->sort, n2, g->m) != RG_OK)
        goto fail;
    gsl_rng_set(g->rng, s->seed);
    return g;
fail:
    rg_nsga2_free(g);
    return NULL;
}

void rg_nsga2_free(rg_nsga2 *g)
{
    if (!g)
        return;
    if (g->rng)
        gsl_rng_free(g->rng);
    free(g->genomes);
    free(g->res);
    free(g->rank);
    free(g->crowd);
    free(g->perm);
    free(g->sel_genomes);
    free(g->sel_res);
    free(g->sel_tmp);
    free(g->base);
    free(g->hv_points);
    rg_hv_free(g->hv);
    free(g->hv_hist);
    free(g->arch_hv_hist);
    rg_archive_free(g->arch);
    free(g->rng_saved);
    rg_nsga2_sorter_free(&g->sort);
    free(g);
}

/* Appends the population's and the archive's hypervolume of this generation. */
static int push_hv(rg_nsga2 *g, double v, double archive_v)
{
    if (g->n_hv == g->cap_hv) {
        size_t cap = g->cap_hv ? 2 * g->cap_hv : 16;
        double *h = realloc(g->hv_hist, cap * sizeof *h);
        if (!h)
            return RG_ENOMEM;
        g->hv_hist = h;
        h = realloc(g->arch_hv_hist, cap * sizeof *h);
        if (!h)
            return RG_ENOMEM;
        g->arch_hv_hist = h;
        g->cap_hv = cap;
    }
    g->arch_hv_hist[g->n_hv] = archive_v;
    g->hv_hist[g->n_hv++] = v;
    return RG_OK;
}

static double current_hv(rg_nsga2 *g);

/* Records the population's and the archive's hypervolume of this generation. */
static int record_hv(rg_nsga2 *g)
{
    double av;
    int rc = rg_archive_hypervolume(g->arch, g->ref, &av);
    return rc == RG_OK ? push_hv(g, current_hv(g), av) : rc;
}

/* Hypervolume of the feasible members of the first front of the parents. */
static double current_hv(rg_nsga2 *g)
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (g->rank[i] != 0 || !(g->res[i].violation <= 0.0))
            continue;
        for (size_t j = 0; j < g->m; j++)
            g->hv_points[k * g->m + j] = g->res[i].fitness[j];
        k++;
    }
    double v = 0.0;
    if (rg_hv_compute(g->hv, g->hv_points, k, g->ref, &v) != RG_OK)
        return 0.0;
    return v;
}

/* The default reference point (nsga2.h states the rule). */
static void default_reference(rg_nsga2 *g)
{
    for (int pass = 0; pass < 3; pass++) {
        double lo[RG_MAX_OBJ], hi[RG_MAX_OBJ];
        size_t count = 0;
        size_t end = pass == 0 ? g->n_seeds : g->n;
        for (size_t i = 0; i < end; i++) {
            const rg_eval_result *r = &g->res[i];
            bool ok = pass < 2 ? r->violation <= 0.0 : r->violation < 1e300;
            for (size_t j = 0; j < g->m && ok; j++)
                ok = isfinite(r->fitness[j]) && fabs(r->fitness[j]) < 1e300;
            if (!ok)
                continue;
            for (size_t j = 0; j < g->m; j++) {
                double f = r->fitness[j];
                lo[j] = count ? fmin(lo[j], f) : f;
                hi[j] = count ? fmax(hi[j], f) : f;
            }
            count++;
        }
        if (count == 0)
            continue;
        for (size_t j = 0; j < g->m; j++)
            g->ref[j] = hi[j] + fmax(fmax(0.1 * (hi[j] - lo[j]), 0.01 * fabs(hi[j])), 1e-6);
        g->ref_rule = (rg_reference_rule)(RG_HVREF_BASELINES + pass);
        return;
    }
    for (size_t j = 0; j < g->m; j++)
        g->ref[j] = 1.0;
    g->ref_rule = RG_HVREF_UNIT;
}

/* A batch with a canceled evaluation is not a result (nsga2.h). */
static bool canceled(const rg_eval_result res[], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (res[i].flags & RG_RES_CANCELED)
            return true;
    return false;
}

static void assign(rg_nsga2 *g)
{
    rg_nsga2_rank_and_crowd(&g->sort, g->res, g->n, g->rank, g->crowd);
}

int rg_nsga2_init(rg_nsga2 *g, rg_batch_fn eval, void *ctx, const double seeds[],
                  size_t n_seeds)
{
    if (!g || !eval)
        return RG_EINVAL;
    g->eval = eval;
    g->ctx = ctx;
    gsl_rng_set(g->rng, g->set.seed);
    g->n_seeds = n_seeds < g->n ? n_seeds : g->n;
    if (g->n_seeds)
        memcpy(g->genomes, seeds, g->n_seeds * g->len * sizeof(double));
    for (size_t i = g->n_seeds; i < g->n; i++)
        rg_encoding_random(g->enc, g->rng, g->genomes + i * g->len);
    memset(g->res, 0, g->n * sizeof *g->res);
    int rc = eval(ctx, g->n, g->len, g->genomes, g->res);
    if (rc == RG_OK && canceled(g->res, g->n))
        rc = RG_ECANCELED;
    if (rc != RG_OK)
        return rc;
    g->evaluations = g->n;
    g->generation = 0;
    g->n_base = g->n_seeds;
    memcpy(g->base, g->res, g->n_base * sizeof *g->base);
    if (g->set.has_reference) {
        memcpy(g->ref, g->set.reference, sizeof g->ref);
        g->ref_rule = RG_HVREF_GIVEN;
    } else
        default_reference(g);
    assign(g);
    g->n_hv = 0;
    if (rg_archive_load(g->arch, NULL, NULL, 0) != RG_OK)
        return RG_EINVAL;
    rc = rg_archive_offer(g->arch, g->genomes, g->res, g->n, g->ref);
    if (rc == RG_OK)
        rc = record_hv(g);
    if (rc != RG_OK)
        return rc;
    g->ready = true;
    return RG_OK;
}

int rg_nsga2_step(rg_nsga2 *g)
{
    if (!g || !g->ready)
        return RG_EINVAL;
    size_t n = g->n;
    memcpy(g->rng_saved, gsl_rng_state(g->rng), gsl_rng_size(g->rng));
    rg_nsga2_make_children(g);
    memset(g->res + n, 0, n * sizeof *g->res);
    int rc = g->eval(g->ctx, n, g->len, g->genomes + n * g->len, g->res + n);
    if (rc == RG_OK && canceled(g->res + n, n))
        rc = RG_ECANCELED;
    if (rc != RG_OK) { /* the generation did not happen: its draws are undone too */
        memcpy(gsl_rng_state(g->rng), g->rng_saved, gsl_rng_size(g->rng));
        return rc;
    }
    g->evaluations += n;
    /* the archive observes the children before selection; it never changes selection */
    rc = rg_archive_offer(g->arch, g->genomes + n * g->len, g->res + n, n, g->ref);
    if (rc != RG_OK)
        return rc;
    rg_nsga2_select_survivors(g);
    assign(g);
    g->generation++;
    return record_hv(g);
}

bool rg_nsga2_done(const rg_nsga2 *g)
{
    return g->generation >= g->set.generations;
}

size_t rg_nsga2_population(const rg_nsga2 *g)
{
    return g->n;
}
size_t rg_nsga2_genome_length(const rg_nsga2 *g)
{
    return g->len;
}
size_t rg_nsga2_n_objectives(const rg_nsga2 *g)
{
    return g->m;
}
const double *rg_nsga2_genomes(const rg_nsga2 *g)
{
    return g->genomes;
}
const rg_eval_result *rg_nsga2_results(const rg_nsga2 *g)
{
    return g->res;
}
const size_t *rg_nsga2_ranks(const rg_nsga2 *g)
{
    return g->rank;
}
const double *rg_nsga2_crowding(const rg_nsga2 *g)
{
    return g->crowd;
}
size_t rg_nsga2_generation(const rg_nsga2 *g)
{
    return g->generation;
}
size_t rg_nsga2_evaluations(const rg_nsga2 *g)
{
    return g->evaluations;
}
size_t rg_nsga2_n_seeds(const rg_nsga2 *g)
{
    return g->n_seeds;
}
const double *rg_nsga2_reference(const rg_nsga2 *g)
{
    return g->ref;
}
rg_reference_rule rg_nsga2_reference_rule(const rg_nsga2 *g)
{
    return g->ref_rule;
}

const char *rg_reference_rule_name(rg_reference_rule r)
{
    switch (r) {
    case RG_HVREF_GIVEN: return "optimize.reference_point";
    case RG_HVREF_BASELINES: return "derived from the feasible baselines";
    case RG_HVREF_FEASIBLE_FIRST: return "derived from the feasible first population";
    case RG_HVREF_FIRST: return "derived from the first population (no feasible member)";
    case RG_HVREF_UNIT: return "unit (no usable evaluation)";
    }
    return "unknown";
}

size_t rg_nsga2_front(const rg_nsga2 *g, size_t idx[])
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->rank[i] == 0)
            idx[k++] = i;
    return k;
}

const double *rg_nsga2_hv_history(const rg_nsga2 *g, size_t *n)
{
    *n = g->n_hv;
    return g->hv_hist;
}

const rg_archive *rg_nsga2_archive(const rg_nsga2 *g)
{
    return g->arch;
}

const double *rg_nsga2_archive_hv_history(const rg_nsga2 *g, size_t *n)
{
    *n = g->n_hv;
    return g->arch_hv_hist;
}

int rg_nsga2_export(const rg_nsga2 *g, rg_nsga2_state *s)
{
    if (!g || !s || !g->ready)
        return RG_EINVAL;
    memset(s, 0, sizeof *s);
    s->population = g->n;
    s->genome_length = g->len;
    s->n_obj = g->m;
    s->generation = g->generation;
    s->evaluations = g->evaluations;
    s->n_seeds = g->n_seeds;
    s->genomes = g->genomes;
    s->results = g->res;
    s->rng_state = gsl_rng_state(g->rng);
    s->rng_size = gsl_rng_size(g->rng);
    s->hv_history = g->hv_hist;
    s->n_hv = g->n_hv;
    memcpy(s->reference, g->ref, sizeof s->reference);
    s->reference_rule = (int)g->ref_rule;
    s->baselines = g->base;
    s->n_baselines = g->n_base;
    s->archive_size = rg_archive_size(g->arch);
    s->archive_genomes = rg_archive_genomes(g->arch);
    s->archive_results = rg_archive_results(g->arch);
    s->archive_hv_history = g->arch_hv_hist;
    return RG_OK;
}

int rg_nsga2_import(rg_nsga2 *g, const rg_nsga2_state *s, rg_batch_fn eval, void *ctx)
{
    if (!g || !s || !eval || s->population != g->n || s->genome_length != g->len ||
        s->n_obj != g->m || s->rng_size != gsl_rng_size(g->rng) || !s->genomes || !s->results ||
        !s->rng_state || s->n_hv != s->generation + 1 || !s->hv_history || s->n_seeds > g->n ||
        s->n_baselines != s->n_seeds || (s->n_baselines && !s->baselines) ||
        !s->archive_hv_history)
        return RG_EINVAL; /* a seeded run needs its baselines to resume identically */
    int rc = rg_archive_load(g->arch, s->archive_genomes, s->archive_results, s->archive_size);
    if (rc != RG_OK)
        return rc;
    g->n_hv = 0;
    for (size_t i = 0; i < s->n_hv; i++)
        if (push_hv(g, s->hv_history[i], s->archive_hv_history[i]) != RG_OK)
            return RG_ENOMEM;
    memcpy(g->genomes, s->genomes, g->n * g->len * sizeof(double));
    memcpy(g->res, s->results, g->n * sizeof *g->res);
    memcpy(gsl_rng_state(g->rng), s->rng_state, s->rng_size);
    memcpy(g->ref, s->reference, sizeof g->ref);
    g->ref_rule = s->reference_rule >= RG_HVREF_GIVEN && s->reference_rule <= RG_HVREF_UNIT
                      ? (rg_reference_rule)s->reference_rule
                      : RG_HVREF_GIVEN;
    g->generation = s->generation;
    g->evaluations = s->evaluations;
    g->n_seeds = s->n_seeds;
    g->n_base = s->n_baselines;
    if (g->n_base)
        memcpy(g->base, s->baselines, g->n_base * sizeof *g->base);
    g->eval = eval;
    g->ctx = ctx;
    assign(g);
    g->ready = true;
    return RG_OK;
}
