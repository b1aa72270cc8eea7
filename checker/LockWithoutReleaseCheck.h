// racelens-lock-without-release
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags an explicit acquisition that some path (early return, throw) leaves held when
/// the function exits, while other paths release it.
///
/// For the user-facing documentation see: docs/checks/racelens-lock-without-release.md
class LockWithoutReleaseCheck : public clang::tidy::ClangTidyCheck {
 public:
  LockWithoutReleaseCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
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
