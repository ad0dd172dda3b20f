/* regimen: what `regimen optimize` leaves behind, driven from its generation loop.
 *
 * The recorder sits between generations of the optimiser (docs/style.md rule 9): it records one
 * history row per generation, writes checkpoints every N generations and when a signal asks
 * the run to stop, resumes from a checkpoint, and at the end writes the results file
 * (results.h). It runs on the MPI master only; workers never touch files.
 *
 * Signals: SIGTERM, SIGUSR1 and SIGINT (what SLURM sends before a time limit, and Ctrl-C)
 * only set a flag (volatile sig_atomic_t: the one piece of process-wide state regimen
 * keeps, as a signal handler can reach nothing else). The flag is also the kernel's
 * cancellation flag (rg_recorder_signal_flag, sim.h): an evaluation running when the signal
 * arrives stops at once and the generation is abandoned (nsga2.h: RG_ECANCELED, state
 * unchanged). The master writes the checkpoint of the last complete generation atomically,
 * prints the command that resumes the run, and the command exits with 128 + the signal's
 * number (rg_recorder_exit_status).
 *
 * Resuming: the checkpoint restores the optimiser's full state (population, evaluations,
 * RNG state, reference point and its rule, the seeded regimens' initial results,
 * hypervolume history) and the history recorded so far, so the final front is
 * bit-identical to an uninterrupted run with the same seed, on any number of ranks (workers
 * draw no random numbers). */
#ifndef REGIMEN_RECORDER_H
#define REGIMEN_RECORDER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"
#include "regimen/results.h"
#include "regimen/status.h"

/* What the recorder is asked to do: plain data that the command line fills (src/cli).
 * Zero = defaults. */
typedef struct {
    const char *out;         /* results file; NULL: results/<problem file stem>-seed<seed>.h5 */
    bool force;              /* replace an existing results file */
    const char *checkpoint;  /* checkpoint file; NULL: <out without .h5>.checkpoint.h5 */
    size_t checkpoint_every; /* generations between checkpoints; 0: only on a signal */
    const char *resume;      /* checkpoint to resume from; NULL: a fresh run */
    const char *front;       /* --front CSV (written by the caller), refused when it names the
                              * results file or the checkpoint; NULL or "-": none */
    bool quiet;              /* no messages on stderr except errors and the resume note */
    const char *name;        /* what the messages on stderr start with, e.g. the command
                              * ("regimen optimize"); NULL: "recorder" */
} rg_recorder_options;

typedef struct rg_recorder rg_recorder;

/* Prepares a run of problem p (with command-line overrides applied) whose genomes follow
 * enc: resolves the output paths, refuses an existing results file without force
 * (RG_EEXIST), reads and checks the --resume checkpoint (RG_EIO, RG_EFORMAT, RG_EINVAL),
 * and records the provenance (argv, n_ranks, start time). problem_path is the problem file
 * as given. diag names the file and the reason. Caller frees with rg_recorder_free. */
int rg_recorder_alloc(const rg_recorder_options *o, const rg_problem *p, const rg_encoding *enc,
                      const char *problem_path, int n_ranks, int argc, char **argv,
                      rg_recorder **out, rg_diag *diag);
void rg_recorder_free(rg_recorder *rec);

/* Installs the SIGTERM/SIGUSR1/SIGINT handlers (on every rank: a rank the launcher forwards
 * the signal to must not die). */
void rg_recorder_install_signals(void);
/* True once one of those signals has arrived (the signal number, else 0). */
int rg_recorder_signal(void);
/* The flag the handlers set, to hand to the evaluator as its cancellation flag. */
const volatile sig_atomic_t *rg_recorder_signal_flag(void);
/* Exit status of a run stopped by a signal: 128 + its number (SIGTERM when a worker's
 * canceled evaluation stopped a master that received none). */
int rg_recorder_exit_status(void);

/* A generation was abandoned (RG_ECANCELED) or a signal arrived: writes the checkpoint of
 * the last complete generation, prints the resume command, sets *stop. */
int rg_recorder_stop(rg_recorder *rec, const rg_nsga2 *g, bool *stop);

/* Starts the optimiser: rg_nsga2_init for a fresh run, or rg_nsga2_import of the
 * checkpoint's state for --resume (the seeds are then unused). Records generation 0 (fresh)
 * or the checkpoint's history. *stop is set when a signal arrived meanwhile (a checkpoint
 * has then been written). */
int rg_recorder_start(rg_recorder *rec, rg_nsga2 *g, rg_batch_fn eval, void *ctx,
                      const double seeds[], size_t n_seeds, bool *stop);

/* Generations between history rows for problem p (optimize.history_every, with the
 * command line's override applied): the key's value, or for 0 (automatic) 1 up to 1000
 * generations and ceil(generations / 1000) beyond. */
size_t rg_recorder_history_every(const rg_problem *p);

/* After each rg_nsga2_step: records the history row (generation 0, every
 * rg_recorder_history_every generations and the last); writes a checkpoint when
 * checkpoint_every divides the generation or a signal arrived. *stop is set when the run
 * must end now (signal): the checkpoint is written and the resume command printed. A signal
 * that arrives once the last generation's evaluations are done does not stop the run: its
 * results are written. */
int rg_recorder_after_step(rg_recorder *rec, const rg_nsga2 *g, bool *stop);

/* Writes a checkpoint of the current state now (atomically, replacing the older one). */
int rg_recorder_checkpoint(rg_recorder *rec, const rg_nsga2 *g);

/* At the end of the run: the archive as the front (archive.h: canonical order), its
 * decoded schedules or rules, the standard regimens and the trajectories (tumour problems),
 * then the results file, written atomically. RG_EEXIST when the file appeared meanwhile and
 * force is off. */
int rg_recorder_finish(rg_recorder *rec, const rg_nsga2 *g);

/* r's front from an archive of n members (genomes [n][genome_length], their evaluation
 * records; archive.h's canonical order): genomes, objectives, violation, flags and, for an
 * adaptive rule, its values (rg_encoding_rule_values); then rg_results_fill_model when p and
 * enc are given, else (nothing simulated) NaN delivered doses and, without enc, NaN rule
 * values. Returns RG_OK, RG_ENOMEM or rg_results_fill_model's error. */
int rg_results_fill_front(rg_results *r, const rg_problem *p, const rg_encoding *enc, size_t n,
                          const double genomes[], const rg_eval_result res[], rg_diag *diag);

/* Fills r's standard regimens (objectives, violation, flags) and the trajectories of the
 * front members and of the regimens, by simulating problem p (tumour problems only; a
 * benchmark problem leaves them empty). r's front, genome_length and encoding must be set.
 * Returns RG_OK, or the kernel's/policy's error with diag filled. */
int rg_results_fill_model(rg_results *r, const rg_problem *p, const rg_encoding *enc,
                          rg_diag *diag);

#endif
