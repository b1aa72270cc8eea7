#include "analysis/CfgUtils.h"

#include <vector>

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/BitVector.h"

namespace racelens::tidy {

using namespace clang;

FunctionCfg::FunctionCfg(const FunctionDecl& Fn, ASTContext& Ctx) {
  if (!Fn.hasBody()) return;
  CFG::BuildOptions Options;
  Options.AddImplicitDtors = true;
  Options.AddTemporaryDtors = true;
  Options.AddCXXDefaultInitExprInCtors = true;
  Options.setAllAlwaysAdd();
  Cfg = CFG::buildCFG(&Fn, Fn.getBody(), &Ctx, Options);
  if (!Cfg) return;
  for (const CFGBlock* Block : *Cfg) {
    unsigned Index = 0;
    for (const CFGElement& Element : *Block) {
      if (std::optional<CFGStmt> S = Element.getAs<CFGStmt>())
        Positions.try_emplace(S->getStmt(), Position{Block, Index});
      ++Index;
    }
  }
}

std::optional<FunctionCfg::Position> FunctionCfg::position(const Stmt* S) const {
  auto It = Positions.find(S);
  if (It == Positions.end()) return std::nullopt;
  return It->second;
}

const Stmt* FunctionCfg::lastStmt(const CFGBlock& Block) {
  for (auto It = Block.rbegin(); It != Block.rend(); ++It)
    if (std::optional<CFGStmt> S = It->getAs<CFGStmt>()) return S->getStmt();
  return nullptr;
}

bool FunctionCfg::reachable(const Stmt* From, const Stmt* To) const {
  std::optional<Position> A = position(From), B = position(To);
  if (!A || !B) return false;
  if (A->Block == B->Block && A->Index < B->Index) return true;
  llvm::BitVector Seen(Cfg->getNumBlockIDs());
  std::vector<const CFGBlock*> Work;
  for (const CFGBlock::AdjacentBlock& Succ : A->Block->succs())
    if (const CFGBlock* Next = Succ.getReachableBlock()) Work.push_back(Next);
  while (!Work.empty()) {
    const CFGBlock* Block = Work.back();
    Work.pop_back();
    if (Seen.test(Block->getBlockID())) continue;
    Seen.set(Block->getBlockID());
    if (Block == B->Block) return true;
    for (const CFGBlock::AdjacentBlock& Succ : Block->succs())
      if (const CFGBlock* Next = Succ.getReachableBlock()) Work.push_back(Next);
  }
  return false;
}

bool FunctionCfg::reachableAvoiding(const Stmt* S,
                                    llvm::function_ref<bool(const Stmt&)> Stops) const {
  std::optional<Position> Target = position(S);
  if (!Target) return false;
  auto StopsIn = [&](const CFGBlock& Block, unsigned End) {
    unsigned Index = 0;
    for (const CFGElement& Element : Block) {
      if (Index++ >= End) break;
      if (std::optional<CFGStmt> E = Element.getAs<CFGStmt>(); E && Stops(*E->getStmt()))
        return true;
    }
    return false;
  };
  if (StopsIn(*Target->Block, Target->Index)) return false;
  // Walk backwards from the target's block to the entry through blocks without a stop.
  llvm::BitVector Seen(Cfg->getNumBlockIDs());
  std::vector<const CFGBlock*> Work{Target->Block};
  while (!Work.empty()) {
    const CFGBlock* Block = Work.back();
    Work.pop_back();
    if (Block == &Cfg->getEntry()) return true;
    for (const CFGBlock::AdjacentBlock& Pred : Block->preds()) {
      const CFGBlock* Prev = Pred.getReachableBlock();
      if (!Prev || Seen.test(Prev->getBlockID())) continue;
      Seen.set(Prev->getBlockID());
      if (!StopsIn(*Prev, Prev->size())) Work.push_back(Prev);
    }
  }
  return false;
}

static bool isLoop(const Stmt& S) { return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S); }

bool insideLoop(ASTContext& Ctx, const Stmt& S) {
  DynTypedNode Node = DynTypedNode::create(S);
  for (int Depth = 0; Depth < 64; ++Depth) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty()) return false;
    Node = Parents[0];
    if (const auto* P = Node.get<Stmt>()) {
      if (isLoop(*P)) return true;
      if (isa<LambdaExpr>(P)) return false;
    } else if (Node.get<Decl>() && !Node.get<VarDecl>()) {
      return false;
    }
  }
  return false;
}

}  // namespace racelens::tidy
