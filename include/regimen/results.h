/* regimen: the results of one optimisation run, in memory and in an HDF5 file.
 *
 * rg_results is plain data (docs/style.md rule 4) that the optimize command fills while it
 * runs: provenance (rule 15), one history row per generation, the final front, the standard
 * regimens and the trajectories used for plots. Writing it needs no knowledge of the GA.
 * docs/results-format.md describes the file: every dataset and attribute with its shape,
 * type and unit. Files are written by one process (the MPI master) with serial HDF5.
 *
 * Ownership: every pointer member is owned by the struct and released by rg_results_free.
 * The rg_results_alloc_* helpers size the arrays; callers then fill them in place.
 *
 * Array layout is row-major (C order), the same as in the file:
 *   history_genomes[(g * population + i) * genome_length + j]
 *   history_objectives[(g * population + i) * n_obj + m]      (natural units)
 *   front_doses[(f * n_drugs + d) * n_intervals + k]           (fraction of MTD, delivered)
 *   traj.clones[(i * n_clones + c) * n_visits + v]
 *   traj.conc[(i * n_drugs + d) * n_visits + v]               (drugs of the problem) */
#ifndef REGIMEN_RESULTS_H
#define REGIMEN_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "regimen/problem.h"
#include "regimen/status.h"

enum {
    RG_RESULTS_FORMAT_VERSION = 3, /* attribute format_version; bumped on layout changes */
    RG_RESULTS_TIME_MAX = 32,      /* "2026-11-26T22:35:54Z" and its NUL */
    RG_RESULTS_MAX_RULE = 8 + RG_MAX_DRUGS, /* rule parameters of one front member */
    /* limits a reader checks the sizes of a file against: MPI ranks, the loader's largest
     * population, genes of one genome */
    RG_RESULTS_MAX_RANKS = 1 << 24,
    RG_RESULTS_MAX_POPULATION = 1000000,
    RG_RESULTS_MAX_GENES = 1 << 24
};
/* generations a reader accepts (far beyond any run: 2^40) */
#define RG_RESULTS_MAX_GENERATIONS ((size_t)1 << 40)

/* Flags of rg_results_write / rg_checkpoint_write. */
enum { RG_WRITE_FORCE = 1u << 0 /* replace an existing file */ };

/* Per-visit curves of n runs (front members or standard regimens). */
typedef struct {
    size_t n;          /* runs */
    double *burden;    /* [n][n_visits] B(t), cells */
    double *resistant; /* [n][n_visits] R(t), cells */
    double *clones;    /* [n][n_clones][n_visits] x_i(t), cells */
    double *conc;      /* [n][n_drugs_all][n_visits] drug concentration, normalised (MTD = 1) */
    double *levels;    /* [n][n_drugs_all][n_traj_intervals] dose given per decision interval,
                          fraction of MTD (0 after t_end); NULL in files without it */
    double *anc;       /* [n][n_visits] circulating neutrophils (traj_anc), else NULL */
    double *t_end; /* [n] end of the evaluation (docs/model.md section 8): visits after it are
                    * off protocol, drawn but not scored; NaN for a run that failed */
} rg_traj_set;

typedef struct {
    /* ---- provenance (file attributes) ---- */
    char format[32];    /* set by rg_results_read: "regimen-results" or
                                    "regimen-checkpoint"; the writer ignores it */
    char *problem_text; /* the whole problem file (owned; NULL = "") */
    char problem_name[256];
    char *command_line; /* the command that produced the run (owned) */
    char version[32];   /* RG_VERSION of the writer; filled by rg_results_alloc */
    unsigned long seed;
    int n_ranks;                          /* MPI ranks of the run (1 = serial) */
    char start_time[RG_RESULTS_TIME_MAX]; /* ISO 8601 UTC */
    char end_time[RG_RESULTS_TIME_MAX];
    rg_encoding_kind encoding;
    size_t n_obj;
    char objective_names[RG_MAX_OBJ][RG_NAME_MAX];
    bool maximised[RG_MAX_OBJ];
    bool has_reference_point;
    double reference_point[RG_MAX_OBJ]; /* natural units, objective order */
    int reference_rule;                 /* where it came from: rg_reference_rule of nsga2.h;
                                    -1 = not recorded (files written before it was) */
    size_t population;
    size_t genome_length;
    size_t generations;   /* generations completed (the initial population is 0) */
    uint64_t evaluations; /* model evaluations of the whole run */

    /* ---- history: one row per recorded generation (population after that generation) ---- */
    size_t n_history, history_cap;
    uint64_t *history_generation;  /* [n_history] generation number */
    uint64_t *history_evaluations; /* [n_history] evaluations so far */
    double *hypervolume;           /* [n_history] of the population's feasible first front */
    double *archive_hypervolume;   /* [n_history] of the archive (the run's front); NaN when
                                      not recorded */
    double *history_genomes;       /* [n_history][population][genome_length] */
    double *history_objectives;    /* [n_history][population][n_obj] natural units */
    double *history_violation;     /* [n_history][population] */
    /* when set (rg_results_spool_history), the three arrays above are NULL and their rows are
     * in this file instead: read them with rg_results_history_row */
    struct rg_history_spool *history_spool;

    /* ---- final front ---- */
    size_t front_size;
    double *front_genomes;    /* [front_size][genome_length] */
    double *front_objectives; /* [front_size][n_obj] natural units */
    double *front_violation;  /* [front_size] 0 = feasible */
    uint32_t *front_flags;    /* [front_size] RG_RES_* of eval_result.h */
    /* schedule and rule encodings: the optimised drugs and their delivered doses */
    size_t n_drugs, n_intervals;
    char drug_names[RG_MAX_DRUGS][RG_NAME_MAX];
    double decision_days; /* length of one interval, days */
    double *front_doses;  /* [front_size][n_drugs][n_intervals] delivered doses, fraction of
                             MTD (a re-simulation's; 0 where nothing is given; schedule and
                             rule encodings), or NULL */
    /* schedule encoding: the genome layout (RG_SCHEDULE_LAYOUT of encoding.h; 0 = the file
     * has none) and what each gene means (rg_results_set_genes) */
    int genome_layout;
    size_t n_levels;
    double dose_levels[RG_MAX_LEVELS]; /* fraction of MTD of each gene value (level index) */
    uint32_t *gene_drug;               /* [genome_length] position in drug_names, or NULL */
    double *gene_day;                  /* [genome_length] day of the gene's dose, or NULL */
    double bolus_days[RG_MAX_DRUGS];   /* optimised drug j: a bolus every bolus_days[j]
                                          days, or 0 for a continuous drug */
    /* adaptive_rule encoding: the decoded rule parameters */
    size_t n_rule_params;
    char rule_param_names[RG_RESULTS_MAX_RULE][RG_NAME_MAX];
    double *front_rule; /* [front_size][n_rule_params], or NULL */

    /* ---- standard regimens of the problem ---- */
    size_t n_regimens;
    char regimen_names[RG_MAX_REGIMENS][RG_NAME_MAX];
    double *regimen_objectives; /* [n_regimens][n_obj] natural units */
    double *regimen_violation;  /* [n_regimens] */
    uint32_t *regimen_flags;    /* [n_regimens] RG_RES_* */

    /* ---- cohort problems: every patient's record (docs/model.md section 13) ---- */
    size_t n_patients;                  /* 0 without a cohort */
    char (*patient_names)[RG_NAME_MAX]; /* [n_patients] */
    /* the resolved cohort, whatever its source (inline, table, sampled): the varied
     * parameters' paths and each patient's values (rg_results_load_problem); 0 and NULL in
     * files written before they were stored */
    size_t n_cohort_params;
    char (*cohort_params)[RG_PARAM_PATH_MAX]; /* [n_cohort_params] */
    double *patient_values;                   /* [n_patients][n_cohort_params] */
    double *patient_front_objectives;   /* [front_size][n_patients][n_obj] natural units */
    double *patient_front_violation;    /* [front_size][n_patients] */
    uint32_t *patient_front_flags;      /* [front_size][n_patients] RG_RES_* */
    double *patient_regimen_objectives; /* [n_regimens][n_patients][n_obj] */
    double *patient_regimen_violation;  /* [n_regimens][n_patients] */
    uint32_t *patient_regimen_flags;    /* [n_regimens][n_patients] */

    /* ---- trajectories (tumour problems only; n_visits = 0 for benchmarks) ---- */
    size_t n_visits, n_clones, n_drugs_all;
    size_t n_traj_intervals; /* decision intervals of the levels (the horizon's) */
    bool traj_anc;           /* the problem has the neutrophil model: anc recorded */
    char clone_names[RG_MAX_CLONES][RG_NAME_MAX];
    char drug_names_all[RG_MAX_DRUGS][RG_NAME_MAX];
    double *traj_t;            /* [n_visits] days */
    rg_traj_set traj_front;    /* traj_front.n == front_size when present, else 0 */
    rg_traj_set traj_regimens; /* traj_regimens.n == n_regimens when present, else 0 */
} rg_results;

/* An empty results record (version set, n_ranks 1); NULL when out of memory.
 * Caller frees with rg_results_free. */
rg_results *rg_results_alloc(void);
void rg_results_free(rg_results *r);

/* Fills the provenance and the dimensions that follow from a problem: name, text, encoding,
 * objective names and senses, reference point (when the problem gives one), seed, population,
 * the optimised drugs (names), intervals, decision_days, clone and drug names, n_visits.
 * genome_length is the caller's (it comes from the encoding). RG_ENOMEM on failure. */
int rg_results_set_problem(rg_results *r, const rg_problem *p);
/* The schedule genome's layout and gene-to-day map of encoding enc of problem p
 * (RG_SCHEDULE_LAYOUT, dose levels, gene_drug, gene_day; results_genes.c), and for schedule
 * and rule encodings bolus_days. RG_ENOMEM on failure. */
struct rg_encoding;
int rg_results_set_genes(rg_results *r, const rg_problem *p, const struct rg_encoding *enc);

/* The problem of the run from its stored text, its cohort's patients from the stored values
 * (rg_problem_load_string_cohort), so that no table file is read; `name` stands for the
 * file in messages. As rg_problem_load_string otherwise. */
int rg_results_load_problem(const rg_results *r, const char *name, rg_problem **out,
                            rg_diag *diag);

/* Copies s into r->command_line (or the argv joined with shell quoting). */
int rg_results_set_command_line(rg_results *r, const char *s);
int rg_results_set_argv(rg_results *r, int argc, char *const argv[]);
/* Writes the current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf. */
void rg_results_now(char buf[RG_RESULTS_TIME_MAX]);

/* Appends one history row: population * genome_length genes, population * n_obj objective
 * values (natural units), population violations. Grows the arrays geometrically; with a
 * spool (rg_results_spool_history) the three go to it. RG_ENOMEM, or RG_EIO when the spool
 * cannot be written. */
int rg_results_add_generation(rg_results *r, uint64_t generation, uint64_t evaluations,
                              double hypervolume, const double genomes[],
                              const double objectives[], const double violation[]);

/* From now on the genomes, objectives and violations of history rows go to a spool file
 * beside path `near` (its directory; the file is unlinked at once, so nothing is left behind)
 * instead of memory, and the rows already recorded move there: a run's memory stays flat
 * however many rows it records (results_spool.c). RG_EIO (diag names the file) when the
 * spool cannot be created or written, RG_EINVAL when the path is too long. */
int rg_results_spool_history(rg_results *r, const char *near, rg_diag *diag);
/* Copies history row g's genomes [population][genome_length], objectives
 * [population][n_obj] and violations [population] into the arrays given (a NULL array is
 * skipped), from memory or the spool. RG_EINVAL when g >= n_history, RG_EIO when the spool
 * cannot be read. */
int rg_results_history_row(const rg_results *r, size_t g, double genomes[], double objectives[],
                           double violation[]);

/* Sets the archive's hypervolume of the last history row. RG_EINVAL without a row. */
int rg_results_set_archive_hv(rg_results *r, double hypervolume);

/* Size the front (front_size rows; doses when n_drugs * n_intervals > 0 and the encoding is
 * schedule, rule when n_rule_params > 0), the regimens, and the trajectories (t, and the
 * sets for n_front front members and n_reg regimens). Arrays are zeroed. */
int rg_results_alloc_front(rg_results *r, size_t front_size);
int rg_results_alloc_regimens(rg_results *r, size_t n_regimens);
int rg_results_alloc_trajectories(rg_results *r, size_t n_front, size_t n_reg);
/* The per-patient records of a cohort problem for the front_size members and n_regimens
 * regimens already sized (names "", values 0). */
int rg_results_alloc_patients(rg_results *r, size_t n_patients);

/* True when regimen (or front member) row i is feasible: violation 0, no infeasible flag. */
bool rg_results_feasible(double violation, uint32_t flags);

/* FNV-1a 64-bit hash of a text, as 16 lowercase hex digits (attribute problem_hash). */
void rg_results_text_hash(const char *text, char out[17]);

/* Writes r to `path` atomically: a temporary file in the same directory, flushed, closed,
 * fsync'ed and renamed (linked) into place, so the file appears complete or not at all.
 * Without RG_WRITE_FORCE an existing path is never replaced (RG_EEXIST). On failure the
 * temporary file is removed and diag names the file and the step. Returns RG_OK, RG_EEXIST,
 * RG_EINVAL (inconsistent record), RG_EIO (HDF5 or the file system failed). */
int rg_results_write(const rg_results *r, const char *path, unsigned flags, rg_diag *diag);

/* A checkpoint's archive as r's front, simulated as at the end of a run (checkpoint_front.c;
 * rg_results_read calls it on a checkpoint). RG_EFORMAT/RG_EINVAL when the checkpoint or its
 * problem text does not read, with diag naming path. */
int rg_checkpoint_fill_front(rg_results *r, const char *path, rg_diag *diag);

/* Reads a results file written by rg_results_write (or a checkpoint: the results part, with
 * the checkpoint's archive as the front, rg_checkpoint_fill_front).
 * On success *out is a new record (caller frees with rg_results_free). RG_EIO when the file
 * cannot be opened, RG_EFORMAT when it is not HDF5, is damaged or truncated, is not a
 * regimen results file, or misses a dataset/attribute (diag names the file and the item). */
int rg_results_read(const char *path, rg_results **out, rg_diag *diag);

/* The unit of an objective named as in problem files (attribute objective_units). */
const char *rg_results_objective_units(const char *name);

/* The calendar of front member `member` into levels[n_drugs][n_intervals] (fraction of MTD
 * per decision interval of each optimised drug): for a schedule (with its gene map) the
 * schedule itself, every gene's dose level on its day, so the calendar holds on any patient;
 * for an adaptive rule the doses its evaluation delivered on the (nominal) patient
 * (front_doses), since a rule's doses depend on the patient. Returns true for the schedule,
 * false for delivered doses. */
bool rg_results_member_calendar(const rg_results *r, size_t member, double levels[]);

/* Appends front member `member` of r (read from `path`, named in messages) to p's standard
 * regimens as a `fixed` regimen called name: its calendar (rg_results_member_calendar), the
 * optimised drugs matched to p's drugs by name, on p's decision grid. Intervals past the file's calendar get no dose; a calendar longer
 * than p's horizon is cut. RG_EINVAL with a message in diag (may be NULL) when r holds no
 * calendar (benchmark encoding), the member does not exist, p's decision_days differs, a
 * drug is missing from p or is a bolus drug on another interval, the name is taken, or p has
 * RG_MAX_REGIMENS regimens already; RG_ENOMEM. On RG_OK *index (may be NULL) is the new
 * regimen's index; rg_problem_free releases it with the others. */
int rg_results_add_member_regimen(const rg_results *r, const char *path, size_t member,
                                  const char *name, rg_problem *p, int *index, rg_diag *diag);

/* Index of the best value of objective m (max or min by its sense) among the feasible rows
 * of an [n][n_obj] table; -1 when none is feasible (violation/flags may be NULL: all
 * feasible). */
long rg_results_best(const double table[], size_t n, size_t n_obj, size_t m,
                     const bool maximised[], const double violation[], const uint32_t flags[]);

#endif
