// tests/support/processes.hpp — helpers for tests of worker processes.
//
// Pipe: a pipe both ends of which a forked worker inherits; tasks get its
//   descriptors as arguments (ints cross a process boundary), so a test can
//   learn that a task started (a handshake) and let it go on, without sleeps.
// SharedCounters: counters in MAP_SHARED memory, mapped before the workers
//   fork, so a task can count its runs where the parent sees them.
// ExpectNoChildren(): the test process has no child left, zombie or alive.
// IsGone(pid): no process has that id any more (killed and reaped).
#pragma once

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include <gtest/gtest.h>

namespace racelens::testing {

class Pipe {
 public:
  Pipe() {
    if (::pipe(fds_) != 0) throw std::runtime_error("pipe() failed");
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_read();
    close_write();
  }
  int read_fd() const { return fds_[0]; }
  int write_fd() const { return fds_[1]; }
  void close_read() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    fds_[0] = -1;
  }
  void close_write() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    fds_[1] = -1;
  }

  // One value written by Send (in any process), or false at end of file.
  template <class T>
  static bool Receive(int fd, T& value) {
    std::size_t done = 0;
    auto* out = reinterpret_cast<char*>(&value);
    while (done < sizeof value) {
      const ssize_t n = ::read(fd, out + done, sizeof value - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    return true;
  }
  template <class T>
  static void Send(int fd, const T& value) {
    std::size_t done = 0;
    const auto* in = reinterpret_cast<const char*>(&value);
    while (done < sizeof value) {
      const ssize_t n = ::write(fd, in + done, sizeof value - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  int fds_[2] = {-1, -1};
};

class SharedCounters {
 public:
  explicit SharedCounters(std::size_t count) : count_(count) {
    void* memory =
        ::mmap(nullptr, bytes(), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::runtime_error("mmap() failed");
    counters_ = static_cast<std::atomic<int>*>(memory);  // zero-filled: every counter is 0
  }
  SharedCounters(const SharedCounters&) = delete;
  SharedCounters& operator=(const SharedCounters&) = delete;
  ~SharedCounters() { ::munmap(counters_, bytes()); }

  // The address, as a task argument: the same in a forked worker.
  std::uintptr_t address() const { return reinterpret_cast<std::uintptr_t>(counters_); }
  int operator[](std::size_t i) const { return counters_[i].load(); }
  static void Increment(std::uintptr_t address, std::size_t i) {
    reinterpret_cast<std::atomic<int>*>(address)[i].fetch_add(1);
  }

 private:
  std::size_t bytes() const { return count_ * sizeof(std::atomic<int>); }
  std::size_t count_;
  std::atomic<int>* counters_ = nullptr;
};

inline void ExpectNoChildren() {
  int status = 0;
  errno = 0;
  const pid_t pid = ::waitpid(-1, &status, WNOHANG);
  EXPECT_EQ(pid, -1) << "a child process is left (pid " << pid << ")";
  EXPECT_EQ(errno, ECHILD);
}

inline bool IsGone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace racelens::testing
