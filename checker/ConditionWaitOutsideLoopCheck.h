// racelens-condition-wait-outside-loop
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags a condition-variable wait without a predicate that is not inside a loop
/// re-testing the condition.
///
/// For the user-facing documentation see: docs/checks/racelens-condition-wait-outside-loop.md
class ConditionWaitOutsideLoopCheck : public clang::tidy::ClangTidyCheck {
 public:
  ConditionWaitOutsideLoopCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
  bool isLanguageVersionSupported(const clang::LangOptions& LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder* Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult& Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) override;

 private:
  const std::string WaitFunctionsText;
  llvm::StringSet<> WaitFunctions;
};

}  // namespace racelens::tidy
