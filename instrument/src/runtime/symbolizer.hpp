// runtime/symbolizer.hpp — stacks from the depot as function, file and line.
//
// Symbolisation is in-process, with GCC's libbacktrace: the DWARF line tables
// of the executable and of every loaded shared object give the demangled
// function, file and line of each return address, and an address inside
// inlined code yields one frame per inlined call (innermost first), as in
// ThreadSanitizer reports. Function names are demangled and fully qualified
// with parameters ("racelens::Lock::acquire(bool, double)"), taken from the
// symbol table for the function that contains the pc; an inlined function of
// internal linkage (static, anonymous namespace, lambdas) shows only the plain
// name GCC's debug info records ("Helper", "operator()"). Where there is no
// debug info the function comes from the symbol table (file empty, line 0);
// where there is no symbol either, the frame carries only its pc. Compiler
// clone suffixes (" [clone .cold]") are dropped.
//
// Every pc in the depot is a return address (it points just after a call), so
// each one is looked up at pc - 1, inside the call instruction; Frame::pc holds
// the address as captured. Results are cached per pc.
//
// Report stacks are trimmed (TrimRuntimeFrames) so that frame 0 is user code:
//   - leading frames: the maximal run of racelens runtime frames and libstdc++
//     frames at the top of the stack is dropped when it contains at least one
//     runtime frame. So a primitive called through a std:: helper — Lock::lock
//     from std::lock_guard's constructor, std::scoped_lock, std::unique_lock,
//     std::function — is reported at the user's line that used the helper (the
//     declaration of the guard). Library frames are not dropped when no runtime
//     frame is above them (a stack that starts in std:: code stays as it is).
//   - trailing frames: everything below the outermost user frame is dropped —
//     libc's start-up (__libc_start_call_main, __libc_start_main, _start), thread
//     start (start_thread, clone, clone3, libstdc++'s
//     execute_native_thread_routine, sanitizer thread-start wrappers), the
//     racelens thread trampoline and the std::thread / std::invoke glue.
//   - a stack without any user frame (e.g. an internal worker thread of an
//     executor) keeps its runtime frames, so the report still shows something;
//     only the libc / thread-start / std::thread tail below them is dropped.
// A frame is a racelens runtime frame when its file lies under instrument/src/
// or include/racelens/ (the public headers, in the source tree or installed);
// when the file is unknown (no debug info), when its function is in namespace
// racelens (racelens::detail::..., a primitive's member such as
// "racelens::Lock::acquire(bool, double)", or a free function such as
// racelens::sleep). A known file decides: code in namespace racelens outside
// those directories (tests, samples) is user code. A frame is a libstdc++ frame
// when its file lies under include/c++/ or, without a file, when its function is
// in std:: or __gnu_cxx::.
//
// Thread-safety: all functions are thread-safe. The libbacktrace state is
// created once for the process, on first use (threaded mode); reading the debug
// info happens lazily and can take a while for a large program, so symbolise
// when reporting, not on hot paths. fork() may happen at any time.
//
// Errors: none are thrown (besides std::bad_alloc). Missing debug info, a
// missing symbol table or a libbacktrace failure yield frames with empty
// function/file and line 0; Symbolize(kNoStack) is empty.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "report/report.hpp"
#include "runtime/stack_depot.hpp"

namespace racelens::detail {

// All frames of stack `id`, innermost first, untrimmed.
report::Stack Symbolize(StackId id);

// All frames for return addresses `pcs`, innermost first, untrimmed (a zero pc
// is skipped).
report::Stack SymbolizePcs(std::span<const std::uintptr_t> pcs);

// Drops the racelens runtime / libstdc++ frames at the top and the start-up
// frames at the bottom, as described above. Pure: depends only on `stack`.
report::Stack TrimRuntimeFrames(report::Stack stack);

// TrimRuntimeFrames(Symbolize(id)): the stack as reports show it.
report::Stack SymbolizeForReport(StackId id);

// The name of the object with static storage (a global, a static member or
// a function's or file's static variable) that contains `address`, from the
// symbol table, demangled, without "(anonymous namespace)::" qualifiers:
// "counter", "Stats::hits", "Flags::state::value" (a static in a function). An address
// inside the object but not at its start gets "+<offset>" ("config+8"). Empty
// when no data symbol covers the address (heap and stack memory, a stripped
// binary). Slow on first use (reads the symbol table): for reports only.
std::string DataSymbolName(std::uintptr_t address);

// The qualified name of a demangled function name, without return type,
// parameters, cv/ref qualifiers and " [clone .xxx]" suffixes:
// "void racelens::Queue<int>::put(int, bool, double) const" ->
// "racelens::Queue<int>::put". Exposed for tests.
std::string_view QualifiedFunctionName(std::string_view function);

}  // namespace racelens::detail
