// Runs a real process for the platform and end-to-end tests: arguments, environment,
// stdin text, and the signal state it starts with; collects stdout, stderr and the status.
#pragma once

#include <signal.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcpl::test {

struct spawn_options {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  ///< the whole environment of the process
  std::string stdin_text;
  std::vector<int> blocked_signals;  ///< blocked in the started process
  std::vector<int> ignored_signals;  ///< set to SIG_IGN in the started process
  std::string cwd;
  int uid = -1;  ///< when >= 0, setgid/setuid to it (needs root)
};

struct spawn_result {
  int exit_code = -1;   ///< when it exited
  int term_signal = 0;  ///< when a signal ended it
  int pid = 0;
  std::string out;
  std::string err;
};

spawn_result run_process(const spawn_options& opts);

/// The path of the built launcher (MCPL_BINARY, set by CMake).
std::string launcher_path();

/// A minimal environment for a test: PATH and HOME only, plus `extra`.
std::map<std::string, std::string> base_env(std::map<std::string, std::string> extra = {});

/// Runs the built launcher with `args` in `env`.
spawn_result run_launcher(std::vector<std::string> args,
                          std::map<std::string, std::string> env = base_env());

/// A fresh private directory, removed by the destructor.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::string& path() const { return path_; }
  /// Writes `content` to `name` inside the directory with `mode`; returns the full path.
  std::string write(const std::string& name, const std::string& content, int mode = 0600) const;

 private:
  std::string path_;
};

}  // namespace mcpl::test
