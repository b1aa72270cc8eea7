// racelens-executor-self-wait
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags, inside a task submitted to an executor or pool, a wait on a future of that
/// same executor: with every worker waiting, nothing runs the awaited task.
///
/// For the user-facing documentation see: docs/checks/racelens-executor-self-wait.md
class ExecutorSelfWaitCheck : public clang::tidy::ClangTidyCheck {
 public:
  ExecutorSelfWaitCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
  bool isLanguageVersionSupported(const clang::LangOptions& LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder* Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult& Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) override;

 private:
  const SyncApi Api;
  const std::string ExecutorTypesText;
  llvm::StringSet<> ExecutorTypes;
};

}  // namespace racelens::tidy
