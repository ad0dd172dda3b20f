/* A results record with odd values in every field, shared by the results, export and
 * checkpoint tests. Sizes: 3 objectives (ttp maximised), population 6, genome 2 drugs x 5
 * intervals, 4 history rows, a front of 3, 2 regimens, 7 visits, 3 clones. */
#ifndef RG_RESULTS_FIXTURE_H
#define RG_RESULTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/results.h"

static inline double fixture_value(size_t a, size_t b)
{
    return 2.385 * (double)(a + 1) - 0.137 * (double)(b * b) + 1e-3 * (double)a * (double)b;
}

static inline rg_results *fixture_results(void)
{
    rg_results *r = rg_results_alloc();
    if (!r)
        return NULL;
    r->problem_text =
        strdup("# fixture problem\nhorizon_days = 35.0;\n\xc3\xa9t\xc3\xa9 = 1;\n");
    snprintf(r->problem_name, sizeof r->problem_name, "fixture-\xce\xb1");
    rg_results_set_command_line(r, "regimen optimize 'fix ture.cfg' --seed 17");
    r->seed = 17;
    r->n_ranks = 3;
    snprintf(r->start_time, sizeof r->start_time, "2026-11-26T22:00:01Z");
    snprintf(r->end_time, sizeof r->end_time, "2026-11-26T22:10:59Z");
    r->encoding = RG_ENC_SCHEDULE;
    r->n_obj = 3;
    const char *names[3] = {"ttp", "resistant_burden", "dose_intensity"};
    for (size_t m = 0; m < 3; m++) {
        snprintf(r->objective_names[m], RG_NAME_MAX, "%s", names[m]);
        r->reference_point[m] = 0.5 + (double)m * 3.25;
    }
    r->maximised[0] = true;
    r->has_reference_point = true;
    r->reference_rule = 0; /* RG_HVREF_GIVEN */
    r->population = 6;
    r->n_drugs = 2;
    r->n_intervals = 5;
    r->decision_days = 7.0;
    snprintf(r->drug_names[0], RG_NAME_MAX, "cisplatin");
    snprintf(r->drug_names[1], RG_NAME_MAX, "paclitaxel");
    r->genome_length = 10;
    /* two continuous drugs: gene g is drug g / 5 on day 7 (g mod 5) */
    r->gene_drug = malloc(10 * sizeof *r->gene_drug);
    r->gene_day = malloc(10 * sizeof *r->gene_day);
    if (!r->gene_drug || !r->gene_day)
        goto fail;
    for (size_t g = 0; g < 10; g++) {
        r->gene_drug[g] = (uint32_t)(g / 5);
        r->gene_day[g] = 7.0 * (double)(g % 5);
    }
    r->genome_layout = 2;
    r->n_levels = 5;
    for (size_t l = 0; l < 5; l++)
        r->dose_levels[l] = 0.25 * (double)l;
    r->generations = 3;
    r->evaluations = 24;
    double genomes[60], obj[18], viol[6];
    for (size_t g = 0; g < 4; g++) {
        for (size_t i = 0; i < 60; i++)
            genomes[i] = fixture_value(g, i);
        for (size_t i = 0; i < 18; i++)
            obj[i] = fixture_value(i, g) * 10.0;
        for (size_t i = 0; i < 6; i++)
            viol[i] = i == 2 ? 0.25 * (double)g : 0.0;
        if (rg_results_add_generation(r, g, 6 * (g + 1), 100.0 + 1.5 * (double)g, genomes, obj,
                                      viol) != RG_OK)
            goto fail;
    }
    if (rg_results_alloc_front(r, 3) != RG_OK)
        goto fail;
    for (size_t i = 0; i < 3 * 10; i++) {
        r->front_genomes[i] = fixture_value(7, i);
        r->front_doses[i] = 0.25 * (double)(i % 5);
    }
    for (size_t i = 0; i < 9; i++)
        r->front_objectives[i] = fixture_value(3, i);
    r->front_violation[2] = 0.125;
    r->front_flags[0] = 1;
    r->front_flags[2] = 2;
    if (rg_results_alloc_regimens(r, 2) != RG_OK)
        goto fail;
    snprintf(r->regimen_names[0], RG_NAME_MAX, "mtd");
    snprintf(r->regimen_names[1], RG_NAME_MAX, "adaptive");
    for (size_t i = 0; i < 6; i++)
        r->regimen_objectives[i] = fixture_value(11, i);
    r->regimen_violation[1] = 0.0;
    r->n_visits = 7;
    r->n_clones = 3;
    r->n_drugs_all = 2;
    for (size_t c = 0; c < 3; c++)
        snprintf(r->clone_names[c], RG_NAME_MAX, "clone%zu", c);
    snprintf(r->drug_names_all[0], RG_NAME_MAX, "cisplatin");
    snprintf(r->drug_names_all[1], RG_NAME_MAX, "paclitaxel");
    r->n_traj_intervals = 5; /* 5 intervals of 7 days over the visits to day 30 */
    r->traj_anc = true;
    if (rg_results_alloc_trajectories(r, 3, 2) != RG_OK)
        goto fail;
    for (size_t v = 0; v < 7; v++)
        r->traj_t[v] = 5.0 * (double)v;
    rg_traj_set *sets[2] = {&r->traj_front, &r->traj_regimens};
    for (size_t s = 0; s < 2; s++) {
        for (size_t i = 0; i < sets[s]->n * 7; i++) {
            sets[s]->burden[i] = 1e9 * fixture_value(s, i);
            sets[s]->resistant[i] = 1e3 * fixture_value(i, s);
        }
        for (size_t i = 0; i < sets[s]->n * 3 * 7; i++)
            sets[s]->clones[i] = fixture_value(s + 2, i);
        for (size_t i = 0; i < sets[s]->n * 2 * 7; i++)
            sets[s]->conc[i] = fixture_value(s + 5, i) / 10.0;
        for (size_t i = 0; i < sets[s]->n * 2 * 5; i++)
            sets[s]->levels[i] = 0.25 * (double)(i % 5);
        for (size_t i = 0; i < sets[s]->n * 7; i++)
            sets[s]->anc[i] = fixture_value(s + 7, i);
        for (size_t i = 0; i < sets[s]->n; i++) /* ends at visit 3 (t = 15), or the horizon */
            sets[s]->t_end[i] = i == 1 ? 15.0 : 30.0;
    }
    return r;
fail:
    rg_results_free(r);
    return NULL;
}

#endif
