/* regimen: checkpoints of an optimisation run, so that a run stopped by the batch system
 * (SIGTERM/SIGUSR1/SIGINT, or --checkpoint-every N) resumes and ends bit-identical to an
 * uninterrupted run with the same seed.
 *
 * A checkpoint is an HDF5 file with format "regimen-checkpoint": the whole results part of
 * a results file (provenance, problem text, history so far; docs/results-format.md) plus a
 * /state group holding what the optimiser needs to continue: the population's genomes and
 * evaluation records, the gsl_rng state bytes (mt19937), the generation counter, the
 * reference point and the rule that chose it, the seeded regimens' initial evaluation
 * records (/state/baselines), the archive of non-dominated schedules with its bound and
 * hypervolume history (/state/archive), the optimiser's own exported state (opaque bytes, when it has
 * one) and the settings. It has no trajectories (they are simulated at the end of a run). Written
 * atomically (temporary name, fsync, rename): a run killed at any moment leaves the previous
 * complete checkpoint or the new one, never a damaged file taken as good.
 *
 * Ownership: rg_checkpoint_alloc/free; every pointer member is owned. */
#ifndef REGIMEN_CHECKPOINT_H
#define REGIMEN_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "regimen/evaluate.h"
#include "regimen/problem.h"
#include "regimen/results.h"
#include "regimen/status.h"

typedef struct {
    rg_results *results;          /* provenance + history so far (front may be empty) */
    uint64_t generation;          /* generations completed */
    uint64_t generations_target;  /* generations the run was asked for */
    uint64_t evaluations;         /* model evaluations so far */
    uint64_t n_seeds;             /* seeded genomes placed in the first population */
    double reference[RG_MAX_OBJ]; /* hypervolume reference point, minimised form */
    int reference_rule;           /* rg_reference_rule of nsga2.h that chose it */
    rg_eval_result *baselines;    /* [n_baselines] the seeds' initial results (the
                                    optimiser's baseline guard needs them to continue) */
    size_t n_baselines;           /* == n_seeds */
    double *hv_history;           /* [n_hv] hypervolume after generation 0, 1, ... */
    size_t n_hv;
    size_t n; /* population size (rows of genomes/evals) */
    size_t genome_length;
    double *genomes;          /* [n][genome_length] */
    rg_eval_result *evals;    /* [n] (value/fitness for the first results->n_obj) */
    char rng_name[32];        /* gsl_rng_name, e.g. "mt19937" */
    unsigned char *rng_state; /* gsl_rng_state bytes */
    size_t rng_size;
    unsigned char *optimizer_state; /* the optimiser's exported state, or NULL */
    size_t optimizer_state_size;
    rg_optimize settings; /* population, seed, operators the run used */
    /* the archive (archive.h), in canonical order */
    uint64_t archive_bound;        /* 0: unbounded */
    size_t n_archive;              /* members */
    double *archive_genomes;       /* [n_archive][genome_length] */
    rg_eval_result *archive_evals; /* [n_archive] */
    double *archive_hv_history;    /* [n_hv] the archive's hypervolume per generation */
} rg_checkpoint;

/* An empty checkpoint with an empty results record; NULL when out of memory. */
rg_checkpoint *rg_checkpoint_alloc(void);
void rg_checkpoint_free(rg_checkpoint *c);

/* Sizes genomes and evals for n individuals of genome_length genes (zeroed). */
int rg_checkpoint_alloc_population(rg_checkpoint *c, size_t n, size_t genome_length);
/* Copies the generator's type name and state bytes. */
int rg_checkpoint_save_rng(rg_checkpoint *c, const gsl_rng *rng);
/* Restores the state into rng, which must be of the same type (RG_EFORMAT otherwise). */
int rg_checkpoint_restore_rng(const rg_checkpoint *c, gsl_rng *rng);
/* Copies n hypervolume values. */
int rg_checkpoint_set_hv_history(rg_checkpoint *c, const double hv[], size_t n);
/* Copies `size` bytes of opaque optimiser state. */
int rg_checkpoint_set_optimizer_state(rg_checkpoint *c, const void *state, size_t size);

/* Writes the checkpoint atomically, replacing an older checkpoint at path. */
int rg_checkpoint_write(const rg_checkpoint *c, const char *path, rg_diag *diag);

/* Reads and validates a checkpoint. RG_EIO (cannot open), RG_EFORMAT (not HDF5, damaged,
 * truncated, a results file rather than a checkpoint, missing or inconsistent parts); diag
 * names the file and what is wrong. Caller frees *out with rg_checkpoint_free. */
int rg_checkpoint_read(const char *path, rg_checkpoint **out, rg_diag *diag);

/* Refuses a checkpoint of another problem or other settings: the problem text's hash, the
 * population, seed, encoding, objectives and variation settings must match p (after command
 * line overrides). RG_EINVAL with a message naming the checkpoint file and what differs. */
int rg_checkpoint_check(const rg_checkpoint *c, const rg_problem *p, const char *path,
                        rg_diag *diag);

#endif
