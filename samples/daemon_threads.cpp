// Daemon and non-daemon threads at program exit (PyMOTW's threading_daemon.py):
//
//   def daemon():
//       logging.debug('Starting')
//       time.sleep(0.2)
//       logging.debug('Exiting')
//   def non_daemon():
//       logging.debug('Starting')
//       logging.debug('Exiting')
//   d = threading.Thread(name='daemon', target=daemon, daemon=True)
//   t = threading.Thread(name='non-daemon', target=non_daemon)
//   d.start()
//   t.start()
//
// The program ends once the non-daemon thread is done; the daemon is still
// asleep, so its "Exiting" never appears.
#include <racelens/threading.hpp>

#include <cstdio>
#include <mutex>
#include <string>

namespace {

racelens::Lock log_lock{"log_lock"};  // logging's handler lock

void debug(const char* message) {
  std::lock_guard with(log_lock);
  std::printf("(%-10s) %s\n", racelens::current_thread().name().c_str(), message);
  std::fflush(stdout);
}

void daemon() {
  debug("Starting");
  racelens::sleep(2);
  debug("Exiting");
}

void non_daemon() {
  debug("Starting");
  debug("Exiting");
}

}  // namespace

int main() {
  // A lambda: a plain `daemon` would also name POSIX daemon(3).
  racelens::Thread d(racelens::ThreadOptions{.name = "daemon", .daemon = true}, [] { daemon(); });
  racelens::Thread t(racelens::ThreadOptions{.name = "non-daemon"}, non_daemon);
  d.start();
  t.start();
}
