// A child for the supervise tests: it prints "ready PID", then one line "sig N" for every
// signal it receives (all blocked and read with sigwaitinfo, so none is lost or merged with
// its own handling), and exits 0 on the signal --exit-on names (default SIGTERM).
// --orphans N first leaves N grandchildren orphaned, each exiting after a moment and never
// reaped by this process: the zombies are for its init to reap.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  int exit_on = SIGTERM;
  int orphans = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--exit-on") == 0) exit_on = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--orphans") == 0) orphans = std::atoi(argv[i + 1]);
  }
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, nullptr);
  for (int i = 0; i < orphans; ++i) {
    pid_t middle = fork();
    if (middle == 0) {
      if (fork() == 0) {
        usleep(300 * 1000);
        _exit(0);
      }
      _exit(0);  // the grandchild is now an orphan
    }
    waitpid(middle, nullptr, 0);
  }
  std::printf("ready %d\n", static_cast<int>(getpid()));
  std::fflush(stdout);
  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&all, &info);
    if (sig < 0) continue;
    if (sig == SIGCHLD) continue;
    std::printf("sig %d\n", sig);
    std::fflush(stdout);
    if (sig == exit_on) return 0;
  }
}
