#include "ExecutorSelfWaitCheck.h"

#include <set>

#include "analysis/LockIdentity.h"
#include "analysis/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

constexpr const char* DefaultExecutorTypes =
    "racelens::ThreadPoolExecutor;racelens::ProcessPoolExecutor;racelens::Pool;"
    "racelens::ThreadPool";

bool isOneOf(llvm::StringRef Name, std::initializer_list<llvm::StringRef> Names) {
  return llvm::is_contained(Names, Name);
}

}  // namespace

ExecutorSelfWaitCheck::ExecutorSelfWaitCheck(llvm::StringRef Name,
                                             clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context),
      Api(Options),
      ExecutorTypesText(Options.get("ExecutorTypes", DefaultExecutorTypes)) {
  SyncApi::parseList(ExecutorTypesText, ExecutorTypes);
}

void ExecutorSelfWaitCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Api.store(Options, Opts);
  Options.store(Opts, "ExecutorTypes", ExecutorTypesText);
}

void ExecutorSelfWaitCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ExecutorSelfWaitCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const ThreadEntries Entries(Ctx, Api);
  // The executor a member call is made on, when its type is an executor or pool.
  auto ExecutorOf = [&](const CallExpr* Call, llvm::StringRef& Method) -> std::optional<ObjectId> {
    const auto* Member = dyn_cast_or_null<CXXMemberCallExpr>(Call);
    const CXXMethodDecl* Decl = Member ? Member->getMethodDecl() : nullptr;
    if (!Decl || !Decl->getIdentifier()) return std::nullopt;
    // The executor's own type, before the conversion to the base class that declares the call.
    const Expr* Object = Member->getImplicitObjectArgument();
    QualType Type = Object->IgnoreParenImpCasts()->getType();
    if (Type->isPointerType()) Type = Type->getPointeeType();
    if (!SyncApi::matchesType(Type, ExecutorTypes)) return std::nullopt;
    Method = Decl->getName();
    return identifyObject(Object);
  };
  // The executor whose submit()/apply_async() produced the future `E`, following one local
  // variable.
  auto FutureSource = [&](const Expr* E) -> std::optional<ObjectId> {
    for (int Depth = 0; E && Depth < 6; ++Depth) {
      E = stripObject(E);
      if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
        const auto* Var = dyn_cast<VarDecl>(Ref->getDecl());
        E = Var ? Var->getInit() : nullptr;
        continue;
      }
      if (const auto* Construct = dyn_cast<CXXConstructExpr>(E);
          Construct && Construct->getNumArgs() == 1) {
        E = Construct->getArg(0);
        continue;
      }
      llvm::StringRef Method;
      std::optional<ObjectId> Executor = ExecutorOf(dyn_cast<CallExpr>(E), Method);
      if (Executor && isOneOf(Method, {"submit", "apply_async", "map_async"})) return Executor;
      return std::nullopt;
    }
    return std::nullopt;
  };
  std::set<const CallExpr*> Reported;
  for (const FunctionDecl* F : Entries.functions()) {
    for (const CallExpr* Submit : Entries.callsIn(F)) {
      llvm::StringRef Method;
      std::optional<ObjectId> Executor = ExecutorOf(Submit, Method);
      if (!Executor || !isOneOf(Method, {"submit", "map", "apply", "apply_async", "map_async",
                                         "starmap", "imap", "imap_unordered"}))
        continue;
      const Expr* Task = nullptr;
      for (const Expr* Arg : Submit->arguments())
        if (!Task && isCallableArgument(*Arg)) Task = Arg;
      const FunctionDecl* TaskFn = Task ? ThreadEntries::resolveCallable(Task) : nullptr;
      if (!TaskFn) continue;
      for (const FunctionDecl* Inner : Entries.reachableFrom(TaskFn)) {
        for (const CallExpr* Wait : Entries.callsIn(Inner)) {
          const auto* Member = dyn_cast<CXXMemberCallExpr>(Wait);
          const CXXMethodDecl* WaitMethod = Member ? Member->getMethodDecl() : nullptr;
          if (!WaitMethod || !WaitMethod->getIdentifier()) continue;
          bool SelfWait = false;
          if (isOneOf(WaitMethod->getName(), {"result", "exception", "wait", "get"})) {
            std::optional<ObjectId> Source = FutureSource(Member->getImplicitObjectArgument());
            SelfWait = Source && Source->Key == Executor->Key;
          }
          llvm::StringRef InnerMethod;
          // A pool's apply() and map() block until the work is done.
          if (std::optional<ObjectId> Same = ExecutorOf(Wait, InnerMethod);
              Same && Same->Key == Executor->Key && isOneOf(InnerMethod, {"apply", "starmap"}))
            SelfWait = true;
          if (!SelfWait || !Reported.insert(Wait).second) continue;
          diag(Wait->getBeginLoc(),
               "a task of '%0' waits for another task of '%0'; when every worker waits, "
               "nothing runs the awaited task and the executor deadlocks")
              << Executor->Name;
          diag(Submit->getBeginLoc(), "the waiting task is submitted to '%0' here",
               DiagnosticIDs::Note)
              << Executor->Name;
        }
      }
    }
  }
}

}  // namespace racelens::tidy
