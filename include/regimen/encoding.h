/* regimen: genome encodings and their variation operators (docs/optimizer.md).
 *
 * A genome is `length` doubles. What they mean depends on optimize.encoding:
 *
 *   schedule       one gene per admissible dose of each drug drugs[j], drug by drug: a
 *                  continuous drug has one per decision interval, a bolus drug one per bolus
 *                  slot of the day-0 grid inside the horizon (intervals 0, e, 2e, ... with
 *                  e = dosing_interval_days / decision_days; docs/model.md section 2). Gene
 *                  s of drug j (index first_gene[j] + s) is the dose at decision interval
 *                  s * every[j], stored as an index into dose_levels (0 .. n_levels - 1, a
 *                  whole number held in a double). The decoded levels use the per-interval
 *                  layout of rg_policy_init_schedule, 0 on intervals without a slot.
 *   adaptive_rule  RG_RULE_NPARAM_BASE real parameters (dose, stop_below, resume_above,
 *                  switch_rise, min_dose, in the order and bounds of rg_rule_params), then
 *                  one real key in [0, 1] per drug of optimize.drugs; the drug order of the
 *                  rule is the argsort of the keys (ascending, ties by position).
 *   benchmark      the benchmark's variables (benchmarks.h gives their bounds).
 *
 * Variation (Deb and Agrawal 1995; Deb 2001):
 *   schedule       crossover (probability crossover_probability) acts in time: half of the
 *                  time a two-point block crossover (the genes of every drug whose dose
 *                  falls in one range of decision intervals are swapped), otherwise uniform
 *                  by time (the genes of every drug at one decision interval are swapped
 *                  together with probability 1/2). Mutation: every gene is reset to a
 *                  uniformly drawn level with probability mutation_probability (default
 *                  1 / length); then, with probability RG_SCHEDULE_STRUCT_RATE, one
 *                  structural move on one drug's own doses, drawn uniformly from: shift an
 *                  on/off block by one dose, lengthen a treatment holiday by one dose,
 *                  shorten one by one dose.
 *   adaptive_rule, benchmark
 *                  bounded simulated binary crossover (SBX, eta = sbx_eta, each variable
 *                  with probability 1/2) and bounded polynomial mutation (eta = pm_eta,
 *                  per-gene probability mutation_probability, default 1 / length), as in
 *                  Deb's reference NSGA-II code (realcross, real_mutate_ind).
 *
 * All randomness comes from the gsl_rng the caller passes (the optimiser's own). */
#ifndef REGIMEN_ENCODING_H
#define REGIMEN_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/status.h"

/* Probability that a schedule offspring receives one structural mutation. */
#define RG_SCHEDULE_STRUCT_RATE 0.5

/* The schedule genome's layout, stored with every results file and checkpoint (attribute
 * genome_layout): 2 = one gene per admissible dose. Layout 1 (one gene per drug and
 * decision interval, bolus drugs included) is refused. */
#define RG_SCHEDULE_LAYOUT 2

/* Bounds of the adaptive-rule parameters (dose, stop_below, resume_above, switch_rise,
 * min_dose): the documented bounds of rg_policy_init_rule (docs/regimens.md). */
extern const double rg_encoding_rule_lower[RG_RULE_NPARAM_BASE];
extern const double rg_encoding_rule_upper[RG_RULE_NPARAM_BASE];

/* Plain data, filled by rg_encoding_alloc; read-only for users. */
typedef struct rg_encoding {
    rg_encoding_kind kind;
    size_t length;         /* genes per genome */
    double *lower, *upper; /* per-gene bounds (schedule: 0 .. n_levels - 1) */
    /* schedule and rule */
    size_t n_drugs;          /* optimize.drugs */
    int drugs[RG_MAX_DRUGS]; /* problem drug indices */
    size_t n_intervals;
    double decision_days;
    /* schedule: drug j's genes are first_gene[j] .. first_gene[j] + n_genes[j] - 1; its gene
     * s is the dose at decision interval s * every[j] (every 1: a continuous drug) */
    size_t every[RG_MAX_DRUGS], n_genes[RG_MAX_DRUGS], first_gene[RG_MAX_DRUGS];
    size_t n_levels;
    double levels[RG_MAX_LEVELS];
    /* benchmark */
    rg_benchmark bench;
    size_t bench_obj;
    /* variation settings, resolved (mutation_probability never negative here) */
    double crossover_probability, mutation_probability, sbx_eta, pm_eta;
} rg_encoding;

/* The encoding of problem p (p->optimize.encoding; benchmark when p->bench.kind is set).
 * NULL on failure with diag filled (empty drug list, too many genes, bad settings).
 * Caller frees with rg_encoding_free. */
rg_encoding *rg_encoding_alloc(const rg_problem *p, rg_diag *diag);
void rg_encoding_free(rg_encoding *e);

/* A uniformly random genome within the bounds (schedule: uniform level per gene). */
void rg_encoding_random(const rg_encoding *e, gsl_rng *r, double genome[]);

/* Crossover of two parents into two children (children may not alias parents). */
void rg_encoding_crossover(const rg_encoding *e, gsl_rng *r, const double p1[],
                           const double p2[], double c1[], double c2[]);

/* Mutation in place. */
void rg_encoding_mutate(const rg_encoding *e, gsl_rng *r, double genome[]);

/* Schedule: the decision interval of gene g; *drug (may be NULL) gets its position j in
 * drugs. g < length. */
size_t rg_encoding_gene_interval(const rg_encoding *e, size_t g, size_t *drug);

/* Schedule: genome -> levels[j * n_intervals + k] (fractions of MTD; 0 on the intervals
 * where drug j has no admissible dose). RG_EINVAL with a reason (at least RG_REASON_MAX
 * bytes) when a gene is not a whole level index. */
int rg_encoding_decode_schedule(const rg_encoding *e, const double genome[], double levels[],
                                char *reason, size_t reason_size);

/* Rule: genome -> parameters. RG_EINVAL with a reason when a gene is out of bounds or not
 * finite. resume_above is used as decoded (no repair). */
int rg_encoding_decode_rule(const rg_encoding *e, const double genome[], rg_rule_params *out,
                            char *reason, size_t reason_size);

/* Genome -> the policy that gives its doses (schedule or rule encodings): decodes the genome
 * (the schedule's levels into levels[], n_drugs * n_intervals, which the policy then reads:
 * keep them while it runs) and initialises *pol for problem p. RG_EINVAL when the genome
 * cannot be decoded, or the policy's status when it rejects the decoded values; reason (at
 * least RG_REASON_MAX bytes) says which. The one path from a genome to its doses, for the
 * optimiser's evaluator and for the results written from a front. */
int rg_encoding_policy(const rg_encoding *e, const rg_problem *p, const double genome[],
                       double levels[], rg_policy *pol, char *reason, size_t reason_size);

/* Expresses built-in regimen r of p as a genome when the encoding can: schedule encodes
 * mtd (with its cycles), metronomic and fixed regimens whose drugs are all in
 * optimize.drugs, each level mapped to the nearest dose level; adaptive_rule encodes
 * single-drug adaptive regimens. Returns RG_OK, or RG_EINVAL when it cannot (genome then
 * unspecified). */
int rg_encoding_from_regimen(const rg_encoding *e, const rg_problem *p, const rg_regimen *r,
                             double genome[]);

/* adaptive_rule: what a front table shows of a genome, RG_RULE_NPARAM_BASE + n_drugs values:
 * the decoded parameters (dose, stop_below, resume_above, switch_rise, min_dose), then per
 * optimised drug its line in the order (line_of_<drug>, 1 = first line); all NaN when the
 * genome does not decode. out holds RG_RULE_NPARAM_BASE + RG_MAX_DRUGS. Returns how many. */
size_t rg_encoding_rule_values(const rg_encoding *e, const double genome[], double out[]);
/* The name of value k of rg_encoding_rule_values: "dose", ..., "line_of_<drug>". */
void rg_encoding_rule_value_name(const rg_encoding *e, const rg_problem *p, size_t k, char *buf,
                                 size_t size);

/* Output columns for a front (the layout of `regimen export --what front`): the schedule's
 * genes, "dose_<drug>_d<day>" (the drug and day of each admissible dose;
 * docs/results-format.md), or "rule_<value>" for each rg_encoding_rule_values, or the
 * benchmark's x1..xn. */
size_t rg_encoding_n_columns(const rg_encoding *e);
/* Column name into buf (NUL-terminated, truncated). */
void rg_encoding_column_name(const rg_encoding *e, const rg_problem *p, size_t c, char *buf,
                             size_t size);
/* Column value of a genome as text (%.17g; nan when a gene or rule does not decode). */
void rg_encoding_column_text(const rg_encoding *e, const rg_problem *p, const double genome[],
                             size_t c, char *buf, size_t size);

#endif
