#include "PoolJoinBeforeCloseCheck.h"

#include <set>
#include <vector>

#include "analysis/CfgUtils.h"
#include "analysis/LockIdentity.h"
#include "analysis/ThreadEntries.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

namespace racelens::tidy {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

constexpr const char* DefaultPoolTypes = "racelens::Pool;racelens::ThreadPool";

// A call on a pool object: the method name and the pool's identity.
struct PoolCall {
  const CallExpr* Call;
  llvm::StringRef Method;
  ObjectId Pool;
};

bool isLocalOf(const Expr* Object, const FunctionDecl* F) {
  const auto* Ref = dyn_cast<DeclRefExpr>(stripObject(Object));
  const auto* Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && Var->isLocalVarDecl() && !Var->isStaticLocal() && Var->getDeclContext() == F &&
         !Var->getType()->isReferenceType();
}

// A pool reached through a parameter or a reference belongs to a caller, which may close it.
bool belongsToCaller(const Expr* Object) {
  const Expr* Root = stripObject(Object);
  while (const auto* Member = dyn_cast<MemberExpr>(Root)) Root = stripObject(Member->getBase());
  const auto* Ref = dyn_cast<DeclRefExpr>(Root);
  const auto* Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return Var && (isa<ParmVarDecl>(Var) || Var->getType()->isReferenceType());
}

}  // namespace

PoolJoinBeforeCloseCheck::PoolJoinBeforeCloseCheck(llvm::StringRef Name,
                                                   clang::tidy::ClangTidyContext* Context)
    : ClangTidyCheck(Name, Context), PoolTypesText(Options.get("PoolTypes", DefaultPoolTypes)) {
  SyncApi::parseList(PoolTypesText, PoolTypes);
}

void PoolJoinBeforeCloseCheck::storeOptions(clang::tidy::ClangTidyOptions::OptionMap& Opts) {
  Options.store(Opts, "PoolTypes", PoolTypesText);
}

void PoolJoinBeforeCloseCheck::registerMatchers(MatchFinder* Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void PoolJoinBeforeCloseCheck::check(const MatchFinder::MatchResult& Result) {
  ASTContext& Ctx = *Result.Context;
  const SyncApi Api(Options);
  const ThreadEntries Entries(Ctx, Api);
  auto IsPool = [&](QualType Type) {
    if (Type->isPointerType()) Type = Type->getPointeeType();
    return SyncApi::matchesType(Type, PoolTypes);
  };
  // Pools closed or terminated anywhere, for pools that outlive one function.
  std::set<std::string> ClosedSomewhere;
  std::vector<std::pair<const FunctionDecl*, PoolCall>> Joins;
  for (const FunctionDecl* F : Entries.functions()) {
    for (const CallExpr* Call : Entries.callsIn(F)) {
      const auto* Member = dyn_cast<CXXMemberCallExpr>(Call);
      const CXXMethodDecl* Method = Member ? Member->getMethodDecl() : nullptr;
      if (!Method || !Method->getIdentifier()) continue;
      // The pool's own type, before the conversion to the base class that declares join().
      const Expr* Object = Member->getImplicitObjectArgument();
      if (!IsPool(Object->IgnoreParenImpCasts()->getType())) continue;
      std::optional<ObjectId> Pool = identifyObject(Object);
      if (!Pool) continue;
      llvm::StringRef Name = Method->getName();
      if (Name == "close" || Name == "terminate") ClosedSomewhere.insert(Pool->Key);
      if (Name == "join") Joins.push_back({F, PoolCall{Call, Name, *Pool}});
    }
  }
  for (const auto& [F, Join] : Joins) {
    const Expr* Object = cast<CXXMemberCallExpr>(Join.Call)->getImplicitObjectArgument();
    // A pool that is not a local of this function may be closed elsewhere (a caller, another
    // member function); only say something when nothing in the translation unit closes it.
    if (belongsToCaller(Object) || (!isLocalOf(Object, F) && ClosedSomewhere.count(Join.Pool.Key)))
      continue;
    const FunctionCfg Cfg(*F, Ctx);
    if (!Cfg.valid()) continue;
    const std::string& Key = Join.Pool.Key;
    auto ClosesOrEscapes = [&](const Stmt& S) {
      const auto* Call = dyn_cast<CallExpr>(&S);
      if (!Call) return false;
      if (const auto* Member = dyn_cast<CXXMemberCallExpr>(Call)) {
        const CXXMethodDecl* Method = Member->getMethodDecl();
        std::optional<ObjectId> Id = identifyObject(Member->getImplicitObjectArgument());
        if (Method && Method->getIdentifier() && Id && Id->Key == Key &&
            (Method->getName() == "close" || Method->getName() == "terminate"))
          return true;
      }
      // Passed to another function, which may close it.
      for (const Expr* Arg : Call->arguments())
        if (std::optional<ObjectId> Id = identifyObject(Arg); Id && Id->Key == Key) return true;
      return false;
    };
    if (!Cfg.reachableAvoiding(Join.Call, ClosesOrEscapes)) continue;
    diag(Join.Call->getBeginLoc(),
         "'%0' is joined while it may still be running; call close() or terminate() before "
         "join(), which otherwise raises 'Pool is still running'")
        << Join.Pool.Name;
  }
}

}  // namespace racelens::tidy
