// racelens-pool-join-before-close
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags `pool.join()` on a process or thread pool that may still be running: no
/// close() or terminate() on every path before it.
///
/// For the user-facing documentation see: docs/checks/racelens-pool-join-before-close.md
class PoolJoinBeforeCloseCheck : public clang::tidy::ClangTidyCheck {
 public:
  PoolJoinBeforeCloseCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
  bool isLanguageVersionSupported(const clang::LangOptions& LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder* Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult& Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) override;

 private:
  const std::string PoolTypesText;
  llvm::StringSet<> PoolTypes;
};

}  // namespace racelens::tidy
