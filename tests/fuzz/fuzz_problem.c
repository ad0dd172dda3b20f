/* libFuzzer harness: the problem loader on arbitrary text, then every standard regimen the
 * loader accepted run through the kernel (docs/model.md section 11: an accepted problem
 * ends within its step budget). Built by scripts/fuzz (RG_FUZZ=ON, clang); a crash, a
 * sanitizer report or a run past libFuzzer's -timeout is a finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

/* The loader's own limit on a problem file is far larger; inputs past this size only slow
 * the search down without reaching other code. */
#define FUZZ_MAX_BYTES (256u * 1024u)

/* The harness's own work bound per run. The library's problems take 112-467 steps per run,
 * so this leaves 40x room and still reaches the budget's exit path; the file's own budget
 * (default 10^6) can take over 30 s per run under ASan + UBSan, which libFuzzer reports as
 * a hang although the run ends (tests/fuzz/regressions/accepted/ keeps such an input, run
 * to the full budget by test_fuzz_regressions). */
#define FUZZ_STEP_BUDGET 20000u

static void run_regimens(const rg_problem *p)
{
    rg_sim_workspace *w = rg_sim_alloc(p);
    if (!w)
        return;
    for (size_t i = 0; i < p->n_regimens; i++) {
        rg_policy pol;
        if (rg_policy_init_regimen(&pol, p, &p->regimens[i]) != RG_OK)
            continue;
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary s;
        (void)rg_sim_run(w, p, &dose, NULL, &s, NULL);
    }
    rg_sim_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_BYTES)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    if (rg_problem_load_string(text, "fuzz.cfg", &p, &diag) == RG_OK) {
        if (p->step_budget > FUZZ_STEP_BUDGET)
            p->step_budget = FUZZ_STEP_BUDGET;
        run_regimens(p);
        rg_problem_free(p);
    }
    free(text);
    return 0;
}
