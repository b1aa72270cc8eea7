// racelens-nested-lock
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags any acquisition made while another lock is held (deliberately noisy; off in
/// the recommended set).
///
/// For the user-facing documentation see: docs/checks/racelens-nested-lock.md
class NestedLockCheck : public clang::tidy::ClangTidyCheck {
 public:
  NestedLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
  bool isLanguageVersionSupported(const clang::LangOptions& LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder* Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult& Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) override;

 private:
  const SyncApi Api;
};

}  // namespace racelens::tidy
