/* The table of problem-file keys (docs/model.md sections 0-9 plus the agreed extras), and the
 * markdown reference generated from it. */
#include "regimen/keys.h"
#include "regimen/problem.h"

#include <math.h>
#include <string.h>

#define T RG_KS_TUMOUR
#define B RG_KS_BENCHMARK
#define TB RG_KS_BOTH
#define NB NAN

/* Rows: path, type, scope, required, unit, default, lo, hi, lo_open, hi_open, values,
 * max_count, doc. */
#define REAL(p, s, rq, u, d, lo, hi, lop, hop, doc)                \
    {                                                              \
        p, RG_KT_REAL, s, rq, u, d, lo, hi, lop, hop, NULL, 0, doc \
    }
#define INTK(p, s, rq, u, d, lo, hi, doc)                             \
    {                                                                 \
        p, RG_KT_INT, s, rq, u, d, lo, hi, false, false, NULL, 0, doc \
    }
#define BOOLK(p, s, d, doc)                                                \
    {                                                                      \
        p, RG_KT_BOOL, s, false, "", d, NB, NB, false, false, NULL, 0, doc \
    }
#define ENUMK(p, s, rq, d, v, doc)                                   \
    {                                                                \
        p, RG_KT_ENUM, s, rq, "", d, NB, NB, false, false, v, 0, doc \
    }
#define NAMEK(p, s, rq, d, ref, doc)                                   \
    {                                                                  \
        p, RG_KT_NAME, s, rq, "", d, NB, NB, false, false, ref, 0, doc \
    }
#define NAMESK(p, s, rq, d, ref, mx, doc)                                \
    {                                                                    \
        p, RG_KT_NAMES, s, rq, "", d, NB, NB, false, false, ref, mx, doc \
    }
#define GROUPK(p, s, rq, d, doc)                                         \
    {                                                                    \
        p, RG_KT_GROUP, s, rq, "", d, NB, NB, false, false, NULL, 0, doc \
    }
#define LISTK(p, s, rq, d, mx, doc)                                      \
    {                                                                    \
        p, RG_KT_LIST, s, rq, "", d, NB, NB, false, false, NULL, mx, doc \
    }
#define STRSK(p, rq, d, mx, doc)                                            \
    {                                                                       \
        p, RG_KT_STRINGS, T, rq, "", d, NB, NB, false, false, NULL, mx, doc \
    }
#define MAPK(p, s, ref, mx, doc)                                                \
    {                                                                           \
        p, RG_KT_MAP, s, false, "", "empty", NB, NB, false, false, ref, mx, doc \
    }

static const rg_key keys[] = {
    /* ---- top level ---- */
    {"name", RG_KT_STRING, TB, false, "", "\"\"", NB, NB, false, false, NULL, 255,
     "A title for the problem (at most 255 bytes); copied into results."},
    ENUMK("problem", B, false, "absent (tumour problem)",
          "zdt1|zdt2|zdt3|zdt4|zdt6|dtlz1|dtlz2",
          "Makes the file a benchmark problem (Zitzler-Deb-Thiele or Deb-Thiele-Laumanns-"
          "Zitzler test function); the tumour keys are then not allowed."),
    INTK("variables", B, false, "", "30 (zdt1-3), 10 (zdt4, zdt6), M+4 (dtlz1), M+9 (dtlz2)", 1,
         1024, "Benchmark only: number of decision variables."),
    INTK("objectives", B, false, "", "2 (ZDT, the only allowed value), 3 (DTLZ)", 2, 8,
         "Benchmark only: number of objectives M."),
    REAL("horizon_days", T, true, "days", "required", 0, NB, true, false,
         "Length of the simulated treatment; a whole multiple of decision_days."),
    REAL("decision_days", T, true, "days", "required", 0, NB, true, false,
         "Length of a decision interval (the schedule may change at its start); a whole "
         "multiple of visit_days."),
    REAL("visit_days", T, false, "days", "1", 0, NB, true, false,
         "Spacing of the visits at which burden is observed (progression, emergence)."),
    REAL("carrying_capacity", T, true, "cells", "required", 0, NB, true, false,
         "Carrying capacity K of every clone that sets none of its own."),
    ENUMK("growth", T, false, "logistic", "logistic|gompertz",
          "Growth law (docs/model.md section 3)."),
    REAL("extinction_cells", T, false, "cells", "1", 0, NB, false, false,
         "A clone below this at a decision time with no switching inflow is set to 0; 0 for "
         "normalised counts."),
    REAL("emergence_cells", T, false, "cells", "10% of B(0)", 0, NB, true, false,
         "Resistance has emerged at the first visit with resistant burden R >= this."),
    INTK("step_budget", TB, false, "steps", "1000000", 1, NB,
         "Accepted plus rejected integrator steps allowed per evaluation; beyond it the "
         "evaluation is infeasible."),

    /* ---- drugs ---- */
    LISTK("drugs", T, false, "empty", 16, "The drugs (at most 16)."),
    NAMEK("drugs.[].name", T, true, "required", NULL, "Unique drug name."),
    REAL("drugs.[].half_life_days", T, true, "days", "required", 0, NB, false, false,
         "Plasma half-life; 0 = the concentration follows the level at once (continuous "
         "drugs only)."),
    ENUMK("drugs.[].administration", T, false, "continuous", "continuous|bolus",
          "continuous: dc/dt = k (u - c); bolus: c += u every dosing_interval_days."),
    REAL("drugs.[].dosing_interval_days", T, false, "days", "required for bolus drugs", 0, NB,
         true, false,
         "Bolus drugs only: time between boluses, a whole multiple of decision_days."),
    ENUMK("drugs.[].effect", T, false, "hill", "hill|linear",
          "Single-drug kill: Hill (Emax model) or linear log-kill."),
    REAL("drugs.[].emax", T, false, "1/day", "0", 0, NB, false, false,
         "Maximal kill rate; at most 50 per day unless cycle_specific (then a fold of the "
         "division rate)."),
    REAL("drugs.[].ec50", T, false, "normalised concentration", "1", 0, NB, true, false,
         "Exposure giving half the maximal kill (hill) or the unit of exposure (linear)."),
    REAL("drugs.[].hill", T, false, "", "1", 0, NB, true, false, "Hill exponent n."),
    BOOLK("drugs.[].cycle_specific", T, "false",
          "Kill is multiplied by the clone's division rate max(g, 0) (Norton-Simon)."),
    REAL("drugs.[].toxicity_weight", T, false, "", "1", 0, NB, false, false,
         "Weight in daily toxicity and in the dose_intensity objective."),
    REAL("drugs.[].hypoxia_penetration_loss", T, false, "", "0", 0, 1, false, false,
         "p: the drug reaches 1 - p f of its plasma concentration (f hypoxic fraction)."),
    BOOLK("drugs.[].stroma_sensitive", T, "false",
          "Kill is multiplied by (1 - s_eff) (stromal protection)."),
    REAL("drugs.[].myelotoxicity_slope", T, false, "per unit concentration", "0", NB, 1000,
         false, false,
         "Friberg drug effect E = sum slope * c (not clamped); at most 1000 (docs/model.md "
         "section 0)."),
    REAL("drugs.[].max_cumulative_dose", T, false, "MTD-days (continuous) or MTD boluses",
         "no limit", 0, NB, false, false,
         "Constraint on the drug's cumulative dose (also constraints.max_cumulative_dose)."),

    /* ---- mechanisms ---- */
    LISTK("mechanisms", T, false, "empty", 32, "Resistance mechanisms (at most 32)."),
    NAMEK("mechanisms.[].name", T, true, "required", NULL, "Unique mechanism name."),
    ENUMK("mechanisms.[].kind", T, true, "required",
          "efflux|detox|target|repair|apoptosis|autophagy",
          "efflux, detox: exposure / F; target: EC50 * F; repair, apoptosis, autophagy: "
          "Emax / F."),
    NAMESK("mechanisms.[].affects", T, true, "required", "drug", 16,
           "The drugs the mechanism acts on."),
    REAL("mechanisms.[].hypoxia_induction", T, false, "", "0", 0, NB, false, false,
         "eta: the fold becomes F (1 + eta f) under hypoxic fraction f."),
    LISTK("mechanisms.[].inhibitors", T, false, "empty", 8,
          "Drugs that block the mechanism (at most 8)."),
    NAMEK("mechanisms.[].inhibitors.[].drug", T, true, "required", "drug", "Inhibiting drug."),
    REAL("mechanisms.[].inhibitors.[].ic50", T, true, "normalised concentration", "required", 0,
         NB, true, false, "Occupancy o = c / (c + ic50)."),
    ENUMK("mechanisms.[].inhibitors_combine", T, false, "any", "any|all",
          "any: I = min(1, sum o); all: I = product of o."),

    /* ---- clones ---- */
    LISTK("clones", T, true, "required", 64, "The clones (1 to 64)."),
    NAMEK("clones.[].name", T, true, "required", NULL, "Unique clone name."),
    REAL("clones.[].cells", T, true, "cells", "required", 0, NB, false, false,
         "Initial cells x_i(0)."),
    REAL("clones.[].growth_rate", T, true, "1/day", "required", 0, 50, false, false,
         "Net proliferation rate r_i (a cost of resistance is a lower r_i)."),
    REAL("clones.[].death_rate", T, false, "1/day", "0", 0, 50, false, false,
         "Turnover delta_i."),
    REAL("clones.[].carrying_capacity", T, false, "cells", "top-level carrying_capacity", 0, NB,
         true, false, "The clone's own K_i."),
    BOOLK("clones.[].resistant", T, "false", "Counts towards the resistant burden R."),
    MAPK("clones.[].competition", T, "clone", 64,
         "Weights a_ij of other clones in this clone's crowding."),
    REAL("clones.[].competition.<clone>", T, false, "", "1", 0, NB, false, false,
         "a_ij for the named clone (not the clone itself: a_ii = 1)."),
    MAPK("clones.[].capacity_effect", T, "drug", 16,
         "Drugs that lower this clone's carrying capacity."),
    REAL("clones.[].capacity_effect.<drug>", T, false, "per unit concentration", "0", 0, NB,
         false, false, "gamma_di: K_eff = K max(0.01, 1 - sum gamma c)."),
    MAPK("clones.[].mechanisms", T, "mechanism", 32, "Mechanisms the clone carries."),
    REAL("clones.[].mechanisms.<mechanism>", T, false, "", "1 (not carried)", 0, NB, true,
         false, "Fold F of the named mechanism (F < 1: collateral sensitivity)."),

    /* ---- mutations ---- */
    LISTK("mutations", T, false, "empty", 256, "Switching between clones (at most 256)."),
    NAMEK("mutations.[].from", T, true, "required", "clone", "Source clone."),
    NAMEK("mutations.[].to", T, true, "required", "clone", "Target clone (not the source)."),
    REAL("mutations.[].rate", T, false, "per division", "0", 0, 1, false, false,
         "mu: fraction of divisions that switch."),
    LISTK("mutations.[].induced_by", T, false, "empty", 8,
          "Drug-induced switching (persisters, EMT; at most 8)."),
    NAMEK("mutations.[].induced_by.[].drug", T, true, "required", "drug", "Inducing drug."),
    REAL("mutations.[].induced_by.[].rate", T, true, "1/day per unit concentration", "required",
         0, 50, false, false, "nu: switching rate per unit concentration."),

    /* ---- interactions ---- */
    LISTK("interactions", T, false, "empty", 64, "Pairwise drug interactions (at most 64)."),
    NAMESK("interactions.[].drugs", T, true, "required", "drug", 2,
           "Exactly two different drugs."),
    REAL("interactions.[].psi", T, true, "", "required", NB, NB, false, false,
         "psi: synergy > 0, antagonism < 0."),

    /* ---- tme ---- */
    GROUPK("tme", T, false, "absent (off)",
           "Tumour microenvironment (docs/model.md section 4)."),
    GROUPK("tme.hypoxia", T, false, "absent (off)", "Mean-field hypoxia."),
    REAL("tme.hypoxia.max_fraction", T, false, "", "0", 0, 1, false, false,
         "f = max_fraction B / (B + half_burden)."),
    REAL("tme.hypoxia.half_burden", T, false, "cells", "required when max_fraction > 0", 0, NB,
         true, false, "Burden at which f is half its maximum."),
    REAL("tme.hypoxia.quiescence", T, false, "", "0", 0, 1, false, false,
         "q: growth is multiplied by (1 - q f)."),
    GROUPK("tme.stroma", T, false, "absent (off)", "Stromal protection."),
    REAL("tme.stroma.protection", T, false, "", "0", 0, 1, false, false,
         "s: kill of stroma_sensitive drugs times (1 - s (1 - I))."),
    LISTK("tme.stroma.inhibitors", T, false, "empty", 8,
          "Drugs that block stromal protection (at most 8)."),
    NAMEK("tme.stroma.inhibitors.[].drug", T, true, "required", "drug", "Inhibiting drug."),
    REAL("tme.stroma.inhibitors.[].ic50", T, true, "normalised concentration", "required", 0,
         NB, true, false, "Occupancy o = c / (c + ic50)."),
    ENUMK("tme.stroma.inhibitors_combine", T, false, "any", "any|all",
          "any: I = min(1, sum o); all: I = product of o."),

    /* ---- neutrophils ---- */
    GROUPK("neutrophils", T, false, "absent (off)",
           "Friberg et al. 2002 myelosuppression model; on when present."),
    REAL("neutrophils.mtt_days", T, true, "days", "required", 0.01, NB, false, false,
         "Mean transit time; k = 4 / MTT; at least 0.01 (docs/model.md section 0)."),
    REAL("neutrophils.circ0", T, true, "10^9 cells/L", "required", 0, NB, true, false,
         "Baseline circulating neutrophils."),
    REAL("neutrophils.gamma", T, true, "", "required", 0, NB, false, false,
         "Feedback exponent."),

    /* ---- constraints ---- */
    GROUPK("constraints", T, false, "absent (none)",
           "Limits every regimen is checked against (docs/model.md section 7)."),
    REAL("constraints.max_daily_toxicity", T, false, "", "no limit", 0, NB, false, false,
         "sum_d toxicity_weight u_d <= this on every interval, over the doses given there "
         "(a bolus drug only where its bolus falls)."),
    REAL("constraints.anc_min", T, false, "10^9 cells/L", "no limit", 0, NB, false, false,
         "Neutrophil nadir must stay >= this (needs the neutrophils group)."),
    MAPK("constraints.max_cumulative_dose", T, "drug", 16,
         "Per-drug cumulative dose limits (same as the drug key)."),
    REAL("constraints.max_cumulative_dose.<drug>", T, false,
         "MTD-days (continuous) or MTD boluses", "no limit", 0, NB, false, false,
         "Limit for the named drug; not together with the drug's own key."),

    /* ---- progression ---- */
    GROUPK("progression", T, false, "see its keys", "When the tumour counts as progressed."),
    ENUMK("progression.reference", T, false, "initial", "initial|nadir",
          "B_ref: B(0), or the minimum over earlier visits (RECIST-like)."),
    REAL("progression.factor", T, false, "", "1.2", 0, NB, true, false,
         "Progression when B >= factor B_ref and B >= min_cells."),
    REAL("progression.min_cells", T, false, "cells", "extinction_cells", 0, NB, false, false,
         "Smallest burden that can count as progression."),

    /* ---- regimens ---- */
    LISTK("regimens", T, false, "empty", 32,
          "Built-in regimens reported beside the evolved ones (at most 32)."),
    NAMEK("regimens.[].name", T, true, "required", NULL, "Unique regimen name."),
    ENUMK("regimens.[].policy", T, true, "required",
          "mtd|metronomic|adaptive|dose_modulation|fixed",
          "The rule (docs/model.md section 8)."),
    NAMESK("regimens.[].drugs", T, true, "required", "drug", 16,
           "Drugs the regimen gives (at least one, no repeats)."),
    REAL("regimens.[].cycle_days", T, false, "days", "continuous MTD", 0, NB, true, false,
         "mtd only: cycle length, a whole multiple of decision_days; with on_days."),
    REAL("regimens.[].on_days", T, false, "days", "continuous MTD", 0, NB, true, false,
         "mtd only: treated days at the start of each cycle, a whole multiple of "
         "decision_days, <= cycle_days."),
    REAL("regimens.[].level", T, false, "fraction of MTD", "required (metronomic)", 0, 1, false,
         false, "metronomic only: constant level."),
    REAL("regimens.[].dose", T, false, "fraction of MTD",
         "required (adaptive, dose_modulation)", 0, 1, false, false,
         "adaptive, dose_modulation: level when treating / starting dose."),
    REAL("regimens.[].stop_below", T, false, "fraction of B(0)", "required (adaptive)", 0, NB,
         false, false, "adaptive only: stop treating when B <= stop_below B(0)."),
    REAL("regimens.[].resume_above", T, false, "fraction of B(0)", "required (adaptive)", 0, NB,
         false, false, "adaptive only: resume when B >= resume_above B(0)."),
    REAL("regimens.[].rise", T, false, "fraction", "required (dose_modulation)", 0, NB, false,
         false, "dose_modulation only: a rise of B above this raises the dose."),
    REAL("regimens.[].fall", T, false, "fraction", "required (dose_modulation)", 0, NB, false,
         false, "dose_modulation only: a fall of B above this lowers the dose."),
    REAL("regimens.[].step", T, false, "fraction", "required (dose_modulation)", 0, 1, false,
         false, "dose_modulation only: D *= (1 +/- step)."),
    REAL("regimens.[].min_dose", T, false, "fraction of MTD", "0.05", 0, 1, false, false,
         "dose_modulation only: D below this is treated as 0."),
    REAL("regimens.[].skip_below", T, false, "fraction of B(0)", "0", 0, NB, false, false,
         "dose_modulation only: no drug while B < skip_below B(0)."),
    {"regimens.[].doses", RG_KT_REALS_LIST, T, false, "fraction of MTD", "required (fixed)", 0,
     1, false, false, NULL, 16,
     "fixed only: one array of levels per interval for each drug, in the order of drugs; "
     "repeated when shorter than the horizon (levels past the horizon are not used)."},
    REAL("regimens.[].dosing_interval_days", T, false, "days", "each drug's own", 0, NB, true,
         false,
         "fixed only: a bolus every dosing_interval_days from day 0 for the regimen's bolus "
         "drugs (e.g. weekly); a whole multiple of decision_days, at most each named bolus "
         "drug's own dosing_interval_days."),

    /* ---- optimize ---- */
    GROUPK("optimize", TB, false, "see its keys", "The optimisation."),
    ENUMK("optimize.encoding", TB, false, "schedule (benchmark in benchmark files)",
          "schedule|adaptive_rule|benchmark",
          "schedule: open-loop levels per interval; adaptive_rule: parameters of a feedback "
          "rule; benchmark: only with `problem`."),
    NAMESK("optimize.drugs", T, false, "every drug", "drug", 16,
           "Drugs whose levels are evolved (no repeats)."),
    {"optimize.dose_levels", RG_KT_REALS, T, false, "fraction of MTD", "0, 0.25, 0.5, 0.75, 1",
     0, 1, false, false, NULL, 32, "Allowed levels, strictly increasing (2 to 32 values)."},
    NAMESK("optimize.objectives", T, false, "ttp, resistant_fraction, dose_intensity",
           "objective", 8,
           "Objectives (docs/model.md section 9): ttp, resistant_fraction, resistant_burden, "
           "emergence_hazard, resistance_probability, final_burden, dose_intensity, "
           "time_to_emergence, neutrophil_nadir; 1 to 8, no repeats."),
    INTK("optimize.population", TB, false, "", "128 (odd values are rounded up to even)", 4,
         1000000, "Population size."),
    INTK("optimize.generations", TB, false, "", "200", 1, 100000000, "Generations."),
    INTK("optimize.seed", TB, false, "", "1", 0, 4294967295.0, "Seed of the random numbers."),
    {"optimize.reference_point", RG_KT_REALS, TB, false, "natural units of each objective",
     "computed from the run", NB, NB, false, false, NULL, 8,
     "Hypervolume reference point, one value per objective in order."},
    REAL("optimize.crossover_probability", TB, false, "", "0.9", 0, 1, false, false,
         "Probability that a pair is recombined."),
    REAL("optimize.mutation_probability", TB, false, "", "1 / genome length", 0, 1, false,
         false, "Per-gene mutation probability."),
    REAL("optimize.sbx_eta", TB, false, "", "20", 0, NB, false, false,
         "Distribution index of simulated binary crossover."),
    REAL("optimize.pm_eta", TB, false, "", "20", 0, NB, false, false,
         "Distribution index of polynomial mutation."),
    INTK("optimize.chunk", TB, false, "genomes", "0 (automatic)", 0, 1000000,
         "Genomes per MPI message (on a cohort problem: (schedule, patient) pairs; "
         "docs/scaling.md)."),
    INTK("optimize.archive_size", TB, false, "schedules", "0 (unbounded)", 0, 100000000,
         "Largest archive of non-dominated schedules (docs/optimizer.md, Archive); 0 keeps "
         "every one; otherwise at least the population."),
    INTK("optimize.history_every", TB, false, "generations", "0 (automatic)", 0, 100000000,
         "A history row every N generations, and the last; 0: every generation up to 1000 "
         "generations, else every generations/1000 (rounded up)."),

    /* ---- cohort (docs/model.md section 13) ---- */
    GROUPK("cohort", T, false, "absent (one patient)",
           "A virtual cohort: inline (parameters and patients), a table, or sampled (size "
           "and vary); exactly one of the three."),
    STRSK("cohort.parameters", false, "required with patients", RG_COHORT_MAX_PARAMS,
          "Inline cohort: the parameter paths (docs/model.md section 13), in the order of "
          "every patient's values."),
    LISTK("cohort.patients", T, false, "absent", RG_COHORT_MAX_PATIENTS,
          "Inline cohort: one group per patient."),
    NAMEK("cohort.patients.[].name", T, true, "required", NULL, "Unique patient name."),
    {"cohort.patients.[].values", RG_KT_REALS, T, true, "units of each parameter", "required",
     NB, NB, false, false, NULL, RG_COHORT_MAX_PARAMS,
     "One value per entry of parameters, in order."},
    {"cohort.table", RG_KT_STRING, T, false, "", "absent", NB, NB, false, false, NULL, 4095,
     "CSV file of patients, relative to the problem file's folder: header name,<path>,... "
     "and one row per patient."},
    INTK("cohort.size", T, false, "patients", "required with vary", 1, RG_COHORT_MAX_PATIENTS,
         "Sampled cohort: number of patients (named P1, P2, ...)."),
    INTK("cohort.seed", T, false, "", "1", 0, 4294967295.0,
         "Sampled cohort: seed of the Sobol shift or of the random draws."),
    ENUMK("cohort.sampling", T, false, "sobol", "sobol|random",
          "Sampled cohort: Sobol points (at most 40 varied parameters) with a random shift, "
          "or independent random draws."),
    LISTK("cohort.vary", T, false, "absent", RG_COHORT_MAX_PARAMS,
          "Sampled cohort: one group per varied parameter."),
    {"cohort.vary.[].parameter", RG_KT_STRING, T, true, "", "required", NB, NB, false, false,
     NULL, RG_PARAM_PATH_MAX - 1, "Parameter path (docs/model.md section 13)."},
    ENUMK("cohort.vary.[].distribution", T, true, "required", "lognormal|normal|uniform",
          "lognormal (median, cv), normal (mean, sd) or uniform (min, max)."),
    REAL("cohort.vary.[].median", T, false, "parameter's unit", "required for lognormal", 0, NB,
         true, false, "Median of a lognormal distribution."),
    REAL("cohort.vary.[].cv", T, false, "", "required for lognormal", 0, NB, false, false,
         "Coefficient of variation of a lognormal distribution: sigma^2 = log(1 + cv^2)."),
    REAL("cohort.vary.[].mean", T, false, "parameter's unit", "required for normal", NB, NB,
         false, false, "Mean of a normal distribution."),
    REAL("cohort.vary.[].sd", T, false, "parameter's unit", "required for normal", 0, NB, false,
         false, "Standard deviation of a normal distribution."),
    REAL("cohort.vary.[].min", T, false, "parameter's unit", "no bound (required for uniform)",
         NB, NB, false, false, "Lower bound: the distribution is truncated to it."),
    REAL("cohort.vary.[].max", T, false, "parameter's unit", "no bound (required for uniform)",
         NB, NB, false, false, "Upper bound: the distribution is truncated to it."),
    STRSK("cohort.aggregate", false, "median for every objective", RG_MAX_OBJ,
          "One statistic per objective of optimize.objectives, in order: median, mean, "
          "q<P> (P-th percentile), cvar<P> (mean of the worst P%), pfs<D> (ttp only: fraction "
          "progression-free at day D)."),
    REAL("cohort.feasible_fraction", T, false, "", "1", 0, 1, true, false,
         "Fraction of the patients for whom every constraint must hold."),
};

const rg_key *rg_keys(size_t *n)
{
    *n = sizeof keys / sizeof keys[0];
    return keys;
}

const rg_key *rg_key_find(const char *pattern)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(keys[i].path, pattern))
            return &keys[i];
    return NULL;
}

const char *rg_key_type_name(rg_key_type t)
{
    switch (t) {
    case RG_KT_REAL: return "real";
    case RG_KT_INT: return "integer";
    case RG_KT_BOOL: return "boolean";
    case RG_KT_STRING: return "string";
    case RG_KT_NAME: return "name";
    case RG_KT_ENUM: return "string";
    case RG_KT_GROUP: return "group";
    case RG_KT_LIST: return "list of groups";
    case RG_KT_MAP: return "group of name = real";
    case RG_KT_NAMES: return "array of names";
    case RG_KT_STRINGS: return "array of strings";
    case RG_KT_REALS: return "array of reals";
    case RG_KT_REALS_LIST: return "list of arrays of reals";
    }
    return "unknown";
}

static void fmt_num(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.15g", v);
}

const char *rg_key_range_text(const rg_key *k, char *buf, size_t size)
{
    char a[40], b[40];
    bool has_lo = !isnan(k->lo), has_hi = !isnan(k->hi);
    if (has_lo)
        fmt_num(a, sizeof a, k->lo);
    if (has_hi)
        fmt_num(b, sizeof b, k->hi);
    if (has_lo && has_hi)
        snprintf(buf, size, "%s%s, %s%s", k->lo_open ? "(" : "[", a, b, k->hi_open ? ")" : "]");
    else if (has_lo)
        snprintf(buf, size, "%s %s", k->lo_open ? ">" : ">=", a);
    else if (has_hi)
        snprintf(buf, size, "%s %s", k->hi_open ? "<" : "<=", b);
    else
        snprintf(buf, size, "any");
    return buf;
}

/* The group a row belongs to in the document: the pattern up to its last '.'. */
static size_t parent_len(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? (size_t)(dot - path) : 0;
}

static int md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') {
            if (fputs("\\|", f) < 0)
                return -1;
        } else if (fputc(*s, f) == EOF)
            return -1;
    }
    return 0;
}

static const char *section_title(const char *prefix, size_t len)
{
    (void)prefix;
    return len ? NULL : "Top level";
}

int rg_keys_write_markdown(FILE *f)
{
    size_t n = sizeof keys / sizeof keys[0];
    bool done[sizeof keys / sizeof keys[0]] = {false};
    /* One table per parent pattern, in the order in which parents first appear. */
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        size_t plen = parent_len(keys[i].path);
        const char *title = section_title(keys[i].path, plen);
        if (title)
            fprintf(f, "### %s\n\n", title);
        else
            fprintf(f, "### `%.*s`\n\n", (int)plen, keys[i].path);
        fprintf(f, "| Key | Type | Unit | Default | Valid | Used in | Description |\n");
        fprintf(f, "|---|---|---|---|---|---|---|\n");
        for (size_t j = i; j < n; j++) {
            if (done[j] || parent_len(keys[j].path) != plen ||
                strncmp(keys[j].path, keys[i].path, plen))
                continue;
            const rg_key *k = &keys[j];
            done[j] = true;
            char range[96];
            switch (k->type) {
            case RG_KT_REAL:
            case RG_KT_INT:
            case RG_KT_REALS:
            case RG_KT_REALS_LIST: rg_key_range_text(k, range, sizeof range); break;
            case RG_KT_ENUM: {
                size_t q = 0;
                for (const char *a = k->values; *a && q + 3 < sizeof range; a++) {
                    if (*a == '|') {
                        range[q++] = ',';
                        range[q++] = ' ';
                    } else
                        range[q++] = *a;
                }
                range[q] = '\0';
                break;
            }
            case RG_KT_NAME:
                if (k->values)
                    snprintf(range, sizeof range, "a %s name", k->values);
                else
                    snprintf(range, sizeof range, "[A-Za-z][A-Za-z0-9_-]*");
                break;
            case RG_KT_NAMES:
            case RG_KT_MAP: snprintf(range, sizeof range, "%s names", k->values); break;
            default: range[0] = '\0'; break;
            }
            if (k->max_count && k->type != RG_KT_STRING) {
                size_t len = strlen(range);
                snprintf(range + len, sizeof range - len, "%sat most %zu entries",
                         len ? "; " : "", k->max_count);
            }
            fprintf(f, "| `%s` | %s | %s | ", k->path + (plen ? plen + 1 : 0),
                    rg_key_type_name(k->type), k->unit);
            if (k->required && strcmp(k->def, "required") != 0)
                fprintf(f, "required; ");
            md_cell(f, k->def);
            fputs(" | ", f);
            md_cell(f, range);
            fprintf(f, " | %s | ",
                    k->scope == RG_KS_BOTH        ? "both"
                    : k->scope == RG_KS_BENCHMARK ? "benchmark"
                                                  : "tumour");
            md_cell(f, k->doc);
            if (fputs(" |\n", f) < 0)
                return -1;
        }
        if (fputs("\n", f) < 0)
            return -1;
    }
    return ferror(f) ? -1 : 0;
}
