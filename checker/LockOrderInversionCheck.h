// racelens-lock-order-inversion
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags two acquisition orders of the same pair of locks in one translation unit, and
/// re-acquiring a non-recursive lock that is already held.
///
/// For the user-facing documentation see: docs/checks/racelens-lock-order-inversion.md
class LockOrderInversionCheck : public clang::tidy::ClangTidyCheck {
 public:
  LockOrderInversionCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
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
