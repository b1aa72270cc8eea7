#include "analysis/LockIdentity.h"

#include "analysis/SyncApi.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/Support/raw_ostream.h"

namespace racelens::tidy {

using namespace clang;

std::optional<ObjectId> identifyObject(const Expr* E) {
  E = stripObject(E);
  if (!E) return std::nullopt;
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto* Var = dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var) return std::nullopt;
    ObjectId Id;
    Id.Name = Var->getNameAsString();
    if (Var->hasGlobalStorage() && !Var->isStaticLocal()) {
      Id.Key = "global:" + Var->getQualifiedNameAsString();
    } else {
      llvm::raw_string_ostream Out(Id.Key);
      Out << "var:" << static_cast<const void*>(Var->getCanonicalDecl());
    }
    return Id;
  }
  if (const auto* Member = dyn_cast<MemberExpr>(E)) {
    const auto* Field = dyn_cast<ValueDecl>(Member->getMemberDecl());
    if (!Field) return std::nullopt;
    const Expr* Base = stripObject(Member->getBase());
    const std::string FieldName = Field->getNameAsString();
    if (isa<CXXThisExpr>(Base)) {
      const auto* Record = dyn_cast<CXXRecordDecl>(Field->getDeclContext());
      return ObjectId{
          "this:" + (Record ? SyncApi::qualifiedName(*Record) : std::string()) + "::" + FieldName,
          FieldName};
    }
    if (Field->isCXXClassMember() && isa<VarDecl>(Field))  // a static data member
      return ObjectId{"global:" + Field->getQualifiedNameAsString(), FieldName};
    std::optional<ObjectId> BaseId = identifyObject(Base);
    if (!BaseId) return std::nullopt;
    return ObjectId{BaseId->Key + "." + FieldName, BaseId->Name + "." + FieldName};
  }
  return std::nullopt;
}

}  // namespace racelens::tidy
