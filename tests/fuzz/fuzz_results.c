/* libFuzzer harness: the results and checkpoint readers on arbitrary bytes, with the
 * integrity seal checked as in every command (docs/results-format.md, "Integrity checks"):
 * the input is written to a scratch file that both readers open. Built by scripts/fuzz
 * (RG_FUZZ=ON, clang). With REGIMEN_FUZZ_RESEAL=1 the harness seals each input itself
 * before reading it, so that the search goes past the digest into the HDF5 structure and
 * the range checks (a crash then inside libhdf5 is on a file that passes the digest). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regimen/checkpoint.h"
#include "regimen/results.h"
#include "regimen/seal.h"

static char scratch[4096];
static int reseal;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/regimen-fuzz-results-%ld.h5",
             dir && *dir ? dir : "/tmp", (long)getpid());
    const char *r = getenv("REGIMEN_FUZZ_RESEAL");
    reseal = r && strcmp(r, "1") == 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(scratch, "wb");
    if (!f)
        abort(); /* the harness cannot work: not a finding in the code under test */
    int ok = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0 || !ok)
        abort();
    if (reseal && size >= RG_SEAL_BLOCK &&
        rg_seal_write(scratch, RG_RESULTS_FORMAT_VERSION, NULL) != RG_OK)
        return 0;
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    if (rg_results_read(scratch, &r, &diag) == RG_OK)
        rg_results_free(r);
    rg_diag_init(&diag);
    rg_checkpoint *c = NULL;
    if (rg_checkpoint_read(scratch, &c, &diag) == RG_OK)
        rg_checkpoint_free(c);
    unlink(scratch);
    return 0;
}
