// LockIdentity: when two expressions denote the same lock (or Event, pool, executor).
//
// Two expressions are the same object when they name the same global or static variable, the
// same local variable or parameter of the same function (also from inside a lambda capturing it),
// the same member of `this` (in any member function of the class), or the same member of the same
// object expression (`a.mu` and `a.mu`, `p->mu` and `(*p).mu`). `&m` and `m` are the same.
// Anything else (array elements, call results) has no identity: checks then say nothing.
#pragma once

#include <optional>
#include <string>

#include "clang/AST/Expr.h"

namespace racelens::tidy {

struct ObjectId {
  /// Equal keys mean the same object; never shown to users.
  std::string Key;
  /// How the object is spelled for messages: `lock_a`, `mu_`, `account.mu`.
  std::string Name;
};

std::optional<ObjectId> identifyObject(const clang::Expr* E);

}  // namespace racelens::tidy
