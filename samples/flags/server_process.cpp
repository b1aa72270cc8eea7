#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace flags {

namespace {

// One line from `fd`, without the newline; stops at end of file.
std::string ReadLine(int fd) {
  std::string line;
  char c = 0;
  while (true) {
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    line.push_back(c);
  }
  return line;
}

}  // namespace

ServerProcess::ServerProcess(const std::string& server_exe, const std::string& flags_dir,
                             const std::string& mode, unsigned seed) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  const std::string seed_text = std::to_string(seed);
  std::vector<std::string> args = {server_exe, flags_dir, "--mode", mode, "--seed", seed_text};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const int spawned =
      posix_spawn(&pid_, server_exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    pid_ = -1;
    throw std::runtime_error("cannot start " + server_exe + ": " + std::strerror(spawned));
  }
  const std::string line = ReadLine(out[0]);
  close(out[0]);
  try {
    std::size_t used = 0;
    port_ = std::stoi(line, &used);
    if (used != line.size() || port_ <= 0) throw std::invalid_argument(line);
  } catch (const std::exception&) {
    stop();
    throw std::runtime_error(server_exe + " did not print its port (got '" + line + "')");
  }
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace flags
