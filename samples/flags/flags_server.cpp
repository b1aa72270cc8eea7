// flags_server: the local flag site of Fluent Python's flags2 examples (the book ran nginx on
// port 8001 for LOCAL and Vaurien proxies in front of it for DELAY and ERROR).
//
//   flags_server FLAGS_DIR [--mode LOCAL|DELAY|ERROR] [--seed N]
//
// Serves FLAGS_DIR/<cc>/<cc>.gif at /flags/<cc>/<cc>.gif on 127.0.0.1, on a port the system
// picks, and prints that port on stdout (one line). It runs until SIGTERM (the flags program
// sends it when done) or until its parent dies (PR_SET_PDEATHSIG), so no server outlives a run.
//
// Modes; every choice is a function of the seed and the requested path, so a run is
// reproducible whatever the order and concurrency of the requests:
//   LOCAL   answers at once
//   DELAY   waits 100 to 500 ms before each answer
//   ERROR   answers about a quarter of the flags with "500 Internal Server Error" and about an
//           eighth with "404 Not Found" (the rest normally); see README.md for which ones
//
// This program does not use racelens: its threads are cpp-httplib's own std::threads, in a
// process of their own, so that they are not part of the flags program under test.
#include <httplib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace {

enum class Mode { kLocal, kDelay, kError };

struct Options {
  std::filesystem::path flags_dir;
  Mode mode = Mode::kLocal;
  std::uint32_t seed = 0;
};

std::uint32_t Fnv1a(std::uint32_t seed, std::string_view salt, std::string_view text) {
  std::uint32_t h = 2166136261u ^ seed;
  for (const std::string_view part : {salt, text}) {
    for (const char c : part) {
      h ^= static_cast<std::uint8_t>(c);
      h *= 16777619u;
    }
  }
  return h;
}

std::optional<Options> ParseArgs(int argc, char** argv) {
  Options options;
  bool have_dir = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--mode" && i + 1 < argc) {
      const std::string_view mode = argv[++i];
      if (mode == "LOCAL") {
        options.mode = Mode::kLocal;
      } else if (mode == "DELAY") {
        options.mode = Mode::kDelay;
      } else if (mode == "ERROR") {
        options.mode = Mode::kError;
      } else {
        return std::nullopt;
      }
    } else if (arg == "--seed" && i + 1 < argc) {
      char* end = nullptr;
      const unsigned long seed = std::strtoul(argv[++i], &end, 10);
      if (*end != '\0') return std::nullopt;
      options.seed = static_cast<std::uint32_t>(seed);
    } else if (!have_dir && !arg.starts_with("-")) {
      options.flags_dir = arg;
      have_dir = true;
    } else {
      return std::nullopt;
    }
  }
  if (!have_dir) return std::nullopt;
  return options;
}

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// /flags/<cc>/<cc>.gif for the same two lower-case letters twice.
std::optional<std::string> FlagCode(const httplib::Request& req) {
  const std::string cc = req.matches[1];
  if (cc != std::string(req.matches[2])) return std::nullopt;
  return cc;
}

void ServeFlag(const Options& options, const httplib::Request& req, httplib::Response& res) {
  const std::optional<std::string> cc = FlagCode(req);
  if (!cc) {
    res.status = 404;
    return;
  }
  if (options.mode == Mode::kDelay) {
    const auto ms = 100 + Fnv1a(options.seed, "delay", *cc) % 401;
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }
  if (options.mode == Mode::kError) {
    const auto draw = Fnv1a(options.seed, "error", *cc) % 8;
    if (draw < 2) {
      res.status = 500;
      res.set_content("Internal Server Error\n", "text/plain");
      return;
    }
    if (draw == 2) {
      res.status = 404;
      res.set_content("Not Found\n", "text/plain");
      return;
    }
  }
  const std::optional<std::string> image = ReadFile(options.flags_dir / *cc / (*cc + ".gif"));
  if (!image) {
    res.status = 404;
    res.set_content("Not Found\n", "text/plain");
    return;
  }
  res.set_content(*image, "image/gif");
}

}  // namespace

int main(int argc, char** argv) {
  // Die with the parent; if it is gone already, do not serve at all.
  const pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) return 1;

  const std::optional<Options> options = ParseArgs(argc, argv);
  if (!options) {
    std::fprintf(stderr, "usage: flags_server FLAGS_DIR [--mode LOCAL|DELAY|ERROR] [--seed N]\n");
    return 2;
  }
  if (!std::filesystem::is_directory(options->flags_dir)) {
    std::fprintf(stderr, "flags_server: %s is not a directory\n", options->flags_dir.c_str());
    return 2;
  }

  httplib::Server server;
  // Enough threads that a DELAY run with the flags program's 30 concurrent requests waits for
  // the delays, not for a free server thread.
  server.new_task_queue = [] { return new httplib::ThreadPool(64); };
  server.Get(R"(/flags/([a-z]{2})/([a-z]{2})\.gif)",
             [&options](const httplib::Request& req, httplib::Response& res) {
               ServeFlag(*options, req, res);
             });

  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "flags_server: cannot bind a port on 127.0.0.1\n");
    return 1;
  }
  std::printf("%d\n", port);
  std::fflush(stdout);

  return server.listen_after_bind() ? 0 : 1;
}
