// racelens-unguarded-shared-write
#pragma once

#include "analysis/LockSummaries.h"
#include "analysis/SharedAccesses.h"
#include "analysis/SyncApi.h"
#include "analysis/ThreadEntries.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags a write to state that several threads can reach (globals, statics, members,
/// variables captured by reference) made without a lock held in code run by a thread.
///
/// For the user-facing documentation see: docs/checks/racelens-unguarded-shared-write.md
class UnguardedSharedWriteCheck : public clang::tidy::ClangTidyCheck {
 public:
  UnguardedSharedWriteCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
  bool isLanguageVersionSupported(const clang::LangOptions& LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder* Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult& Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) override;

 private:
  void reportUnguardedReads(const ThreadEntries& Entries, const SharedAccesses& Shared,
                            LockSetCache& Locks);

  const SyncApi Api;
  /// Also report unguarded reads of data that is written under a lock elsewhere (RacerD-style
  /// consistency).
  const bool ReportUnguardedReads;
};

}  // namespace racelens::tidy
