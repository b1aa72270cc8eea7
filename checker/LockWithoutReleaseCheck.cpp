#include "LockWithoutReleaseCheck.h"

#include <set>

#include "analysis/LockSummaries.h"
#include "analysis/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

LockWithoutReleaseCheck::LockWithoutReleaseCheck(llvm::StringRef Name,
                                                 clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context), Api(Options) {}

void LockWithoutReleaseCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Api.store(Options, Opts);
}

void LockWithoutReleaseCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void LockWithoutReleaseCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const ThreadEntries Entries(Ctx, Api);
  for (const FunctionDecl* F : Entries.functions()) {
    if (!touchesLocks(*F, Api)) continue;
    const LockSetAnalysis Analysis(*F, Ctx, Api);
    std::set<const Stmt*> Reported;
    for (const HeldAtExit& Leak : Analysis.heldAtExit()) {
      // A function that never releases the lock is a deliberate acquire wrapper (lock() of a
      // Lockable class, a "take" helper): only a lock released on some paths is a leak.
      if (!Analysis.releases(Leak.Lock.Id.Key)) continue;
      // Entered with the lock held (unlock around slow work, lock again): holding it at the
      // exit is the function's contract.
      if (Analysis.entersHolding(Leak.Lock.Id.Key)) continue;
      if (!Reported.insert(Leak.Lock.AcquiredAt).second) continue;
      diag(Leak.Lock.AcquiredAt->getBeginLoc(),
           "'%0' is acquired here but some path leaves the function without releasing it; use "
           "a guard such as std::lock_guard or std::unique_lock")
          << Leak.Lock.Id.Name;
      SourceLocation ExitLoc = Leak.Exit ? Leak.Exit->getBeginLoc() : F->getBody()->getEndLoc();
      if (Leak.Exit && !isa<ReturnStmt>(Leak.Exit) && !isa<CXXThrowExpr>(Leak.Exit))
        ExitLoc = F->getBody()->getEndLoc();
      diag(ExitLoc, "'%0' is still held when the function exits here", DiagnosticIDs::Note)
          << Leak.Lock.Id.Name;
    }
  }
}

}  // namespace racelens::tidy
