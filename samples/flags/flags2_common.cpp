#include "flags2_common.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "country_codes.hpp"

namespace flags {

std::filesystem::path DEST_DIR = "downloads";

namespace {

constexpr std::string_view A_Z = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

bool all_letters(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return A_Z.find(c) != std::string_view::npos; });
}

std::string server_options() {
  std::string options;
  for (const auto& [label, url] : SERVERS) options += (options.empty() ? "" : ", ") + label;
  return options;
}

int usage_error(const CLI::App& app, const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fprintf(stderr, "Usage: %s [OPTIONS] [CC...]\nRun with --help for more information.\n",
               app.get_name().c_str());
  return 2;
}

}  // namespace

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void save_flag(const std::string& img, const std::string& filename) {
  const std::filesystem::path path = DEST_DIR / filename;
  std::ofstream fp(path, std::ios::binary);
  fp.write(img.data(), static_cast<std::streamsize>(img.size()));
  if (!fp) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> expand_cc_args(bool every_cc, bool all_cc,
                                        const std::vector<std::string>& cc_args,
                                        std::size_t limit) {
  std::set<std::string> codes;
  if (every_cc) {
    for (const char a : A_Z) {
      for (const char b : A_Z) codes.insert(std::string{a, b});
    }
  } else if (all_cc) {
    codes.insert(ALL_CC.begin(), ALL_CC.end());
  } else {
    for (const std::string& arg : cc_args) {
      const std::string cc = upper(arg);
      if (cc.size() == 1 && all_letters(cc)) {
        for (const char c : A_Z) codes.insert(cc + c);
      } else if (cc.size() == 2 && all_letters(cc)) {
        codes.insert(cc);
      } else {
        throw std::invalid_argument(
            "*** Usage error: each CC argument must be A to Z or AA to ZZ.");
      }
    }
  }
  std::vector<std::string> sorted(codes.begin(), codes.end());
  if (limit > 0 && sorted.size() > limit) sorted.resize(limit);
  return sorted;
}

std::variant<ParsedArgs, int> process_args(int argc, char** argv) {
  Args args;
  CLI::App app{
      "Download flags for country codes. Default: top 20 countries by population.\n"
      "The flags come from a local server (samples/flags_server) that this program starts.",
      "flags"};
  app.add_option("cc", args.cc, "country code or 1st letter (eg. B for BA...BZ)")->type_name("CC");
  app.add_flag("-a,--all", args.all, "get all available flags (AD to ZW)");
  app.add_flag("-e,--every", args.every, "get flags for every possible code (AA...ZZ)");
  app.add_option("-l,--limit", args.limit, "limit to N first codes")->type_name("N");
  app.add_option("-m,--max_req", args.max_req,
                 "maximum concurrent requests (default: 1 for sequential, 20 for threadpool, "
                 "30 for as_completed)")
      ->type_name("CONCURRENT");
  app.add_option("-s,--server", args.server,
                 "Server to hit; one of " + server_options() + " (default=" + DEFAULT_SERVER + ")")
      ->type_name("LABEL");
  app.add_flag("-v,--verbose", args.verbose, "output detailed progress info");
  app.add_option("--variant", args.variant,
                 "sequential (flags.py), threadpool (flags_threadpool.py: executor.map) or "
                 "as_completed (flags2_threadpool.py: submit + as_completed; the default)")
      ->check(CLI::IsMember({"sequential", "threadpool", "as_completed"}));
  app.add_option("--seed", args.seed,
                 "seed of the server's DELAY delays and ERROR answers (default 0)");
  app.add_option("--dest", args.dest,
                 "save the flags in DIR and keep them (default: a temporary directory, removed "
                 "at exit)")
      ->type_name("DIR");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  const bool max_req_given = app.count("--max_req") > 0;
  if (max_req_given && args.max_req < 1) {
    return usage_error(app, "*** Usage error: --max_req CONCURRENT must be >= 1");
  }
  if (app.count("--limit") > 0 && args.limit < 1) {
    return usage_error(app, "*** Usage error: --limit N must be >= 1");
  }
  args.server = upper(args.server);
  if (!SERVERS.contains(args.server)) {
    return usage_error(app, "*** Usage error: --server LABEL must be one of " + server_options());
  }
  if (args.server == "REMOTE") {
    return usage_error(app, "*** Usage error: the REMOTE site (" + SERVERS.at("REMOTE") +
                                ") is not available: this sample never leaves 127.0.0.1; use "
                                "LOCAL, DELAY or ERROR");
  }
  ParsedArgs parsed;
  try {
    parsed.cc_list = expand_cc_args(args.every, args.all, args.cc, args.limit);
  } catch (const std::invalid_argument& exc) {
    return usage_error(app, exc.what());
  }
  if (parsed.cc_list.empty()) {
    // flags2_common.py, 2nd edition: sorted(POP20_CC)[:args.limit]
    parsed.cc_list.assign(POP20_CC.begin(), POP20_CC.end());
    std::sort(parsed.cc_list.begin(), parsed.cc_list.end());
    if (args.limit > 0 && parsed.cc_list.size() > args.limit) parsed.cc_list.resize(args.limit);
  }
  parsed.args = std::move(args);
  return parsed;
}

void initial_report(const std::vector<std::string>& cc_list, int actual_req,
                    const std::string& server_label, const std::string& base_url) {
  std::string cc_msg;
  if (cc_list.size() <= 10) {
    for (const std::string& cc : cc_list) cc_msg += (cc_msg.empty() ? "" : ", ") + cc;
  } else {
    cc_msg = "from " + cc_list.front() + " to " + cc_list.back();
  }
  std::printf("%s site: %s\n", server_label.c_str(), base_url.c_str());
  std::printf("Searching for %zu flag%s: %s\n", cc_list.size(), cc_list.size() != 1 ? "s" : "",
              cc_msg.c_str());
  std::printf("%d concurrent connection%s will be used.\n", actual_req, actual_req != 1 ? "s" : "");
  std::fflush(stdout);
}

// Takes cc_list, unused, as flags2_common.py's does.
void final_report(const std::vector<std::string>& /*cc_list*/, Counter& counter,
                  std::chrono::steady_clock::time_point start_time) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  std::printf("--------------------\n");
  const int ok = counter[HTTPStatus::ok];
  std::printf("%d flag%s downloaded.\n", ok, ok != 1 ? "s" : "");
  if (counter[HTTPStatus::not_found])
    std::printf("%d not found.\n", counter[HTTPStatus::not_found]);
  if (const int errors = counter[HTTPStatus::error]) {
    std::printf("%d error%s.\n", errors, errors != 1 ? "s" : "");
  }
  std::printf("Elapsed time: %.2fs\n", elapsed);
  std::fflush(stdout);
}

}  // namespace flags
