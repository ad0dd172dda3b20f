/* The kernel's cancellation flag (sim.h): a run whose flag is set ends promptly with
 * RG_ECANCELED, wherever the flag is found (before the run, at a decision time, inside an
 * interval: DOP853's step loop and the Friberg sub-steps each check it), and a NULL or clear
 * flag changes nothing, to the last bit. The problem is problems/example.cfg (three clones,
 * a bolus drug, a continuous one, neutrophils), under its MTD_inhibitor regimen. */
#include "rg_test.h"

#include <signal.h>
#include <string.h>

#include "regimen/friberg.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"
#include "regimen/stepper.h"

#define EXAMPLE RG_SOURCE_DIR "/problems/example.cfg"

typedef struct {
    rg_problem *p;
    rg_policy pol;
    rg_sim_workspace *w;
    rg_trajectory tr;
} fixture;

static int setup(void **state)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_problem_load(EXAMPLE, &f.p, &diag), RG_OK);
    /* the whole horizon is simulated: MTD_inhibitor progresses on day 17, which would end the
     * evaluation before the decisions these tests cancel at (docs/model.md section 8) */
    f.p->progression_factor = 1e300;
    int ri = rg_problem_regimen_index(f.p, "MTD_inhibitor");
    assert_true(ri >= 0);
    assert_int_equal(rg_policy_init_regimen(&f.pol, f.p, &f.p->regimens[ri]), RG_OK);
    f.w = rg_sim_alloc(f.p);
    assert_non_null(f.w);
    assert_int_equal(rg_trajectory_alloc(&f.tr, f.p), RG_OK);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rg_trajectory_free(&f->tr);
    rg_sim_free(f->w);
    rg_problem_free(f->p);
    return 0;
}

/* A dosing that passes the policy's doses on, counts the calls and sets the flag at decision
 * `cancel_at` (as a signal handler would, between two steps of the kernel). */
typedef struct {
    rg_policy *pol;
    volatile sig_atomic_t flag;
    size_t cancel_at, resets, decisions;
} counting;

static int counting_reset(void *state)
{
    counting *c = state;
    c->resets++;
    rg_policy_reset(c->pol);
    return RG_OK;
}

static int counting_decide(void *state, const rg_dose_view *v, double u[])
{
    counting *c = state;
    c->decisions++;
    if (v->k == c->cancel_at)
        c->flag = 1;
    return rg_policy_decide(c->pol, v, u);
}

static rg_dosing counting_dosing(counting *c)
{
    return (rg_dosing){.reset = counting_reset, .decide = counting_decide, .state = c};
}

static void clear_trajectory(rg_trajectory *tr, const rg_problem *p)
{
    size_t nv = tr->n_visits, nd = p->n_drugs;
    memset(tr->t, 0, nv * sizeof *tr->t);
    memset(tr->burden, 0, nv * sizeof *tr->burden);
    memset(tr->clones, 0, nv * p->n_clones * sizeof *tr->clones);
    memset(tr->conc, 0, nv * nd * sizeof *tr->conc);
    memset(tr->anc, 0, nv * sizeof *tr->anc);
}

/* A NULL flag and a clear one give the same summary and trajectory, bit for bit. */
static void test_clear_flag_changes_nothing(void **state)
{
    fixture *f = *state;
    const size_t nv = f->tr.n_visits, nc = f->p->n_clones;
    rg_dosing dose = rg_policy_dosing(&f->pol);
    rg_sim_summary s0, s1;
    static double t0[4096], b0[4096], anc0[4096], cl0[4 * 4096];
    assert_true(nv <= 4096 && nc <= 4);
    assert_int_equal(rg_sim_run(f->w, f->p, &dose, NULL, &s0, &f->tr), RG_OK);
    assert_int_equal(s0.status, RG_OK);
    memcpy(t0, f->tr.t, nv * sizeof *t0);
    memcpy(b0, f->tr.burden, nv * sizeof *b0);
    memcpy(anc0, f->tr.anc, nv * sizeof *anc0);
    memcpy(cl0, f->tr.clones, nv * nc * sizeof *cl0);
    clear_trajectory(&f->tr, f->p);
    const volatile sig_atomic_t clear = 0;
    assert_int_equal(rg_sim_run(f->w, f->p, &dose, &clear, &s1, &f->tr), RG_OK);
    assert_memory_equal(&s0, &s1, sizeof s0);
    assert_memory_equal(t0, f->tr.t, nv * sizeof *t0);
    assert_memory_equal(b0, f->tr.burden, nv * sizeof *b0);
    assert_memory_equal(anc0, f->tr.anc, nv * sizeof *anc0);
    assert_memory_equal(cl0, f->tr.clones, nv * nc * sizeof *cl0);
}

/* Set before the run: the run stops at t = 0, after the first visit and before any decision
 * or step. */
static void test_cancel_before_run(void **state)
{
    fixture *f = *state;
    counting c = {.pol = &f->pol, .flag = 1, .cancel_at = (size_t)-1};
    rg_dosing dose = counting_dosing(&c);
    rg_sim_summary s;
    clear_trajectory(&f->tr, f->p);
    assert_int_equal(rg_sim_run(f->w, f->p, &dose, &c.flag, &s, &f->tr), RG_ECANCELED);
    assert_int_equal(s.status, RG_ECANCELED);
    assert_int_equal(c.resets, 1);
    assert_int_equal(c.decisions, 0);
    assert_int_equal(s.steps, 0);
    assert_close(f->tr.burden[0], 1.0e9 + 1.0e5, 1e-15, 0.0);
    assert_true(f->tr.burden[1] == 0.0);
    assert_string_equal(rg_strerror(RG_ECANCELED), "canceled");
}

/* Set by the dosing at decision k = 3 (day 21): the interval from day 21 is cut short inside
 * (no visit after day 21 is recorded), no later decision is asked for, and far fewer steps
 * are taken than in the whole run. */
static void test_cancel_inside_interval(void **state)
{
    fixture *f = *state;
    rg_dosing whole = rg_policy_dosing(&f->pol);
    rg_sim_summary full;
    assert_int_equal(rg_sim_run(f->w, f->p, &whole, NULL, &full, NULL), RG_OK);

    counting c = {.pol = &f->pol, .cancel_at = 3};
    rg_dosing dose = counting_dosing(&c);
    rg_sim_summary s;
    clear_trajectory(&f->tr, f->p);
    assert_int_equal(rg_sim_run(f->w, f->p, &dose, &c.flag, &s, &f->tr), RG_ECANCELED);
    assert_int_equal(s.status, RG_ECANCELED);
    assert_int_equal(c.decisions, 4);
    const size_t vpi = 7; /* daily visits, weekly decisions */
    assert_true(f->tr.t[3 * vpi] == 21.0);
    for (size_t v = 3 * vpi + 1; v < f->tr.n_visits; v++)
        assert_true(f->tr.t[v] == 0.0);
    assert_true(s.steps > 0);
    assert_true(s.steps < full.steps / 4);
    /* what was simulated stays finite */
    assert_true(isfinite(s.final_burden) && isfinite(s.hazard));
}

/* The two loops inside an interval, called directly on the run's compiled model: DOP853
 * returns after its first accepted step, the Friberg stepping before its first sub-step. */
static void test_loops_check_the_flag(void **state)
{
    fixture *f = *state;
    rg_dosing dose = rg_policy_dosing(&f->pol);
    rg_sim_summary s;
    assert_int_equal(rg_sim_run(f->w, f->p, &dose, NULL, &s, NULL), RG_OK);
    rg_model *m = rg_sim_model(f->w);
    double b0 = rg_problem_initial_burden(f->p);
    double a[RG_MAX_DRUGS] = {0}, b[RG_MAX_DRUGS] = {0};
    b[0] = 0.873; /* a bolus of doxorubicin at day 0 */
    rg_model_set_pk(m, 0.0, a, b);
    m->smooth_continue = false;
    m->bolus_restart = false;
    volatile sig_atomic_t flag = 1;
    m->cancel = &flag;

    static rg_dop853 dop;
    rg_dop853_setup(&dop, m, RG_KERNEL_RTOL, b0);
    dop.t_max = 7.0;
    double y[RG_MAX_STATE] = {0};
    for (size_t i = 0; i < f->p->n_clones; i++)
        y[i] = f->p->clones[i].cells;
    size_t steps = 0;
    assert_int_equal(rg_dop853_interval(&dop, m, 0.0, 7.0, y, 0, NULL, NULL, &steps, 100000),
                     RG_ECANCELED);
    assert_int_equal(dop.n_accept, 1);

    rg_friberg fr;
    memset(&fr, 0, sizeof fr);
    rg_friberg_setup(&fr, m, 1.0);
    double z[RG_NEUT_STATES], out[6 * RG_NEUT_STATES];
    for (size_t q = 0; q < RG_NEUT_STATES; q++)
        z[q] = m->circ0;
    assert_int_equal(rg_friberg_advance(&fr, m, 0.0, 7, z, out, RG_NEUT_STATES), RG_ECANCELED);
    assert_int_equal(fr.steps, 0);
    for (size_t q = 0; q < RG_NEUT_STATES; q++)
        assert_true(z[q] == m->circ0);
    /* clear: the same call runs through (the drug takes sub-steps, not the linear propagator) */
    flag = 0;
    assert_int_equal(rg_friberg_advance(&fr, m, 0.0, 7, z, out, RG_NEUT_STATES), RG_OK);
    assert_true(fr.steps > 0);
    m->cancel = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear_flag_changes_nothing),
        cmocka_unit_test(test_cancel_before_run),
        cmocka_unit_test(test_cancel_inside_interval),
        cmocka_unit_test(test_loops_check_the_flag),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
