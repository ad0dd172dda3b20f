/* regimen: the problem, as read from a problem file (docs/model.md is the contract).
 *
 * rg_problem is plain data: every field is documented here with its unit and its default.
 * It is filled by the loader (rg_problem_load, in regimen/problem_load.h) or, in tests, by
 * hand after rg_problem_alloc(), which sets every default. Names index into arrays: a
 * clone's mechanisms, a mutation's clones and a regimen's drugs are stored as indices,
 * resolved at load time.
 *
 * Ownership: rg_problem_alloc() returns a zeroed problem with defaults; rg_problem_free()
 * releases it together with the few heap members (text, fixed dose lists). */
#ifndef REGIMEN_PROBLEM_H
#define REGIMEN_PROBLEM_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/status.h"

enum {
    RG_MAX_CLONES = 64,
    RG_MAX_DRUGS = 16,
    RG_MAX_MECHS = 32,
    RG_MAX_INHIB = 8, /* inhibitors of one mechanism (or of the stroma) */
    RG_MAX_MUTATIONS = 256,
    RG_MAX_INDUCERS = 8, /* induced_by entries of one mutation */
    RG_MAX_INTERACTIONS = 64,
    RG_MAX_REGIMENS = 32,
    RG_MAX_LEVELS = 32,       /* optimize.dose_levels */
    RG_MAX_OBJ = 8,           /* objectives of one optimisation */
    RG_MAX_BENCH_VARS = 1024, /* variables of a benchmark problem */
    /* visits over the horizon: the trajectory and the visit buffers are sized from it, and it
     * bounds the loader's and the kernel's work per evaluation (docs/model.md section 0) */
    RG_MAX_VISITS = 1000000,
    RG_NAME_MAX = 64,              /* names, including the terminating NUL */
    RG_COHORT_MAX_PARAMS = 64,     /* varied parameters of a cohort (sobol: at most 40) */
    RG_COHORT_MAX_PATIENTS = 1024, /* each patient is a whole rg_problem (about 125 kB) */
    RG_PARAM_PATH_MAX = 192        /* a cohort parameter path, including the NUL */
};

typedef enum { RG_GROWTH_LOGISTIC = 0, RG_GROWTH_GOMPERTZ = 1 } rg_growth;
typedef enum { RG_ADMIN_CONTINUOUS = 0, RG_ADMIN_BOLUS = 1 } rg_admin;
typedef enum { RG_EFFECT_HILL = 0, RG_EFFECT_LINEAR = 1 } rg_effect;
typedef enum {
    RG_MECH_EFFLUX = 0,
    RG_MECH_DETOX,
    RG_MECH_TARGET,
    RG_MECH_REPAIR,
    RG_MECH_APOPTOSIS,
    RG_MECH_AUTOPHAGY,
    RG_MECH_NKINDS
} rg_mech_kind;
typedef enum { RG_COMBINE_ANY = 0, RG_COMBINE_ALL = 1 } rg_combine;
typedef enum { RG_REF_INITIAL = 0, RG_REF_NADIR = 1 } rg_progress_ref;

typedef enum {
    RG_POLICY_MTD = 0,
    RG_POLICY_METRONOMIC,
    RG_POLICY_ADAPTIVE,
    RG_POLICY_DOSE_MODULATION,
    RG_POLICY_FIXED,
    RG_POLICY_SCHEDULE,     /* evolved open-loop matrix; never read from a file */
    RG_POLICY_ADAPTIVE_RULE /* evolved feedback rule; never read from a file */
} rg_policy_kind;

typedef enum {
    RG_ENC_SCHEDULE = 0,
    RG_ENC_ADAPTIVE_RULE = 1,
    RG_ENC_BENCHMARK = 2
} rg_encoding_kind;

/* Objectives of docs/model.md section 9, in the order of this enum. */
typedef enum {
    RG_OBJ_TTP = 0,                /* days; maximised */
    RG_OBJ_RESISTANT_BURDEN,       /* log10(1 + R(t_end)) */
    RG_OBJ_EMERGENCE_HAZARD,       /* log10(L + 1e-12) */
    RG_OBJ_RESISTANCE_PROBABILITY, /* 1 - exp(-L) */
    RG_OBJ_FINAL_BURDEN,           /* log10(1 + B(t_end)) */
    RG_OBJ_DOSE_INTENSITY,         /* toxicity-weighted sum of dose intensities */
    RG_OBJ_TIME_TO_EMERGENCE,      /* days; maximised */
    RG_OBJ_NEUTROPHIL_NADIR,       /* 10^9 cells/L; maximised */
    RG_OBJ_RESISTANT_FRACTION,     /* R / B at t_end */
    RG_OBJ_NKINDS,
    /* benchmark objectives f1..fM are numbered from here */
    RG_OBJ_BENCH_F1 = 100
} rg_objective;

typedef enum {
    RG_BENCH_NONE = 0,
    RG_BENCH_ZDT1,
    RG_BENCH_ZDT2,
    RG_BENCH_ZDT3,
    RG_BENCH_ZDT4,
    RG_BENCH_ZDT6,
    RG_BENCH_DTLZ1,
    RG_BENCH_DTLZ2
} rg_benchmark;

typedef struct {
    int drug;    /* index into drugs */
    double ic50; /* normalised concentration, > 0 */
} rg_inhibitor;

typedef struct {
    char name[RG_NAME_MAX];
    double half_life_days;       /* required; 0 = instantaneous (c = u) */
    rg_admin administration;     /* default continuous */
    double dosing_interval_days; /* bolus only: required, whole multiple of decision_days */
    rg_effect effect;            /* default hill */
    double emax;            /* 1/day (fold of division rate if cycle_specific); default 0 */
    double ec50;            /* normalised concentration; default 1 */
    double hill;            /* default 1 */
    bool cycle_specific;    /* default false */
    double toxicity_weight; /* default 1 */
    double hypoxia_penetration_loss; /* p in [0, 1]; default 0 */
    bool stroma_sensitive;           /* default false */
    double myelotoxicity_slope;      /* Friberg E per unit concentration; default 0 */
    /* constraints.max_cumulative_dose for this drug, written on the drug (docs/model.md section 7);
     * MTD-days (continuous) or MTD boluses (bolus); < 0 = no limit */
    double max_cumulative_dose;
} rg_drug;

typedef struct {
    char name[RG_NAME_MAX];
    rg_mech_kind kind;
    bool affects[RG_MAX_DRUGS]; /* affects[d]: mechanism acts on drug d */
    double hypoxia_induction;   /* eta >= 0; default 0 */
    size_t n_inhibitors;
    rg_inhibitor inhibitors[RG_MAX_INHIB];
    rg_combine combine; /* default any */
} rg_mechanism;

typedef struct {
    char name[RG_NAME_MAX];
    double cells;                         /* x_i(0), cells (or normalised), >= 0 */
    double growth_rate;                   /* r_i, 1/day, in [0, 50] */
    double death_rate;                    /* delta_i, 1/day, in [0, 50]; default 0 */
    double carrying_capacity;             /* K_i; default the top-level carrying_capacity */
    bool resistant;                       /* counts towards R; default false */
    double competition[RG_MAX_CLONES];    /* a_ij; default 1, a_ii = 1 */
    double capacity_effect[RG_MAX_DRUGS]; /* gamma_di; default 0 */
    double fold[RG_MAX_MECHS];            /* F per mechanism; 1 = not carried */
    bool carries[RG_MAX_MECHS];           /* listed in the clone's mechanisms group */
} rg_clone;

typedef struct {
    int from, to; /* clone indices */
    double rate;  /* mu, per division */
    size_t n_induced;
    int induced_drug[RG_MAX_INDUCERS];
    double induced_rate[RG_MAX_INDUCERS]; /* nu, per day per unit concentration */
} rg_mutation;

typedef struct {
    int drug_a, drug_b; /* drug_a < drug_b */
    double psi;         /* synergy > 0, antagonism < 0 */
} rg_interaction;

typedef struct {
    char name[RG_NAME_MAX];
    rg_policy_kind policy;
    size_t n_drugs;
    int drugs[RG_MAX_DRUGS]; /* indices of the drugs the regimen gives */
    /* mtd */
    double cycle_days, on_days; /* 0 = continuous MTD */
    /* metronomic */
    double level;
    /* adaptive: dose, stop_below, resume_above; dose_modulation: dose, rise, fall, step,
     * min_dose (default 0.05), skip_below */
    double dose, stop_below, resume_above;
    double rise, fall, step, min_dose, skip_below;
    /* fixed: doses[j] has n_doses[j] levels for drugs[j]; owned by the problem */
    double *doses[RG_MAX_DRUGS];
    size_t n_doses[RG_MAX_DRUGS];
    /* fixed: the regimen's own bolus interval for its bolus drugs, days (docs/model.md
     * section 2); 0 = each drug's dosing_interval_days */
    double dosing_interval_days;
} rg_regimen;

typedef struct {
    rg_encoding_kind encoding; /* default schedule */
    size_t n_drugs;
    int drugs[RG_MAX_DRUGS]; /* default: every drug */
    size_t n_levels;
    double dose_levels[RG_MAX_LEVELS]; /* default 0, 0.25, 0.5, 0.75, 1 */
    size_t n_objectives;
    int objectives[RG_MAX_OBJ]; /* rg_objective values; default ttp, resistant_burden,
                                     dose_intensity */
    size_t population;          /* default 128; rounded up to even */
    size_t generations;         /* default 200 */
    unsigned long seed;         /* default 1 */
    bool has_reference_point;
    double reference_point[RG_MAX_OBJ]; /* in natural units, same order as objectives */
    /* variation operators (defaults in docs/problem-format.md) */
    double crossover_probability; /* default 0.9 */
    double mutation_probability;  /* per gene; default < 0 = 1/genome length */
    double sbx_eta;               /* default 20 */
    double pm_eta;                /* default 20 */
    size_t chunk;                 /* genomes per MPI message; 0 = automatic */
    size_t archive_size;          /* bound of the archive; 0 = unbounded (default) */
    size_t history_every;         /* a history row every N generations; 0 = automatic */
} rg_optimize;

typedef struct {
    rg_benchmark kind; /* RG_BENCH_NONE for tumour problems */
    size_t n_vars;
    size_t n_obj;
} rg_bench_spec;

/* How a cohort objective is aggregated over the patients (docs/model.md section 13). */
typedef enum {
    RG_AGG_QUANTILE = 0, /* arg = q in (0, 1]; the median is q = 0.5 (the default) */
    RG_AGG_MEAN,         /* for ttp: the restricted mean survival time to the horizon */
    RG_AGG_CVAR,         /* arg = tail fraction in (0, 1]: mean of the worst patients */
    RG_AGG_PFS           /* ttp only; arg = day D: fraction progression-free at D */
} rg_agg_kind;

typedef struct {
    rg_agg_kind kind;
    double arg;
} rg_aggregate;

struct rg_problem;

/* A virtual cohort (docs/model.md section 13): the resolved patients, whatever their
 * source (inline, table, sampled), so that no later layer reads the source again. Owned by
 * the problem that holds it; rg_problem_free frees it. */
typedef struct {
    size_t n_params, n_patients;
    char (*params)[RG_PARAM_PATH_MAX]; /* n_params parameter paths */
    char (*names)[RG_NAME_MAX];        /* n_patients patient names */
    double *values;                    /* values[i * n_params + j]: patient i, parameter j */
    /* patients[i]: the nominal problem with patient i's values written in, loaded and
     * checked as a problem file (its own cohort is NULL, its text and path NULL) */
    struct rg_problem **patients;
    rg_aggregate aggregate[RG_MAX_OBJ]; /* per objective of optimize.objectives */
    double feasible_fraction;           /* default 1: constraints hold for every patient */
} rg_cohort;

typedef struct rg_problem {
    /* provenance */
    char *path; /* file it was read from (owned) */
    char *text; /* the whole file text (owned), for results and MPI */
    char name[256];

    rg_bench_spec bench; /* set for benchmark problems: model keys then absent */

    /* grid (days) */
    double horizon_days, decision_days, visit_days;

    /* model */
    rg_growth growth;
    double carrying_capacity;
    double extinction_cells; /* default 1 */
    double emergence_cells;  /* default 10% of B(0); < 0 before defaults resolve */
    size_t n_clones, n_drugs, n_mechs, n_mutations, n_interactions;
    rg_clone clones[RG_MAX_CLONES];
    rg_drug drugs[RG_MAX_DRUGS];
    rg_mechanism mechs[RG_MAX_MECHS];
    rg_mutation mutations[RG_MAX_MUTATIONS];
    rg_interaction interactions[RG_MAX_INTERACTIONS];

    /* tumour microenvironment (all 0 = off) */
    double hypoxia_max_fraction, hypoxia_half_burden, hypoxia_quiescence;
    double stroma_protection;
    size_t n_stroma_inhibitors;
    rg_inhibitor stroma_inhibitors[RG_MAX_INHIB];
    rg_combine stroma_combine;

    /* Friberg neutrophil model; enabled when the neutrophils group is present */
    bool neutrophils;
    double mtt_days, circ0, gamma;

    /* constraints (< 0 = no limit) */
    double max_daily_toxicity;
    double anc_min;

    /* progression */
    rg_progress_ref progression_reference;
    double progression_factor;    /* default 1.2 */
    double progression_min_cells; /* default extinction_cells */

    /* numerical */
    size_t step_budget; /* accepted + rejected steps per evaluation; default 10^6 */

    size_t n_regimens;
    rg_regimen regimens[RG_MAX_REGIMENS];

    rg_optimize optimize;

    rg_cohort *cohort; /* NULL: one patient (no cohort group) */
} rg_problem;

/* A zeroed problem with every default of docs/model.md section 0 set; NULL if out of memory.
 * Caller frees with rg_problem_free. */
rg_problem *rg_problem_alloc(void);
void rg_problem_free(rg_problem *p);

/* An empty cohort for n_patients patients and n_params parameters (names "", values 0,
 * patients NULL, aggregates median, feasible_fraction 1); NULL if out of memory. */
rg_cohort *rg_cohort_alloc(size_t n_patients, size_t n_params);
/* Frees the cohort and every patient problem it holds. */
void rg_cohort_free(rg_cohort *c);
/* The patients a problem's evaluation runs on: the cohort's patients, or p itself. */
size_t rg_problem_n_patients(const rg_problem *p);
const rg_problem *rg_problem_patient(const rg_problem *p, size_t i);

/* Derived quantities. */
double rg_problem_initial_burden(const rg_problem *p);
size_t rg_problem_n_intervals(const rg_problem *p); /* horizon / decision */
size_t rg_problem_n_visits(const rg_problem *p);    /* horizon / visit + 1 (t = 0 included) */

/* Lookups by name; -1 when absent. */
int rg_problem_drug_index(const rg_problem *p, const char *name);
int rg_problem_clone_index(const rg_problem *p, const char *name);
int rg_problem_regimen_index(const rg_problem *p, const char *name);

/* Names of enum values as written in problem files ("efflux", "ttp", ...). */
const char *rg_mech_kind_name(rg_mech_kind k);
const char *rg_policy_kind_name(rg_policy_kind k);
const char *rg_objective_name(int objective);
/* true for objectives that are maximised in natural units (ttp, time_to_emergence,
 * neutrophil_nadir). */
bool rg_objective_maximised(int objective);

#endif
