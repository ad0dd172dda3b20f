/* The integrity seal of results files and checkpoints (include/regimen/seal.h): CRC-32
 * against published check values, every damaged byte refused by the library and by each
 * command that reads a file (exit 2, never a crash), other versions and foreign files named,
 * and values that pass the seal but make no sense refused (docs/results-format.md,
 * "Integrity checks"). */
#include <fcntl.h>
#include <hdf5.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/checkpoint.h"
#include "regimen/results.h"
#include "regimen/seal.h"

static const char *problem = RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg";
static char res[1200], ck[1200];

/* A results file and a checkpoint of a short benchmark run, made once. */
static int setup(void **state)
{
    tmp_dir_setup(state);
    path_in(res, sizeof res, "good.h5");
    path_in(ck, sizeof ck, "good.ck.h5");
    return run_sh("'%s' optimize '%s' --generations 2 --population 8 --quiet --out '%s' "
                  "--checkpoint '%s' --checkpoint-every 1",
                  RG_REGIMEN_EXE, problem, res, ck);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *b = malloc((size_t)st.st_size);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    *n = (size_t)st.st_size;
    return b;
}

static void spill(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Published check values of CRC-32/ISO-HDLC (zlib's crc32); tests/results_h5py.py also checks
 * a written file with Python's zlib. */
static void test_crc32(void **state)
{
    (void)state;
    assert_int_equal(rg_seal_crc32(0, "123456789", 9), 0xcbf43926u);
    assert_int_equal(rg_seal_crc32(0, "", 0), 0);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    assert_int_equal(rg_seal_crc32(0, fox, strlen(fox)), 0x414fa339u);
    uint32_t part = rg_seal_crc32(0, fox, 10);
    assert_int_equal(rg_seal_crc32(part, fox + 10, strlen(fox) - 10), 0x414fa339u);
}

static void expect_refused(const char *path, const char *words)
{
    char why[RG_DIAG_MSG];
    int rc = rg_seal_check(path, RG_RESULTS_FORMAT_VERSION, why, sizeof why);
    if (rc != RG_EFORMAT || !strstr(why, words)) {
        print_error("%s: status %d, '%s' lacks '%s'\n", path, rc, why, words);
        fail();
    }
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(path, &r, &diag), RG_EFORMAT);
    assert_null(r);
    assert_non_null(strstr(diag.msg[0], path));
    assert_non_null(strstr(diag.msg[0], words));
}

/* A byte changed anywhere (every byte of the block, 1500 spread over the rest, two XOR
 * patterns) is found by the seal. */
static void test_every_flip_refused(void **state)
{
    (void)state;
    char why[RG_DIAG_MSG], bad[1200];
    assert_int_equal(rg_seal_check(res, RG_RESULTS_FORMAT_VERSION, why, sizeof why), RG_OK);
    size_t n;
    unsigned char *b = slurp(res, &n);
    path_in(bad, sizeof bad, "flip.h5");
    spill(bad, b, n);
    /* flipped in place, one byte at a time (rewriting the whole copy each time makes the file
     * system flush it) */
    int fd = open(bad, O_RDWR);
    assert_true(fd >= 0);
    size_t tried = 0;
    size_t stride = (n - RG_SEAL_BLOCK) / 1500 + 1;
    for (size_t off = 0; off < n; off += off < RG_SEAL_BLOCK ? 1 : stride) {
        unsigned char flipped = b[off] ^ ((off & 1) ? 0xff : 0x01);
        assert_int_equal(pwrite(fd, &flipped, 1, (off_t)off), 1);
        int rc = rg_seal_check(bad, RG_RESULTS_FORMAT_VERSION, why, sizeof why);
        assert_int_equal(pwrite(fd, b + off, 1, (off_t)off), 1);
        if (rc != RG_EFORMAT) {
            print_error("flip at %zu accepted (%d)\n", off, rc);
            fail();
        }
        tried++;
    }
    close(fd);
    assert_true(tried > 1900);
    /* one flip in the content, one in the block's checksum field, one in its padding */
    b[n / 2] ^= 4;
    spill(bad, b, n);
    expect_refused(bad, "checksum mismatch: damaged file");
    b[n / 2] ^= 4;
    b[13] ^= 4;
    spill(bad, b, n);
    expect_refused(bad, "checksum mismatch in its integrity block");
    b[13] ^= 4;
    b[300] = 'x';
    spill(bad, b, n);
    expect_refused(bad, "integrity block");
    free(b);
}

/* Each command that reads a results file or a checkpoint exits 2 on a damaged one, with a
 * message naming the file; none crashes (a signal gives a status above 128). */
static void test_commands_refuse_damage(void **state)
{
    (void)state;
    const char *src[2] = {res, ck};
    char bad[1200], err[1200], out[1200];
    path_in(err, sizeof err, "flip.err");
    path_in(out, sizeof out, "flip-out.h5");
    for (int k = 0; k < 2; k++) {
        size_t n;
        unsigned char *b = slurp(src[k], &n);
        path_in(bad, sizeof bad, k ? "flip.ck.h5" : "flip.h5");
        const size_t offsets[] = {0,    8,    12,    16,    24,        511,     512,  600,
                                  1000, 2048, n / 3, n / 2, 2 * n / 3, n - 100, n - 1};
        for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
            size_t off = offsets[i];
            b[off] ^= 0x5a;
            spill(bad, b, n);
            b[off] ^= 0x5a;
            const char *cmds[4] = {"info", "export", "merge -o -", NULL};
            for (int c = 0; cmds[c]; c++) {
                int rc =
                    run_sh("'%s' %s '%s' 2>'%s' >/dev/null", RG_REGIMEN_EXE, cmds[c], bad, err);
                if (rc != 2 || run_sh("grep -q '%s: ' '%s'", bad, err) != 0) {
                    print_error("%s at byte %zu: '%s' exit %d\n", bad, off, cmds[c], rc);
                    fail();
                }
            }
            if (k == 1) {
                int rc = run_sh("'%s' optimize '%s' --generations 3 --population 8 --quiet "
                                "--force --out '%s' --resume '%s' 2>'%s'",
                                RG_REGIMEN_EXE, problem, out, bad, err);
                if (rc != 2 || run_sh("grep -q 'flip.ck.h5: ' '%s'", err) != 0) {
                    print_error("--resume %s, byte %zu: exit %d\n", bad, off, rc);
                    fail();
                }
                assert_false(access(out, F_OK) == 0);
            }
        }
        free(b);
    }
}

/* Another version, a truncated or extended file, an HDF5 file without the block, an empty
 * file: each refused with what is wrong. */
static void test_versions_and_lengths(void **state)
{
    (void)state;
    char bad[1200];
    size_t n;
    unsigned char *b = slurp(res, &n);
    path_in(bad, sizeof bad, "v4.h5");
    spill(bad, b, n);
    assert_int_equal(rg_seal_write(bad, 4, NULL), RG_OK);
    expect_refused(bad, "format version 4, this regimen reads 3");
    path_in(bad, sizeof bad, "short.h5");
    spill(bad, b, n - 1);
    expect_refused(bad, "truncated");
    spill(bad, b, 300);
    expect_refused(bad, "truncated");
    path_in(bad, sizeof bad, "long.h5");
    spill(bad, b, n);
    FILE *f = fopen(bad, "ab");
    fputc(0, f);
    fclose(f);
    expect_refused(bad, "extended");
    path_in(bad, sizeof bad, "plain.h5");
    spill(bad, b + RG_SEAL_BLOCK, n - RG_SEAL_BLOCK);
    expect_refused(bad, "an HDF5 file without regimen's integrity block");
    path_in(bad, sizeof bad, "empty.h5");
    spill(bad, b, 0);
    expect_refused(bad, "empty file");
    free(b);
}

/* Rewrites (or creates) a scalar root or group attribute with the given file type, then
 * reseals the file so that only the value is wrong. */
static void set_attr(const char *path, const char *obj, const char *name, hid_t ftype,
                     hid_t mtype, const void *value)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    if (H5Aexists_by_name(f, obj, name, H5P_DEFAULT) > 0)
        assert_true(H5Adelete_by_name(f, obj, name, H5P_DEFAULT) >= 0);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(f, obj, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Awrite(a, mtype, value) >= 0);
    H5Aclose(a);
    H5Sclose(sp);
    H5Fclose(f);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
}

/* Replaces dataset `name` by a 1-D or 2-D one of the given type and values, resealed. */
static void set_dset(const char *path, const char *name, hid_t ftype, hid_t mtype, int rank,
                     const hsize_t *dims, const void *data)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Ldelete(f, name, H5P_DEFAULT) >= 0);
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t d = H5Dcreate2(f, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
    assert_int_equal(rg_seal_write(path, RG_RESULTS_FORMAT_VERSION, NULL), RG_OK);
}

/* A copy of src at name in the scratch directory, its path in out. */
static void copy_to(const char *src, const char *name, char *out, size_t cap)
{
    size_t n;
    unsigned char *b = slurp(src, &n);
    path_in(out, cap, name);
    spill(out, b, n);
    free(b);
}

static void expect_info_refuses(const char *path, const char *words)
{
    char err[1200];
    path_in(err, sizeof err, "info.err");
    int rc = run_sh("'%s' info '%s' >/dev/null 2>'%s'", RG_REGIMEN_EXE, path, err);
    if (rc != 2 || run_sh("grep -qF \"%s\" '%s'", words, err) != 0) {
        print_error("info %s: exit %d, message lacks '%s'\n", path, rc, words);
        (void)run_sh("cat '%s' >&2", err);
        fail();
    }
}

/* A checkpoint dataset replaced by wrong values, and what the refusal must say. */
typedef struct {
    const char *name, *dset, *words;
    hid_t ftype, mtype;
    size_t n, w; /* rows, columns (0: 1-D) */
    const void *data;
} dset_case;

/* Sealed files whose values make no sense: generations 2^64-1, n_ranks -5, a seed of -1
 * stored signed, NaN genomes, an RNG state of the wrong type, size or index. */
static void test_nonsense_values(void **state)
{
    (void)state;
    char p[1200];
    uint64_t huge = UINT64_MAX;
    copy_to(res, "gens.h5", p, sizeof p);
    set_attr(p, ".", "generations", H5T_STD_U64LE, H5T_NATIVE_UINT64, &huge);
    expect_info_refuses(p, "attribute 'generations' is 18446744073709551615");
    int32_t ranks = -5;
    copy_to(res, "ranks.h5", p, sizeof p);
    set_attr(p, ".", "n_ranks", H5T_STD_I32LE, H5T_NATIVE_INT32, &ranks);
    expect_info_refuses(p, "attribute 'n_ranks' is -5");
    int64_t seed = -1;
    copy_to(res, "seed.h5", p, sizeof p);
    set_attr(p, ".", "seed", H5T_STD_I64LE, H5T_NATIVE_INT64, &seed);
    expect_info_refuses(p, "attribute 'seed' does not have the expected type");

    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ck, &c, &diag), RG_OK);
    size_t N = c->n, L = c->genome_length;
    double *g = malloc(N * L * sizeof *g);
    memcpy(g, c->genomes, N * L * sizeof *g);
    unsigned char *rng = malloc(c->rng_size);
    memcpy(rng, c->rng_state, c->rng_size);
    size_t rng_size = c->rng_size;
    rg_checkpoint_free(c);

    char err[1200], out[1200];
    path_in(err, sizeof err, "resume.err");
    path_in(out, sizeof out, "resumed.h5");
    dset_case cases[4];
    g[3] = NAN;
    int32_t rng_i32[4] = {1, 2, 3, 4};
    unsigned char *rng_bad = malloc(rng_size);
    memcpy(rng_bad, rng, rng_size);
    int mti = -7;
    memcpy(rng_bad + 624 * sizeof(unsigned long), &mti, sizeof mti);
    cases[0] = (dset_case){"nan.ck.h5",
                           "state/genomes",
                           "non-finite value",
                           H5T_IEEE_F64LE,
                           H5T_NATIVE_DOUBLE,
                           N,
                           L,
                           g};
    cases[1] = (dset_case){"rngtype.ck.h5",
                           "state/rng_state",
                           "dataset 'rng_state' does not have the expected type",
                           H5T_STD_I32LE,
                           H5T_NATIVE_INT32,
                           4,
                           0,
                           rng_i32};
    cases[2] = (dset_case){"rngsize.ck.h5",
                           "state/rng_state",
                           "holds 100 bytes",
                           H5T_STD_U8LE,
                           H5T_NATIVE_UINT8,
                           100,
                           0,
                           rng};
    cases[3] = (dset_case){"rngidx.ck.h5",   "state/rng_state", "index -7", H5T_STD_U8LE,
                           H5T_NATIVE_UINT8, rng_size,          0,          rng_bad};
    for (int k = 0; k < 4; k++) {
        copy_to(ck, cases[k].name, p, sizeof p);
        hsize_t dims[2] = {cases[k].n, cases[k].w};
        set_dset(p, cases[k].dset, cases[k].ftype, cases[k].mtype, cases[k].w ? 2 : 1, dims,
                 cases[k].data);
        rg_diag_init(&diag);
        assert_int_equal(rg_checkpoint_read(p, &c, &diag), RG_EFORMAT);
        assert_null(c);
        if (!strstr(diag.msg[0], cases[k].words) || !strstr(diag.msg[0], p)) {
            print_error("'%s' lacks '%s'\n", diag.msg[0], cases[k].words);
            fail();
        }
        assert_int_equal(run_sh("'%s' optimize '%s' --generations 3 --population 8 --quiet "
                                "--force --out '%s' --resume '%s' 2>'%s'",
                                RG_REGIMEN_EXE, problem, out, p, err),
                         2);
        assert_int_equal(run_sh("grep -qF \"%s\" '%s'", cases[k].words, err), 0);
    }
    const char *zdt = "mt19937-but-not";
    copy_to(ck, "rngname.ck.h5", p, sizeof p);
    hid_t st = H5Tcopy(H5T_C_S1);
    H5Tset_size(st, H5T_VARIABLE);
    set_attr(p, "state", "rng_type", st, st, &zdt);
    H5Tclose(st);
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(p, &c, &diag), RG_EFORMAT);
    assert_non_null(strstr(diag.msg[0], "'mt19937-but-not', regimen uses mt19937"));
    free(g);
    free(rng);
    free(rng_bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32),
        cmocka_unit_test(test_every_flip_refused),
        cmocka_unit_test(test_commands_refuse_damage),
        cmocka_unit_test(test_versions_and_lengths),
        cmocka_unit_test(test_nonsense_values),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
