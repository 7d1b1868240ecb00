#include "tests/support/spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mcpl::test {

spawn_result run_process(const spawn_options& opts) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
    throw std::runtime_error("pipe2 failed");
  std::vector<std::string> envs;
  for (const auto& [k, v] : opts.env) envs.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (const auto& a : opts.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : envs) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  sigset_t mask;
  sigemptyset(&mask);
  for (int s : opts.blocked_signals) sigaddset(&mask, s);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {  // only async-signal-safe calls from here on
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int s : opts.ignored_signals) {
      struct sigaction sa {};
      sa.sa_handler = SIG_IGN;
      sigaction(s, &sa, nullptr);
    }
    sigprocmask(SIG_SETMASK, &mask, nullptr);
    if (!opts.cwd.empty() && chdir(opts.cwd.c_str()) != 0) _exit(250);
    if (opts.uid >= 0 && (setgid(opts.uid) != 0 || setuid(opts.uid) != 0)) _exit(249);
    execve(argv[0], argv.data(), envp.data());
    _exit(251);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  std::size_t written = 0;
  if (opts.stdin_text.empty()) close(in[1]);
  spawn_result r;
  r.pid = pid;
  pollfd fds[3] = {
      {out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {opts.stdin_text.empty() ? -1 : in[1], POLLOUT, 0}};
  int open_reads = 2;
  while (open_reads > 0) {
    if (poll(fds, 3, 60'000) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_reads;
      } else {
        (i == 0 ? r.out : r.err).append(buf, n);
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n =
          write(fds[2].fd, opts.stdin_text.data() + written, opts.stdin_text.size() - written);
      if (n > 0) written += n;
      if (n <= 0 || written == opts.stdin_text.size()) {
        close(fds[2].fd);
        fds[2].fd = -1;
      }
    }
  }
  if (fds[2].fd >= 0) close(fds[2].fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  return r;
}

std::string launcher_path() { return MCPL_BINARY; }

spawn_result run_launcher(std::vector<std::string> args, std::map<std::string, std::string> env) {
  args.insert(args.begin(), launcher_path());
  return run_process({.argv = std::move(args), .env = std::move(env)});
}

std::map<std::string, std::string> base_env(std::map<std::string, std::string> extra) {
  std::map<std::string, std::string> env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
                                            {"HOME", "/nonexistent-home"}};
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

temp_dir::temp_dir() {
  std::string tmpl = std::filesystem::temp_directory_path() / "mcpl-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string temp_dir::write(const std::string& name, const std::string& content, int mode) const {
  std::string p = path_ + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << content;
  chmod(p.c_str(), mode);
  return p;
}

}  // namespace mcpl::test
