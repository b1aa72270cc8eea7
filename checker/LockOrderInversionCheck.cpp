#include "LockOrderInversionCheck.h"

#include <map>
#include <utility>

#include "analysis/LockSummaries.h"
#include "analysis/ThreadEntries.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// `Inner` was acquired (at `Site`) while `Outer` was held.
struct OrderEdge {
  HeldLock Outer;
  HeldLock Inner;
  const Stmt* Site = nullptr;
  /// When Inner is acquired inside a called function, that function.
  const FunctionDecl* Via = nullptr;
};

using EdgeMap = std::map<std::pair<std::string, std::string>, OrderEdge>;

void addEdges(const Acquisition& Acq, const Stmt* Site, const FunctionDecl* Via, EdgeMap& Edges) {
  for (const auto& [OuterKey, Outer] : Acq.HeldBefore) {
    if (OuterKey == Acq.Lock.Id.Key) continue;
    Edges.try_emplace({OuterKey, Acq.Lock.Id.Key}, OrderEdge{Outer, Acq.Lock, Site, Via});
  }
}

// Locks a callee takes are comparable with the caller's only when their identity does not
// depend on the callee's parameters: globals always, members of `this` for calls on `this`.
bool comparableAcrossCall(const std::string& Key, bool CallOnThis) {
  return llvm::StringRef(Key).starts_with("global:") ||
         (CallOnThis && llvm::StringRef(Key).starts_with("this:"));
}

}  // namespace

LockOrderInversionCheck::LockOrderInversionCheck(llvm::StringRef Name,
                                                 clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context), Api(Options) {}

void LockOrderInversionCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Api.store(Options, Opts);
}

void LockOrderInversionCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void LockOrderInversionCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const ThreadEntries Entries(Ctx, Api);
  LockSetCache Locks(Ctx, Api);
  EdgeMap Edges;
  std::map<const FunctionDecl*, bool> Touches;
  auto TouchesLocks = [&](const FunctionDecl* F) {
    auto [It, Inserted] = Touches.try_emplace(ThreadEntries::key(F), false);
    if (Inserted) {
      const FunctionDecl* Definition = F->getDefinition();
      It->second = Definition && touchesLocks(*Definition, Api);
    }
    return It->second;
  };
  for (const FunctionDecl* F : Entries.functions()) {
    if (!TouchesLocks(F)) continue;
    const LockSetAnalysis& Analysis = Locks.of(F);
    for (const Acquisition& Acq : Analysis.acquisitions()) {
      if (Acq.Tried) continue;
      auto Again = Acq.HeldBefore.find(Acq.Lock.Id.Key);
      if (Again != Acq.HeldBefore.end() && !Acq.Recursive) {
        diag(Acq.Lock.AcquiredAt->getBeginLoc(),
             "'%0' is acquired while already held; a non-recursive lock deadlocks")
            << Acq.Lock.Id.Name;
        diag(Again->second.AcquiredAt->getBeginLoc(), "'%0' first acquired here",
             DiagnosticIDs::Note)
            << Acq.Lock.Id.Name;
      }
      addEdges(Acq, Acq.Lock.AcquiredAt, nullptr, Edges);
    }
    // One level of calls: what a callee acquires while the caller holds a lock.
    for (const CallExpr* Call : Entries.callsIn(F)) {
      const FunctionDecl* Callee = Call->getDirectCallee();
      if (!Callee || ThreadEntries::key(Callee) == ThreadEntries::key(F) || !TouchesLocks(Callee))
        continue;
      const LockMap* Held = Analysis.heldBefore(Call);
      if (!Held || Held->empty()) continue;
      bool CallOnThis = false;
      if (const auto* Member = dyn_cast<CXXMemberCallExpr>(Call))
        CallOnThis = isa<CXXThisExpr>(Member->getImplicitObjectArgument()->IgnoreParenImpCasts());
      else if (isa<CXXMethodDecl>(Callee) && !cast<CXXMethodDecl>(Callee)->isStatic())
        continue;
      for (const Acquisition& Inner : Locks.of(Callee).acquisitions()) {
        if (Inner.Tried || !comparableAcrossCall(Inner.Lock.Id.Key, CallOnThis)) continue;
        Acquisition Lifted{Inner.Lock, *Held, Inner.Recursive, false};
        addEdges(Lifted, Call, Callee, Edges);
      }
    }
  }
  for (const auto& [Pair, Edge] : Edges) {
    auto Reverse = Edges.find({Pair.second, Pair.first});
    if (Reverse == Edges.end()) continue;
    const OrderEdge& Other = Reverse->second;
    if (Edge.Via)
      diag(Edge.Site->getBeginLoc(),
           "'%0' is acquired (in '%1') while '%2' is held, the reverse of the order used "
           "elsewhere; two threads can deadlock")
          << Edge.Inner.Id.Name << Edge.Via->getNameAsString() << Edge.Outer.Id.Name;
    else
      diag(Edge.Site->getBeginLoc(),
           "'%0' is acquired while '%1' is held, the reverse of the order used elsewhere; two "
           "threads can deadlock")
          << Edge.Inner.Id.Name << Edge.Outer.Id.Name;
    diag(Edge.Outer.AcquiredAt->getBeginLoc(), "'%0' acquired here", DiagnosticIDs::Note)
        << Edge.Outer.Id.Name;
    diag(Other.Site->getBeginLoc(), "'%0' is acquired while '%1' is held here", DiagnosticIDs::Note)
        << Other.Inner.Id.Name << Other.Outer.Id.Name;
  }
}

}  // namespace racelens::tidy
