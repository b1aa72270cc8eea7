#include "analysis/LockSummaries.h"

#include "clang/AST/RecursiveASTVisitor.h"

namespace racelens::tidy {

using namespace clang;

const LockSetAnalysis& LockSetCache::of(const FunctionDecl* F) {
  const FunctionDecl* Definition = F;
  if (const FunctionDecl* D = F->getDefinition()) Definition = D;
  std::unique_ptr<LockSetAnalysis>& Slot = Cache[Definition];
  if (!Slot) Slot = std::make_unique<LockSetAnalysis>(*Definition, Ctx, Api);
  return *Slot;
}

bool alwaysCalledWithLock(const FunctionDecl* F, const ThreadEntries& Entries,
                          LockSetCache& Locks) {
  for (const ThreadStart& Start : Entries.starts())
    if (ThreadEntries::key(Start.Entry) == ThreadEntries::key(F)) return false;
  llvm::ArrayRef<CallSite> Callers = Entries.callers(F);
  if (Callers.empty()) return false;
  for (const CallSite& Site : Callers) {
    const LockMap* Held = Locks.of(Site.Caller).heldBefore(Site.Call);
    if (!Held || Held->empty()) return false;
  }
  return true;
}

}  // namespace racelens::tidy

namespace racelens::tidy {

namespace {

class LockUseFinder : public clang::RecursiveASTVisitor<LockUseFinder> {
 public:
  explicit LockUseFinder(const SyncApi& Api) : Api(Api) {}
  bool TraverseLambdaExpr(clang::LambdaExpr*) { return true; }
  bool VisitCallExpr(clang::CallExpr* Call) {
    llvm::StringRef Method;
    Found = Found || Api.classifyCall(*Call).Kind != LockOpKind::None ||
            Api.guardMethod(*Call, Method) != nullptr;
    return !Found;
  }
  bool VisitVarDecl(clang::VarDecl* Var) {
    Found = Found || Api.isGuardType(Var->getType());
    return !Found;
  }
  bool Found = false;

 private:
  const SyncApi& Api;
};

}  // namespace

bool touchesLocks(const clang::FunctionDecl& F, const SyncApi& Api) {
  LockUseFinder Finder(Api);
  Finder.TraverseStmt(F.getBody());
  return Finder.Found;
}

}  // namespace racelens::tidy
