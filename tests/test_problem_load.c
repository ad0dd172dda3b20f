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

/* ---------------------------------------------------------------- helpers */

static void make_tmpdir(void)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", RG_TEST_TMPDIR);
    assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}


/* Runs `regimen check FILE [extra]`; returns the exit status, stdout and stderr (caller
 * frees). */
static int run_check(const char *file, const char *extra, char **out, char **err)
{
    char o[1024], e[1024], cmd[4096];
    snprintf(o, sizeof o, "%s/check.out", RG_TEST_TMPDIR);
    snprintf(e, sizeof e, "%s/check.err", RG_TEST_TMPDIR);
    snprintf(cmd, sizeof cmd, "'%s' check %s%s%s%s >'%s' 2>'%s'", RG_REGIMEN_EXE,
             file ? "'" : "", file ? file : "", file ? "' " : "", extra ? extra : "", o, e);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    *out = read_all(o);
    *err = read_all(e);
    assert_non_null(*out);
    assert_non_null(*err);
    return WEXITSTATUS(st);
}

/* Line (from 1) of the first line of text holding "#!"; 0 if none. */
static int marker_line(const char *text)
{
    const char *m = strstr(text, "#!");
    if (!m)
        return 0;
    int line = 1;
    for (const char *c = text; c < m; c++)
        line += *c == '\n';
    return line;
}

static bool diag_has(const rg_diag *d, const char *prefix, const char *what)
{
    for (size_t i = 0; i < d->count; i++)
        if (!strncmp(d->msg[i], prefix, strlen(prefix)) && strstr(d->msg[i], what))
            return true;
    return false;
}

static void print_diag(const rg_diag *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("    got: %s\n", d->msg[i]);
}

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
    {"wrong_type_string", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = \"fast\"; } ); #!\n",
     "clones.[0].growth_rate", "expected a real number, found a string"},
    {"wrong_type_bool", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; cycle_specific = 1; } ); #!\n" CLONE,
     "drugs.[0].cycle_specific", "expected true or false, found an integer"},
    {"wrong_type_group", BASE "tme = 3; #!\n", "tme", "expected a group"},
    {"wrong_type_list_elem", GRID "drugs = ( \"d\" ); #!\n" CLONE, "drugs.[0]",
     "expected a group"},
    {"int_not_whole", BASE "optimize = { generations = 10.5; }; #!\n", "optimize.generations",
     "expected an integer, found 10.5"},
    {"nonfinite", GRID DRUG "clones = ( { name = \"s\"; cells = 1e999; growth_rate = 0.1; } ); #!\n",
     "clones.[0].cells", "not finite"},
    {"bad_enum", BASE "growth = \"exponential\"; #!\n", "growth", "is not one of \"logistic\", \"gompertz\""},
    {"bad_kind", BASE "mechanisms = ( { name = \"m\"; kind = \"pump\"; affects = [\"d\"]; } ); #!\n",
     "mechanisms.[0].kind", "\"pump\" is not one of"},
    /* required keys */
    {"missing_horizon", "decision_days = 7.0; #!\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "missing required key"},
    {"missing_clones", "#!\n" GRID DRUG, "clones", "missing required key"},
    {"missing_cells", GRID DRUG "clones = ( { name = \"s\"; growth_rate = 0.1; } ); #!\n",
     "clones.[0].cells", "missing required key"},
    {"missing_half_life", GRID "drugs = ( { name = \"d\"; } ); #!\n" CLONE,
     "drugs.[0].half_life_days", "missing required key"},
    {"missing_neutrophil_gamma", BASE "neutrophils = { mtt_days = 3.7; circ0 = 5.0; }; #!\n",
     "neutrophils.gamma", "missing required key"},
    {"empty_clones", GRID DRUG "clones = ( ); #!\n", "clones", "at least one clone"},
    /* names */
    {"bad_name", GRID DRUG "clones = ( { name = \"bad name\"; cells = 1e6; growth_rate = 0.1; } ); #!\n",
     "clones.[0].name", "not a valid name"},
    {"long_name", GRID DRUG "clones = ( { name = \"a1234567890123456789012345678901234567890123456789012345678901234\"; cells = 1e6; growth_rate = 0.1; } ); #!\n",
     "clones.[0].name", "longer than 63"},
    {"dup_drug", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; },\n { name = \"d\"; half_life_days = 2.0; } ); #!\n" CLONE,
     "drugs.[1].name", "duplicate drug name 'd'"},
    {"dup_clone", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = \"s\"; cells = 1.0; growth_rate = 0.1; } ); #!\n",
     "clones.[1].name", "duplicate clone name 's'"},
    {"dup_mechanism", BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"d\"]; },\n { name = \"m\"; kind = \"detox\"; affects = [\"d\"]; } ); #!\n",
     "mechanisms.[1].name", "duplicate mechanism name 'm'"},
    {"dup_regimen", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; },\n { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; } ); #!\n",
     "regimens.[1].name", "duplicate regimen name 'r'"},
    {"unknown_affects", BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"x\"]; } ); #!\n",
     "mechanisms.[0].affects.[0]", "unknown drug 'x'"},
    {"unknown_inhibitor", BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"d\"];\n inhibitors = ( { drug = \"x\"; ic50 = 0.2; } ); } ); #!\n",
     "mechanisms.[0].inhibitors.[0].drug", "unknown drug 'x'"},
    {"unknown_mech_in_clone", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; mechanisms = { X = 2.0; }; } ); #!\n",
     "clones.[0].mechanisms.X", "unknown mechanism 'X'"},
    {"unknown_competitor", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; competition = { y = 2.0; }; } ); #!\n",
     "clones.[0].competition.y", "unknown clone 'y'"},
    {"self_competition", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; competition = { s = 2.0; }; } ); #!\n",
     "clones.[0].competition.s", "a_ii = 1"},
    {"unknown_capacity_drug", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; capacity_effect = { x = 0.5; }; } ); #!\n",
     "clones.[0].capacity_effect.x", "unknown drug 'x'"},
    {"unknown_mutation_clone", BASE "mutations = ( { from = \"s\"; to = \"r\"; rate = 1e-7; } ); #!\n",
     "mutations.[0].to", "unknown clone 'r'"},
    {"mutation_self", BASE "mutations = ( { from = \"s\"; to = \"s\"; rate = 1e-7; } ); #!\n",
     "mutations.[0].to", "another clone"},
    {"unknown_regimen_drug", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"x\"]; } ); #!\n",
     "regimens.[0].drugs.[0]", "unknown drug 'x'"},
    {"unknown_constraint_drug", BASE "constraints = { max_cumulative_dose = { x = 3.0; }; }; #!\n",
     "constraints.max_cumulative_dose.x", "unknown drug 'x'"},
    {"cumulative_twice", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; max_cumulative_dose = 2.0; } );\n" CLONE
     "constraints = { max_cumulative_dose = { d = 3.0; }; }; #!\n",
     "constraints.max_cumulative_dose.d", "also set on the drug"},
    {"unknown_objective", BASE "optimize = { objectives = [\"ttp\", \"cost\"]; }; #!\n",
     "optimize.objectives.[1]", "unknown objective 'cost'"},
    {"dup_objective", BASE "optimize = { objectives = [\"ttp\", \"ttp\"]; }; #!\n",
     "optimize.objectives.[1]", "listed twice"},
    /* docs/model.md section 0 rules */
    {"b0_zero", GRID DRUG "clones = ( { name = \"s\"; cells = 0.0; growth_rate = 0.1; } ); #!\n",
     "clones", "B(0)"},
    {"horizon_not_multiple", "horizon_days = 71.0; #!\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "not a positive whole multiple of decision_days"},
    {"decision_not_multiple", "horizon_days = 70.0;\ndecision_days = 7.0; #!\nvisit_days = 2.0;\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "decision_days", "not a whole multiple of visit_days"},
    {"horizon_zero", "horizon_days = 0.0; #!\ndecision_days = 7.0;\ncarrying_capacity = 1e9;\n" DRUG CLONE,
     "horizon_days", "out of range (expected > 0"},
    {"ec50_zero", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; ec50 = 0.0; } ); #!\n" CLONE,
     "drugs.[0].ec50", "out of range (expected > 0"},
    {"ic50_negative", BASE "mechanisms = ( { name = \"m\"; kind = \"efflux\"; affects = [\"d\"];\n inhibitors = ( { drug = \"d\"; ic50 = -0.2; } ); } ); #!\n",
     "mechanisms.[0].inhibitors.[0].ic50", "out of range (expected > 0"},
    {"hill_zero", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; hill = 0; } ); #!\n" CLONE,
     "drugs.[0].hill", "out of range (expected > 0"},
    {"half_burden_zero", BASE "tme = { hypoxia = { max_fraction = 0.3; half_burden = 0.0; }; }; #!\n",
     "tme.hypoxia.half_burden", "out of range (expected > 0"},
    {"half_burden_missing", BASE "tme = { hypoxia = { max_fraction = 0.3; }; }; #!\n",
     "tme.hypoxia.half_burden", "required when max_fraction > 0"},
    {"fold_zero", GRID DRUG "mechanisms = ( { name = \"m\"; kind = \"target\"; affects = [\"d\"]; } );\n"
     "clones = ( { name = \"r\"; cells = 1.0; growth_rate = 0.1; mechanisms = { m = 0.0; }; } ); #!\n",
     "clones.[0].mechanisms.m", "out of range (expected > 0"},
    {"dup_key", BASE "horizon_days = 7.0; #!\n", "", "duplicate setting name"},
    {"fold_negative", GRID DRUG "mechanisms = ( { name = \"m\"; kind = \"target\"; affects = [\"d\"]; } );\n"
     "clones = ( { name = \"r\"; cells = 1.0; growth_rate = 0.1; mechanisms = { m = -2.0; }; } ); #!\n",
     "clones.[0].mechanisms.m", "out of range (expected > 0"},
    {"bolus_half_life_zero", GRID "drugs = ( { name = \"d\"; half_life_days = 0.0; administration = \"bolus\"; dosing_interval_days = 7.0; } ); #!\n" CLONE,
     "drugs.[0].half_life_days", "bolus drug needs a half-life > 0"},
    {"bolus_no_interval", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; administration = \"bolus\"; } ); #!\n" CLONE,
     "drugs.[0].dosing_interval_days", "bolus drug"},
    {"interval_on_continuous", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; dosing_interval_days = 7.0; } ); #!\n" CLONE,
     "drugs.[0].dosing_interval_days", "only bolus drugs"},
    {"interval_off_grid", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; administration = \"bolus\"; dosing_interval_days = 10.0; } ); #!\n" CLONE,
     "drugs.[0].dosing_interval_days", "off the grid"},
    {"growth_above_50", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 60; } ); #!\n",
     "clones.[0].growth_rate", "60 is out of range (expected [0, 50], 1/day)"},
    {"death_above_50", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; death_rate = 51.0; } ); #!\n",
     "clones.[0].death_rate", "out of range (expected [0, 50]"},
    {"emax_above_50", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; emax = 60.0; } ); #!\n" CLONE,
     "drugs.[0].emax", "above 50 per day"},
    {"induced_rate_above_50", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = \"r\"; cells = 0.0; growth_rate = 0.1; } );\n"
     "mutations = ( { from = \"s\"; to = \"r\"; rate = 1e-7;\n induced_by = ( { drug = \"d\"; rate = 75.0; } ); } ); #!\n",
     "mutations.[0].induced_by.[0].rate", "out of range (expected [0, 50]"},
    {"mutation_rate_above_1", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = \"r\"; cells = 0.0; growth_rate = 0.1; } );\n"
     "mutations = ( { from = \"s\"; to = \"r\"; rate = 1.5; } ); #!\n",
     "mutations.[0].rate", "out of range (expected [0, 1]"},
    {"negative_cells", GRID DRUG "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },\n { name = \"r\"; cells = -5.0; growth_rate = 0.1; } ); #!\n",
     "clones.[1].cells", "out of range (expected >= 0"},
    {"p_above_1", GRID "drugs = ( { name = \"d\"; half_life_days = 1.0; hypoxia_penetration_loss = 1.5; } ); #!\n" CLONE,
     "drugs.[0].hypoxia_penetration_loss", "out of range (expected [0, 1]"},
    {"stroma_above_1", BASE "tme = { stroma = { protection = 1.2; }; }; #!\n",
     "tme.stroma.protection", "out of range (expected [0, 1]"},
    {"cycle_off_grid", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 10.0; on_days = 7.0; } ); #!\n",
     "regimens.[0].cycle_days", "off the grid"},
    {"on_off_grid", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 21.0; on_days = 3.0; } ); #!\n",
     "regimens.[0].on_days", "off the grid"},
    {"on_longer_than_cycle", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 14.0; on_days = 21.0; } ); #!\n",
     "regimens.[0].on_days", "longer than cycle_days"},
    {"cycle_without_on", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; cycle_days = 14.0; } ); #!\n",
     "regimens.[0].on_days", "go together"},
    /* regimens */
    {"bad_policy", BASE "regimens = ( { name = \"r\"; policy = \"random\"; drugs = [\"d\"]; } ); #!\n",
     "regimens.[0].policy", "is not one of"},
    {"key_of_other_policy", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\"]; level = 0.3; } ); #!\n",
     "regimens.[0].level", "not a key of policy \"mtd\""},
    {"metronomic_no_level", BASE "regimens = ( { name = \"r\"; policy = \"metronomic\"; drugs = [\"d\"]; } ); #!\n",
     "regimens.[0].level", "required by policy \"metronomic\""},
    {"level_above_1", BASE "regimens = ( { name = \"r\"; policy = \"metronomic\"; drugs = [\"d\"]; level = 1.3; } ); #!\n",
     "regimens.[0].level", "out of range (expected [0, 1]"},
    {"fixed_count_mismatch", BASE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"d\"];\n doses = ( [1.0, 0.0], [0.5] ); } ); #!\n",
     "regimens.[0].doses", "2 dose arrays for 1 drugs"},
    {"fixed_level_above_1", BASE "regimens = ( { name = \"r\"; policy = \"fixed\"; drugs = [\"d\"];\n doses = ( [1.0, 1.5] ); } ); #!\n",
     "regimens.[0].doses.[0].[1]", "out of range (expected [0, 1]"},
    {"regimen_no_drugs", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = []; } ); #!\n",
     "regimens.[0].drugs", "at least one drug"},
    {"regimen_drug_twice", BASE "regimens = ( { name = \"r\"; policy = \"mtd\"; drugs = [\"d\", \"d\"]; } ); #!\n",
     "regimens.[0].drugs.[1]", "listed twice"},
    /* interactions, constraints */
    {"interaction_three_drugs", BASE "interactions = ( { drugs = [\"d\", \"d\", \"d\"]; psi = 0.5; } ); #!\n",
     "interactions.[0].drugs", "exceed the limit of 2"},
    {"interaction_same_drug", BASE "interactions = ( { drugs = [\"d\", \"d\"]; psi = 0.5; } ); #!\n",
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
    {"reference_point_length", BASE "optimize = { objectives = [\"ttp\", \"final_burden\"]; reference_point = [0.0]; }; #!\n",
     "optimize.reference_point", "1 values for 2 objectives"},
    {"encoding_benchmark_in_tumour", BASE "optimize = { encoding = \"benchmark\"; }; #!\n",
     "optimize.encoding", "needs a benchmark problem"},
    {"step_budget_zero", BASE "step_budget = 0; #!\n", "step_budget", "0 is out of range (expected >= 1, steps)"},
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
        len += (size_t)snprintf(s + len, cap - len, "  { name = \"d%d\"; half_life_days = 1.0; }%s\n",
                                i, i < 16 ? "," : "");
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

static void check_bad(const char *id, const char *text, const char *path, const char *what)
{
    char file[1024], prefix[1200];
    snprintf(file, sizeof file, "%s/bad_%s.cfg", RG_TEST_TMPDIR, id);
    write_file(file, text);
    int line = marker_line(text);
    if (!line) {
        print_error("case %s has no #! marker\n", id);
        fail();
    }
    if (*path)
        snprintf(prefix, sizeof prefix, "%s:%d: %s: ", file, line, path);
    else
        snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);

    /* library */
    rg_diag *d = malloc(sizeof *d);
    assert_non_null(d);
    rg_diag_init(d);
    rg_problem *p = (rg_problem *)(uintptr_t)1;
    int st = rg_problem_load(file, &p, d);
    if (st != RG_EINVAL || p != NULL || !diag_has(d, prefix, what)) {
        print_error("case %s: status %d, expected a message starting '%s' holding '%s'\n", id,
                    st, prefix, what);
        print_diag(d);
        free(d);
        fail();
    }
    /* the same text in memory, named by the file */
    rg_diag_init(d);
    p = (rg_problem *)(uintptr_t)1;
    st = rg_problem_load_string(text, file, &p, d);
    assert_int_equal(st, RG_EINVAL);
    assert_null(p);
    assert_true(diag_has(d, prefix, what));
    free(d);

    /* binary */
    char *out, *err;
    int code = run_check(file, NULL, &out, &err);
    if (code != 2 || out[0] != '\0' || !strstr(err, prefix) || !strstr(err, what)) {
        print_error("case %s: regimen check exit %d, stdout '%s', stderr '%s'\n", id, code, out,
                    err);
        free(out);
        free(err);
        fail();
    }
    free(out);
    free(err);
}

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
    assert_int_equal(run_check(RG_SOURCE_DIR "/problems/example.cfg", "other.cfg", &out, &err), 2);
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
        "horizon_days = 71.0;\n"                                                     /* 1 */
        "decision_days = 7.0;\n"                                                     /* 2 */
        "carrying_capacity = 1e9;\n"                                                 /* 3 */
        "growth = \"exponential\";\n"                                                /* 4 */
        "drugs = ( { name = \"d\"; half_life_days = 1.0; ec50 = 0.0; },\n"           /* 5 */
        "          { name = \"d\"; half_life_dayz = 1.0; } );\n"                     /* 6 */
        "clones = ( { name = \"s\"; cells = 1e6; growth_rate = 60.0; },\n"           /* 7 */
        "           { name = \"r\"; cells = 1.0; growth_rate = \"x\"; mechanisms = { M = 2.0; }; } );\n" /* 8 */
        "foo = 1;\n"                                                                 /* 9 */
        "regimens = ( { name = \"a\"; policy = \"mtd\"; drugs = [\"zz\"]; } );\n";   /* 10 */
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

/* ---------------------------------------------------------------- defaults */

static void test_defaults(void **state)
{
    (void)state;
    const char *text = "horizon_days = 70;\n" /* integer literals accepted for reals */
                       "decision_days = 7;\n"
                       "carrying_capacity = 2.385e9;\n"
                       "drugs = ( { name = \"d\"; half_life_days = 1.5; },\n"
                       "          { name = \"b\"; half_life_days = 0.75; administration = \"bolus\";\n"
                       "            dosing_interval_days = 14; } );\n"
                       "mechanisms = ( { name = \"m\"; kind = \"repair\"; affects = [\"b\"]; } );\n"
                       "clones = ( { name = \"s\"; cells = 3.5e6; growth_rate = 0.0715; },\n"
                       "           { name = \"r\"; cells = 1.5e6; growth_rate = 0.05;\n"
                       "             mechanisms = { m = 3.25; }; } );\n";
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int st = rg_problem_load_string(text, "min.cfg", &p, &d);
    if (st != RG_OK)
        print_diag(&d);
    assert_int_equal(st, RG_OK);
    assert_non_null(p);
    assert_string_equal(p->path, "min.cfg");
    assert_string_equal(p->text, text);
    assert_string_equal(p->name, "");
    assert_int_equal(p->bench.kind, RG_BENCH_NONE);
    assert_close(p->horizon_days, 70.0, 0, 0);
    assert_close(p->decision_days, 7.0, 0, 0);
    assert_close(p->visit_days, 1.0, 0, 0);
    assert_int_equal(rg_problem_n_intervals(p), 10);
    assert_int_equal(rg_problem_n_visits(p), 71);
    assert_int_equal(p->growth, RG_GROWTH_LOGISTIC);
    assert_close(p->carrying_capacity, 2.385e9, 0, 0);
    assert_close(p->extinction_cells, 1.0, 0, 0);
    assert_close(p->emergence_cells, 0.1 * 5.0e6, 1e-15, 0);
    assert_int_equal(p->step_budget, 1000000);
    assert_int_equal(p->n_drugs, 2);
    const rg_drug *dr = &p->drugs[0];
    assert_string_equal(dr->name, "d");
    assert_close(dr->half_life_days, 1.5, 0, 0);
    assert_int_equal(dr->administration, RG_ADMIN_CONTINUOUS);
    assert_int_equal(dr->effect, RG_EFFECT_HILL);
    assert_close(dr->emax, 0.0, 0, 0);
    assert_close(dr->ec50, 1.0, 0, 0);
    assert_close(dr->hill, 1.0, 0, 0);
    assert_false(dr->cycle_specific);
    assert_close(dr->toxicity_weight, 1.0, 0, 0);
    assert_close(dr->hypoxia_penetration_loss, 0.0, 0, 0);
    assert_false(dr->stroma_sensitive);
    assert_close(dr->myelotoxicity_slope, 0.0, 0, 0);
    assert_true(dr->max_cumulative_dose < 0);
    assert_int_equal(p->drugs[1].administration, RG_ADMIN_BOLUS);
    assert_close(p->drugs[1].dosing_interval_days, 14.0, 0, 0);
    assert_int_equal(p->n_mechs, 1);
    assert_int_equal(p->mechs[0].kind, RG_MECH_REPAIR);
    assert_false(p->mechs[0].affects[0]);
    assert_true(p->mechs[0].affects[1]);
    assert_close(p->mechs[0].hypoxia_induction, 0.0, 0, 0);
    assert_int_equal(p->mechs[0].n_inhibitors, 0);
    assert_int_equal(p->mechs[0].combine, RG_COMBINE_ANY);
    assert_int_equal(p->n_clones, 2);
    for (size_t i = 0; i < 2; i++) {
        const rg_clone *c = &p->clones[i];
        assert_close(c->death_rate, 0.0, 0, 0);
        assert_close(c->carrying_capacity, 2.385e9, 0, 0);
        assert_false(c->resistant);
        for (size_t j = 0; j < 2; j++)
            assert_close(c->competition[j], 1.0, 0, 0);
        for (size_t k = 0; k < 2; k++)
            assert_close(c->capacity_effect[k], 0.0, 0, 0);
    }
    assert_false(p->clones[0].carries[0]);
    assert_close(p->clones[0].fold[0], 1.0, 0, 0);
    assert_true(p->clones[1].carries[0]);
    assert_close(p->clones[1].fold[0], 3.25, 0, 0);
    assert_close(p->clones[0].growth_rate, 0.0715, 0, 0);
    assert_int_equal(p->n_mutations, 0);
    assert_int_equal(p->n_interactions, 0);
    assert_close(p->hypoxia_max_fraction, 0.0, 0, 0);
    assert_close(p->hypoxia_quiescence, 0.0, 0, 0);
    assert_close(p->stroma_protection, 0.0, 0, 0);
    assert_int_equal(p->n_stroma_inhibitors, 0);
    assert_false(p->neutrophils);
    assert_true(p->max_daily_toxicity < 0);
    assert_true(p->anc_min < 0);
    assert_int_equal(p->progression_reference, RG_REF_INITIAL);
    assert_close(p->progression_factor, 1.2, 0, 0);
    assert_close(p->progression_min_cells, 1.0, 0, 0);
    assert_int_equal(p->n_regimens, 0);
    const rg_optimize *o = &p->optimize;
    assert_int_equal(o->encoding, RG_ENC_SCHEDULE);
    assert_int_equal(o->n_drugs, 2);
    assert_int_equal(o->drugs[0], 0);
    assert_int_equal(o->drugs[1], 1);
    assert_int_equal(o->n_levels, 5);
    for (size_t l = 0; l < 5; l++)
        assert_close(o->dose_levels[l], 0.25 * (double)l, 0, 0);
    assert_int_equal(o->n_objectives, 3);
    assert_int_equal(o->objectives[0], RG_OBJ_TTP);
    assert_int_equal(o->objectives[1], RG_OBJ_RESISTANT_BURDEN);
    assert_int_equal(o->objectives[2], RG_OBJ_DOSE_INTENSITY);
    assert_int_equal(o->population, 128);
    assert_int_equal(o->generations, 200);
    assert_int_equal(o->seed, 1);
    assert_false(o->has_reference_point);
    assert_close(o->crossover_probability, 0.9, 0, 0);
    assert_true(o->mutation_probability < 0);
    assert_close(o->sbx_eta, 20.0, 0, 0);
    assert_close(o->pm_eta, 20.0, 0, 0);
    assert_int_equal(o->chunk, 0);
    rg_problem_free(p);
}

/* Resolved defaults that depend on other keys, and the less common keys. */
static void test_resolved_values(void **state)
{
    (void)state;
    const char *text =
        "horizon_days = 84.0; decision_days = 14.0; visit_days = 3.5;\n"
        "carrying_capacity = 1.0; extinction_cells = 0.0; growth = \"gompertz\";\n"
        "step_budget = 2e5;\n"
        "drugs = ( { name = \"a\"; half_life_days = 0.0; effect = \"linear\"; emax = 0.35; },\n"
        "          { name = \"b\"; half_life_days = 2.5; myelotoxicity_slope = -0.125; } );\n"
        "mechanisms = ( { name = \"E1\"; kind = \"efflux\"; affects = [\"a\", \"b\"];\n"
        "                 inhibitors = ( { drug = \"b\"; ic50 = 0.3; } ); inhibitors_combine = \"all\"; } );\n"
        "clones = ( { name = \"s\"; cells = 0.4; growth_rate = 0.2; competition = { r = 0.6; };\n"
        "             capacity_effect = { a = 0.45; }; },\n"
        "           { name = \"r\"; cells = 0.01; growth_rate = 0.15; carrying_capacity = 0.5;\n"
        "             resistant = true; mechanisms = { E1 = 0.5; }; } );\n"
        "mutations = ( { from = \"s\"; to = \"r\"; induced_by = ( { drug = \"a\"; rate = 0.002; } ); } );\n"
        "interactions = ( { drugs = [\"b\", \"a\"]; psi = -0.4; } );\n"
        "tme = { hypoxia = { max_fraction = 0.25; half_burden = 0.3; quiescence = 0.4; };\n"
        "        stroma = { protection = 0.35; inhibitors = ( { drug = \"a\"; ic50 = 0.7; } ); }; };\n"
        "neutrophils = { mtt_days = 4.5; circ0 = 5.05; gamma = 0.161; };\n"
        "constraints = { anc_min = 0.75; max_cumulative_dose = { b = 30.0; }; };\n"
        "progression = { reference = \"nadir\"; factor = 1.25; };\n"
        "regimens = ( { name = \"mod\"; policy = \"dose_modulation\"; drugs = [\"a\"]; dose = 0.8;\n"
        "               rise = 0.1; fall = 0.15; step = 0.25; } ,\n"
        "             { name = \"fx\"; policy = \"fixed\"; drugs = [\"b\", \"a\"]; doses = ( [1, 0], [0.5] ); } );\n"
        "optimize = { encoding = \"adaptive_rule\"; drugs = [\"b\"]; objectives = [\"ttp\", \"neutrophil_nadir\"];\n"
        "             reference_point = [0.0, 0.5]; population = 33; seed = 4000000000L;\n"
        "             dose_levels = [0.0, 0.5, 1.0]; mutation_probability = 0.05; chunk = 3; };\n";
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int st = rg_problem_load_string(text, "res.cfg", &p, &d);
    if (st != RG_OK)
        print_diag(&d);
    assert_int_equal(st, RG_OK);
    assert_int_equal(rg_problem_n_visits(p), 25);
    assert_int_equal(p->growth, RG_GROWTH_GOMPERTZ);
    assert_int_equal(p->step_budget, 200000);
    assert_close(p->emergence_cells, 0.041, 1e-15, 0);
    assert_close(p->progression_min_cells, 0.0, 0, 0); /* = extinction_cells */
    assert_int_equal(p->progression_reference, RG_REF_NADIR);
    assert_close(p->progression_factor, 1.25, 0, 0);
    assert_int_equal(p->drugs[0].effect, RG_EFFECT_LINEAR);
    assert_close(p->drugs[1].myelotoxicity_slope, -0.125, 0, 0);
    assert_close(p->drugs[1].max_cumulative_dose, 30.0, 0, 0);
    assert_true(p->drugs[0].max_cumulative_dose < 0);
    assert_int_equal(p->mechs[0].combine, RG_COMBINE_ALL);
    assert_int_equal(p->mechs[0].n_inhibitors, 1);
    assert_int_equal(p->mechs[0].inhibitors[0].drug, 1);
    assert_close(p->mechs[0].inhibitors[0].ic50, 0.3, 0, 0);
    assert_close(p->clones[0].competition[1], 0.6, 0, 0);
    assert_close(p->clones[0].competition[0], 1.0, 0, 0);
    assert_close(p->clones[0].capacity_effect[0], 0.45, 0, 0);
    assert_close(p->clones[0].carrying_capacity, 1.0, 0, 0);
    assert_close(p->clones[1].carrying_capacity, 0.5, 0, 0);
    assert_true(p->clones[1].resistant);
    assert_close(p->clones[1].fold[0], 0.5, 0, 0);
    assert_int_equal(p->n_mutations, 1);
    assert_int_equal(p->mutations[0].from, 0);
    assert_int_equal(p->mutations[0].to, 1);
    assert_close(p->mutations[0].rate, 0.0, 0, 0);
    assert_int_equal(p->mutations[0].n_induced, 1);
    assert_int_equal(p->mutations[0].induced_drug[0], 0);
    assert_close(p->mutations[0].induced_rate[0], 0.002, 0, 0);
    assert_int_equal(p->n_interactions, 1);
    assert_int_equal(p->interactions[0].drug_a, 0);
    assert_int_equal(p->interactions[0].drug_b, 1);
    assert_close(p->interactions[0].psi, -0.4, 0, 0);
    assert_close(p->hypoxia_half_burden, 0.3, 0, 0);
    assert_close(p->stroma_protection, 0.35, 0, 0);
    assert_int_equal(p->n_stroma_inhibitors, 1);
    assert_true(p->neutrophils);
    assert_close(p->mtt_days, 4.5, 0, 0);
    assert_close(p->anc_min, 0.75, 0, 0);
    const rg_regimen *r = &p->regimens[0];
    assert_int_equal(r->policy, RG_POLICY_DOSE_MODULATION);
    assert_close(r->min_dose, 0.05, 0, 0);
    assert_close(r->skip_below, 0.0, 0, 0);
    assert_close(r->step, 0.25, 0, 0);
    r = &p->regimens[1];
    assert_int_equal(r->policy, RG_POLICY_FIXED);
    assert_int_equal(r->drugs[0], 1);
    assert_int_equal(r->drugs[1], 0);
    assert_int_equal(r->n_doses[0], 2);
    assert_int_equal(r->n_doses[1], 1);
    assert_close(r->doses[0][0], 1.0, 0, 0);
    assert_close(r->doses[1][0], 0.5, 0, 0);
    const rg_optimize *o = &p->optimize;
    assert_int_equal(o->encoding, RG_ENC_ADAPTIVE_RULE);
    assert_int_equal(o->n_drugs, 1);
    assert_int_equal(o->drugs[0], 1);
    assert_int_equal(o->objectives[1], RG_OBJ_NEUTROPHIL_NADIR);
    assert_true(o->has_reference_point);
    assert_close(o->reference_point[1], 0.5, 0, 0);
    assert_int_equal(o->population, 34); /* rounded up to even */
    assert_int_equal(o->seed, 4000000000UL);
    assert_int_equal(o->n_levels, 3);
    assert_close(o->mutation_probability, 0.05, 0, 0);
    assert_int_equal(o->chunk, 3);
    rg_problem_free(p);
}

static void test_benchmarks(void **state)
{
    (void)state;
    struct {
        const char *text;
        rg_benchmark kind;
        size_t vars, obj;
    } b[] = {
        {"problem = \"zdt1\";", RG_BENCH_ZDT1, 30, 2},
        {"problem = \"zdt2\";", RG_BENCH_ZDT2, 30, 2},
        {"problem = \"zdt3\"; variables = 12;", RG_BENCH_ZDT3, 12, 2},
        {"problem = \"zdt4\";", RG_BENCH_ZDT4, 10, 2},
        {"problem = \"zdt6\"; objectives = 2;", RG_BENCH_ZDT6, 10, 2},
        {"problem = \"dtlz1\";", RG_BENCH_DTLZ1, 7, 3},
        {"problem = \"dtlz1\"; objectives = 5;", RG_BENCH_DTLZ1, 9, 5},
        {"problem = \"dtlz2\";", RG_BENCH_DTLZ2, 12, 3},
        {"problem = \"dtlz2\"; objectives = 4; variables = 20;\n"
         "optimize = { encoding = \"benchmark\"; population = 100; generations = 250; seed = 7;\n"
         "             reference_point = [1.1, 1.1, 1.1, 1.1]; sbx_eta = 15; pm_eta = 20; };",
         RG_BENCH_DTLZ2, 20, 4},
    };
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
        rg_diag d;
        rg_diag_init(&d);
        rg_problem *p = NULL;
        int st = rg_problem_load_string(b[i].text, "bench.cfg", &p, &d);
        if (st != RG_OK)
            print_diag(&d);
        assert_int_equal(st, RG_OK);
        assert_int_equal(p->bench.kind, b[i].kind);
        assert_int_equal(p->bench.n_vars, b[i].vars);
        assert_int_equal(p->bench.n_obj, b[i].obj);
        assert_int_equal(p->optimize.encoding, RG_ENC_BENCHMARK);
        assert_int_equal(p->optimize.n_objectives, b[i].obj);
        for (size_t k = 0; k < b[i].obj; k++)
            assert_int_equal(p->optimize.objectives[k], RG_OBJ_BENCH_F1 + (int)k);
        if (i == sizeof b / sizeof b[0] - 1) {
            assert_int_equal(p->optimize.population, 100);
            assert_int_equal(p->optimize.generations, 250);
            assert_int_equal(p->optimize.seed, 7);
            assert_true(p->optimize.has_reference_point);
            assert_close(p->optimize.reference_point[3], 1.1, 0, 0);
            assert_close(p->optimize.sbx_eta, 15.0, 0, 0);
        }
        rg_problem_free(p);
    }
}

/* Robustness: every one-line deletion of the example, and every number of it replaced by
 * a hostile value, either loads or is refused with messages that name the file and a line
 * (run under ASan/UBSan in CI, this also checks that no mutation crashes the loader). */
static void check_mutant(const char *text)
{
    rg_diag *d = malloc(sizeof *d);
    assert_non_null(d);
    rg_diag_init(d);
    rg_problem *p = (rg_problem *)(uintptr_t)1;
    int st = rg_problem_load_string(text, "sweep.cfg", &p, d);
    if (st == RG_OK) {
        assert_non_null(p);
        assert_int_equal(d->count, 0);
        rg_problem_free(p);
    } else {
        assert_int_equal(st, RG_EINVAL);
        assert_null(p);
        assert_true(d->count >= 1);
        for (size_t i = 0; i < d->count; i++) {
            if (strncmp(d->msg[i], "sweep.cfg:", 10) || atoi(d->msg[i] + 10) < 1) {
                print_error("message without file:line: %s\n", d->msg[i]);
                fail();
            }
        }
    }
    free(d);
}

static void test_mutation_sweep(void **state)
{
    (void)state;
    char *orig = read_all(RG_SOURCE_DIR "/problems/example.cfg");
    assert_non_null(orig);
    size_t len = strlen(orig);
    char *buf = malloc(len + 64);
    assert_non_null(buf);
    size_t refused = 0, total = 0;
    /* line deletions */
    for (const char *line = orig; *line;) {
        const char *next = strchr(line, '\n');
        next = next ? next + 1 : orig + len;
        size_t head = (size_t)(line - orig);
        memcpy(buf, orig, head);
        strcpy(buf + head, next);
        check_mutant(buf);
        total++;
        line = next;
    }
    /* numbers replaced */
    static const char *const hostile[] = {"-1.0", "0", "1e999", "\"x\"", "3000000000", "true"};
    for (size_t i = 0; i < len; i++) {
        bool starts = (orig[i] >= '0' && orig[i] <= '9') && (i == 0 || strchr(" =[,(", orig[i - 1]));
        if (!starts)
            continue;
        size_t j = i;
        while (j < len && (strchr("0123456789.eE+-", orig[j])))
            j++;
        for (size_t h = 0; h < sizeof hostile / sizeof hostile[0]; h++) {
            memcpy(buf, orig, i);
            size_t hl = strlen(hostile[h]);
            memcpy(buf + i, hostile[h], hl);
            strcpy(buf + i + hl, orig + j);
            rg_diag d;
            rg_diag_init(&d);
            rg_problem *p = NULL;
            if (rg_problem_load_string(buf, "sweep.cfg", &p, &d) != RG_OK)
                refused++;
            rg_problem_free(p);
            check_mutant(buf);
            total++;
        }
    }
    print_message("mutants: %zu, refused numbers: %zu\n", total, refused);
    assert_true(refused > 100);
    free(buf);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_resolved_values),
        cmocka_unit_test(test_benchmarks),
        cmocka_unit_test(test_multiple_errors),
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_null_diag_and_directory),
        cmocka_unit_test(test_bad_input_table),
        cmocka_unit_test(test_mutation_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
