#include "EventWaitClearCheck.h"

#include <vector>

#include "analysis/CfgUtils.h"
#include "analysis/LockIdentity.h"
#include "analysis/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

constexpr const char* DefaultEventTypes = "racelens::Event";

struct EventCall {
  const CXXMemberCallExpr* Call;
  ObjectId Event;
};

}  // namespace

EventWaitClearCheck::EventWaitClearCheck(llvm::StringRef Name,
                                         clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context), EventTypesText(Options.get("EventTypes", DefaultEventTypes)) {
  SyncApi::parseList(EventTypesText, EventTypes);
}

void EventWaitClearCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Options.store(Opts, "EventTypes", EventTypesText);
}

void EventWaitClearCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void EventWaitClearCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const SyncApi Api(Options);
  const ThreadEntries Entries(Ctx, Api);
  for (const FunctionDecl* F : Entries.functions()) {
    std::vector<EventCall> Observers, Clears;
    for (const CallExpr* Call : Entries.callsIn(F)) {
      const auto* Member = dyn_cast<CXXMemberCallExpr>(Call);
      const CXXMethodDecl* Method = Member ? Member->getMethodDecl() : nullptr;
      if (!Method || !Method->getIdentifier()) continue;
      const Expr* Object = Member->getImplicitObjectArgument();
      QualType Type = Object->getType();
      if (Type->isPointerType()) Type = Type->getPointeeType();
      if (!SyncApi::matchesType(Type, EventTypes)) continue;
      std::optional<ObjectId> Event = identifyObject(Object);
      if (!Event) continue;
      llvm::StringRef Name = Method->getName();
      if (Name == "wait" || Name == "is_set") Observers.push_back({Member, *Event});
      if (Name == "clear") Clears.push_back({Member, *Event});
    }
    if (Observers.empty() || Clears.empty()) continue;
    const FunctionCfg Cfg(*F, Ctx);
    if (!Cfg.valid()) continue;
    for (const EventCall& Clear : Clears) {
      for (const EventCall& Observer : Observers) {
        // Only an observation written before the clear: a clear at the top of a loop that waits
        // at its bottom resets the event for the next round and is not this pattern.
        if (Observer.Event.Key != Clear.Event.Key ||
            !Ctx.getSourceManager().isBeforeInTranslationUnit(Observer.Call->getBeginLoc(),
                                                              Clear.Call->getBeginLoc()) ||
            !Cfg.reachable(Observer.Call, Clear.Call))
          continue;
        const bool Waited = Observer.Call->getMethodDecl()->getName() == "wait";
        diag(Clear.Call->getBeginLoc(),
             "'%0' is cleared after being %select{tested|waited on}1; a set() in between is "
             "lost (use a Queue, or a Condition with a predicate)")
            << Clear.Event.Name << Waited;
        diag(Observer.Call->getBeginLoc(), "'%0' %select{tested|waited on}1 here",
             DiagnosticIDs::Note)
            << Clear.Event.Name << Waited;
        break;
      }
    }
  }
}

}  // namespace racelens::tidy
