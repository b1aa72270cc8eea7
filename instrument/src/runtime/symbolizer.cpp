// runtime/symbolizer.cpp — see symbolizer.hpp.
#include "runtime/symbolizer.hpp"

#include <backtrace.h>
#include <cxxabi.h>
#include <pthread.h>

#include <array>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace racelens::detail {
namespace {

std::string Demangle(const char* name) {
  if (name == nullptr) return {};
  if (name[0] == '_' && name[1] == 'Z') {
    int status = 0;
    char* demangled = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    if (status == 0 && demangled != nullptr) {
      std::string result(demangled);
      std::free(demangled);
      return result;
    }
    std::free(demangled);
  }
  return name;
}

// libbacktrace reports failures (no debug info, no symbol table, unreadable
// files) through this callback; each lookup then just yields less information.
void IgnoreError(void* /*data*/, const char* /*message*/, int /*errnum*/) {}

struct PcInfo {
  std::vector<report::Frame>* frames;
  std::uintptr_t pc;
};

int OnPcInfo(void* data, std::uintptr_t /*lookup_pc*/, const char* filename, int lineno,
             const char* function) {
  auto* info = static_cast<PcInfo*>(data);
  info->frames->push_back(
      report::Frame{Demangle(function), filename != nullptr ? filename : "", lineno, info->pc});
  return 0;
}

// Compiler-made copies ("foo() [clone .cold]", "[clone .constprop.0]") are shown as the function.
std::string WithoutCloneSuffixes(std::string name) {
  while (name.ends_with(']')) {
    const std::size_t clone = name.rfind(" [clone ");
    if (clone == std::string::npos) break;
    name.erase(clone);
  }
  return name;
}

void OnSymInfo(void* data, std::uintptr_t /*pc*/, const char* symname, std::uintptr_t /*symval*/,
               std::uintptr_t /*symsize*/) {
  if (symname != nullptr) *static_cast<std::string*>(data) = symname;
}

class Symbolizer {
 public:
  static Symbolizer& Instance() {
    // Leaked on purpose: reports may be symbolised while static objects are destroyed.
    static Symbolizer* const instance = new Symbolizer();
    return *instance;
  }

  // The symbol-table name of the object containing `address` (see DataSymbolName).
  std::string DataName(std::uintptr_t address) {
    struct Found {
      std::string name;
      std::uintptr_t value = 0;
      std::uintptr_t size = 0;
    } found;
    {
      std::lock_guard lock(mutex_);
      if (state_ == nullptr) return "";
      backtrace_syminfo(
          state_, address,
          [](void* data, std::uintptr_t, const char* name, std::uintptr_t value,
             std::uintptr_t size) {
            if (name == nullptr) return;
            auto& f = *static_cast<Found*>(data);
            f.name = name;
            f.value = value;
            f.size = size;
          },
          IgnoreError, &found);
    }
    // The symbol must cover the address, not merely be the nearest one below it.
    if (found.name.empty() || address < found.value || address >= found.value + found.size) {
      return "";
    }
    // Reports name variables as the program spells them: "(anonymous namespace)::" is noise.
    std::string name = Demangle(found.name.c_str());
    constexpr std::string_view kAnonymous = "(anonymous namespace)::";
    for (auto pos = name.find(kAnonymous); pos != std::string::npos; pos = name.find(kAnonymous)) {
      name.erase(pos, kAnonymous.size());
    }
    if (address != found.value) name += "+" + std::to_string(address - found.value);
    return name;
  }

  std::vector<report::Frame> Frames(std::uintptr_t pc) {
    // One lookup at a time: libbacktrace is not built with the sanitizers, so ThreadSanitizer
    // cannot see its internal synchronisation and reports (and, inside dl_iterate_phdr, can
    // deadlock on) concurrent lookups. Symbolising happens only when a report is made.
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(pc); it != cache_.end()) return it->second;
    std::vector<report::Frame> frames = Lookup(pc);
    cache_.emplace(pc, frames);
    return frames;
  }

 private:
  Symbolizer() : state_(backtrace_create_state(nullptr, /*threaded=*/1, IgnoreError, nullptr)) {
    // Hold the cache's mutex across fork(), so that a child never inherits it locked.
    ::pthread_atfork([] { Instance().mutex_.lock(); }, [] { Instance().mutex_.unlock(); },
                     [] { Instance().mutex_.unlock(); });
  }

  std::vector<report::Frame> Lookup(std::uintptr_t pc) const {
    std::vector<report::Frame> frames;
    // A return address points after the call: look up the call instruction itself.
    const std::uintptr_t lookup = pc - 1;
    if (state_ != nullptr) {
      PcInfo info{&frames, pc};
      backtrace_pcinfo(state_, lookup, OnPcInfo, IgnoreError, &info);
    }
    if (frames.empty()) frames.push_back(report::Frame{{}, {}, 0, pc});
    // The outermost frame of an inline chain is the function that contains the pc, which the
    // symbol table names. Its mangled name is better than the debug info's when the function
    // has internal linkage: GCC then records only the plain name ("Helper", "operator()"),
    // without scope and parameters. Where there is no debug info, it is the only name.
    if (state_ != nullptr) {
      std::string symbol;
      backtrace_syminfo(state_, lookup, OnSymInfo, IgnoreError, &symbol);
      report::Frame& outermost = frames.back();
      if (symbol.starts_with("_Z") || (outermost.function.empty() && !symbol.empty())) {
        outermost.function = WithoutCloneSuffixes(Demangle(symbol.c_str()));
      }
    }
    return frames;
  }

  backtrace_state* const state_;  // nullptr when libbacktrace could not start
  std::mutex mutex_;
  std::unordered_map<std::uintptr_t, std::vector<report::Frame>> cache_;  // guarded by mutex_,
                                                                          // as is libbacktrace
};

// Whether `path` contains `segment` at the start of a path component.
bool HasPathSegment(std::string_view path, std::string_view segment) {
  for (std::size_t pos = path.find(segment); pos != std::string_view::npos;
       pos = path.find(segment, pos + 1)) {
    if (pos == 0 || path[pos - 1] == '/') return true;
  }
  return false;
}

bool IsStartFunction(std::string_view name) {
  static constexpr std::array<std::string_view, 13> kNames = {"_start",
                                                              "__libc_start_main",
                                                              "__libc_start_main_impl",
                                                              "__libc_start_call_main",
                                                              "start_thread",
                                                              "clone",
                                                              "clone3",
                                                              "__clone",
                                                              "__clone3",
                                                              "__clone_internal",
                                                              "execute_native_thread_routine",
                                                              "asan_thread_start",
                                                              "__tsan_thread_start_func"};
  for (const std::string_view known : kNames) {
    if (name == known) return true;
  }
  // Sanitizer runtimes (thread start wrappers, interceptors).
  static constexpr std::array<std::string_view, 8> kPrefixes = {
      "__tsan::",      "__asan::",       "__lsan::", "__ubsan::",
      "__sanitizer::", "__interceptor_", "__tsan_",  "__asan_"};
  for (const std::string_view prefix : kPrefixes) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

enum class FrameKind { kRuntime, kLibrary, kStart, kUnknown, kUser };

FrameKind Classify(const report::Frame& frame) {
  const std::string_view name = QualifiedFunctionName(frame.function);
  if (!frame.file.empty()) {
    if (HasPathSegment(frame.file, "instrument/src/") ||
        HasPathSegment(frame.file, "include/racelens/")) {
      return FrameKind::kRuntime;
    }
    if (HasPathSegment(frame.file, "include/c++/")) return FrameKind::kLibrary;
    if (IsStartFunction(name)) return FrameKind::kStart;
    return FrameKind::kUser;
  }
  if (name.empty()) return FrameKind::kUnknown;
  if (name.starts_with("racelens::")) return FrameKind::kRuntime;
  if (name.starts_with("std::") || name.starts_with("__gnu_cxx::")) return FrameKind::kLibrary;
  if (IsStartFunction(name)) return FrameKind::kStart;
  return FrameKind::kUser;
}

}  // namespace

std::string_view QualifiedFunctionName(std::string_view function) {
  std::string_view s = function;
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  // " [clone .constprop.0] [clone .cold]"
  while (s.ends_with(']')) {
    const std::size_t clone = s.rfind(" [clone ");
    if (clone == std::string_view::npos) break;
    s = s.substr(0, clone);
  }
  // Qualifiers after the parameter list.
  static constexpr std::array<std::string_view, 6> kQualifiers = {
      " const", " volatile", " &&", " &", " noexcept", " transaction_safe"};
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const std::string_view qualifier : kQualifiers) {
      if (s.ends_with(qualifier)) {
        s.remove_suffix(qualifier.size());
        stripped = true;
      }
    }
  }
  // The parameter list: the '(' matching the final ')'.
  if (s.ends_with(')')) {
    int depth = 0;
    for (std::size_t i = s.size(); i-- > 0;) {
      if (s[i] == ')') {
        ++depth;
      } else if (s[i] == '(' && --depth == 0) {
        s = s.substr(0, i);
        break;
      }
    }
  }
  // The return type (templates): up to the last space outside brackets, and
  // not inside an operator's name ("operator bool", "operator<").
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (depth == 0 && s.substr(i).starts_with("operator") &&
        (i == 0 || s[i - 1] == ':' || s[i - 1] == ' ')) {
      break;
    }
    if (c == '<' || c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == '>' || c == ')' || c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == ' ' && depth == 0) {
      start = i + 1;
    }
  }
  return s.substr(start);
}

report::Stack SymbolizePcs(std::span<const std::uintptr_t> pcs) {
  report::Stack stack;
  for (const std::uintptr_t pc : pcs) {
    if (pc == 0) continue;
    std::vector<report::Frame> frames = Symbolizer::Instance().Frames(pc);
    stack.insert(stack.end(), std::make_move_iterator(frames.begin()),
                 std::make_move_iterator(frames.end()));
  }
  return stack;
}

report::Stack Symbolize(StackId id) {
  const std::vector<std::uintptr_t> pcs = StackPcs(id);
  return SymbolizePcs(pcs);
}

report::Stack TrimRuntimeFrames(report::Stack stack) {
  std::vector<FrameKind> kinds;
  kinds.reserve(stack.size());
  for (const report::Frame& frame : stack) kinds.push_back(Classify(frame));

  const std::size_t n = stack.size();
  // Leading runtime frames, and library frames between them and the user.
  std::size_t first = 0;
  bool runtime_seen = false;
  while (first < n &&
         (kinds[first] == FrameKind::kRuntime || kinds[first] == FrameKind::kLibrary)) {
    runtime_seen = runtime_seen || kinds[first] == FrameKind::kRuntime;
    ++first;
  }
  if (!runtime_seen) first = 0;
  // Everything below the outermost user frame.
  std::size_t last = n;
  while (last > first && kinds[last - 1] != FrameKind::kUser) --last;
  if (last == first) {
    // No user frame: keep the runtime frames, drop only the start-up and std::thread tail
    // (but never frame 0).
    first = 0;
    last = n;
    while (last > 1 && kinds[last - 1] != FrameKind::kUser &&
           kinds[last - 1] != FrameKind::kRuntime) {
      --last;
    }
  }
  stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(last), stack.end());
  stack.erase(stack.begin(), stack.begin() + static_cast<std::ptrdiff_t>(first));
  return stack;
}

report::Stack SymbolizeForReport(StackId id) { return TrimRuntimeFrames(Symbolize(id)); }

std::string DataSymbolName(std::uintptr_t address) {
  return Symbolizer::Instance().DataName(address);
}

}  // namespace racelens::detail
