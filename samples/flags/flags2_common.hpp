// samples/flags/flags2_common.hpp — flags2_common.py: what the flag downloaders share.
//
// Defines:
//   Result, HTTPStatus, Counter    flags2's namedtuple, Enum and collections.Counter of statuses
//   SERVERS, DEFAULT_SERVER        the sites by label; LOCAL/DELAY/ERROR are the local server
//   DEST_DIR, save_flag            where the downloaded images go
//   Args, process_args             flags2's command line (argparse there, CLI11 here)
//   expand_cc_args, initial_report, final_report
//
// process_args() parses the flags2 command line plus this port's options (--variant, --seed,
// --dest); a bad argument prints "*** Usage error: ..." (or CLI11's message) and the usage on
// stderr and yields exit status 2, --help yields 0.
//
// Thread-safety: DEST_DIR is set once before any download starts, then only read; save_flag
// may be called from any thread (each call writes its own file).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace flags {

enum class HTTPStatus { ok, not_found, error };

struct Result {
  HTTPStatus status;
  std::string data;
};

// collections.Counter: a missing key counts 0.
using Counter = std::map<HTTPStatus, int>;

inline const std::map<std::string, std::string> SERVERS = {
    {"REMOTE", "http://flupy.org/data/flags"},
    {"LOCAL", "http://127.0.0.1:<port>/flags"},
    {"DELAY", "http://127.0.0.1:<port>/flags"},
    {"ERROR", "http://127.0.0.1:<port>/flags"},
};
inline const std::string DEFAULT_SERVER = "LOCAL";

extern std::filesystem::path DEST_DIR;

void save_flag(const std::string& img, const std::string& filename);

struct Args {
  std::vector<std::string> cc;
  bool all = false;
  bool every = false;
  std::size_t limit = 0;  // 0: no limit
  int max_req = 0;        // 0: the variant's default
  std::string server = DEFAULT_SERVER;
  bool verbose = false;
  std::string variant = "as_completed";
  unsigned seed = 0;
  std::string dest;  // empty: a temporary directory, removed at exit
};

struct ParsedArgs {
  Args args;
  std::vector<std::string> cc_list;
};

// The parsed command line, or the exit status to end with (0 after --help, 2 on a usage error).
std::variant<ParsedArgs, int> process_args(int argc, char** argv);

// Sorted, de-duplicated codes for the arguments, at most `limit` (0: all). Throws
// std::invalid_argument("*** Usage error: ...") for an argument that is not A-Z or AA-ZZ.
std::vector<std::string> expand_cc_args(bool every_cc, bool all_cc,
                                        const std::vector<std::string>& cc_args, std::size_t limit);

void initial_report(const std::vector<std::string>& cc_list, int actual_req,
                    const std::string& server_label, const std::string& base_url);

void final_report(const std::vector<std::string>& cc_list, Counter& counter,
                  std::chrono::steady_clock::time_point start_time);

// cc.lower(); the server's paths and the saved files use lower-case codes.
std::string lower(std::string text);

}  // namespace flags
