#include "analysis/LockSet.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"

namespace racelens::tidy {

using namespace clang;

namespace {

bool sameKeys(const LockMap& A, const LockMap& B) {
  if (A.size() != B.size()) return false;
  for (auto ItA = A.begin(), ItB = B.begin(); ItA != A.end(); ++ItA, ++ItB)
    if (ItA->first != ItB->first || ItA->second.Explicit != ItB->second.Explicit) return false;
  return true;
}

bool isNoReturnCall(const Stmt* S) {
  const auto* Call = dyn_cast_or_null<CallExpr>(S);
  if (!Call) return false;
  const FunctionDecl* Callee = Call->getDirectCallee();
  return Callee && Callee->isNoReturn();
}

}  // namespace

bool LockSetAnalysis::State::operator==(const State& Other) const {
  if (!sameKeys(Must, Other.Must) || !sameKeys(May, Other.May)) return false;
  if (Guards.size() != Other.Guards.size()) return false;
  for (auto ItA = Guards.begin(), ItB = Other.Guards.begin(); ItA != Guards.end(); ++ItA, ++ItB)
    if (ItA->first != ItB->first || ItA->second.Owns != ItB->second.Owns) return false;
  return true;
}

LockSetAnalysis::LockSetAnalysis(const FunctionDecl& Fn, ASTContext& Ctx, const SyncApi& Api)
    : Api(Api), Cfg(Fn, Ctx) {
  if (Cfg.valid()) run();
}

const LockMap* LockSetAnalysis::heldBefore(const Stmt* S) const {
  auto It = Before.find(S);
  return It == Before.end() ? nullptr : &It->second;
}

void LockSetAnalysis::acquire(State& S, const HeldLock& Lock, const LockMap& BeforeLocks,
                              bool Record, bool Recursive) {
  if (Record) Acquisitions.push_back(Acquisition{Lock, BeforeLocks, Recursive, false});
  S.Must.try_emplace(Lock.Id.Key, Lock);
  S.May.try_emplace(Lock.Id.Key, Lock);
}

void LockSetAnalysis::release(State& S, const std::string& Key) {
  S.Must.erase(Key);
  S.May.erase(Key);
}

bool LockSetAnalysis::conditionTryLock(const CFGBlock& Block, HeldLock& Lock,
                                       unsigned& Successor) const {
  if (Block.succ_size() != 2) return false;
  const Stmt* Cond = Block.getTerminatorCondition(true);
  const auto* E = dyn_cast_or_null<Expr>(Cond);
  if (!E) return false;
  bool Negate = false;
  for (;;) {
    E = E->IgnoreParenImpCasts();
    if (const auto* Unary = dyn_cast<UnaryOperator>(E); Unary && Unary->getOpcode() == UO_LNot) {
      Negate = !Negate;
      E = Unary->getSubExpr();
      continue;
    }
    if (const auto* Binary = dyn_cast<BinaryOperator>(E);
        Binary && (Binary->getOpcode() == BO_EQ || Binary->getOpcode() == BO_NE)) {
      const Expr* Zero = Binary->getRHS()->IgnoreParenImpCasts();
      const Expr* Other = Binary->getLHS();
      if (!isa<IntegerLiteral>(Zero)) std::swap(Zero, Other);
      const auto* Literal = dyn_cast<IntegerLiteral>(Zero->IgnoreParenImpCasts());
      if (!Literal || Literal->getValue() != 0) return false;
      if (Binary->getOpcode() == BO_EQ) Negate = !Negate;
      E = Other;
      continue;
    }
    break;
  }
  const auto* Call = dyn_cast<CallExpr>(E);
  if (!Call) return false;
  LockOp Op = Api.classifyCall(*Call);
  if (Op.Kind != LockOpKind::TryAcquire || Op.Locks.size() != 1) return false;
  std::optional<ObjectId> Id = identifyObject(Op.Locks.front());
  if (!Id) return false;
  Lock = HeldLock{*Id, Call, true};
  const bool SuccessWhenTrue = Op.ZeroMeansSuccess ? Negate : !Negate;
  Successor = SuccessWhenTrue ? 0 : 1;
  return true;
}

LockSetAnalysis::State LockSetAnalysis::join(const CFGBlock& Block, bool& Reachable) const {
  State In;
  Reachable = false;
  if (&Block == &Cfg.cfg().getEntry()) {
    Reachable = true;
    return In;
  }
  for (const CFGBlock::AdjacentBlock& PredRef : Block.preds()) {
    const CFGBlock* Pred = PredRef.getReachableBlock();
    if (!Pred || !Computed[Pred->getBlockID()]) continue;
    State Edge = Out[Pred->getBlockID()];
    HeldLock Tried;
    unsigned Successor = 0;
    if (conditionTryLock(*Pred, Tried, Successor) &&
        Pred->succs().begin()[Successor].getReachableBlock() == &Block) {
      Edge.Must.try_emplace(Tried.Id.Key, Tried);
      Edge.May.try_emplace(Tried.Id.Key, Tried);
    }
    if (!Reachable) {
      In = std::move(Edge);
      Reachable = true;
      continue;
    }
    for (auto It = In.Must.begin(); It != In.Must.end();) {
      if (Edge.Must.count(It->first))
        ++It;
      else
        It = In.Must.erase(It);
    }
    for (auto& [Key, Lock] : Edge.May) In.May.try_emplace(Key, Lock);
    for (auto& [Var, Guard] : Edge.Guards) {
      auto [It, Inserted] = In.Guards.try_emplace(Var, Guard);
      if (!Inserted) It->second.Owns = It->second.Owns || Guard.Owns;
    }
  }
  return In;
}

void LockSetAnalysis::transferStmt(const Stmt& S, State& St, bool Record) {
  if (Record) Before[&S] = St.Must;
  if (const auto* Call = dyn_cast<CallExpr>(&S)) {
    llvm::StringRef Method;
    if (const VarDecl* GuardVar = Api.guardMethod(*Call, Method)) {
      auto It = St.Guards.find(GuardVar);
      if (It == St.Guards.end()) return;
      GuardState& Guard = It->second;
      if (Method == "lock") {
        const LockMap Snapshot = St.Must;
        for (const HeldLock& Lock : Guard.Locks)
          acquire(St, HeldLock{Lock.Id, Call, false}, Snapshot, Record, false);
        Guard.Owns = true;
      } else if (Method == "unlock") {
        for (const HeldLock& Lock : Guard.Locks) release(St, Lock.Id.Key);
        Guard.Owns = false;
      } else if (Method == "release") {
        St.Guards.erase(It);
      }
      return;
    }
    LockOp Op = Api.classifyCall(*Call);
    if (Op.Kind == LockOpKind::Acquire) {
      const LockMap Snapshot = St.Must;
      for (const Expr* LockExpr : Op.Locks)
        if (std::optional<ObjectId> Id = identifyObject(LockExpr))
          acquire(St, HeldLock{*Id, Call, true}, Snapshot, Record, Api.isRecursiveLock(*LockExpr));
    } else if (Op.Kind == LockOpKind::Release) {
      for (const Expr* LockExpr : Op.Locks)
        if (std::optional<ObjectId> Id = identifyObject(LockExpr)) {
          if (!St.May.count(Id->Key)) ReleasedUnheld[Id->Key] = true;
          release(St, Id->Key);
          Released[Id->Key] = true;
        }
    }
    return;
  }
  if (const auto* Decl = dyn_cast<DeclStmt>(&S)) {
    for (const clang::Decl* D : Decl->decls()) {
      const auto* Var = dyn_cast<VarDecl>(D);
      GuardConstruction Construction;
      if (!Var || !Api.guardConstruction(*Var, Construction)) continue;
      GuardState Guard;
      for (const Expr* LockExpr : Construction.Locks)
        if (std::optional<ObjectId> Id = identifyObject(LockExpr))
          Guard.Locks.push_back(HeldLock{*Id, Decl, false});
      const LockMap Snapshot = St.Must;
      switch (Construction.Mode) {
        case GuardMode::Locks:
          for (size_t I = 0; I < Guard.Locks.size(); ++I)
            acquire(St, Guard.Locks[I], Snapshot, Record,
                    Api.isRecursiveLock(*Construction.Locks[I]));
          Guard.Owns = true;
          break;
        case GuardMode::Adopts:
          for (const HeldLock& Lock : Guard.Locks) {
            St.Must.insert_or_assign(Lock.Id.Key, Lock);
            St.May.insert_or_assign(Lock.Id.Key, Lock);
          }
          Guard.Owns = true;
          break;
        case GuardMode::Defers:
        case GuardMode::Tries:
          Guard.Owns = false;
          break;
      }
      St.Guards[Var] = std::move(Guard);
    }
  }
}

void LockSetAnalysis::transfer(const CFGBlock& Block, State& St, bool Record) {
  for (const CFGElement& Element : Block) {
    if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>()) {
      transferStmt(*S->getStmt(), St, Record);
    } else if (std::optional<CFGAutomaticObjDtor> Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
      auto It = St.Guards.find(Dtor->getVarDecl());
      if (It == St.Guards.end()) continue;
      if (It->second.Owns)
        for (const HeldLock& Lock : It->second.Locks) release(St, Lock.Id.Key);
      St.Guards.erase(It);
    }
  }
  HeldLock Tried;
  unsigned Successor = 0;
  if (Record && conditionTryLock(Block, Tried, Successor))
    Acquisitions.push_back(Acquisition{Tried, St.Must, false, true});
}

void LockSetAnalysis::run() {
  const CFG& Graph = Cfg.cfg();
  Out.assign(Graph.getNumBlockIDs(), State{});
  Computed.assign(Graph.getNumBlockIDs(), false);
  for (int Pass = 0; Pass < 32; ++Pass) {
    bool Changed = false;
    for (const CFGBlock* Block : llvm::reverse(Graph)) {
      bool Reachable = false;
      State St = join(*Block, Reachable);
      if (!Reachable) continue;
      transfer(*Block, St, false);
      const unsigned Id = Block->getBlockID();
      if (!Computed[Id] || !(St == Out[Id])) {
        Out[Id] = std::move(St);
        Computed[Id] = true;
        Changed = true;
      }
    }
    if (!Changed) break;
  }
  for (const CFGBlock* Block : llvm::reverse(Graph)) {
    bool Reachable = false;
    State St = join(*Block, Reachable);
    if (Reachable) transfer(*Block, St, true);
  }
  for (const CFGBlock::AdjacentBlock& PredRef : Graph.getExit().preds()) {
    const CFGBlock* Pred = PredRef.getReachableBlock();
    if (!Pred || !Computed[Pred->getBlockID()]) continue;
    const Stmt* Exit = FunctionCfg::lastStmt(*Pred);
    if (isNoReturnCall(Exit)) continue;
    for (const auto& [Key, Lock] : Out[Pred->getBlockID()].May)
      if (Lock.Explicit) Leaks.push_back(HeldAtExit{Lock, Exit});
  }
}

}  // namespace racelens::tidy
