/* The optimize command's signals (recorder.h): the handlers, the flag they set and the exit
 * status of a run they stopped. */
#include "regimen/recorder.h"

#include <signal.h>
#include <string.h>

/* The only process-wide mutable state of regimen: a signal handler can reach nothing else
 * (C11 7.14.1.1: a handler may only write a volatile sig_atomic_t). */
static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig)
{
    stop_signal = sig;
}

void rg_recorder_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

int rg_recorder_signal(void)
{
    return (int)stop_signal;
}

const volatile sig_atomic_t *rg_recorder_signal_flag(void)
{
    return &stop_signal;
}

int rg_recorder_exit_status(void)
{
    return 128 + (stop_signal ? (int)stop_signal : SIGTERM);
}
