// racelens-event-wait-clear
#pragma once

#include "analysis/SyncApi.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/StringSet.h"

namespace racelens::tidy {

/// Flags `ev.clear()` after `ev.wait()` or `ev.is_set()` on the same Event: a set()
/// in between is lost.
///
/// For the user-facing documentation see: docs/checks/racelens-event-wait-clear.md
class EventWaitClearCheck : public clang::tidy::ClangTidyCheck {
 public:
  EventWaitClearCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context);
  bool isLanguageVersionSupported(const clang::LangOptions& LangOpts) const override {
    return LangOpts.CPlusPlus;
  }
  void registerMatchers(clang::ast_matchers::MatchFinder* Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult& Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) override;

 private:
  const std::string EventTypesText;
  llvm::StringSet<> EventTypes;
};

}  // namespace racelens::tidy
