/* A checkpoint read as results (rg_checkpoint_fill_front): its archive is the current front,
 * so `export --what front` of the checkpoint written after generation 2 equals, byte for
 * byte, the front of the same run stopped after 2 generations; info and show read it too. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "rg_test.h"
#include "rg_test_util.h"

static void front_of(const char *problem)
{
    const char *R = RG_REGIMEN_EXE;
    /* 4 generations with a checkpoint every 2: the checkpoint left holds generation 2 */
    assert_int_equal(
        run_sh("cd '%s' && '%s' optimize '%s' --generations 4 --population 16 --quiet "
               "--out long.h5 --checkpoint ck.h5 --checkpoint-every 2 --force && "
               "'%s' optimize '%s' --generations 2 --population 16 --quiet "
               "--out short.h5 --front short.csv --force",
               tmp_dir, R, problem, R, problem),
        0);
    assert_int_equal(
        run_sh("cd '%s' && '%s' info ck.h5 | grep -q 'generations:  2,'", tmp_dir, R), 0);
    assert_int_equal(run_sh("cd '%s' && '%s' export ck.h5 --what front -o ck.csv --force && "
                            "cmp ck.csv short.csv",
                            tmp_dir, R),
                     0);
    assert_int_equal(
        run_sh("cd '%s' && test $(wc -l < ck.csv) -gt 1 && '%s' show ck.h5 --member 0 "
               "| grep -q '^objectives:'",
               tmp_dir, R),
        0);
}

static void test_tumour_checkpoint_front(void **state)
{
    (void)state;
    front_of(RG_SOURCE_DIR "/problems/default.cfg");
    /* the trajectories of the checkpoint's members, with the problem's names */
    assert_int_equal(run_sh("cd '%s' && '%s' export ck.h5 --what trajectories | head -1 | "
                            "grep -q '^source,t,on_protocol,burden,resistant,clone_sensitive,'",
                            tmp_dir, RG_REGIMEN_EXE),
                     0);
}

static void test_benchmark_checkpoint_front(void **state)
{
    (void)state;
    front_of(RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg");
}

/* A cohort read from a table: the checkpoint stores the resolved patients, so with the table
 * elsewhere its front (doses re-simulated on the stored patients) equals the front of the
 * same run stopped there; resuming it after the table changed is refused (exit 2). */
static void test_table_cohort_checkpoint_front(void **state)
{
    (void)state;
    const char *R = RG_REGIMEN_EXE;
    assert_int_equal(
        run_sh(
            "cd '%s' && mkdir -p prob ck && printf 'name,clones.s.growth_rate\nA,0.1\nB,0.2\n' "
            "> prob/pts.csv && printf '%%s\n' 'horizon_days = 70.0; decision_days = 7.0;' "
            "'carrying_capacity = 1e9;' "
            "'drugs = ( { name = \"d\"; half_life_days = 1.0; emax = 0.5; } );' "
            "'clones = ( { name = \"s\"; cells = 1e6; growth_rate = 0.1; },' "
            "'  { name = \"r\"; cells = 1e3; growth_rate = 0.05; resistant = true; } );' "
            "'cohort = { table = \"pts.csv\"; };' > prob/c.cfg",
            tmp_dir),
        0);
    assert_int_equal(
        run_sh("cd '%s' && '%s' optimize prob/c.cfg --generations 4 --population 8 "
               "--quiet --out ck/c.h5 --checkpoint ck/c.ck.h5 --checkpoint-every 2 --force && "
               "'%s' optimize prob/c.cfg --generations 2 --population 8 --quiet "
               "--out ck/short.h5 --front ck/short.csv --force",
               tmp_dir, R, R),
        0);
    assert_int_equal(run_sh("cd '%s' && '%s' info ck/c.ck.h5 | grep -q 'generations:  2,' && "
                            "'%s' export ck/c.ck.h5 --what front -o ck/f.csv --force && "
                            "cmp ck/f.csv ck/short.csv && ! grep -q nan ck/f.csv",
                            tmp_dir, R, R),
                     0);
    assert_int_equal(run_sh("cd '%s' && sed -i 's/^B,0.2$/B,0.25/' prob/pts.csv && "
                            "'%s' optimize prob/c.cfg --generations 6 --population 8 --quiet "
                            "--out ck/c2.h5 --resume ck/c.ck.h5 --checkpoint ck/c.ck.h5 "
                            "2> ck/resume.err",
                            tmp_dir, R),
                     2);
    assert_int_equal(run_sh("cd '%s' && grep -q \"cohort's patients differ\" ck/resume.err && "
                            "test ! -e ck/c2.h5",
                            tmp_dir),
                     0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tumour_checkpoint_front),
        cmocka_unit_test(test_benchmark_checkpoint_front),
        cmocka_unit_test(test_table_cohort_checkpoint_front),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
