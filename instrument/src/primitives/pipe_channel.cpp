// Whole messages over a pipe or socket: an 8-byte length, then the bytes.
#include "racelens/detail/pipe_channel.hpp"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "racelens/errors.hpp"

namespace racelens::detail {
namespace {

[[noreturn]] void ThrowErrno(const char* what) {
  throw RuntimeError(std::string("racelens: ") + what + " failed: " + std::strerror(errno) + ".");
}

// Writes some bytes without raising SIGPIPE: send(MSG_NOSIGNAL) on sockets;
// on pipes, SIGPIPE is blocked for the call and a pending one is consumed.
ssize_t WriteSome(int fd, const char* data, std::size_t size) {
  const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
  if (sent >= 0 || errno != ENOTSOCK) return sent;
  sigset_t pipe_only, previous;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_only, &previous);
  const ssize_t written = ::write(fd, data, size);
  const int saved = errno;
  if (written < 0 && saved == EPIPE && !was_pending) {
    const timespec zero{};
    while (sigtimedwait(&pipe_only, nullptr, &zero) == -1 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = saved;
  return written;
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = WriteSome(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE || errno == ECONNRESET) return false;
      ThrowErrno("writing a message to another process");
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

// Reads exactly `size` bytes; false at end of file.
bool ReadAll(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::read(fd, data, size);
    if (got < 0) {
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) return false;
      ThrowErrno("reading a message from another process");
    }
    if (got == 0) return false;
    data += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

}  // namespace

bool WriteMessage(int fd, std::string_view bytes) {
  const std::uint64_t size = bytes.size();
  // One write for small messages, so that a message up to PIPE_BUF is atomic on a pipe.
  if (bytes.size() <= 4096 - sizeof size) {
    char frame[4096];
    std::memcpy(frame, &size, sizeof size);
    if (!bytes.empty()) std::memcpy(frame + sizeof size, bytes.data(), bytes.size());
    return WriteAll(fd, frame, sizeof size + bytes.size());
  }
  return WriteAll(fd, reinterpret_cast<const char*>(&size), sizeof size) &&
         WriteAll(fd, bytes.data(), bytes.size());
}

std::optional<std::string> ReadMessage(int fd) {
  std::uint64_t size = 0;
  if (!ReadAll(fd, reinterpret_cast<char*>(&size), sizeof size)) return std::nullopt;
  if (size > (std::uint64_t{1} << 40)) {
    throw RuntimeError(
        "racelens: a message from another process claims more than 1 TiB; the "
        "channel is corrupt.");
  }
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!ReadAll(fd, bytes.data(), bytes.size())) return std::nullopt;
  return bytes;
}

}  // namespace racelens::detail
