// racelens/detail/pipe_channel.hpp — whole messages over a pipe or socket (internal).
//
// A message is an 8-byte length followed by its bytes. Used by Process, the
// process pools and mp:: queues to move serialised values (serialize.hpp)
// between processes.
//
// WriteMessage(fd, bytes)  writes the whole message, retrying on EINTR and on
//   partial writes. Returns false when the reading end is gone (EPIPE; no
//   SIGPIPE is raised for sockets, and SIGPIPE is blocked for the call on
//   pipes) and throws RuntimeError on any other error.
// ReadMessage(fd)  reads one whole message; std::nullopt at end of file,
//   also when the writer died in the middle of a message. Throws
//   RuntimeError on a read error.
//
// Thread-safety: a message is written or read by one thread at a time per
// descriptor; callers that share a descriptor between threads or processes
// serialise the calls themselves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace racelens::detail {

bool WriteMessage(int fd, std::string_view bytes);
std::optional<std::string> ReadMessage(int fd);

}  // namespace racelens::detail
