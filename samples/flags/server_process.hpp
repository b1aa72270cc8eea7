// samples/flags/server_process.hpp — the local flag site, run as a child process.
//
// Defines:
//   ServerProcess   starts flags_server with posix_spawn, reads the port it prints, and stops it
//
// ServerProcess(server_exe, flags_dir, mode, seed)
//   Spawns `server_exe flags_dir --mode mode --seed seed` with its stdout on a pipe and waits for
//   the port line. Throws std::runtime_error when the program cannot be started or exits without
//   printing a port.
// port()       the TCP port on 127.0.0.1
// stop()       SIGTERM, then waits for the child; also done by the destructor. Idempotent.
//
// The server is a separate process so that its threads (cpp-httplib's std::threads) are not
// threads of the program under racelens. Not thread-safe: one thread owns the object.
#pragma once

#include <sys/types.h>

#include <string>

namespace flags {

class ServerProcess {
 public:
  ServerProcess(const std::string& server_exe, const std::string& flags_dir,
                const std::string& mode, unsigned seed);
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();

  int port() const { return port_; }
  void stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace flags
