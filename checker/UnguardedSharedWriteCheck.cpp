#include "UnguardedSharedWriteCheck.h"

#include <set>

#include "analysis/LockSummaries.h"
#include "analysis/SharedAccesses.h"
#include "analysis/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

struct Conflict {
  const ThreadStart* Start = nullptr;
  const SharedAccess* Other = nullptr;
};

bool contains(llvm::ArrayRef<unsigned> Items, unsigned Item) {
  return llvm::is_contained(Items, Item);
}

// Whether another thread can touch `Write`'s target while `Write` runs, and where.
Conflict findConflict(const SharedAccess& Write, const ThreadEntries& Entries,
                      const SharedAccesses& Shared) {
  Conflict Found;
  llvm::ArrayRef<unsigned> Threads = Entries.startsReaching(Write.In);
  auto Shares = [&](unsigned A, unsigned B) {
    // Members of `this` are shared between two runs only when both run on the same object.
    return !Write.ViaThis || (Entries.starts()[A].SameObject && Entries.starts()[B].SameObject);
  };
  for (unsigned S : Threads) {
    if (Entries.runsSeveralTimes(S) && Shares(S, S)) return {&Entries.starts()[S], nullptr};
  }
  for (unsigned I = 0; I < Threads.size(); ++I)
    for (unsigned J = I + 1; J < Threads.size(); ++J)
      if (Shares(Threads[I], Threads[J])) return {&Entries.starts()[Threads[I]], nullptr};
  std::vector<unsigned> StartedBy;  // starts whose starting thread runs Write concurrently
  for (unsigned S = 0; S < Entries.starts().size(); ++S)
    if (Entries.inStarterRegion(S, Write.In, Write.Site)) StartedBy.push_back(S);
  for (unsigned Index : Shared.of(Write.Target)) {
    const SharedAccess& Other = Shared.all()[Index];
    if (&Other == &Write) continue;
    llvm::ArrayRef<unsigned> OtherThreads = Entries.startsReaching(Other.In);
    for (unsigned S : Threads) {
      for (unsigned S2 : OtherThreads)
        if (S != S2 && Shares(S, S2)) return {&Entries.starts()[S], &Other};
      if (Entries.inStarterRegion(S, Other.In, Other.Site)) return {&Entries.starts()[S], &Other};
    }
    for (unsigned S : StartedBy)
      if (contains(OtherThreads, S)) return {&Entries.starts()[S], &Other};
  }
  return Found;
}

// Whether `A` and `B` (both accesses to one target) can run at the same time.
bool concurrent(const SharedAccess& A, const SharedAccess& B, const ThreadEntries& Entries) {
  llvm::ArrayRef<unsigned> ThreadsA = Entries.startsReaching(A.In);
  llvm::ArrayRef<unsigned> ThreadsB = Entries.startsReaching(B.In);
  for (unsigned S : ThreadsA) {
    for (unsigned S2 : ThreadsB)
      if (S != S2 || Entries.runsSeveralTimes(S))
        return !A.ViaThis || Entries.starts()[S].SameObject;
    if (Entries.inStarterRegion(S, B.In, B.Site)) return true;
  }
  for (unsigned S : ThreadsB)
    if (Entries.inStarterRegion(S, A.In, A.Site)) return true;
  return false;
}

}  // namespace

UnguardedSharedWriteCheck::UnguardedSharedWriteCheck(llvm::StringRef Name,
                                                     clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context),
      Api(Options),
      // The bool overloads of get()/store() are templates the clang-tidy binary does not export.
      ReportUnguardedReads(llvm::StringRef(Options.get("ReportUnguardedReads", "false"))
                               .equals_insensitive("true")) {}

void UnguardedSharedWriteCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Api.store(Options, Opts);
  Options.store(Opts, "ReportUnguardedReads", ReportUnguardedReads ? "true" : "false");
}

void UnguardedSharedWriteCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void UnguardedSharedWriteCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const ThreadEntries Entries(Ctx, Api);
  if (Entries.starts().empty()) return;
  const SharedAccesses Shared(Entries, Api);
  LockSetCache Locks(Ctx, Api);
  std::set<const Expr*> Reported;
  for (const SharedAccess& Write : Shared.all()) {
    if (!Write.IsWrite || isa<CXXConstructorDecl>(Write.In) || isa<CXXDestructorDecl>(Write.In))
      continue;
    const Conflict Found = findConflict(Write, Entries, Shared);
    if (!Found.Start) continue;
    const LockMap* Held = Locks.of(Write.In).heldBefore(Write.Site);
    if (!Held || !Held->empty() || alwaysCalledWithLock(Write.In, Entries, Locks)) continue;
    if (!Reported.insert(Write.Site).second) continue;
    const std::string Name = Write.Target->getNameAsString();
    diag(Write.Site->getBeginLoc(),
         "'%0' is written without a lock held while another thread can access it")
        << Name;
    diag(Found.Start->Loc, Found.Start->Site ? "thread started here" : "thread entry declared here",
         DiagnosticIDs::Note);
    if (Found.Other)
      diag(Found.Other->Site->getBeginLoc(), "'%0' is also accessed here", DiagnosticIDs::Note)
          << Name;
  }
  if (ReportUnguardedReads) reportUnguardedReads(Entries, Shared, Locks);
}

void UnguardedSharedWriteCheck::reportUnguardedReads(const ThreadEntries& Entries,
                                                     const SharedAccesses& Shared,
                                                     LockSetCache& Locks) {
  auto Guarded = [&](const SharedAccess& Access) {
    const LockMap* Held = Locks.of(Access.In).heldBefore(Access.Site);
    return Held && !Held->empty();
  };
  for (const SharedAccess& Read : Shared.all()) {
    if (Read.IsWrite || isa<CXXConstructorDecl>(Read.In) || isa<CXXDestructorDecl>(Read.In))
      continue;
    const SharedAccess* GuardedWrite = nullptr;
    for (unsigned Index : Shared.of(Read.Target)) {
      const SharedAccess& Write = Shared.all()[Index];
      if (Write.IsWrite && concurrent(Read, Write, Entries) &&
          (Guarded(Write) || alwaysCalledWithLock(Write.In, Entries, Locks))) {
        GuardedWrite = &Write;
        break;
      }
    }
    if (!GuardedWrite) continue;
    const LockMap* Held = Locks.of(Read.In).heldBefore(Read.Site);
    if (!Held || !Held->empty() || alwaysCalledWithLock(Read.In, Entries, Locks)) continue;
    const std::string Name = Read.Target->getNameAsString();
    diag(Read.Site->getBeginLoc(),
         "'%0' is read without a lock held, but it is written under a lock elsewhere")
        << Name;
    diag(GuardedWrite->Site->getBeginLoc(), "'%0' is written here with a lock held",
         DiagnosticIDs::Note)
        << Name;
  }
}

}  // namespace racelens::tidy
