#include "ConditionWaitOutsideLoopCheck.h"

#include "analysis/CfgUtils.h"
#include "analysis/LockIdentity.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

constexpr const char* DefaultWaitFunctions =
    "racelens::Condition::wait;"
    "std::condition_variable::wait;std::condition_variable::wait_for;"
    "std::condition_variable::wait_until;std::condition_variable_any::wait;"
    "std::condition_variable_any::wait_for;std::condition_variable_any::wait_until;"
    "pthread_cond_wait;pthread_cond_timedwait";

}  // namespace

ConditionWaitOutsideLoopCheck::ConditionWaitOutsideLoopCheck(llvm::StringRef Name,
                                                             clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context),
      WaitFunctionsText(Options.get("WaitFunctions", DefaultWaitFunctions)) {
  SyncApi::parseList(WaitFunctionsText, WaitFunctions);
}

void ConditionWaitOutsideLoopCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Options.store(Opts, "WaitFunctions", WaitFunctionsText);
}

void ConditionWaitOutsideLoopCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(callExpr(callee(functionDecl())).bind("call"), this);
}

void ConditionWaitOutsideLoopCheck::check(const MatchFinder::MatchResult& Result) {
  const auto* Call = Result.Nodes.getNodeAs<CallExpr>("call");
  assert(Call);
  const FunctionDecl* Callee = Call->getDirectCallee();
  if (!Callee || !SyncApi::matchesFunction(*Callee, WaitFunctions)) return;
  for (const Expr* Arg : Call->arguments())
    if (!isa<CXXDefaultArgExpr>(Arg) && isCallableArgument(*Arg)) return;  // a predicate
  if (insideLoop(*Result.Context, *Call)) return;
  const Expr* Condition = nullptr;
  if (const auto* Member = dyn_cast<CXXMemberCallExpr>(Call))
    Condition = Member->getImplicitObjectArgument();
  else if (Call->getNumArgs() > 0)
    Condition = Call->getArg(0);
  std::optional<ObjectId> Id = identifyObject(Condition);
  diag(Call->getBeginLoc(),
       "'%0' is waited on without a predicate and outside a loop that re-tests the condition; "
       "a spurious or stolen wake-up goes on as if it were signalled")
      << (Id ? Id->Name : std::string("condition variable"));
}

}  // namespace racelens::tidy
