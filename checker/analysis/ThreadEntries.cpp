#include "analysis/ThreadEntries.h"

#include "analysis/CfgUtils.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

namespace racelens::tidy {

using namespace clang;

namespace {

// Collects every function definition (lambdas included) outside system headers.
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
 public:
  FunctionCollector(const SourceManager& SM, std::vector<const FunctionDecl*>& Out)
      : SM(SM), Out(Out) {}

  bool TraverseDecl(Decl* D) {
    if (D && !isa<TranslationUnitDecl>(D) && SM.isInSystemHeader(D->getLocation())) return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl* F) {
    if (F->doesThisDeclarationHaveABody() && !F->isDependentContext()) Out.push_back(F);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* L) {
    if (const CXXMethodDecl* Op = L->getCallOperator(); Op && !Op->isDependentContext())
      Out.push_back(Op);
    return true;
  }

 private:
  const SourceManager& SM;
  std::vector<const FunctionDecl*>& Out;
};

// Visits one function's own body: nested lambdas are functions of their own.
class BodyVisitor : public RecursiveASTVisitor<BodyVisitor> {
 public:
  explicit BodyVisitor(llvm::function_ref<void(const Stmt&)> Visit) : Visit(Visit) {}
  bool TraverseLambdaExpr(LambdaExpr* L) {
    Visit(*L);
    for (Expr* Init : L->capture_inits())
      if (Init) TraverseStmt(Init);
    return true;
  }
  bool VisitStmt(Stmt* S) {
    Visit(*S);
    return true;
  }

 private:
  llvm::function_ref<void(const Stmt&)> Visit;
};

bool isSameObjectArgument(const Expr* Object) {
  Object = stripObject(Object);
  if (isa_and_nonnull<CXXThisExpr>(Object)) return true;
  const auto* Ref = dyn_cast_or_null<DeclRefExpr>(Object);
  const auto* Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->hasGlobalStorage();
}

}  // namespace

const FunctionDecl* ThreadEntries::key(const FunctionDecl* F) {
  return F ? F->getCanonicalDecl() : nullptr;
}

const FunctionDecl* ThreadEntries::resolveCallable(const Expr* Callable) {
  for (int Depth = 0; Callable && Depth < 8; ++Depth) {
    const Expr* E = stripObject(Callable);
    if (const auto* Bind = dyn_cast<CXXBindTemporaryExpr>(E)) E = Bind->getSubExpr();
    if (const auto* Cast = dyn_cast<CXXFunctionalCastExpr>(E)) E = Cast->getSubExpr();
    if (const auto* Cast = dyn_cast<CastExpr>(E)) E = Cast->getSubExpr()->IgnoreImplicit();
    E = stripObject(E);
    if (const auto* Construct = dyn_cast<CXXConstructExpr>(E)) {
      if (Construct->getNumArgs() == 1 && Construct->getConstructor()->isCopyOrMoveConstructor()) {
        Callable = Construct->getArg(0);
        continue;
      }
    }
    if (const auto* Lambda = dyn_cast<LambdaExpr>(E)) return Lambda->getCallOperator();
    if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
      if (const auto* Fn = dyn_cast<FunctionDecl>(Ref->getDecl())) return Fn;
      if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl()); Var && Var->getInit()) {
        Callable = Var->getInit();
        continue;
      }
    }
    if (const auto* Call = dyn_cast<CallExpr>(E)) {
      const FunctionDecl* Callee = Call->getDirectCallee();
      if (Callee && Call->getNumArgs() > 0 &&
          (SyncApi::qualifiedName(*Callee) == "std::bind" ||
           SyncApi::qualifiedName(*Callee) == "std::bind_front")) {
        Callable = Call->getArg(0);
        continue;
      }
    }
    if (const CXXRecordDecl* Record = SyncApi::recordOf(E->getType(), false);
        Record && Record->hasDefinition()) {
      for (const CXXMethodDecl* Method : Record->methods())
        if (Method->getOverloadedOperator() == OO_Call) return Method;
    }
    return nullptr;
  }
  return nullptr;
}

ThreadEntries::ThreadEntries(ASTContext& Ctx, const SyncApi& Api) : Ctx(Ctx), Api(Api) {
  FunctionCollector(Ctx.getSourceManager(), Functions).TraverseAST(Ctx);
  for (const FunctionDecl* F : Functions) index(F);
  for (const FunctionDecl* F : Functions) {
    if (const auto* Method = dyn_cast<CXXMethodDecl>(F);
        Method && Api.isThreadRunOverride(*Method)) {
      ThreadStart Start;
      Start.Loc = Method->getLocation();
      Start.Entry = Method;
      Starts.push_back(Start);
    }
  }
  for (const ThreadStart& Start : Starts) ++EntryCount[key(Start.Entry)];
  for (unsigned I = 0; I < Starts.size(); ++I) {
    for (const FunctionDecl* F : reachableFrom(Starts[I].Entry)) Reaching[F].push_back(I);
  }
  computeRegions();
}

void ThreadEntries::index(const FunctionDecl* F) {
  auto& Own = Calls[key(F)];
  BodyVisitor([&](const Stmt& S) {
    if (const auto* Call = dyn_cast<CallExpr>(&S)) {
      Own.push_back(Call);
      if (const FunctionDecl* Callee = Call->getDirectCallee())
        Callers[key(Callee)].push_back(CallSite{Call, F});
    }
    if (const auto* E = dyn_cast<Expr>(&S); E && (isa<CallExpr>(E) || isa<CXXConstructExpr>(E))) {
      if (const Expr* Callable = Api.threadCallable(*E)) addStart(E, Callable, F);
    }
  }).TraverseStmt(F->getBody());
}

void ThreadEntries::addStart(const Expr* Site, const Expr* Callable, const FunctionDecl* In) {
  const FunctionDecl* Entry = resolveCallable(Callable);
  if (!Entry) return;
  ThreadStart Start;
  Start.Site = Site;
  Start.Loc = Site->getBeginLoc();
  Start.Entry = Entry;
  Start.StartedIn = In;
  Start.InLoop = insideLoop(Ctx, *Site);
  if (const auto* Lambda = dyn_cast<LambdaExpr>(stripObject(Callable))) {
    for (const LambdaCapture& Capture : Lambda->captures())
      if (Capture.capturesThis()) Start.SameObject = true;
  } else if (isa<CXXMethodDecl>(Entry) && !cast<CXXMethodDecl>(Entry)->isStatic()) {
    // std::thread(&C::f, object, ...): the object follows the callable.
    const Expr* Object = nullptr;
    bool Next = false;
    auto Consider = [&](const Expr* Arg) {
      if (Next && !Object) Object = Arg;
      if (Arg == Callable) Next = true;
    };
    if (const auto* Call = dyn_cast<CallExpr>(Site))
      for (const Expr* Arg : Call->arguments()) Consider(Arg);
    if (const auto* Construct = dyn_cast<CXXConstructExpr>(Site))
      for (const Expr* Arg : Construct->arguments()) Consider(Arg);
    Start.SameObject = Object && isSameObjectArgument(Object);
  }
  Starts.push_back(Start);
}

std::set<const FunctionDecl*> ThreadEntries::reachableFrom(const FunctionDecl* Entry) const {
  std::set<const FunctionDecl*> Seen;
  std::vector<const FunctionDecl*> Work{key(Entry)};
  while (!Work.empty()) {
    const FunctionDecl* F = Work.back();
    Work.pop_back();
    if (!Seen.insert(F).second) continue;
    for (const CallExpr* Call : callsIn(F))
      if (const FunctionDecl* Callee = Call->getDirectCallee()) Work.push_back(key(Callee));
  }
  return Seen;
}

llvm::ArrayRef<unsigned> ThreadEntries::startsReaching(const FunctionDecl* F) const {
  auto It = Reaching.find(key(F));
  return It == Reaching.end() ? llvm::ArrayRef<unsigned>() : llvm::ArrayRef(It->second);
}

bool ThreadEntries::runsSeveralTimes(unsigned Index) const {
  const ThreadStart& Start = Starts[Index];
  if (Start.InLoop) return true;
  auto It = EntryCount.find(key(Start.Entry));
  return It != EntryCount.end() && It->second > 1;
}

llvm::ArrayRef<CallSite> ThreadEntries::callers(const FunctionDecl* F) const {
  auto It = Callers.find(key(F));
  return It == Callers.end() ? llvm::ArrayRef<CallSite>() : llvm::ArrayRef(It->second);
}

llvm::ArrayRef<const CallExpr*> ThreadEntries::callsIn(const FunctionDecl* F) const {
  auto It = Calls.find(key(F));
  return It == Calls.end() ? llvm::ArrayRef<const CallExpr*>() : llvm::ArrayRef(It->second);
}

void ThreadEntries::computeRegions() {
  const SourceManager& SM = Ctx.getSourceManager();
  Regions.resize(Starts.size());
  for (unsigned I = 0; I < Starts.size(); ++I) {
    const ThreadStart& Start = Starts[I];
    if (!Start.Site || !Start.StartedIn) continue;
    Region& R = Regions[I];
    R.Begin = Start.Site->getEndLoc();
    R.End = Start.StartedIn->getBody()->getEndLoc();
    for (const CallExpr* Call : callsIn(Start.StartedIn)) {
      const FunctionDecl* Callee = Call->getDirectCallee();
      if (!Callee || !Callee->getIdentifier()) continue;
      llvm::StringRef Name = Callee->getName();
      const bool Joins = Name == "join" || Name == "pthread_join" || Name == "get" ||
                         Name == "result" || Name == "wait" || Name == "shutdown";
      if (Joins && SM.isBeforeInTranslationUnit(R.Begin, Call->getBeginLoc()) &&
          SM.isBeforeInTranslationUnit(Call->getBeginLoc(), R.End))
        R.End = Call->getBeginLoc();
    }
    for (const CallExpr* Call : callsIn(Start.StartedIn)) {
      const FunctionDecl* Callee = Call->getDirectCallee();
      if (Callee && SM.isBeforeInTranslationUnit(R.Begin, Call->getBeginLoc()) &&
          SM.isBeforeInTranslationUnit(Call->getBeginLoc(), R.End))
        R.Callees.insert(key(Callee));
    }
  }
}

bool ThreadEntries::inStarterRegion(unsigned Index, const FunctionDecl* F, const Stmt* S) const {
  const ThreadStart& Start = Starts[Index];
  const Region& R = Regions[Index];
  if (!Start.Site || !Start.StartedIn || R.Begin.isInvalid()) return false;
  if (R.Callees.count(key(F))) return true;
  if (key(F) != key(Start.StartedIn)) return false;
  const SourceManager& SM = Ctx.getSourceManager();
  return SM.isBeforeInTranslationUnit(R.Begin, S->getBeginLoc()) &&
         SM.isBeforeInTranslationUnit(S->getBeginLoc(), R.End);
}

}  // namespace racelens::tidy
