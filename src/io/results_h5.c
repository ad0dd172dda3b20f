/* rg_results <-> HDF5 (layout: docs/results-format.md). Serial HDF5, master only. */
#include "regimen/results.h"

#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "h5util.h"
#include "results_checks.h"
#include "results_genes.h"
#include "regimen/nsga2.h"
#include "regimen/safefile.h"

#define F64 H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE
#define U64 H5T_NATIVE_UINT64, H5T_STD_U64LE
#define U32 H5T_NATIVE_UINT32, H5T_STD_U32LE
#define I32 H5T_NATIVE_INT32, H5T_STD_I32LE
#define I8 H5T_NATIVE_INT8, H5T_STD_I8LE

static const char *encoding_name(rg_encoding_kind e)
{
    switch (e) {
    case RG_ENC_SCHEDULE: return "schedule";
    case RG_ENC_ADAPTIVE_RULE: return "adaptive_rule";
    case RG_ENC_BENCHMARK: return "benchmark";
    }
    return "unknown";
}

static int encoding_parse(const char *s, rg_encoding_kind *e)
{
    if (!strcmp(s, "schedule"))
        *e = RG_ENC_SCHEDULE;
    else if (!strcmp(s, "adaptive_rule"))
        *e = RG_ENC_ADAPTIVE_RULE;
    else if (!strcmp(s, "benchmark"))
        *e = RG_ENC_BENCHMARK;
    else
        return -1;
    return 0;
}

/* Units of an objective named as in problem files (docs/model.md section 9). */
const char *rg_results_objective_units(const char *name)
{
    static const struct {
        const char *name, *units;
    } u[] = {
        {"ttp", "days"},
        {"resistant_burden", "log10(1 + cells)"},
        {"emergence_hazard", "log10(expected de novo resistant lineages alive + 1e-12)"},
        {"resistance_probability", "probability (1)"},
        {"final_burden", "log10(1 + cells)"},
        {"dose_intensity", "toxicity-weighted fraction of the maximum dose (1)"},
        {"time_to_emergence", "days"},
        {"neutrophil_nadir", "1e9 cells/L"},
        {"resistant_fraction", "fraction of the burden (1)"},
    };
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (!strcmp(name, u[i].name))
            return u[i].units;
    return "1";
}

/* The root attributes (provenance, objectives, reference point, sizes) and the problem
 * text. */
static void put_attributes(rg_h5 *h, hid_t f, const rg_results *r, const char *format)
{
    size_t M = r->n_obj, N = r->population, L = r->genome_length;
    char hash[17];
    rg_results_text_hash(r->problem_text, hash);
    const char *units[RG_MAX_OBJ];
    char unit_table[RG_MAX_OBJ][96];
    int8_t maxi[RG_MAX_OBJ];
    for (size_t m = 0; m < M; m++) {
        units[m] = rg_results_objective_units(r->objective_names[m]);
        snprintf(unit_table[m], sizeof unit_table[m], "%s", units[m]);
        maxi[m] = r->maximised[m] ? 1 : 0;
    }
    int32_t fv = RG_RESULTS_FORMAT_VERSION, ranks = r->n_ranks;
    uint64_t seed = r->seed, pop = N, len = L, gens = r->generations, evals = r->evaluations;
    int8_t has_ref = r->has_reference_point ? 1 : 0;

    rg_h5_attr_str(h, f, "format", format);
    rg_h5_attr_num(h, f, "format_version", I32, 0, &fv);
    rg_h5_attr_str(h, f, "regimen_version", r->version);
    rg_h5_attr_str(h, f, "problem_name", r->problem_name);
    rg_h5_attr_str(h, f, "problem_hash", hash);
    rg_h5_attr_str(h, f, "command_line", r->command_line);
    rg_h5_attr_num(h, f, "seed", U64, 0, &seed);
    rg_h5_attr_num(h, f, "n_ranks", I32, 0, &ranks);
    rg_h5_attr_str(h, f, "start_time", r->start_time);
    rg_h5_attr_str(h, f, "end_time", r->end_time);
    rg_h5_attr_str(h, f, "encoding", encoding_name(r->encoding));
    rg_h5_attr_strs(h, f, "objective_names", M, r->objective_names[0], RG_NAME_MAX);
    rg_h5_attr_strs(h, f, "objective_units", M, unit_table[0], sizeof unit_table[0]);
    rg_h5_attr_num(h, f, "objective_maximised", I8, M, maxi);
    rg_h5_attr_num(h, f, "has_reference_point", I8, 0, &has_ref);
    rg_h5_attr_num(h, f, "reference_point", F64, M, r->reference_point);
    if (r->reference_rule >= RG_HVREF_GIVEN && r->reference_rule <= RG_HVREF_UNIT)
        rg_h5_attr_str(h, f, "reference_rule",
                       rg_reference_rule_name((rg_reference_rule)r->reference_rule));
    rg_h5_attr_num(h, f, "population", U64, 0, &pop);
    rg_h5_attr_num(h, f, "genome_length", U64, 0, &len);
    rg_h5_attr_num(h, f, "generations", U64, 0, &gens);
    rg_h5_attr_num(h, f, "evaluations", U64, 0, &evals);
    rg_h5_dset_str(h, f, "problem_text", r->problem_text);
    rg_h5_describe(h, f, "problem_text", NULL, "the problem file the run read, verbatim");
    rg_results_h5_put_layout(h, f, r);
}

/* Group /front: the run's front (its archive) with its decoded schedules or rules. */
static void put_front(rg_h5 *h, hid_t f, const rg_results *r)
{
    size_t M = r->n_obj, L = r->genome_length, F = r->front_size;
    hid_t g = rg_h5_group(h, f, "front");
    hsize_t fo[2] = {F, M}, fg[2] = {F, L}, f1[1] = {F};
    int8_t *feas = malloc((F ? F : 1) * sizeof *feas);
    if (!feas)
        rg_h5_fail(h, RG_ENOMEM, "out of memory");
    for (size_t i = 0; feas && i < F; i++)
        feas[i] = r->front_violation && r->front_flags
                      ? rg_results_feasible(r->front_violation[i], r->front_flags[i])
                      : 0;
    rg_h5_attr_strs(h, g, "drug_names", r->n_drugs, r->drug_names[0], RG_NAME_MAX);
    rg_h5_attr_num(h, g, "decision_days", F64, 0, &r->decision_days);
    rg_h5_dset(h, g, "objectives", F64, 2, fo, r->front_objectives, 0);
    rg_h5_describe(h, g, "objectives", "see objective_units",
                   "objective values in natural units [member][objective]");
    rg_h5_dset(h, g, "genomes", F64, 2, fg, r->front_genomes, 0);
    rg_h5_describe(h, g, "genomes", "encoding-specific",
                   "genome of each member [member][gene]");
    rg_h5_dset(h, g, "violation", F64, 1, f1, r->front_violation, 0);
    rg_h5_describe(h, g, "violation", "1", "normalised constraint violation, 0 = feasible");
    rg_h5_dset(h, g, "flags", U32, 1, f1, r->front_flags, 0);
    rg_h5_describe(h, g, "flags", "bit set",
                   "1 censored, 2 infeasible, 4 non-finite, 8 step budget, 16 bad genome, "
                   "32 failed");
    rg_h5_dset(h, g, "feasible", I8, 1, f1, feas, 0);
    rg_h5_describe(h, g, "feasible", "0/1", "1 when violation is 0 and no failure flag is set");
    free(feas);
    if ((r->encoding == RG_ENC_SCHEDULE || r->encoding == RG_ENC_ADAPTIVE_RULE) &&
        r->n_drugs * r->n_intervals > 0) {
        hsize_t dd[3] = {F, r->n_drugs, r->n_intervals};
        rg_h5_dset(h, g, "doses", F64, 3, dd, r->front_doses, 0);
        rg_h5_describe(h, g, "doses", "fraction of MTD",
                       "delivered doses [member][drug][interval]; drugs in drug_names, "
                       "interval k covers [k, k+1) * decision_days");
    }
    rg_results_h5_put_genes(h, g, r);
    if (r->n_rule_params > 0) {
        hsize_t dr[2] = {F, r->n_rule_params};
        rg_h5_dset(h, g, "rule", F64, 2, dr, r->front_rule, 0);
        rg_h5_describe(h, g, "rule", "see parameter_names",
                       "decoded adaptive-rule parameters [member][parameter]");
        hid_t d = H5Dopen2(g, "rule", H5P_DEFAULT);
        if (d >= 0) {
            rg_h5_attr_strs(h, d, "parameter_names", r->n_rule_params, r->rule_param_names[0],
                            RG_NAME_MAX);
            H5Dclose(d);
        }
    }
    rg_h5_close_group(g);
}

/* Group /regimens: the problem's built-in regimens. */
static void put_regimens(rg_h5 *h, hid_t f, const rg_results *r)
{
    size_t M = r->n_obj, R = r->n_regimens;
    hid_t g = rg_h5_group(h, f, "regimens");
    hsize_t ro[2] = {R, M}, r1[1] = {R};
    int8_t rf[RG_MAX_REGIMENS];
    for (size_t i = 0; i < R && i < RG_MAX_REGIMENS; i++)
        rf[i] = r->regimen_violation && r->regimen_flags
                    ? rg_results_feasible(r->regimen_violation[i], r->regimen_flags[i])
                    : 0;
    rg_h5_dset_strs(h, g, "names", R, r->regimen_names[0], RG_NAME_MAX);
    rg_h5_describe(h, g, "names", NULL, "regimen names as in the problem file");
    rg_h5_dset(h, g, "objectives", F64, 2, ro, r->regimen_objectives, 0);
    rg_h5_describe(h, g, "objectives", "see objective_units",
                   "objective values in natural units [regimen][objective]");
    rg_h5_dset(h, g, "violation", F64, 1, r1, r->regimen_violation, 0);
    rg_h5_describe(h, g, "violation", "1", "normalised constraint violation, 0 = feasible");
    rg_h5_dset(h, g, "flags", U32, 1, r1, r->regimen_flags, 0);
    rg_h5_describe(h, g, "flags", "bit set", "as front/flags");
    rg_h5_dset(h, g, "feasible", I8, 1, r1, rf, 0);
    rg_h5_describe(h, g, "feasible", "0/1", "1 when violation is 0 and no failure flag is set");
    rg_h5_close_group(g);
}

void rg_results_h5_put(rg_h5 *h, hid_t f, const rg_results *r, const char *format)
{
    put_attributes(h, f, r, format);
    rg_results_h5_put_history(h, f, r);
    put_front(h, f, r);
    put_regimens(h, f, r);
    /* a checkpoint has no trajectories: they are computed at the end of the run */
    if (r->n_visits > 0 && strcmp(format, "regimen-checkpoint"))
        rg_results_h5_put_trajectories(h, f, r);
    rg_results_h5_put_cohort(h, f, r, strcmp(format, "regimen-checkpoint") != 0);
}

static int check_record(const rg_results *r, rg_diag *diag, const char *path)
{
    const char *why = NULL;
    if (r->n_obj == 0 || r->n_obj > RG_MAX_OBJ)
        why = "number of objectives out of range";
    else if (r->n_regimens > RG_MAX_REGIMENS)
        why = "too many regimens";
    else if (r->n_drugs > RG_MAX_DRUGS || r->n_drugs_all > RG_MAX_DRUGS)
        why = "too many drugs";
    else if (r->n_clones > RG_MAX_CLONES)
        why = "too many clones";
    else if (r->n_rule_params > RG_RESULTS_MAX_RULE)
        why = "too many rule parameters";
    else if (r->n_visits > 0 && r->traj_front.n != 0 && r->traj_front.n != r->front_size)
        why = "front trajectories do not match the front";
    else if (r->n_visits > 0 && r->traj_regimens.n != 0 && r->traj_regimens.n != r->n_regimens)
        why = "regimen trajectories do not match the regimens";
    if (why && diag)
        rg_diag_add(diag, "%s: cannot write results: %s", path, why);
    return why ? RG_EINVAL : RG_OK;
}

int rg_results_write(const rg_results *r, const char *path, unsigned flags, rg_diag *diag)
{
    rg_h5_quiet();
    if (check_record(r, diag, path) != RG_OK)
        return RG_EINVAL;
    bool force = flags & RG_WRITE_FORCE;
    if (!force && rg_safefile_exists(path)) {
        if (diag)
            rg_diag_add(diag, "%s: exists; not overwritten (use --force to replace it)", path);
        return RG_EEXIST;
    }
    rg_h5 h = {path, diag, RG_OK};
    char tmp[RG_SAFEFILE_PATH_MAX];
    hid_t f = rg_h5_create_tmp(&h, tmp);
    if (f < 0)
        return h.status;
    rg_results_h5_put(&h, f, r, "regimen-results");
    return rg_h5_commit_tmp(&h, f, tmp, force);
}

/* ------------------------------------------------------------------ reading */

/* The format name into format (cap bytes) and its version; RG_EFORMAT in h unless this is a
 * results or checkpoint file of the version this regimen reads. */
static void get_format(rg_h5 *h, hid_t f, char *format, size_t cap)
{
    rg_h5_read_attr_str(h, f, "format", format, cap);
    if (h->status != RG_OK) {
        h->status = RG_OK;
        if (h->diag && h->diag->count)
            h->diag->count--; /* replace the generic message */
        rg_h5_fail(h, RG_EFORMAT, "not a regimen results file (no 'format' attribute)");
        return;
    }
    if (strcmp(format, "regimen-results") && strcmp(format, "regimen-checkpoint")) {
        rg_h5_fail(h, RG_EFORMAT, "not a regimen results file (format '%s')", format);
        return;
    }
    int32_t fv = 0;
    rg_h5_read_attr_num(h, f, "format_version", H5T_NATIVE_INT32, 0, &fv);
    if (h->status == RG_OK && fv != RG_RESULTS_FORMAT_VERSION)
        rg_h5_fail(h, RG_EFORMAT, "format_version %d, this regimen reads version %d", (int)fv,
                   RG_RESULTS_FORMAT_VERSION);
}

/* The root attributes (provenance, objectives, reference point, sizes) and the problem
 * text. */
static void get_attributes(rg_h5 *h, hid_t f, rg_results *r)
{
    int32_t ranks = 1;
    uint64_t seed = 0, pop = 0, len = 0, gens = 0, evals = 0;
    int8_t maxi[RG_MAX_OBJ] = {0}, has_ref = 0;
    char enc[32] = "";
    rg_h5_read_attr_str(h, f, "regimen_version", r->version, sizeof r->version);
    rg_h5_read_attr_str(h, f, "problem_name", r->problem_name, sizeof r->problem_name);
    r->command_line = rg_h5_read_attr_strdup(h, f, "command_line");
    rg_h5_read_attr_num(h, f, "seed", H5T_NATIVE_UINT64, 0, &seed);
    rg_h5_read_attr_num(h, f, "n_ranks", H5T_NATIVE_INT32, 0, &ranks);
    rg_h5_read_attr_str(h, f, "start_time", r->start_time, sizeof r->start_time);
    rg_h5_read_attr_str(h, f, "end_time", r->end_time, sizeof r->end_time);
    rg_h5_read_attr_str(h, f, "encoding", enc, sizeof enc);
    if (h->status == RG_OK && encoding_parse(enc, &r->encoding))
        rg_h5_fail(h, RG_EFORMAT, "unknown encoding '%s'", enc);
    rg_h5_read_attr_strs(h, f, "objective_names", r->objective_names[0], RG_NAME_MAX,
                         RG_MAX_OBJ, &r->n_obj);
    if (h->status == RG_OK && r->n_obj == 0)
        rg_h5_fail(h, RG_EFORMAT, "attribute 'objective_names' is empty");
    rg_h5_read_attr_num(h, f, "objective_maximised", H5T_NATIVE_INT8, r->n_obj, maxi);
    rg_h5_read_attr_num(h, f, "has_reference_point", H5T_NATIVE_INT8, 0, &has_ref);
    rg_h5_read_attr_num(h, f, "reference_point", H5T_NATIVE_DOUBLE, r->n_obj,
                        r->reference_point);
    rg_h5_read_attr_num(h, f, "population", H5T_NATIVE_UINT64, 0, &pop);
    rg_h5_read_attr_num(h, f, "genome_length", H5T_NATIVE_UINT64, 0, &len);
    rg_h5_read_attr_num(h, f, "generations", H5T_NATIVE_UINT64, 0, &gens);
    rg_h5_read_attr_num(h, f, "evaluations", H5T_NATIVE_UINT64, 0, &evals);
    r->problem_text = rg_h5_read_dset_str(h, f, "problem_text");
    rg_results_h5_get_layout(h, f, r);
    r->reference_rule = -1; /* an optional attribute: -1 when the file lacks it */
    if (h->status == RG_OK && H5Aexists(f, "reference_rule") > 0) {
        char rule[96] = "";
        rg_h5_read_attr_str(h, f, "reference_rule", rule, sizeof rule);
        for (int k = RG_HVREF_GIVEN; k <= RG_HVREF_UNIT; k++)
            if (!strcmp(rule, rg_reference_rule_name((rg_reference_rule)k)))
                r->reference_rule = k;
        if (h->status == RG_OK && r->reference_rule < 0)
            rg_h5_fail(h, RG_EFORMAT, "unknown reference_rule '%s'", rule);
    }
    rg_results_h5_check_sizes(h, ranks, pop, len);
    if (h->status != RG_OK)
        return;
    r->seed = (unsigned long)seed;
    r->n_ranks = ranks;
    for (size_t m = 0; m < r->n_obj; m++)
        r->maximised[m] = maxi[m] != 0;
    r->has_reference_point = has_ref != 0;
    r->population = (size_t)pop;
    r->genome_length = (size_t)len;
    r->generations = (size_t)gens;
    r->evaluations = evals;
}

/* Group /history: one row per generation. */
static void get_history(rg_h5 *h, hid_t f, rg_results *r)
{
    size_t M = r->n_obj, N = r->population, L = r->genome_length;
    hid_t g = rg_h5_open_group(h, f, "history");
    if (g < 0)
        return;
    hsize_t dims[3];
    rg_h5_read_dset(h, g, "generation", H5T_NATIVE_UINT64, sizeof(uint64_t), 1, dims,
                    (void **)&r->history_generation);
    size_t G = (size_t)dims[0];
    r->n_history = r->history_cap = G;
    hsize_t w1[1] = {G}, w2[2] = {G, N}, w3g[3] = {G, N, L}, w3o[3] = {G, N, M};
    rg_results_h5_get_fixed(h, g, "evaluations", H5T_NATIVE_UINT64, sizeof(uint64_t), 1, w1,
                            (void **)&r->history_evaluations);
    rg_results_h5_get_fixed(h, g, "hypervolume", H5T_NATIVE_DOUBLE, sizeof(double), 1, w1,
                            (void **)&r->hypervolume);
    if (h->status == RG_OK && rg_h5_exists(g, "archive_hypervolume"))
        rg_results_h5_get_fixed(h, g, "archive_hypervolume", H5T_NATIVE_DOUBLE, sizeof(double),
                                1, w1, (void **)&r->archive_hypervolume);
    rg_results_h5_get_fixed(h, g, "genomes", H5T_NATIVE_DOUBLE, sizeof(double), 3, w3g,
                            (void **)&r->history_genomes);
    rg_results_h5_get_fixed(h, g, "objectives", H5T_NATIVE_DOUBLE, sizeof(double), 3, w3o,
                            (void **)&r->history_objectives);
    rg_results_h5_get_fixed(h, g, "violation", H5T_NATIVE_DOUBLE, sizeof(double), 2, w2,
                            (void **)&r->history_violation);
    rg_results_h5_expect_finite(h, "history/genomes", r->history_genomes, G * N * L);
    if (h->status == RG_OK && r->generations > RG_RESULTS_MAX_GENERATIONS)
        rg_h5_fail(h, RG_EFORMAT, "attribute 'generations' is %zu, more than 2^40",
                   r->generations);
    for (size_t i = 0; h->status == RG_OK && i < G; i++)
        if (r->history_generation[i] > r->generations)
            rg_h5_fail(h, RG_EFORMAT,
                       "history row %zu is of generation %llu, after the %zu generations run",
                       i, (unsigned long long)r->history_generation[i], r->generations);
    rg_h5_close_group(g);
}

/* Group /front: the run's front (its archive) with its decoded schedules or rules. */
static void get_front(rg_h5 *h, hid_t f, rg_results *r)
{
    size_t M = r->n_obj, L = r->genome_length;
    hid_t g = rg_h5_open_group(h, f, "front");
    if (g < 0)
        return;
    hsize_t dims[3];
    rg_h5_read_dset(h, g, "objectives", H5T_NATIVE_DOUBLE, sizeof(double), 2, dims,
                    (void **)&r->front_objectives);
    size_t F = (size_t)dims[0];
    r->front_size = F;
    hsize_t fo[2] = {F, M}, fg[2] = {F, L}, f1[1] = {F};
    if (h->status == RG_OK)
        rg_results_h5_expect_dims(h, "front/objectives", 2, dims, fo);
    rg_results_h5_get_fixed(h, g, "genomes", H5T_NATIVE_DOUBLE, sizeof(double), 2, fg,
                            (void **)&r->front_genomes);
    rg_results_h5_expect_finite(h, "front/genomes", r->front_genomes, F * L);
    rg_results_h5_get_fixed(h, g, "violation", H5T_NATIVE_DOUBLE, sizeof(double), 1, f1,
                            (void **)&r->front_violation);
    rg_results_h5_get_fixed(h, g, "flags", H5T_NATIVE_UINT32, sizeof(uint32_t), 1, f1,
                            (void **)&r->front_flags);
    rg_h5_read_attr_strs(h, g, "drug_names", r->drug_names[0], RG_NAME_MAX, RG_MAX_DRUGS,
                         &r->n_drugs);
    rg_h5_read_attr_num(h, g, "decision_days", H5T_NATIVE_DOUBLE, 0, &r->decision_days);
    if (h->status == RG_OK && rg_h5_exists(g, "doses")) {
        rg_h5_read_dset(h, g, "doses", H5T_NATIVE_DOUBLE, sizeof(double), 3, dims,
                        (void **)&r->front_doses);
        r->n_intervals = (size_t)dims[2];
        hsize_t dd[3] = {F, r->n_drugs, dims[2]};
        if (h->status == RG_OK)
            rg_results_h5_expect_dims(h, "front/doses", 3, dims, dd);
    }
    rg_results_h5_get_genes(h, g, r);
    if (h->status == RG_OK && rg_h5_exists(g, "rule")) {
        rg_h5_read_dset(h, g, "rule", H5T_NATIVE_DOUBLE, sizeof(double), 2, dims,
                        (void **)&r->front_rule);
        hid_t d = h->status == RG_OK ? H5Dopen2(g, "rule", H5P_DEFAULT) : H5I_INVALID_HID;
        if (d >= 0) {
            rg_h5_read_attr_strs(h, d, "parameter_names", r->rule_param_names[0], RG_NAME_MAX,
                                 RG_RESULTS_MAX_RULE, &r->n_rule_params);
            H5Dclose(d);
        }
        hsize_t dr[2] = {F, r->n_rule_params};
        if (h->status == RG_OK)
            rg_results_h5_expect_dims(h, "front/rule", 2, dims, dr);
    }
    rg_h5_close_group(g);
}

/* Group /regimens: the problem's built-in regimens. */
static void get_regimens(rg_h5 *h, hid_t f, rg_results *r)
{
    size_t M = r->n_obj;
    hid_t g = rg_h5_open_group(h, f, "regimens");
    if (g < 0)
        return;
    rg_h5_read_dset_strs(h, g, "names", r->regimen_names[0], RG_NAME_MAX, RG_MAX_REGIMENS,
                         &r->n_regimens);
    size_t R = r->n_regimens;
    hsize_t ro[2] = {R, M}, r1[1] = {R};
    rg_results_h5_get_fixed(h, g, "objectives", H5T_NATIVE_DOUBLE, sizeof(double), 2, ro,
                            (void **)&r->regimen_objectives);
    rg_results_h5_get_fixed(h, g, "violation", H5T_NATIVE_DOUBLE, sizeof(double), 1, r1,
                            (void **)&r->regimen_violation);
    rg_results_h5_get_fixed(h, g, "flags", H5T_NATIVE_UINT32, sizeof(uint32_t), 1, r1,
                            (void **)&r->regimen_flags);
    rg_h5_close_group(g);
}

void rg_results_h5_get(rg_h5 *h, hid_t f, rg_results *r, char *format, size_t cap)
{
    get_format(h, f, format, cap);
    if (h->status == RG_OK)
        get_attributes(h, f, r);
    if (h->status == RG_OK)
        get_history(h, f, r);
    if (h->status == RG_OK)
        get_front(h, f, r);
    if (h->status == RG_OK)
        get_regimens(h, f, r);
    /* trajectories are absent for benchmark problems */
    if (h->status == RG_OK && rg_h5_exists(f, "trajectories"))
        rg_results_h5_get_trajectories(h, f, r);
    rg_results_h5_get_cohort(h, f, r); /* only on cohort problems */
}

int rg_results_read(const char *path, rg_results **out, rg_diag *diag)
{
    *out = NULL;
    rg_h5 h = {path, diag, RG_OK};
    hid_t f = rg_h5_open_file(&h, path);
    if (f < 0)
        return h.status;
    rg_results *r = rg_results_alloc();
    if (!r) {
        H5Fclose(f);
        return RG_ENOMEM;
    }
    rg_results_h5_get(&h, f, r, r->format, sizeof r->format);
    H5Fclose(f);
    int rc = h.status;
    /* a checkpoint: its archive is the current front (checkpoint_front.c) */
    if (rc == RG_OK && !strcmp(r->format, "regimen-checkpoint"))
        rc = rg_checkpoint_fill_front(r, path, diag);
    if (rc != RG_OK) {
        rg_results_free(r);
        return rc;
    }
    *out = r;
    return RG_OK;
}
