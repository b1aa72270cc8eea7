#include "NestedLockCheck.h"

#include "analysis/LockSummaries.h"
#include "analysis/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

NestedLockCheck::NestedLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context), Api(Options) {}

void NestedLockCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Api.store(Options, Opts);
}

void NestedLockCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void NestedLockCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const ThreadEntries Entries(Ctx, Api);
  LockSetCache Locks(Ctx, Api);
  for (const FunctionDecl* F : Entries.functions()) {
    if (!touchesLocks(*F, Api)) continue;
    for (const Acquisition& Acq : Locks.of(F).acquisitions()) {
      // The most recently acquired other lock is the one the reader sees enclosing this one.
      const HeldLock* Outer = nullptr;
      for (const auto& [Key, Held] : Acq.HeldBefore) {
        if (Key == Acq.Lock.Id.Key) continue;
        if (!Outer || Ctx.getSourceManager().isBeforeInTranslationUnit(
                          Outer->AcquiredAt->getBeginLoc(), Held.AcquiredAt->getBeginLoc()))
          Outer = &Held;
      }
      if (!Outer) continue;
      diag(Acq.Lock.AcquiredAt->getBeginLoc(), "'%0' is acquired while '%1' is held")
          << Acq.Lock.Id.Name << Outer->Id.Name;
      diag(Outer->AcquiredAt->getBeginLoc(), "'%0' acquired here", DiagnosticIDs::Note)
          << Outer->Id.Name;
    }
  }
}

}  // namespace racelens::tidy
