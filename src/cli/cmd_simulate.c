/* regimen simulate PROBLEM.cfg [--regimen NAME] [--csv FILE]
 *
 * Runs one regimen of a problem (default: the first) through the kernel and prints a summary:
 * TTP, final and resistant burden, emergence hazard and probability, time to emergence, dose
 * intensity and cumulative dose per drug, neutrophil nadir and the constraints it breaks.
 * --csv writes the per-visit trajectory (t, each clone, burden, resistant, each drug's
 * concentration, anc when the neutrophil model is on) atomically: temp file + rename. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"
#include "regimen/status.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: regimen simulate PROBLEM.cfg [--regimen NAME] [--csv FILE]\n");
}

static int write_csv(const char *path, const rg_problem *p, const rg_trajectory *tr,
                     size_t n_rows)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp)
        return RG_ENOMEM;
    snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "regimen simulate: %s: cannot create: %s\n", path, strerror(errno));
        free(tmp);
        return RG_EIO;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return RG_EIO;
    }
    fprintf(f, "t");
    for (size_t i = 0; i < p->n_clones; i++)
        fprintf(f, ",%s", p->clones[i].name);
    fprintf(f, ",burden,resistant");
    for (size_t d = 0; d < p->n_drugs; d++)
        fprintf(f, ",%s", p->drugs[d].name);
    if (p->neutrophils)
        fprintf(f, ",anc");
    fprintf(f, "\n");
    size_t nv = tr->n_visits;
    for (size_t v = 0; v < n_rows; v++) {
        fprintf(f, "%.10g", tr->t[v]);
        for (size_t i = 0; i < p->n_clones; i++)
            fprintf(f, ",%.10g", tr->clones[i * nv + v]);
        fprintf(f, ",%.10g,%.10g", tr->burden[v], tr->resistant[v]);
        for (size_t d = 0; d < p->n_drugs; d++)
            fprintf(f, ",%.10g", tr->conc[d * nv + v]);
        if (p->neutrophils)
            fprintf(f, ",%.10g", tr->anc[v]);
        fprintf(f, "\n");
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        fprintf(stderr, "regimen simulate: %s: cannot write: %s\n", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return RG_EIO;
    }
    free(tmp);
    return RG_OK;
}

int rg_cmd_simulate(int argc, char **argv)
{
    const char *file = NULL, *regimen = NULL, *csv = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--regimen") && a + 1 < argc) {
            regimen = argv[++a];
        } else if (!strcmp(argv[a], "--csv") && a + 1 < argc) {
            csv = argv[++a];
        } else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
            usage(stdout);
            return 0;
        } else if (argv[a][0] == '-' && argv[a][1] != '\0') {
            fprintf(stderr, "regimen simulate: unknown or incomplete option '%s'\n", argv[a]);
            usage(stderr);
            return 2;
        } else if (!file) {
            file = argv[a];
        } else {
            fprintf(stderr, "regimen simulate: unexpected argument '%s'\n", argv[a]);
            usage(stderr);
            return 2;
        }
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    if (csv && !strcmp(csv, "-"))
        csv = NULL;

    rg_diag *diag = malloc(sizeof *diag);
    if (!diag)
        return 1;
    rg_diag_init(diag);
    rg_problem *p = NULL;
    int st = rg_problem_load(file, &p, diag);
    if (st != RG_OK) {
        rg_diag_print(diag, stderr);
        free(diag);
        return st == RG_EIO ? 2 : rg_status_exit_code(st); /* an unreadable input, as check */
    }
    free(diag);
    int code = 0;
    rg_sim_workspace *w = NULL;
    rg_trajectory tr = {0};
    if (p->bench.kind != RG_BENCH_NONE) {
        fprintf(stderr, "%s: a benchmark problem has no tumour model to simulate\n", file);
        code = 2;
        goto done;
    }
    if (p->n_regimens == 0) {
        fprintf(stderr, "%s: regimens: the file defines no regimen to simulate\n", file);
        code = 2;
        goto done;
    }
    int ri = 0;
    if (regimen) {
        ri = rg_problem_regimen_index(p, regimen);
        if (ri < 0) {
            fprintf(stderr, "%s: regimens: no regimen named '%s' (have:", file, regimen);
            for (size_t r = 0; r < p->n_regimens; r++)
                fprintf(stderr, " %s", p->regimens[r].name);
            fprintf(stderr, ")\n");
            code = 2;
            goto done;
        }
    }
    const rg_regimen *reg = &p->regimens[ri];
    rg_policy pol;
    st = rg_policy_init_regimen(&pol, p, reg);
    if (st != RG_OK) {
        fprintf(stderr, "%s: regimens.[%d] (%s): policy '%s' cannot be run: %s\n", file, ri,
                reg->name, rg_policy_kind_name(reg->policy), rg_strerror(st));
        code = 2;
        goto done;
    }
    w = rg_sim_alloc(p);
    if (!w || rg_trajectory_alloc(&tr, p) != RG_OK) {
        fprintf(stderr, "regimen simulate: out of memory\n");
        code = 1;
        goto done;
    }
    rg_sim_summary s;
    st = rg_sim_run(w, p, &pol, &s, &tr);
    if (st != RG_OK) {
        fprintf(stderr, "%s: simulation failed: %s\n", file, rg_strerror(st));
        code = 1;
        goto done;
    }
    /* rows recorded: all visits, or up to where the run stopped */
    size_t rows = tr.n_visits;
    if (s.status != RG_OK) {
        rows = 0;
        for (size_t v = 0; v < tr.n_visits; v++)
            if (v == 0 || tr.t[v] > 0.0)
                rows = v + 1;
    }
    if (csv && write_csv(csv, p, &tr, rows) != RG_OK) {
        code = 1;
        goto done;
    }

    double H = p->horizon_days;
    printf("problem: %s (%s)\n", p->name[0] ? p->name : file, file);
    printf("regimen: %s (%s)\n", reg->name, rg_policy_kind_name(reg->policy));
    if (s.status != RG_OK)
        printf("status: stopped at an infeasible evaluation: %s\n", rg_strerror(s.status));
    if (s.progressed)
        printf("time to progression: %g days\n", s.ttp);
    else
        printf("time to progression: no progression by day %g\n", H);
    printf("final burden: %.6g cells\n", s.final_burden);
    printf("resistant burden: %.6g cells\n", s.resistant_burden);
    printf("emergence hazard L(H): %.6g; resistance probability: %.6g\n", s.hazard,
           s.resistance_probability);
    if (s.emerged)
        printf("time to emergence: %g days\n", s.time_to_emergence);
    else
        printf("time to emergence: no emergence by day %g\n", H);
    if (p->neutrophils)
        printf("neutrophil nadir: %.4g (circ0 %.4g)\n", s.neutrophil_nadir, p->circ0);
    else
        printf("neutrophil nadir: n/a (no neutrophils group)\n");
    printf("drugs:\n");
    for (size_t d = 0; d < p->n_drugs; d++)
        printf("  %s: cumulative dose %.6g %s, dose intensity %.4g\n", p->drugs[d].name,
               s.cumulative_dose[d],
               p->drugs[d].administration == RG_ADMIN_BOLUS ? "MTD boluses" : "MTD-days",
               s.dose_intensity[d]);
    printf("max daily toxicity: %.4g\n", s.max_daily_toxicity);

    /* the same verdict as compare and the optimiser (rg_constraints_eval, model.md 7) */
    rg_violation viol;
    rg_constraints_eval(p, &s, &viol);
    size_t broken = 0;
    printf("constraints:");
    for (size_t d = 0; d < p->n_drugs; d++) {
        double lim = p->drugs[d].max_cumulative_dose;
        if (viol.cumulative_dose[d] > 0.0) {
            printf("%s max_cumulative_dose of %s broken (%.6g > %.6g)", broken ? ";" : "",
                   p->drugs[d].name, s.cumulative_dose[d], lim);
            broken++;
        }
    }
    if (viol.daily_toxicity > 0.0) {
        printf("%s max_daily_toxicity broken (%.4g > %.4g)", broken ? ";" : "",
               s.max_daily_toxicity, p->max_daily_toxicity);
        broken++;
    }
    if (viol.anc > 0.0) {
        printf("%s anc_min broken (nadir %.4g < %.4g)", broken ? ";" : "", s.neutrophil_nadir,
               p->anc_min);
        broken++;
    }
    if (!broken)
        printf(" all satisfied");
    printf("\n");
    printf("integrator: %zu steps, %zu right-hand side evaluations\n", s.steps, s.rhs_evals);
    if (csv)
        printf("trajectory: %s (%zu visits)\n", csv, rows);
    if (s.status != RG_OK)
        code = 1;
done:
    rg_trajectory_free(&tr);
    rg_sim_free(w);
    rg_problem_free(p);
    return code;
}
