/* Checkpoints: results part + /state group, written atomically (checkpoint.h). */
#include "regimen/checkpoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5util.h"
#include "regimen/nsga2.h"
#include "regimen/safefile.h"

#define F64 H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE
#define U64 H5T_NATIVE_UINT64, H5T_STD_U64LE
#define U32 H5T_NATIVE_UINT32, H5T_STD_U32LE
#define I32 H5T_NATIVE_INT32, H5T_STD_I32LE
#define U8 H5T_NATIVE_UINT8, H5T_STD_U8LE

rg_checkpoint *rg_checkpoint_alloc(void)
{
    rg_checkpoint *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->results = rg_results_alloc();
    if (!c->results) {
        free(c);
        return NULL;
    }
    c->reference_rule = -1;
    return c;
}

void rg_checkpoint_free(rg_checkpoint *c)
{
    if (!c)
        return;
    rg_results_free(c->results);
    free(c->genomes);
    free(c->evals);
    free(c->baselines);
    free(c->rng_state);
    free(c->optimizer_state);
    free(c->hv_history);
    free(c->archive_genomes);
    free(c->archive_evals);
    free(c->archive_hv_history);
    free(c);
}

int rg_checkpoint_set_hv_history(rg_checkpoint *c, const double hv[], size_t n)
{
    double *h = malloc((n ? n : 1) * sizeof *h);
    if (!h)
        return RG_ENOMEM;
    if (n)
        memcpy(h, hv, n * sizeof *h);
    free(c->hv_history);
    c->hv_history = h;
    c->n_hv = n;
    return RG_OK;
}

int rg_checkpoint_alloc_population(rg_checkpoint *c, size_t n, size_t genome_length)
{
    free(c->genomes);
    free(c->evals);
    size_t cells = n * genome_length;
    c->genomes = calloc(cells > 0 ? cells : 1, sizeof *c->genomes);
    c->evals = calloc(n ? n : 1, sizeof *c->evals);
    c->n = n;
    c->genome_length = genome_length;
    return c->genomes && c->evals ? RG_OK : RG_ENOMEM;
}

int rg_checkpoint_save_rng(rg_checkpoint *c, const gsl_rng *rng)
{
    size_t size = gsl_rng_size(rng);
    unsigned char *s = malloc(size ? size : 1);
    if (!s)
        return RG_ENOMEM;
    memcpy(s, gsl_rng_state(rng), size);
    free(c->rng_state);
    c->rng_state = s;
    c->rng_size = size;
    snprintf(c->rng_name, sizeof c->rng_name, "%s", gsl_rng_name(rng));
    return RG_OK;
}

int rg_checkpoint_restore_rng(const rg_checkpoint *c, gsl_rng *rng)
{
    if (strcmp(c->rng_name, gsl_rng_name(rng)) || c->rng_size != gsl_rng_size(rng) ||
        !c->rng_state)
        return RG_EFORMAT;
    memcpy(gsl_rng_state(rng), c->rng_state, c->rng_size);
    return RG_OK;
}

int rg_checkpoint_set_optimizer_state(rg_checkpoint *c, const void *state, size_t size)
{
    unsigned char *s = malloc(size ? size : 1);
    if (!s)
        return RG_ENOMEM;
    if (size)
        memcpy(s, state, size);
    free(c->optimizer_state);
    c->optimizer_state = s;
    c->optimizer_state_size = size;
    return RG_OK;
}

/* The optimizer settings as attributes of /state/settings: integers go through a
 * settings_buf (fixed-width file types), reals straight to and from the rg_optimize. */
typedef struct {
    int32_t enc, obj[RG_MAX_OBJ], drugs[RG_MAX_DRUGS];
    uint64_t pop, gens, seed, nobj, nd, nl;
} settings_buf;

typedef struct {
    const char *name;
    hid_t memtype, filetype;
    size_t n; /* 0: a scalar */
    void *data;
} settings_attr;

#define N_SETTINGS 14

/* The one list of settings attributes, in file order, written by put_settings and read by
 * get_settings. */
static void settings_attrs(settings_buf *b, rg_optimize *o, settings_attr a[N_SETTINGS])
{
    const settings_attr list[N_SETTINGS] = {
        {"encoding", I32, 0, &b->enc},
        {"population", U64, 0, &b->pop},
        {"generations", U64, 0, &b->gens},
        {"seed", U64, 0, &b->seed},
        {"n_objectives", U64, 0, &b->nobj},
        {"objectives", I32, RG_MAX_OBJ, b->obj},
        {"n_drugs", U64, 0, &b->nd},
        {"drugs", I32, RG_MAX_DRUGS, b->drugs},
        {"n_levels", U64, 0, &b->nl},
        {"dose_levels", F64, RG_MAX_LEVELS, o->dose_levels},
        {"crossover_probability", F64, 0, &o->crossover_probability},
        {"mutation_probability", F64, 0, &o->mutation_probability},
        {"sbx_eta", F64, 0, &o->sbx_eta},
        {"pm_eta", F64, 0, &o->pm_eta},
    };
    memcpy(a, list, sizeof list);
}

static void put_settings(rg_h5 *h, hid_t g, const rg_optimize *o)
{
    rg_optimize copy = *o;
    settings_buf b = {0};
    b.enc = (int32_t)o->encoding;
    b.pop = o->population;
    b.gens = o->generations;
    b.seed = o->seed;
    for (size_t m = 0; m < RG_MAX_OBJ; m++)
        b.obj[m] = m < o->n_objectives ? o->objectives[m] : -1;
    for (size_t d = 0; d < RG_MAX_DRUGS; d++)
        b.drugs[d] = d < o->n_drugs ? o->drugs[d] : -1;
    b.nobj = o->n_objectives;
    b.nd = o->n_drugs;
    b.nl = o->n_levels;
    settings_attr a[N_SETTINGS];
    settings_attrs(&b, &copy, a);
    for (size_t k = 0; k < N_SETTINGS; k++)
        rg_h5_attr_num(h, g, a[k].name, a[k].memtype, a[k].filetype, a[k].n, a[k].data);
}

static void get_settings(rg_h5 *h, hid_t g, rg_optimize *o)
{
    settings_buf b = {0};
    settings_attr a[N_SETTINGS];
    settings_attrs(&b, o, a);
    for (size_t k = 0; k < N_SETTINGS; k++)
        rg_h5_read_attr_num(h, g, a[k].name, a[k].memtype, a[k].n, a[k].data);
    if (h->status != RG_OK)
        return;
    if (b.nobj > RG_MAX_OBJ || b.nd > RG_MAX_DRUGS || b.nl > RG_MAX_LEVELS) {
        rg_h5_fail(h, RG_EFORMAT, "settings out of range in /state/settings");
        return;
    }
    o->encoding = (rg_encoding_kind)b.enc;
    o->population = (size_t)b.pop;
    o->generations = (size_t)b.gens;
    o->seed = (unsigned long)b.seed;
    o->n_objectives = (size_t)b.nobj;
    o->n_drugs = (size_t)b.nd;
    o->n_levels = (size_t)b.nl;
    for (size_t m = 0; m < RG_MAX_OBJ; m++)
        o->objectives[m] = b.obj[m];
    for (size_t d = 0; d < RG_MAX_DRUGS; d++)
        o->drugs[d] = b.drugs[d];
}

/* n evaluation records as the datasets values, fitness (N x M), violation, flags, reasons
 * (N) in group g. */
static void put_evals(rg_h5 *h, hid_t g, const rg_eval_result *ev, size_t N, size_t M)
{
    if (h->status != RG_OK)
        return;
    size_t NM = N * M > 0 ? N * M : 1;
    double *value = malloc(NM * sizeof *value);
    double *fitness = malloc(NM * sizeof *fitness);
    double *viol = malloc((N ? N : 1) * sizeof *viol);
    uint32_t *flags = malloc((N ? N : 1) * sizeof *flags);
    char(*reasons)[RG_REASON_MAX] = malloc((N ? N : 1) * sizeof *reasons);
    if (!value || !fitness || !viol || !flags || !reasons) {
        rg_h5_fail(h, RG_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < N; i++) {
        for (size_t m = 0; m < M; m++) {
            value[i * M + m] = ev[i].value[m];
            fitness[i * M + m] = ev[i].fitness[m];
        }
        viol[i] = ev[i].violation;
        flags[i] = ev[i].flags;
        memcpy(reasons[i], ev[i].reason, RG_REASON_MAX);
        reasons[i][RG_REASON_MAX - 1] = '\0';
    }
    hsize_t dm[2] = {N, M}, d1[1] = {N};
    rg_h5_dset(h, g, "values", F64, 2, dm, value, 0);
    rg_h5_dset(h, g, "fitness", F64, 2, dm, fitness, 0);
    rg_h5_dset(h, g, "violation", F64, 1, d1, viol, 0);
    rg_h5_dset(h, g, "flags", U32, 1, d1, flags, 0);
    rg_h5_dset_strs(h, g, "reasons", N, reasons[0], RG_REASON_MAX);
done:
    free(value);
    free(fitness);
    free(viol);
    free(flags);
    free(reasons);
}

/* Group /state/archive: the bound (attribute), genomes, evaluation records and the
 * hypervolume per generation of the archive. */
static void put_archive(rg_h5 *h, hid_t st, const rg_checkpoint *c, size_t M)
{
    hid_t a = rg_h5_group(h, st, "archive");
    if (a < 0)
        return;
    rg_h5_attr_num(h, a, "bound", U64, 0, &c->archive_bound);
    hsize_t dg[2] = {c->n_archive, c->genome_length}, dh[1] = {c->n_hv};
    rg_h5_dset(h, a, "genomes", F64, 2, dg, c->archive_genomes, 0);
    put_evals(h, a, c->archive_evals, c->n_archive, M);
    rg_h5_dset(h, a, "hv_history", F64, 1, dh, c->archive_hv_history, 0);
    rg_h5_close_group(a);
}

int rg_checkpoint_write(const rg_checkpoint *c, const char *path, rg_diag *diag)
{
    rg_h5_quiet();
    const rg_results *r = c->results;
    size_t N = c->n, L = c->genome_length, M = r->n_obj;
    if (M == 0 || M > RG_MAX_OBJ || (N && (!c->genomes || !c->evals)) || !c->rng_state ||
        c->reference_rule < 0 || c->n_baselines != c->n_seeds ||
        (c->n_baselines && !c->baselines) || !c->archive_hv_history ||
        (c->n_archive && (!c->archive_genomes || !c->archive_evals))) {
        if (diag)
            rg_diag_add(diag, "%s: cannot write checkpoint: incomplete state", path);
        return RG_EINVAL;
    }
    rg_h5 h = {path, diag, RG_OK};
    char tmp[RG_SAFEFILE_PATH_MAX];
    hid_t f = rg_h5_create_tmp(&h, tmp);
    if (f < 0)
        return h.status;
    rg_results_h5_put(&h, f, r, "regimen-checkpoint");
    hid_t g = rg_h5_group(&h, f, "state");
    uint64_t gen = c->generation, target = c->generations_target;
    int32_t rule = c->reference_rule;
    rg_h5_attr_num(&h, g, "generation", U64, 0, &gen);
    rg_h5_attr_num(&h, g, "generations_target", U64, 0, &target);
    rg_h5_attr_num(&h, g, "evaluations", U64, 0, &c->evaluations);
    rg_h5_attr_num(&h, g, "n_seeds", U64, 0, &c->n_seeds);
    rg_h5_attr_num(&h, g, "reference", F64, M, c->reference);
    rg_h5_attr_num(&h, g, "reference_rule", I32, 0, &rule);
    hsize_t dh[1] = {c->n_hv};
    rg_h5_dset(&h, g, "hv_history", F64, 1, dh, c->hv_history, 0);
    rg_h5_attr_str(&h, g, "rng_type", c->rng_name);
    hsize_t dg[2] = {N, L};
    rg_h5_dset(&h, g, "genomes", F64, 2, dg, c->genomes, 0);
    put_evals(&h, g, c->evals, N, M);
    hid_t b = rg_h5_group(&h, g, "baselines");
    if (b >= 0)
        put_evals(&h, b, c->baselines, c->n_baselines, M);
    rg_h5_close_group(b);
    put_archive(&h, g, c, M);
    hsize_t dr[1] = {c->rng_size};
    rg_h5_dset(&h, g, "rng_state", U8, 1, dr, c->rng_state, 0);
    if (c->optimizer_state) {
        hsize_t ds[1] = {c->optimizer_state_size};
        rg_h5_dset(&h, g, "optimizer_state", U8, 1, ds, c->optimizer_state, 0);
    }
    hid_t s = rg_h5_group(&h, g, "settings");
    if (s >= 0)
        put_settings(&h, s, &c->settings);
    rg_h5_close_group(s);
    rg_h5_close_group(g);
    return rg_h5_commit_tmp(&h, f, tmp, true);
}

/* Reads the evaluation records of group g (put_evals), which must hold N of them; `where`
 * names the group in messages. *out is allocated (N rows, at least one). */
static void get_evals(rg_h5 *h, hid_t g, const char *where, size_t N, size_t M,
                      rg_eval_result **out)
{
    double *value = NULL, *fitness = NULL, *viol = NULL;
    uint32_t *flags = NULL;
    char *reasons = NULL;
    hsize_t dm[2], d1[1];
    rg_h5_read_dset(h, g, "values", H5T_NATIVE_DOUBLE, sizeof(double), 2, dm, (void **)&value);
    if (h->status == RG_OK && (dm[0] != N || dm[1] != M))
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s/values' has the wrong shape", where);
    rg_h5_read_dset(h, g, "fitness", H5T_NATIVE_DOUBLE, sizeof(double), 2, dm,
                    (void **)&fitness);
    if (h->status == RG_OK && (dm[0] != N || dm[1] != M))
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s/fitness' has the wrong shape", where);
    rg_h5_read_dset(h, g, "violation", H5T_NATIVE_DOUBLE, sizeof(double), 1, d1,
                    (void **)&viol);
    if (h->status == RG_OK && d1[0] != N)
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s/violation' has the wrong shape", where);
    rg_h5_read_dset(h, g, "flags", H5T_NATIVE_UINT32, sizeof(uint32_t), 1, d1, (void **)&flags);
    if (h->status == RG_OK && d1[0] != N)
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s/flags' has the wrong shape", where);
    size_t nr = 0;
    if (h->status == RG_OK) {
        reasons = calloc(N ? N : 1, RG_REASON_MAX);
        if (!reasons)
            rg_h5_fail(h, RG_ENOMEM, "out of memory");
    }
    rg_h5_read_dset_strs(h, g, "reasons", reasons, RG_REASON_MAX, N, &nr);
    if (h->status == RG_OK && nr != N)
        rg_h5_fail(h, RG_EFORMAT, "dataset '%s/reasons' has the wrong length", where);
    if (h->status == RG_OK) {
        *out = calloc(N ? N : 1, sizeof **out);
        if (!*out)
            rg_h5_fail(h, RG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; h->status == RG_OK && i < N; i++) {
        for (size_t m = 0; m < M; m++) {
            (*out)[i].value[m] = value[i * M + m];
            (*out)[i].fitness[m] = fitness[i * M + m];
        }
        (*out)[i].violation = viol[i];
        (*out)[i].flags = flags[i];
        memcpy((*out)[i].reason, reasons + i * RG_REASON_MAX, RG_REASON_MAX);
        (*out)[i].reason[RG_REASON_MAX - 1] = '\0';
    }
    free(value);
    free(fitness);
    free(viol);
    free(flags);
    free(reasons);
}

/* The values of a state that a resume would use unchecked: finite genomes, reference point
 * and hypervolumes, violations that are numbers >= 0, and a generator state that GSL's
 * mt19937 can take (gsl/rng/mt.c: 624 words, then the index mti in 0..624, which
 * mt_get uses to index the words). */
static void check_state(rg_h5 *h, const rg_checkpoint *c, size_t M)
{
    for (size_t i = 0; h->status == RG_OK && i < c->n * c->genome_length; i++)
        if (!isfinite(c->genomes[i]))
            rg_h5_fail(h, RG_EFORMAT, "dataset 'state/genomes' holds a non-finite value (%g)",
                       c->genomes[i]);
    for (size_t m = 0; h->status == RG_OK && m < M; m++)
        if (!isfinite(c->reference[m]))
            rg_h5_fail(h, RG_EFORMAT, "attribute 'state/reference' holds a non-finite value");
    for (size_t i = 0; h->status == RG_OK && i < c->n_hv; i++)
        if (!isfinite(c->hv_history[i]))
            rg_h5_fail(h, RG_EFORMAT, "dataset 'state/hv_history' holds a non-finite value");
    for (size_t i = 0; h->status == RG_OK && i < c->n; i++)
        if (!(c->evals[i].violation >= 0))
            rg_h5_fail(h, RG_EFORMAT, "dataset 'state/violation' holds %g, not a number >= 0",
                       c->evals[i].violation);
    if (h->status != RG_OK)
        return;
    const size_t words = 624;
    if (strcmp(c->rng_name, gsl_rng_mt19937->name)) {
        rg_h5_fail(h, RG_EFORMAT, "attribute 'state/rng_type' is '%s', regimen uses mt19937",
                   c->rng_name);
    } else if (c->rng_size != gsl_rng_mt19937->size ||
               c->rng_size < words * sizeof(unsigned long) + sizeof(int)) {
        rg_h5_fail(h, RG_EFORMAT, "dataset 'state/rng_state' holds %zu bytes, mt19937's %zu",
                   c->rng_size, gsl_rng_mt19937->size);
    } else {
        int mti;
        memcpy(&mti, c->rng_state + words * sizeof(unsigned long), sizeof mti);
        if (mti < 0 || mti > (int)words)
            rg_h5_fail(h, RG_EFORMAT,
                       "dataset 'state/rng_state' is not an mt19937 state "
                       "(index %d outside 0 to 624)",
                       mti);
    }
}

/* Reads group /state/archive (put_archive) of a state with c->genome_length genes and
 * c->n_hv generations. */
static void get_archive(rg_h5 *h, hid_t st, rg_checkpoint *c, size_t M)
{
    hid_t a = rg_h5_open_group(h, st, "archive");
    if (a < 0)
        return;
    rg_h5_read_attr_num(h, a, "bound", H5T_NATIVE_UINT64, 0, &c->archive_bound);
    hsize_t dg[2] = {0, 0}, dh[1] = {0};
    rg_h5_read_dset(h, a, "genomes", H5T_NATIVE_DOUBLE, sizeof(double), 2, dg,
                    (void **)&c->archive_genomes);
    c->n_archive = (size_t)dg[0];
    if (h->status == RG_OK && dg[1] != c->genome_length)
        rg_h5_fail(h, RG_EFORMAT, "dataset 'state/archive/genomes' has the wrong shape");
    if (h->status == RG_OK)
        get_evals(h, a, "state/archive", c->n_archive, M, &c->archive_evals);
    rg_h5_read_dset(h, a, "hv_history", H5T_NATIVE_DOUBLE, sizeof(double), 1, dh,
                    (void **)&c->archive_hv_history);
    if (h->status == RG_OK && (dh[0] != c->n_hv || !c->archive_hv_history))
        rg_h5_fail(h, RG_EFORMAT, "dataset 'state/archive/hv_history' has the wrong length");
    rg_h5_close_group(a);
}

int rg_checkpoint_read(const char *path, rg_checkpoint **out, rg_diag *diag)
{
    *out = NULL;
    rg_h5 h = {path, diag, RG_OK};
    hid_t f = rg_h5_open_file(&h, path);
    if (f < 0)
        return h.status;
    rg_checkpoint *c = rg_checkpoint_alloc();
    if (!c) {
        H5Fclose(f);
        return RG_ENOMEM;
    }
    char *format = c->results->format;
    rg_results_h5_get(&h, f, c->results, format, sizeof c->results->format);
    if (h.status == RG_OK && strcmp(format, "regimen-checkpoint"))
        rg_h5_fail(&h, RG_EFORMAT, "a results file, not a checkpoint (format '%s')", format);
    hid_t g = rg_h5_open_group(&h, f, "state");
    size_t M = c->results->n_obj;
    if (g >= 0) {
        uint64_t gen = 0, target = 0;
        int32_t rule = -1;
        rg_h5_read_attr_num(&h, g, "generation", H5T_NATIVE_UINT64, 0, &gen);
        rg_h5_read_attr_num(&h, g, "generations_target", H5T_NATIVE_UINT64, 0, &target);
        rg_h5_read_attr_str(&h, g, "rng_type", c->rng_name, sizeof c->rng_name);
        c->generation = gen;
        c->generations_target = target;
        rg_h5_read_attr_num(&h, g, "evaluations", H5T_NATIVE_UINT64, 0, &c->evaluations);
        rg_h5_read_attr_num(&h, g, "n_seeds", H5T_NATIVE_UINT64, 0, &c->n_seeds);
        if (h.status == RG_OK && M > 0)
            rg_h5_read_attr_num(&h, g, "reference", H5T_NATIVE_DOUBLE, M, c->reference);
        rg_h5_read_attr_num(&h, g, "reference_rule", H5T_NATIVE_INT32, 0, &rule);
        if (h.status == RG_OK && (rule < RG_HVREF_GIVEN || rule > RG_HVREF_UNIT))
            rg_h5_fail(&h, RG_EFORMAT, "attribute 'state/reference_rule' out of range (%d)",
                       (int)rule);
        c->reference_rule = rule;
        hsize_t dh[1];
        rg_h5_read_dset(&h, g, "hv_history", H5T_NATIVE_DOUBLE, sizeof(double), 1, dh,
                        (void **)&c->hv_history);
        c->n_hv = (size_t)dh[0];
        hsize_t dims[2], d1[1];
        rg_h5_read_dset(&h, g, "genomes", H5T_NATIVE_DOUBLE, sizeof(double), 2, dims,
                        (void **)&c->genomes);
        c->n = (size_t)dims[0];
        c->genome_length = (size_t)dims[1];
        if (h.status == RG_OK)
            get_evals(&h, g, "state", c->n, M, &c->evals);
        if (h.status == RG_OK && c->n_seeds > c->n)
            rg_h5_fail(&h, RG_EFORMAT, "attribute 'state/n_seeds' exceeds the population");
        hid_t b = rg_h5_open_group(&h, g, "baselines");
        if (b >= 0) {
            c->n_baselines = (size_t)c->n_seeds;
            get_evals(&h, b, "state/baselines", c->n_baselines, M, &c->baselines);
        }
        rg_h5_close_group(b);
        rg_h5_read_dset(&h, g, "rng_state", H5T_NATIVE_UINT8, 1, 1, d1, (void **)&c->rng_state);
        c->rng_size = (size_t)d1[0];
        if (h.status == RG_OK && (c->rng_size == 0 || !c->rng_state))
            rg_h5_fail(&h, RG_EFORMAT, "dataset 'state/rng_state' is empty");
        if (h.status == RG_OK && rg_h5_exists(g, "optimizer_state")) {
            rg_h5_read_dset(&h, g, "optimizer_state", H5T_NATIVE_UINT8, 1, 1, d1,
                            (void **)&c->optimizer_state);
            c->optimizer_state_size = (size_t)d1[0];
            if (h.status == RG_OK && !c->optimizer_state)
                c->optimizer_state = malloc(1);
        }
        hid_t s = rg_h5_open_group(&h, g, "settings");
        if (s >= 0)
            get_settings(&h, s, &c->settings);
        rg_h5_close_group(s);
        if (h.status == RG_OK && c->genome_length != c->results->genome_length)
            rg_h5_fail(&h, RG_EFORMAT, "state genomes have %zu genes, the run %zu",
                       c->genome_length, c->results->genome_length);
        check_state(&h, c, M);
        if (h.status == RG_OK)
            get_archive(&h, g, c, M);
        rg_h5_close_group(g);
    }
    H5Fclose(f);
    if (h.status != RG_OK) {
        rg_checkpoint_free(c);
        return h.status;
    }
    *out = c;
    return RG_OK;
}

/* The patients stored in a checkpoint are the problem's own (names, parameters, values bit
 * for bit); a checkpoint without stored values matches any. */
static bool same_patients(const rg_results *r, const rg_cohort *c)
{
    if (r->n_cohort_params == 0 || !r->patient_values)
        return true;
    if (!c || c->n_patients != r->n_patients || c->n_params != r->n_cohort_params)
        return false;
    for (size_t i = 0; i < c->n_patients; i++)
        if (strcmp(c->names[i], r->patient_names[i]))
            return false;
    for (size_t j = 0; j < c->n_params; j++)
        if (strcmp(c->params[j], r->cohort_params[j]))
            return false;
    return !memcmp(c->values, r->patient_values, c->n_patients * c->n_params * sizeof(double));
}

int rg_checkpoint_check(const rg_checkpoint *c, const rg_problem *p, const char *path,
                        rg_diag *diag)
{
    char a[17], b[17];
    rg_results_text_hash(c->results->problem_text, a);
    rg_results_text_hash(p->text, b);
    const rg_optimize *o = &p->optimize, *s = &c->settings;
    const char *what = NULL;
    char buf[400];
    if (strcmp(a, b) || strcmp(c->results->problem_text ? c->results->problem_text : "",
                               p->text ? p->text : "")) {
        snprintf(buf, sizeof buf,
                 "it belongs to a different problem ('%s', text hash %s; "
                 "this problem's text hash is %s)",
                 c->results->problem_name, a, b);
        what = buf;
    } else if (!same_patients(c->results, p->cohort)) {
        what = "its cohort's patients differ from this problem's (a changed table file?)";
    } else if (s->population != o->population) {
        snprintf(buf, sizeof buf, "population %zu, this run %zu", s->population, o->population);
        what = buf;
    } else if (s->seed != o->seed) {
        snprintf(buf, sizeof buf, "seed %lu, this run %lu", s->seed, o->seed);
        what = buf;
    } else if (s->encoding != o->encoding || s->n_objectives != o->n_objectives ||
               memcmp(s->objectives, o->objectives, o->n_objectives * sizeof(int))) {
        what = "different encoding or objectives";
    } else if (s->crossover_probability != o->crossover_probability ||
               s->mutation_probability != o->mutation_probability || s->sbx_eta != o->sbx_eta ||
               s->pm_eta != o->pm_eta) {
        what = "different variation settings";
    }
    if (!what)
        return RG_OK;
    if (diag)
        rg_diag_add(diag, "%s: cannot resume from this checkpoint: %s", path, what);
    return RG_EINVAL;
}
