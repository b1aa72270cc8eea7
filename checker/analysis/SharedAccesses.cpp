#include "analysis/SharedAccesses.h"

#include <set>

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseMap.h"

namespace racelens::tidy {

using namespace clang;

namespace {

class OwnBodyVisitor : public RecursiveASTVisitor<OwnBodyVisitor> {
 public:
  explicit OwnBodyVisitor(llvm::function_ref<void(const Stmt&)> Visit) : Visit(Visit) {}
  bool TraverseLambdaExpr(LambdaExpr* L) {
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

// Strips parentheses, casts, array subscripts and overloaded operator[] down to the object.
const Expr* stripToObject(const Expr* E) {
  for (;;) {
    E = E->IgnoreParenImpCasts();
    if (const auto* Subscript = dyn_cast<ArraySubscriptExpr>(E)) {
      if (!Subscript->getBase()->IgnoreParenImpCasts()->getType()->isArrayType()) return E;
      E = Subscript->getBase();
      continue;
    }
    if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(E);
        Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() > 0) {
      E = Op->getArg(0);
      continue;
    }
    return E;
  }
}

bool capturedByReference(const VarDecl* Var, const FunctionDecl* In) {
  const auto* Method = dyn_cast<CXXMethodDecl>(In);
  if (!Method || !Method->getParent()->isLambda()) return false;
  llvm::DenseMap<const ValueDecl*, FieldDecl*> Captures;
  FieldDecl* ThisCapture = nullptr;
  Method->getParent()->getCaptureFields(Captures, ThisCapture);
  auto It = Captures.find(Var);
  return It != Captures.end() && It->second->getType()->isReferenceType();
}

}  // namespace

SharedAccesses::SharedAccesses(const ThreadEntries& Entries, const SyncApi& Api) : Api(Api) {
  for (const FunctionDecl* F : Entries.functions()) collect(F);
  for (unsigned I = 0; I < Accesses.size(); ++I) ByTarget[Accesses[I].Target].push_back(I);
}

const std::vector<unsigned>& SharedAccesses::of(const ValueDecl* Target) const {
  static const std::vector<unsigned> None;
  auto It = ByTarget.find(Target);
  return It == ByTarget.end() ? None : It->second;
}

bool SharedAccesses::excludedType(QualType Type) const {
  if (Type.isNull()) return true;
  QualType Value = Type.getNonReferenceType();
  if (const auto* Array = Value->getAsArrayTypeUnsafe()) Value = Array->getElementType();
  return Value.isConstQualified() || Value->isAtomicType() || Api.isSyncType(Value);
}

bool SharedAccesses::sharedRoot(const Expr* E, const FunctionDecl* In, bool& ViaThis) const {
  E = stripToObject(E);
  if (isa<CXXThisExpr>(E)) {
    ViaThis = true;
    return true;
  }
  if (const auto* Member = dyn_cast<MemberExpr>(E)) {
    if (const auto* Static = dyn_cast<VarDecl>(Member->getMemberDecl()))
      return !excludedType(Static->getType()) && Static->getTLSKind() == VarDecl::TLS_None;
    if (Member->isArrow() && !isa<CXXThisExpr>(Member->getBase()->IgnoreParenImpCasts()))
      return false;
    return sharedRoot(Member->getBase(), In, ViaThis);
  }
  const auto* Ref = dyn_cast<DeclRefExpr>(E);
  const auto* Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || Var->getTLSKind() != VarDecl::TLS_None || Var->getType()->isReferenceType() ||
      Var->getType()->isPointerType())
    return false;
  if (Var->hasGlobalStorage()) return true;
  return capturedByReference(Var, In);
}

bool SharedAccesses::target(const Expr* E, const FunctionDecl* In, SharedAccess& Out) const {
  E = stripToObject(E);
  const ValueDecl* Target = nullptr;
  bool ViaThis = false;
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto* Var = dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var || !sharedRoot(E, In, ViaThis)) return false;
    Target = Var;
  } else if (const auto* Member = dyn_cast<MemberExpr>(E)) {
    if (!isa<FieldDecl>(Member->getMemberDecl()) && !isa<VarDecl>(Member->getMemberDecl()))
      return false;
    if (!sharedRoot(E, In, ViaThis)) return false;
    Target = Member->getMemberDecl();
  } else {
    return false;
  }
  if (excludedType(Target->getType())) return false;
  Out.Target = Target;
  Out.ViaThis = ViaThis;
  Out.In = In;
  return true;
}

void SharedAccesses::collect(const FunctionDecl* F) {
  std::set<const Expr*> Written;
  OwnBodyVisitor([&](const Stmt& S) {
    const Expr* Object = nullptr;
    if (const auto* Binary = dyn_cast<BinaryOperator>(&S)) {
      if (Binary->isAssignmentOp()) Object = Binary->getLHS();
    } else if (const auto* Unary = dyn_cast<UnaryOperator>(&S)) {
      if (Unary->isIncrementDecrementOp()) Object = Unary->getSubExpr();
    } else if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(&S)) {
      const OverloadedOperatorKind Kind = Op->getOperator();
      if ((Op->isAssignmentOp() || Kind == OO_PlusPlus || Kind == OO_MinusMinus) &&
          Op->getNumArgs() > 0)
        Object = Op->getArg(0);
    } else if (const auto* Call = dyn_cast<CXXMemberCallExpr>(&S)) {
      const CXXMethodDecl* Method = Call->getMethodDecl();
      const Expr* Implicit = Call->getImplicitObjectArgument();
      if (Method && Implicit && !Method->isConst() && !Method->isStatic() &&
          !isa<CXXThisExpr>(Implicit->IgnoreParenImpCasts()) &&
          !Api.isSyncType(Implicit->getType()) &&
          !(Implicit->getType()->isPointerType() &&
            Api.isSyncType(Implicit->getType()->getPointeeType())))
        Object = Implicit;
    }
    if (Object) {
      SharedAccess Access;
      if (target(Object, F, Access)) {
        Access.Site = cast<Expr>(&S);
        Access.IsWrite = true;
        Accesses.push_back(Access);
        Written.insert(stripToObject(Object));
      }
      return;
    }
    if (isa<DeclRefExpr>(&S) || isa<MemberExpr>(&S)) {
      const auto* E = cast<Expr>(&S);
      if (Written.count(E)) return;
      SharedAccess Access;
      if (target(E, F, Access)) {
        Access.Site = E;
        Accesses.push_back(Access);
      }
    }
  }).TraverseStmt(F->getBody());
}

}  // namespace racelens::tidy
