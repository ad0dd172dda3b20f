/* The parallel layer's start-up and communicators (parallel.h), in either build: with MPI
 * (RG_HAVE_MPI, from tests/test_parallel.cmake) a singleton MPI job of one rank, without it
 * the serial implementation, which refuses to start under an MPI launcher. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/parallel.h"
#include "regimen/status.h"

static void test_no_communicator(void **state)
{
    (void)state;
    assert_int_equal(rg_parallel_rank(NULL), 0);
    assert_int_equal(rg_parallel_size(NULL), 1);
    rg_parallel_comm_free(NULL);
}

static void test_launcher_environment(void **state)
{
    (void)state;
    const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"};
    for (size_t i = 0; i < 4; i++)
        unsetenv(vars[i]);
    assert_int_equal(rg_parallel_launched(), 0);
    for (size_t i = 0; i < 4; i++) {
        setenv(vars[i], "3", 1);
        assert_int_equal(rg_parallel_launched(), 1);
        unsetenv(vars[i]);
    }
}

static void test_version(void **state)
{
    (void)state;
    char buf[32], tiny[4];
    assert_ptr_equal(rg_parallel_version(buf, sizeof buf), buf);
#ifdef RG_HAVE_MPI
    assert_int_equal(strncmp(buf, "MPI ", 4), 0);
    assert_true(strlen(buf) >= 7); /* "MPI 3.1" */
#else
    assert_string_equal(buf, "no MPI");
#endif
    rg_parallel_version(tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), 3);
}

/* Start-up, the world and shutdown. Without MPI, a launcher's environment is refused first
 * (every process would run the whole job alone). */
static void test_world(void **state)
{
    (void)state;
    int argc = 1;
    char *args[] = {"test_parallel", NULL}, **argv = args;
#ifndef RG_HAVE_MPI
    setenv("PMI_SIZE", "2", 1);
    assert_int_equal(rg_parallel_init(&argc, &argv), RG_EMPI);
    unsetenv("PMI_SIZE");
#endif
    assert_int_equal(rg_parallel_init(&argc, &argv), RG_OK);
    rg_comm *world = NULL;
    assert_int_equal(rg_parallel_world(&world), RG_OK);
    assert_non_null(world);
    assert_int_equal(rg_parallel_size(world), 1);
    assert_int_equal(rg_parallel_rank(world), 0);
    rg_parallel_comm_free(world);
    rg_parallel_finalize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_communicator),
        cmocka_unit_test(test_launcher_environment),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_world),
    };
    return cmocka_run_group_tests_name("parallel", tests, NULL, NULL);
}
