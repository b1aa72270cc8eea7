// Fluent Python's flag downloaders (chapter "Concurrency with Futures"), ported: download the
// flags of the 20 most populous countries from a local HTTP server, one after another, with
// ThreadPoolExecutor.map, and with submit + as_completed.
//
//   flags [--variant sequential|threadpool|as_completed] [-s LOCAL|DELAY|ERROR] [-m N] [-l N]
//         [-a | -e | CC...] [-v] [--seed N] [--dest DIR]
//
// One namespace per Python module:
//   flags_py            flags.py: get_flag, show, download_many (sequential), main
//   flags_threadpool    flags_threadpool.py: download_one, download_many (executor.map)
//   flags2_threadpool   flags2_sequential.py's get_flag/download_one and flags2_threadpool.py's
//                       download_many (executor.submit + as_completed, a tqdm-like bar)
// flags2_common.py is samples/flags/flags2_common.{hpp,cpp}; see samples/flags/README.md for the
// server modes and the output. The program starts samples/flags_server (a separate process, so
// its threads are not racelens threads) and stops it before exiting.
//
// Differences from the Python forced by "every run exits 0": flags.py and flags_threadpool.py
// have no error handling; here a flag that fails (in ERROR mode) is reported on stderr as
// `*** Error for CD: HTTP 500 - Internal Server Error` and not counted.
#include <racelens/futures.hpp>

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <ranges>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "flags/flags2_common.hpp"
#include "flags/progress.hpp"
#include "flags/requests.hpp"
#include "flags/server_process.hpp"

namespace {

using flags::Counter;
using flags::HTTPStatus;
using flags::Result;
using flags::save_flag;
namespace requests = flags::requests;

// "http://127.0.0.1:<port>/flags", set once before any download.
std::string BASE_URL;

std::string error_message(const requests::HTTPError& exc) {
  return "HTTP " + std::to_string(exc.response().status_code) + " - " + exc.response().reason;
}

namespace flags_py {

std::string get_flag(const std::string& cc) {
  const std::string url = BASE_URL + "/" + flags::lower(cc) + "/" + flags::lower(cc) + ".gif";
  const requests::Response resp = requests::get(url);
  resp.raise_for_status();
  return resp.content;
}

void show(const std::string& text) {
  std::printf("%s ", text.c_str());
  std::fflush(stdout);
}

int download_many(const std::vector<std::string>& cc_list, int /*max_req*/) {
  std::vector<std::string> sorted = cc_list;
  std::sort(sorted.begin(), sorted.end());
  int count = 0;
  for (const std::string& cc : sorted) {
    std::string image;
    try {
      image = get_flag(cc);
    } catch (const requests::HTTPError& exc) {
      std::fprintf(stderr, "*** Error for %s: %s\n", cc.c_str(), error_message(exc).c_str());
      continue;
    }
    show(cc);
    save_flag(image, flags::lower(cc) + ".gif");
    ++count;
  }
  return count;
}

using Downloader = std::function<int(const std::vector<std::string>&, int)>;

int main(const Downloader& download_many, const std::vector<std::string>& cc_list, int max_req) {
  const auto t0 = std::chrono::steady_clock::now();
  const int count = download_many(cc_list, max_req);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("\n%d flags downloaded in %.2fs\n", count, elapsed);
  return 0;
}

}  // namespace flags_py

namespace flags_threadpool {

constexpr int MAX_WORKERS = 20;

// The code on success; empty when the flag failed (reported here, so that map() goes on).
std::string download_one(const std::string& cc) {
  std::string image;
  try {
    image = flags_py::get_flag(cc);
  } catch (const requests::HTTPError& exc) {
    std::fprintf(stderr, "*** Error for %s: %s\n", cc.c_str(), error_message(exc).c_str());
    return "";
  }
  flags_py::show(cc);
  save_flag(image, flags::lower(cc) + ".gif");
  return cc;
}

int download_many(const std::vector<std::string>& cc_list, int max_req) {
  const int workers = std::min<int>(max_req, static_cast<int>(cc_list.size()));
  std::vector<std::string> sorted = cc_list;
  std::sort(sorted.begin(), sorted.end());
  int count = 0;
  racelens::ThreadPoolExecutor executor(workers);
  auto res = executor.map(download_one, sorted);
  for (const std::string& cc : res) count += cc.empty() ? 0 : 1;
  return count;
}

}  // namespace flags_threadpool

namespace flags2_threadpool {

constexpr int DEFAULT_CONCUR_REQ = 30;
constexpr int MAX_CONCUR_REQ = 1000;

std::string get_flag(const std::string& base_url, const std::string& cc) {
  const std::string url = base_url + "/" + flags::lower(cc) + "/" + flags::lower(cc) + ".gif";
  const requests::Response resp = requests::get(url);
  if (resp.status_code != 200) resp.raise_for_status();
  return resp.content;
}

Result download_one(const std::string& cc, const std::string& base_url, bool verbose) {
  HTTPStatus status;
  std::string msg;
  try {
    const std::string image = get_flag(base_url, cc);
    save_flag(image, flags::lower(cc) + ".gif");
    status = HTTPStatus::ok;
    msg = "OK";
  } catch (const requests::HTTPError& exc) {
    if (exc.response().status_code != 404) throw;
    status = HTTPStatus::not_found;
    msg = "not found";
  }
  if (verbose) std::printf("%s %s\n", cc.c_str(), msg.c_str());
  return Result{status, cc};
}

Counter download_many(const std::vector<std::string>& cc_list, const std::string& base_url,
                      bool verbose, int concur_req) {
  Counter counter;
  racelens::ThreadPoolExecutor executor(concur_req);
  std::map<racelens::Future<Result>, std::string> to_do_map;
  std::vector<std::string> sorted = cc_list;
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& cc : sorted) {
    racelens::Future<Result> future = executor.submit(download_one, cc, base_url, verbose);
    to_do_map[future] = cc;
  }
  auto done_iter = flags::tqdm(racelens::as_completed(to_do_map | std::views::keys), cc_list.size(),
                               /*disable=*/verbose);
  for (const racelens::Future<Result>& future : done_iter) {
    HTTPStatus status = HTTPStatus::error;
    std::string error_msg;
    try {
      status = future.result().status;
    } catch (const requests::HTTPError& exc) {
      error_msg = error_message(exc);
    } catch (const requests::ConnectionError&) {
      error_msg = "Connection error";
    }
    if (!error_msg.empty()) status = HTTPStatus::error;
    counter[status] += 1;
    if (verbose && !error_msg.empty()) {
      std::printf("*** Error for %s: %s\n", to_do_map.at(future).c_str(), error_msg.c_str());
    }
  }
  return counter;
}

int main(const std::vector<std::string>& cc_list, const flags::Args& args,
         const std::string& base_url) {
  const int max_req = args.max_req > 0 ? args.max_req : DEFAULT_CONCUR_REQ;
  const int actual_req = std::min({max_req, MAX_CONCUR_REQ, static_cast<int>(cc_list.size())});
  flags::initial_report(cc_list, actual_req, args.server, base_url);
  const auto t0 = std::chrono::steady_clock::now();
  Counter counter = download_many(cc_list, base_url, args.verbose, actual_req);
  int total = 0;
  for (const auto& [status, count] : counter) total += count;
  if (total != static_cast<int>(cc_list.size())) {
    std::fprintf(stderr, "some downloads are unaccounted for\n");
    return 1;
  }
  flags::final_report(cc_list, counter, t0);
  return 0;
}

}  // namespace flags2_threadpool

// The downloads directory: a fresh temporary one, removed at exit, unless --dest names one.
class DownloadsDir {
 public:
  explicit DownloadsDir(const std::string& dest) : keep_(!dest.empty()) {
    if (keep_) {
      path_ = dest;
      std::filesystem::create_directories(path_);
      return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "flags-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = pattern;
  }
  DownloadsDir(const DownloadsDir&) = delete;
  DownloadsDir& operator=(const DownloadsDir&) = delete;
  ~DownloadsDir() {
    std::error_code ignored;
    if (!keep_) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  bool keep_;
  std::filesystem::path path_;
};

int run(const flags::ParsedArgs& parsed) {
  const flags::Args& args = parsed.args;
  const DownloadsDir downloads(args.dest);
  flags::DEST_DIR = downloads.path();
  flags::ServerProcess server(RACELENS_FLAGS_SERVER, RACELENS_FLAGS_IMAGES, args.server, args.seed);
  BASE_URL = "http://127.0.0.1:" + std::to_string(server.port()) + "/flags";

  if (args.variant == "sequential") {
    return flags_py::main(flags_py::download_many, parsed.cc_list, 1);
  }
  if (args.variant == "threadpool") {
    const int max_req = args.max_req > 0 ? args.max_req : flags_threadpool::MAX_WORKERS;
    return flags_py::main(flags_threadpool::download_many, parsed.cc_list, max_req);
  }
  return flags2_threadpool::main(parsed.cc_list, args, BASE_URL);
}

}  // namespace

int main(int argc, char** argv) {
  const std::variant<flags::ParsedArgs, int> parsed = flags::process_args(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  try {
    return run(std::get<flags::ParsedArgs>(parsed));
  } catch (const std::exception& exc) {
    std::fprintf(stderr, "flags: %s\n", exc.what());
    return 1;
  }
}
