/* Tests of the problem loader's defaults and resolved values (every key a file leaves out
 * gets its documented default; derived values resolve as docs/problem-format.md says), the
 * benchmark problems, and a mutation sweep over the shipped problems: every mutant is either
 * loaded or refused with a message naming the file and line, never a crash. */
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

/* ---------------------------------------------------------------- defaults */

static void test_defaults(void **state)
{
    (void)state;
    const char *text =
        "horizon_days = 70;\n" /* integer literals accepted for reals */
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
    assert_int_equal(o->objectives[1], RG_OBJ_RESISTANT_FRACTION);
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
        "                 inhibitors = ( { drug = \"b\"; ic50 = 0.3; } ); inhibitors_combine = "
        "\"all\"; } );\n"
        "clones = ( { name = \"s\"; cells = 0.4; growth_rate = 0.2; competition = { r = 0.6; "
        "};\n"
        "             capacity_effect = { a = 0.45; }; },\n"
        "           { name = \"r\"; cells = 0.01; growth_rate = 0.15; carrying_capacity = "
        "0.5;\n"
        "             resistant = true; mechanisms = { E1 = 0.5; }; } );\n"
        "mutations = ( { from = \"s\"; to = \"r\"; induced_by = ( { drug = \"a\"; rate = "
        "0.002; } ); } );\n"
        "interactions = ( { drugs = [\"b\", \"a\"]; psi = -0.4; } );\n"
        "tme = { hypoxia = { max_fraction = 0.25; half_burden = 0.3; quiescence = 0.4; };\n"
        "        stroma = { protection = 0.35; inhibitors = ( { drug = \"a\"; ic50 = 0.7; } ); "
        "}; };\n"
        "neutrophils = { mtt_days = 4.5; circ0 = 5.05; gamma = 0.161; };\n"
        "constraints = { anc_min = 0.75; max_cumulative_dose = { b = 30.0; }; };\n"
        "progression = { reference = \"nadir\"; factor = 1.25; };\n"
        "regimens = ( { name = \"mod\"; policy = \"dose_modulation\"; drugs = [\"a\"]; dose = "
        "0.8;\n"
        "               rise = 0.1; fall = 0.15; step = 0.25; } ,\n"
        "             { name = \"fx\"; policy = \"fixed\"; drugs = [\"b\", \"a\"]; doses = ( "
        "[1, 0], [0.5] ); } );\n"
        "optimize = { encoding = \"adaptive_rule\"; drugs = [\"b\"]; objectives = [\"ttp\", "
        "\"neutrophil_nadir\"];\n"
        "             reference_point = [0.0, 0.5]; population = 33; seed = 4000000000L;\n"
        "             dose_levels = [0.0, 0.5, 1.0]; mutation_probability = 0.05; chunk = 3; "
        "};\n";
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
         "optimize = { encoding = \"benchmark\"; population = 100; generations = 250; seed = "
         "7;\n"
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
        bool starts =
            (orig[i] >= '0' && orig[i] <= '9') && (i == 0 || strchr(" =[,(", orig[i - 1]));
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
        cmocka_unit_test(test_mutation_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
