/* Time to write and read results files and checkpoints of the sizes regimen produces.
 *
 * usage: build/bench/results_io [DIR]   (files go to DIR, default /tmp)
 * A synthetic run: population N, genome L, M = 3 objectives, G generations of history, a
 * front of 40, 6 regimens, trajectories of V visits, 4 clones, 2 drugs. Genomes are dose-level
 * indices 0..4 (compress like real schedules); objectives are smooth numbers. Prints wall
 * time (the writes include fsync) and file sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "regimen/checkpoint.h"
#include "regimen/results.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static rg_results *make(size_t N, size_t L, size_t G, size_t V, gsl_rng *rng)
{
    rg_results *r = rg_results_alloc();
    r->problem_text = strdup("# synthetic\n");
    r->n_obj = 3;
    r->population = N;
    r->genome_length = L;
    r->n_drugs = 2;
    r->n_intervals = L / 2;
    r->encoding = RG_ENC_SCHEDULE;
    r->decision_days = 7.0;
    /* two continuous drugs: a gene per drug and interval, as the file's gene map says */
    r->gene_drug = malloc(L * sizeof *r->gene_drug);
    r->gene_day = malloc(L * sizeof *r->gene_day);
    for (size_t g = 0; g < L; g++) {
        r->gene_drug[g] = (uint32_t)(g / (L / 2));
        r->gene_day[g] = 7.0 * (double)(g % (L / 2));
    }
    r->n_levels = 5;
    for (size_t l = 0; l < 5; l++)
        r->dose_levels[l] = 0.25 * (double)l;
    double *x = malloc(N * L * sizeof *x), *o = malloc(N * 3 * sizeof *o),
           *v = calloc(N, sizeof *v);
    for (size_t g = 0; g < G; g++) {
        for (size_t i = 0; i < N * L; i++)
            x[i] = (double)gsl_rng_uniform_int(rng, 5);
        for (size_t i = 0; i < N * 3; i++)
            o[i] = 100.0 * gsl_rng_uniform(rng);
        rg_results_add_generation(r, g, N * (g + 1), (double)g, x, o, v);
    }
    free(x);
    free(o);
    free(v);
    rg_results_alloc_front(r, 40);
    rg_results_alloc_regimens(r, 6);
    r->n_visits = V;
    r->n_clones = 4;
    r->n_drugs_all = 2;
    rg_results_alloc_trajectories(r, 40, 6);
    for (size_t i = 0; i < 40 * 4 * V; i++)
        r->traj_front.clones[i] = 1e9 * gsl_rng_uniform(rng);
    return r;
}

static long size_of(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    struct {
        size_t N, L, G, V;
    } cases[] = {
        {128, 208, 201, 729}, {128, 208, 1001, 729}, {1000, 208, 201, 729}, {100, 30, 251, 0}};
    printf("| N | L | G | results write (s) | read (s) | size (MB) | checkpoint write (s) |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        rg_results *r = make(cases[c].N, cases[c].L, cases[c].G, cases[c].V, rng);
        char path[1024], ck[1024];
        snprintf(path, sizeof path, "%s/bench-results-%d.h5", dir, (int)getpid());
        snprintf(ck, sizeof ck, "%s/bench-checkpoint-%d.h5", dir, (int)getpid());
        rg_diag diag;
        rg_diag_init(&diag);
        double t0 = now();
        if (rg_results_write(r, path, RG_WRITE_FORCE, &diag) != RG_OK) {
            rg_diag_print(&diag, stderr);
            return 1;
        }
        double t1 = now();
        rg_results *back = NULL;
        if (rg_results_read(path, &back, &diag) != RG_OK) {
            rg_diag_print(&diag, stderr);
            return 1;
        }
        double t2 = now();
        rg_checkpoint *k = rg_checkpoint_alloc();
        rg_results_free(k->results);
        k->results = r;
        rg_checkpoint_alloc_population(k, cases[c].N, cases[c].L);
        rg_checkpoint_save_rng(k, rng);
        double t3 = now();
        rg_checkpoint_write(k, ck, &diag);
        double t4 = now();
        printf("| %zu | %zu | %zu | %.3f | %.3f | %.1f | %.3f |\n", cases[c].N, cases[c].L,
               cases[c].G, t1 - t0, t2 - t1, (double)size_of(path) / 1e6, t4 - t3);
        k->results = NULL;
        rg_checkpoint_free(k);
        rg_results_free(back);
        rg_results_free(r);
        unlink(path);
        unlink(ck);
    }
    gsl_rng_free(rng);
    return 0;
}
