// runtime/report_sink.hpp — where finished reports go.
//
// Deduplicates (same kind and sites), applies the suppressions file, writes
// each surviving report — text or one JSON line to stderr, or a JSON line to
// <report_path>/<pid>.jsonl, flushed at once so that a later crash loses
// nothing — and counts them for the exit status. With halt_on_error the
// process exits with `exitcode` right after the first report.
//
// Thread-safety: Emit may be called from any thread.
#pragma once

#include <atomic>
#include <cstdio>
#include <mutex>

#include "report/dedup.hpp"
#include "report/report.hpp"
#include "report/suppressions.hpp"
#include "runtime/options.hpp"

namespace racelens::detail {

class ReportSink {
 public:
  // Throws report::SuppressionsError for an unreadable or malformed suppressions
  // file, and OptionsError when the report directory cannot be written.
  explicit ReportSink(const Options& options);
  ReportSink(const ReportSink&) = delete;
  ReportSink& operator=(const ReportSink&) = delete;

  // Returns whether the report was written (false: duplicate or suppressed).
  bool Emit(report::Report report);
  int reported() const { return reported_.load(); }

  // fork() support (detail/fork.hpp): LockForFork returns the sink's lock,
  // held across fork(). In the child, with it held, AfterForkInChild reopens
  // the report file as the child's own <report_path>/<pid>.jsonl and starts
  // the child's count of reports at zero; reports the parent already made
  // stay known, so the child does not repeat them.
  std::unique_lock<std::mutex> LockForFork() { return std::unique_lock(write_mutex_); }
  void AfterForkInChild();

 private:
  const Options options_;
  report::Suppressions suppressions_;
  report::ReportDeduplicator dedup_;
  // Guards the deduplication, the file and its writes (the deduplicator's
  // own lock is taken only under it, so holding it across fork() suffices).
  std::mutex write_mutex_;
  std::FILE* file_ = nullptr;  // <report_path>/<pid>.jsonl, or null for stderr
  std::atomic<int> reported_{0};
};

}  // namespace racelens::detail
