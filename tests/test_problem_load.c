/* Tests of the problem loader (src/io/problem_load.c, load_*.c) and of `regimen check` on
 * bad input.
 *
 * The bad-input suite is a table: each case is a complete malformed file, written into
 * RG_TEST_TMPDIR, with the key path and a fragment of the message expected. The expected
 * line is the line of the file that carries the marker comment "#!". Each case is loaded
 * through the library (RG_EINVAL, *out NULL, the message "FILE:LINE: PATH: ...") and through
 * the `regimen check` binary (exit 2, empty stdout, the same message on stderr). */
#include "rg_test.h"
#include "rg_test_util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "problem_load_util.h"

/* ---------------------------------------------------------------- the bad-input table */

/* A valid base: grid (lines 1-3), a drug (4), a clone (5). */
#define GRID "horizon_days = 70.0;\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n"
#define DRUG "drugs = ( { name = \"d\"; half_life_days = 1.0; } );\n"
#define CLONE "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; } );\n"
#define BASE GRID DRUG CLONE

typedef struct {
    const char *id;
    const char *text;
    const char *path; /* key path in the message; "" for a message without one */
    const char *what; /* fragment of the message */
} bad_case;

static const bad_case cases[] = {
    /* syntax and types */
    {"syntax", GRID DRUG "clones = ( { name = \"s\"; cells = ; } ); #!\n", "", "syntax error"},
    /* an integer literal beyond 32 bits is read with its own value (docs/model.md section 0), then
     * range-checked: 0x1FFFFFFFF = 8589934591 > 2^32 - 1 */
    {"int_overflow_hex", BASE "optimize = { seed = 0x1FFFFFFFF; }; #!\n", "optimize.seed",
     "8589934591 is out of range"},
    {"mixed_array", BASE "optimize = { dose_levels = [0.0, 1]; }; #!\n", "",
     "mismatched element type"},
    {"unknown_top", BASE "foo = 1; #!\n", "foo", "unknown key"},
    {"unknown_drug_key", GRID "drugs = ( { name = \"d\"; half_life_dayz = 1.0; } ); #!\n" CLONE,
     "drugs.[0].half_life_dayz", "did you mean 'half_life_days'"},
    {"unknown_nested", BASE "tme = { hypoxia = { max_fracton = 0.2; }; }; #!\n",
     "tme.hypoxia.max_fracton", "did you mean 'max_fraction'"},
    {"wrong_type_string",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = \"fast\"; } ); #!\n",
     "clones.[0].growth_rate", "expected a real number, found a string"},
    {"wrong_type_bool",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; cycle_specific = 1; } ); #!\n" CLONE,
     "drugs.[0].cycle_specific", "expected true or false, found an integer"},
    {"wrong_type_group", BASE "tme = 3; #!\n", "tme", "expected a group"},
    {"wrong_type_list_elem", GRID "drugs = ( \"d\" ); #!\n" CLONE, "drugs.[0]",
     "expected a group"},
    {"int_not_whole", BASE "optimize = { generations = 10.5; }; #!\n", "optimize.generations",
     "expected an integer, found 10.5"},
    {"nonfinite",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e999; growth_rate = 0.1; } ); #!\n",
     "clones.[0].cells", "not finite"},
    {"bad_enum", BASE "growth = \"exponential\"; #!\n", "growth",
     "is not one of \"logistic\", \"gompertz\""},
    {"bad_kind",
     BASE "mechanisms = ( { name = \"m\"; kind = \"pump\"; affects = [\"d\"]; } ); #!\n",
     "mechanisms.[0].kind", "\"pump\" is not one of"},
    /* required keys */
    {"missing_horizon", "decision_days = 7.0; #!\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "missing required key"},
    {"missing_clones", "#!\n" GRID DRUG, "clones", "missing required key"},
    {"missing_cells", GRID DRUG "clones = ( { name = \"s\"; growth_rate = 0.1; } ); #!\n",
     "clones.[0].cells", "missing required key"},
    {"missing_half_life", GRID "drugs = ( { name = \"d\"; } ); #!\n" CLONE,
     "drugs.[0].half_life_days", "missing required key"},
    /* bounds that keep every accepted problem's evaluation finite (docs/model.md section 0) */
    {"mtt_too_short",
     BASE "neutrophils = { mtt_days = 1e-8; circ0 = 5.0; gamma = 0.16; }; #!\n",
     "neutrophils.mtt_days", "1e-08 is out of range (expected >= 0.01"},
    {"myelotox_too_steep",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; myelotoxicity_slope = 1e8; } ); "
          "#!\n" CLONE,
     "drugs.[0].myelotoxicity_slope", "out of range (expected <= 1000"},
    {"too_many_visits",
     "horizon_days = 1e300; #!\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "at most 1000000"},
    {"missing_neutrophil_gamma", BASE "neutrophils = { mtt_days = 3.7; circ0 = 5.0; }; #!\n",
     "neutrophils.gamma", "missing required key"},
    {"empty_clones", GRID DRUG "clones = ( ); #!\n", "clones", "at least one clone"},
    /* names */
    {"bad_name",
     GRID DRUG "clones = ( { name = \"bad name\"; cells = 1e6; growth_rate = 0.1; } ); #!\n",
     "clones.[0].name", "not a valid name"},
    {"long_name",
     GRID DRUG "clones = ( { name = "
               "\"a1234567890123456789012345678901234567890123456789012345678901234\"; cells = "
               "1e6; growth_rate = 0.1; } ); #!\n",
     "clones.[0].name", "longer than 63"},
    {"dup_drug",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; },\n { name = \"d\"; half_life_days "
          "= 2.0; } ); #!\n" CLONE,
     "drugs.[1].name", "duplicate drug name 'd'"},
    {"dup_clone",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = "
               "\"s\"; cells = 1.0; growth_rate = 0.1; } ); #!\n",
     "clones.[1].name", "duplicate clone name 's'"},
    {"dup_mechanism",
     BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"d\"]; },\n { name = "
          "\"m\"; kind = \"detox\"; affects = [\"d\"]; } ); #!\n",
     "mechanisms.[1].name", "duplicate mechanism name 'm'"},
    {"dup_regimen",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; },\n { name = "
          "\"r\"; policy = \"mtd\"; drugs = [\"d\"]; } ); #!\n",
     "regimens.[1].name", "duplicate regimen name 'r'"},
    {"unknown_affects",
     BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"x\"]; } ); #!\n",
     "mechanisms.[0].affects.[0]", "unknown drug 'x'"},
    {"unknown_inhibitor",
     BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"d\"];\n inhibitors = "
          "( { drug = \"x\"; ic50 = 0.2; } ); } ); #!\n",
     "mechanisms.[0].inhibitors.[0].drug", "unknown drug 'x'"},
    {"unknown_mech_in_clone",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; mechanisms = { X = "
               "2.0; }; } ); #!\n",
     "clones.[0].mechanisms.X", "unknown mechanism 'X'"},
    {"unknown_competitor",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; competition = { y = "
               "2.0; }; } ); #!\n",
     "clones.[0].competition.y", "unknown clone 'y'"},
    {"self_competition",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; competition = { s = "
               "2.0; }; } ); #!\n",
     "clones.[0].competition.s", "a_ii = 1"},
    {"unknown_capacity_drug",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; capacity_effect = { "
               "x = 0.5; }; } ); #!\n",
     "clones.[0].capacity_effect.x", "unknown drug 'x'"},
    {"unknown_mutation_clone",
     BASE "mutations = ( { from = \"s\"; to = \"r\"; rate = 1e-7; } ); #!\n",
     "mutations.[0].to", "unknown clone 'r'"},
    {"mutation_self", BASE "mutations = ( { from = \"s\"; to = \"s\"; rate = 1e-7; } ); #!\n",
     "mutations.[0].to", "another clone"},
    {"unknown_regimen_drug",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"x\"]; } ); #!\n",
     "regimens.[0].drugs.[0]", "unknown drug 'x'"},
    {"unknown_constraint_drug",
     BASE "constraints = { max_cumulative_dose = { x = 3.0; }; }; #!\n",
     "constraints.max_cumulative_dose.x", "unknown drug 'x'"},
    {"cumulative_twice",
     GRID
     "drugs = ( { name = \"d\"; half_life_days = 1.0; max_cumulative_dose = 2.0; } );\n" CLONE
     "constraints = { max_cumulative_dose = { d = 3.0; }; }; #!\n",
     "constraints.max_cumulative_dose.d", "also set on the drug"},
    {"unknown_objective", BASE "optimize = { objectives = [\"ttp\", \"cost\"]; }; #!\n",
     "optimize.objectives.[1]", "unknown objective 'cost'"},
    {"dup_objective", BASE "optimize = { objectives = [\"ttp\", \"ttp\"]; }; #!\n",
     "optimize.objectives.[1]", "listed twice"},
    /* docs/model.md section 0 rules */
    {"b0_zero",
     GRID DRUG "clones = ( { name = \"s\"; cells = 0.0; growth_rate = 0.1; } ); #!\n", "clones",
     "B(0)"},
    {"horizon_not_multiple",
     "horizon_days = 71.0; #!\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "not a positive whole multiple of decision_days"},
    {"decision_not_multiple",
     "horizon_days = 70.0;\ndecision_days = 7.0; #!\nvisit_days = 2.0;\ncarrying_capacity = "
     "1e9;\n" DRUG CLONE,
     "decision_days", "not a whole multiple of visit_days"},
    {"horizon_zero",
     "horizon_days = 0.0; #!\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "out of range (expected > 0"},
    {"ec50_zero",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; ec50 = 0.0; } ); #!\n" CLONE,
     "drugs.[0].ec50", "out of range (expected > 0"},
    {"ic50_negative",
     BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"d\"];\n inhibitors = "
          "( { drug = \"d\"; ic50 = -0.2; } ); } ); #!\n",
     "mechanisms.[0].inhibitors.[0].ic50", "out of range (expected > 0"},
    {"hill_zero",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; hill = 0; } ); #!\n" CLONE,
     "drugs.[0].hill", "out of range (expected > 0"},
    {"half_burden_zero",
     BASE "tme = { hypoxia = { max_fraction = 0.3; half_burden = 0.0; }; }; #!\n",
     "tme.hypoxia.half_burden", "out of range (expected > 0"},
    {"half_burden_missing", BASE "tme = { hypoxia = { max_fraction = 0.3; }; }; #!\n",
     "tme.hypoxia.half_burden", "required when max_fraction > 0"},
    {"fold_zero",
     GRID DRUG "mechanisms = ( { name = \"m\"; kind = \"target\"; affects = [\"d\"]; } );\n"
               "clones = ( { name = \"r\"; cells = 1.0; growth_rate = 0.1; mechanisms = { m = "
               "0.0; }; } ); #!\n",
     "clones.[0].mechanisms.m", "out of range (expected > 0"},
    {"dup_key", BASE "horizon_days = 7.0; #!\n", "", "duplicate setting name"},
    {"fold_negative",
     GRID DRUG "mechanisms = ( { name = \"m\"; kind = \"target\"; affects = [\"d\"]; } );\n"
               "clones = ( { name = \"r\"; cells = 1.0; growth_rate = 0.1; mechanisms = { m = "
               "-2.0; }; } ); #!\n",
     "clones.[0].mechanisms.m", "out of range (expected > 0"},
    {"bolus_half_life_zero",
     GRID "drugs = ( { name = \"d\"; half_life_days = 0.0; administration = \"bolus\"; "
          "dosing_interval_days = 7.0; } ); #!\n" CLONE,
     "drugs.[0].half_life_days", "bolus drug needs a half-life > 0"},
    {"bolus_no_interval",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; administration = \"bolus\"; } ); "
          "#!\n" CLONE,
     "drugs.[0].dosing_interval_days", "bolus drug"},
    {"interval_on_continuous",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; dosing_interval_days = 7.0; } ); "
          "#!\n" CLONE,
     "drugs.[0].dosing_interval_days", "only bolus drugs"},
    {"interval_off_grid",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; administration = \"bolus\"; "
          "dosing_interval_days = 10.0; } ); #!\n" CLONE,
     "drugs.[0].dosing_interval_days", "off the grid"},
    {"growth_above_50",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 60; } ); #!\n",
     "clones.[0].growth_rate", "60 is out of range (expected [0, 50], 1/day)"},
    {"death_above_50",
     GRID DRUG
     "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; death_rate = 51.0; } ); #!\n",
     "clones.[0].death_rate", "out of range (expected [0, 50]"},
    {"emax_above_50",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; emax = 60.0; } ); #!\n" CLONE,
     "drugs.[0].emax", "above 50 per day"},
    {"induced_rate_above_50",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = "
               "\"r\"; cells = 0.0; growth_rate = 0.1; } );\n"
               "mutations = ( { from = \"s\"; to = \"r\"; rate = 1e-7;\n induced_by = ( { drug "
               "= \"d\"; rate = 75.0; } ); } ); #!\n",
     "mutations.[0].induced_by.[0].rate", "out of range (expected [0, 50]"},
    {"mutation_rate_above_1",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = "
               "\"r\"; cells = 0.0; growth_rate = 0.1; } );\n"
               "mutations = ( { from = \"s\"; to = \"r\"; rate = 1.5; } ); #!\n",
     "mutations.[0].rate", "out of range (expected [0, 1]"},
    {"negative_cells",
     GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = "
               "\"r\"; cells = -5.0; growth_rate = 0.1; } ); #!\n",
     "clones.[1].cells", "out of range (expected >= 0"},
    {"p_above_1",
     GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; hypoxia_penetration_loss = 1.5; } "
          "); #!\n" CLONE,
     "drugs.[0].hypoxia_penetration_loss", "out of range (expected [0, 1]"},
    {"stroma_above_1", BASE "tme = { stroma = { protection = 1.2; }; }; #!\n",
     "tme.stroma.protection", "out of range (expected [0, 1]"},
    {"cycle_off_grid",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 10.0; "
          "on_days = 7.0; } ); #!\n",
     "regimens.[0].cycle_days", "off the grid"},
    {"on_off_grid",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 21.0; "
          "on_days = 3.0; } ); #!\n",
     "regimens.[0].on_days", "off the grid"},
    {"on_longer_than_cycle",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 14.0; "
          "on_days = 21.0; } ); #!\n",
     "regimens.[0].on_days", "longer than cycle_days"},
    {"cycle_without_on",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 14.0; "
          "} ); #!\n",
     "regimens.[0].on_days", "go together"},
/* a fixed regimen's own bolus interval (docs/model.md section 2) */
#define BOLUS21                                                                     \
    "drugs = ( { name = \"d\"; half_life_days = 1.0; administration = \"bolus\";\n" \
    "  dosing_interval_days = 21.0; },\n  { name = \"c\"; half_life_days = 1.0; } );\n"
    {"fixed_interval_off_grid",
     GRID BOLUS21 CLONE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"d\"]; "
                        "doses = ( [0.2] ); dosing_interval_days = 10.0; } ); #!\n",
     "regimens.[0].dosing_interval_days", "off the grid"},
    {"fixed_interval_longer",
     GRID BOLUS21 CLONE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"d\"]; "
                        "doses = ( [0.2] ); dosing_interval_days = 28.0; } ); #!\n",
     "regimens.[0].dosing_interval_days", "longer than the dosing_interval_days of d"},
    {"fixed_interval_no_bolus",
     GRID BOLUS21 CLONE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"c\"]; "
                        "doses = ( [0.2] ); dosing_interval_days = 7.0; } ); #!\n",
     "regimens.[0].dosing_interval_days", "names no bolus drug"},
    {"fixed_interval_on_mtd",
     GRID BOLUS21 CLONE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; "
                        "dosing_interval_days = 7.0; } ); #!\n",
     "regimens.[0].dosing_interval_days", "not a key of policy \"mtd\""},
#undef BOLUS21
    /* regimens */
    {"bad_policy",
     BASE "regimens = ( { name = \"r\"; policy = \"random\"; drugs = [\"d\"]; } ); #!\n",
     "regimens.[0].policy", "is not one of"},
    {"key_of_other_policy",
     BASE
     "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; level = 0.3; } ); #!\n",
     "regimens.[0].level", "not a key of policy \"mtd\""},
    {"metronomic_no_level",
     BASE "regimens = ( { name = \"r\"; policy = \"metronomic\"; drugs = [\"d\"]; } ); #!\n",
     "regimens.[0].level", "required by policy \"metronomic\""},
    {"level_above_1",
     BASE "regimens = ( { name = \"r\"; policy = \"metronomic\"; drugs = [\"d\"]; level = 1.3; "
          "} ); #!\n",
     "regimens.[0].level", "out of range (expected [0, 1]"},
    {"fixed_count_mismatch",
     BASE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"d\"];\n doses = ( [1.0, "
          "0.0], [0.5] ); } ); #!\n",
     "regimens.[0].doses", "2 dose arrays for 1 drugs"},
    {"fixed_level_above_1",
     BASE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"d\"];\n doses = ( [1.0, "
          "1.5] ); } ); #!\n",
     "regimens.[0].doses.[0].[1]", "out of range (expected [0, 1]"},
    {"regimen_no_drugs",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = []; } ); #!\n",
     "regimens.[0].drugs", "at least one drug"},
    {"regimen_drug_twice",
     BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\", \"d\"]; } ); #!\n",
     "regimens.[0].drugs.[1]", "listed twice"},
    /* interactions, constraints */
    {"interaction_three_drugs",
     BASE "interactions = ( { drugs = [\"d\", \"d\", \"d\"]; psi = 0.5; } ); #!\n",
     "interactions.[0].drugs", "exceed the limit of 2"},
    {"interaction_same_drug",
     BASE "interactions = ( { drugs = [\"d\", \"d\"]; psi = 0.5; } ); #!\n",
     "interactions.[0].drugs", "two different drugs"},
    {"anc_without_neutrophils", BASE "constraints = { anc_min = 0.5; }; #!\n",
     "constraints.anc_min", "needs the neutrophils group"},
    /* optimize */
    {"population_small", BASE "optimize = { population = 3; }; #!\n", "optimize.population",
     "3 is out of range (expected [4,"},
    {"dose_level_above_1", BASE "optimize = { dose_levels = [0.0, 1.5]; }; #!\n",
     "optimize.dose_levels.[1]", "out of range (expected [0, 1]"},
    {"dose_levels_not_increasing", BASE "optimize = { dose_levels = [0.0, 0.5, 0.5]; }; #!\n",
     "optimize.dose_levels.[2]", "increase strictly"},
    {"reference_point_length",
     BASE
     "optimize = { objectives = [\"ttp\", \"final_burden\"]; reference_point = [0.0]; }; #!\n",
     "optimize.reference_point", "1 values for 2 objectives"},
    {"encoding_benchmark_in_tumour", BASE "optimize = { encoding = \"benchmark\"; }; #!\n",
     "optimize.encoding", "needs a benchmark problem"},
    {"archive_below_population",
     BASE "optimize = { population = 64; archive_size = 10; }; #!\n", "optimize.archive_size",
     "10 is below the population (64)"},
    {"history_every_negative", BASE "optimize = { history_every = -1; }; #!\n",
     "optimize.history_every", "out of range"},
    {"step_budget_zero", BASE "step_budget = 0; #!\n", "step_budget",
     "0 is out of range (expected >= 1, steps)"},
    /* benchmark files */
    {"bench_zdt_objectives", "problem = \"zdt1\";\nobjectives = 3; #!\n", "objectives",
     "exactly 2 objectives"},
    {"bench_tumour_key", "problem = \"zdt2\";\nhorizon_days = 70.0; #!\n", "horizon_days",
     "not allowed in a benchmark problem"},
    {"bench_key_in_tumour", BASE "variables = 10; #!\n", "variables",
     "only allowed in benchmark problems"},
    {"bench_unknown_problem", "problem = \"zdt5\"; #!\n", "problem", "is not one of"},
    {"bench_dtlz_too_few_vars", "problem = \"dtlz2\";\nobjectives = 5;\nvariables = 3; #!\n",
     "variables", "needs at least 5 variables"},
    {"include", BASE "@include \"other.cfg\" #!\n", "", "@include is not supported"},
    {"bench_encoding", "problem = \"zdt1\";\noptimize = { encoding = \"schedule\"; }; #!\n",
     "optimize.encoding", "needs encoding \"benchmark\""},
};

/* Cases whose file is built by a function (size limits). */
static char *text_many_drugs(void)
{
    size_t cap = 8192;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = (size_t)snprintf(s, cap, "%s", GRID "drugs = ( #!\n");
    for (int i = 0; i < 17; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "  { name = \"d%d\"; half_life_days = 1.0; }%s\n", i,
                                i < 16 ? "," : "");
    snprintf(s + len, cap - len, ");\n" CLONE);
    return s;
}

static char *text_many_clones(void)
{
    size_t cap = 16384;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t len = (size_t)snprintf(s, cap, "%s", GRID DRUG "clones = ( #!\n");
    for (int i = 0; i < 65; i++)
        len += (size_t)snprintf(s + len, cap - len,
                                "  { name = \"c%d\"; cells = 1.0; growth_rate = 0.1; }%s\n", i,
                                i < 64 ? "," : "");
    snprintf(s + len, cap - len, ");\n");
    return s;
}

typedef struct {
    const char *id;
    char *(*make)(void);
    const char *path, *what;
} gen_case;

static const gen_case gen_cases[] = {
    {"too_many_drugs", text_many_drugs, "drugs", "17 entries exceed the limit of 16"},
    {"too_many_clones", text_many_clones, "clones", "65 entries exceed the limit of 64"},
};

static void test_bad_input_table(void **state)
{
    (void)state;
    make_tmpdir();
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++)
        check_bad(cases[i].id, cases[i].text, cases[i].path, cases[i].what);
    for (size_t i = 0; i < sizeof gen_cases / sizeof gen_cases[0]; i++) {
        char *t = gen_cases[i].make();
        check_bad(gen_cases[i].id, t, gen_cases[i].path, gen_cases[i].what);
        free(t);
    }
    print_message("bad-input cases: %zu\n", n + sizeof gen_cases / sizeof gen_cases[0]);
    /* distinct ids: each case is its own file */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(cases[i].id, cases[j].id);
}

/* ---------------------------------------------------------------- other failures */

static void test_missing_file(void **state)
{
    (void)state;
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = (rg_problem *)(uintptr_t)1;
    int st = rg_problem_load(RG_TEST_TMPDIR "/no/such/file.cfg", &p, &d);
    assert_int_equal(st, RG_EIO);
    assert_null(p);
    assert_int_equal(d.count, 1);
    assert_non_null(strstr(d.msg[0], "no/such/file.cfg"));

    char *out, *err;
    make_tmpdir();
    assert_int_equal(run_check(RG_TEST_TMPDIR "/no/such/file.cfg", NULL, &out, &err), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "cannot open"));
    free(out);
    free(err);
}

static void test_null_diag_and_directory(void **state)
{
    (void)state;
    rg_problem *p = (rg_problem *)(uintptr_t)1;
    assert_int_equal(rg_problem_load_string("foo = 1;", "x.cfg", &p, NULL), RG_EINVAL);
    assert_null(p);
    p = (rg_problem *)(uintptr_t)1;
    assert_int_equal(rg_problem_load_string(BASE, "x.cfg", &p, NULL), RG_OK);
    assert_non_null(p);
    rg_problem_free(p);
    make_tmpdir();
    rg_diag d;
    rg_diag_init(&d);
    p = (rg_problem *)(uintptr_t)1;
    assert_int_equal(rg_problem_load(RG_TEST_TMPDIR, &p, &d), RG_EIO);
    assert_null(p);
    assert_int_equal(d.count, 1);
    rg_problem_free(NULL);
}

static void test_usage_errors(void **state)
{
    (void)state;
    make_tmpdir();
    char *out, *err;
    assert_int_equal(run_check(NULL, NULL, &out, &err), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "missing problem file"));
    free(out);
    free(err);
    assert_int_equal(run_check(RG_SOURCE_DIR "/problems/example.cfg", "--jsn", &out, &err), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "unknown option '--jsn'"));
    free(out);
    free(err);
    assert_int_equal(run_check(RG_SOURCE_DIR "/problems/example.cfg", "other.cfg", &out, &err),
                     2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "more than one problem file"));
    free(out);
    free(err);
}

/* Every error of one file is reported, in line order, and nothing is filled in. */
static void test_multiple_errors(void **state)
{
    (void)state;
    const char *text =
        "horizon_days = 71.0;\n"                                           /* 1 */
        "decision_days = 7.0;\n"                                           /* 2 */
        "carrying_capacity = 1e9;\n"                                       /* 3 */
        "growth = \"exponential\";\n"                                      /* 4 */
        "drugs = ( { name = \"d\"; half_life_days = 1.0; ec50 = 0.0; },\n" /* 5 */
        "          { name = \"d\"; half_life_dayz = 1.0; } );\n"           /* 6 */
        "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 60.0; },\n" /* 7 */
        "           { name = \"r\"; cells = 1.0; growth_rate = \"x\"; mechanisms = { M = 2.0; "
        "}; } );\n"                                                                /* 8 */
        "foo = 1;\n"                                                               /* 9 */
        "regimens = ( { name = \"a\"; policy = \"mtd\"; drugs = [\"zz\"]; } );\n"; /* 10 */
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    assert_int_equal(rg_problem_load_string(text, "multi.cfg", &p, &d), RG_EINVAL);
    assert_null(p);
    const char *expect[][2] = {
        {"multi.cfg:1: horizon_days: ", "whole multiple"},
        {"multi.cfg:4: growth: ", "not one of"},
        {"multi.cfg:5: drugs.[0].ec50: ", "out of range"},
        {"multi.cfg:6: drugs.[1].half_life_dayz: ", "unknown key"},
        {"multi.cfg:6: drugs.[1].half_life_days: ", "missing required key"},
        {"multi.cfg:6: drugs.[1].name: ", "duplicate drug name"},
        {"multi.cfg:7: clones.[0].growth_rate: ", "out of range"},
        {"multi.cfg:8: clones.[1].growth_rate: ", "expected a real number"},
        {"multi.cfg:8: clones.[1].mechanisms.M: ", "unknown mechanism"},
        {"multi.cfg:9: foo: ", "unknown key"},
        {"multi.cfg:10: regimens.[0].drugs.[0]: ", "unknown drug 'zz'"},
    };
    size_t n = sizeof expect / sizeof expect[0];
    for (size_t i = 0; i < n; i++)
        if (!diag_has(&d, expect[i][0], expect[i][1])) {
            print_error("missing '%s...%s'\n", expect[i][0], expect[i][1]);
            print_diag(&d);
            fail();
        }
    assert_int_equal(rg_diag_total(&d), n);
    /* line order */
    for (size_t i = 1; i < d.count; i++)
        assert_true(atoi(strchr(d.msg[i - 1], ':') + 1) <= atoi(strchr(d.msg[i], ':') + 1));
}

/* More errors than the diag holds: the count of the others is kept. */
static void test_error_limit(void **state)
{
    (void)state;
    size_t cap = 16384, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    len += (size_t)snprintf(s, cap, "%s", BASE);
    for (int i = 0; i < RG_DIAG_MAX + 10; i++)
        len += (size_t)snprintf(s + len, cap - len, "unknown_%d = 1;\n", i);
    rg_diag *d = malloc(sizeof *d);
    assert_non_null(d);
    rg_diag_init(d);
    rg_problem *p = NULL;
    assert_int_equal(rg_problem_load_string(s, "many.cfg", &p, d), RG_EINVAL);
    assert_null(p);
    assert_int_equal(d->count, RG_DIAG_MAX);
    assert_int_equal(rg_diag_total(d), RG_DIAG_MAX + 10);
    free(d);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_multiple_errors),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_null_diag_and_directory),
        cmocka_unit_test(test_bad_input_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
