#include "check_sarif.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#ifndef RACELENS_VERSION
#error "RACELENS_VERSION must be defined by the build (cli/CMakeLists.txt)"
#endif

namespace racelens::cli {
namespace {

using Json = nlohmann::ordered_json;

struct Rule {
  const char* id;
  const char* name;
  const char* description;
};

constexpr std::array<Rule, 8> kRules{{
    {"racelens-unguarded-shared-write", "UnguardedSharedWrite",
     "A write to state several threads can reach is made without a lock held."},
    {"racelens-lock-order-inversion", "LockOrderInversion",
     "Two locks are acquired in both orders, or a non-recursive lock is re-acquired."},
    {"racelens-nested-lock", "NestedLock", "A lock is acquired while another is held."},
    {"racelens-event-wait-clear", "EventWaitClear",
     "An Event is cleared after being waited on, so a set() in between is lost."},
    {"racelens-condition-wait-outside-loop", "ConditionWaitOutsideLoop",
     "A condition variable is waited on without a predicate and outside a re-testing loop."},
    {"racelens-lock-without-release", "LockWithoutRelease",
     "A lock is acquired and some path leaves the function without releasing it."},
    {"racelens-pool-join-before-close", "PoolJoinBeforeClose",
     "A pool is joined before close() or terminate()."},
    {"racelens-executor-self-wait", "ExecutorSelfWait",
     "A task waits on another task of its own executor, which can deadlock it."},
}};

Json Text(std::string text) {
  if (!text.empty() && text.back() != '.') text += '.';
  return Json{{"text", std::move(text)}};
}

std::string Uri(const std::string& file) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  const std::string path = std::filesystem::absolute(file).lexically_normal().string();
  std::string uri = "file://";
  for (unsigned char c : path) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri;
}

Json Location(const SourcePoint& where) {
  return Json{{"physicalLocation",
               {{"artifactLocation", {{"uri", Uri(where.file)}}},
                {"region", {{"startLine", where.line}, {"startColumn", where.column}}}}}};
}

Json Rules() {
  Json rules = Json::array();
  for (const Rule& rule : kRules) {
    rules.push_back({{"id", rule.id},
                     {"name", rule.name},
                     {"shortDescription", Text(rule.description)},
                     {"fullDescription", Text(rule.description)},
                     {"help", Text(std::string(rule.description) + " See docs/checks/" + rule.id +
                                   ".md for the fix")},
                     {"defaultConfiguration", {{"level", "warning"}}}});
  }
  return rules;
}

}  // namespace

std::string CheckSarif(const std::vector<Diagnostic>& diagnostics) {
  Json results = Json::array();
  for (const Diagnostic& d : diagnostics) {
    Json result{{"ruleId", d.check}};
    const auto rule =
        std::find_if(kRules.begin(), kRules.end(), [&](const Rule& r) { return d.check == r.id; });
    if (rule != kRules.end()) result["ruleIndex"] = rule - kRules.begin();
    result["level"] = "warning";
    result["message"] = Text(d.message);
    result["locations"] = Json::array({Location(d.where)});
    if (!d.notes.empty()) {
      Json related = Json::array();
      int id = 0;
      for (const Note& note : d.notes) {
        Json location = Location(note.where);
        location["id"] = id++;
        location["message"] = Text(note.message);
        related.push_back(std::move(location));
      }
      result["relatedLocations"] = std::move(related);
    }
    results.push_back(std::move(result));
  }
  Json log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", Json::array({{{"tool",
                                   {{"driver",
                                     {{"name", "racelens-check"},
                                      {"semanticVersion", RACELENS_VERSION},
                                      {"rules", Rules()}}}}},
                                  {"results", std::move(results)}}})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace racelens::cli
