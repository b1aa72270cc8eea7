// Worker processes, their pipes and the manager thread: racelens/detail/process_pool_core.hpp.
#include "racelens/detail/process_pool_core.hpp"

#include <cxxabi.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "racelens/detail/external_wait.hpp"
#include "racelens/detail/fork.hpp"
#include "racelens/detail/pipe_channel.hpp"
#include "racelens/errors.hpp"
#include "runtime/type_name.hpp"

namespace racelens::detail {

const char* const kBrokenPoolSubmitMessage =
    "A child process terminated abruptly, the process pool is not usable anymore";
const char* const kBrokenPoolFutureMessage =
    "A process in the process pool was terminated abruptly while the future was running or "
    "pending.";

namespace {

constexpr std::uint8_t kReplyValue = 0;
constexpr std::uint8_t kReplyError = 1;

// Every pipe end a process pool holds in this process. A worker closes all of
// them but its own two right after the fork: a sibling (or another pool's
// worker) holding a copy of a worker's reply pipe would hide that worker's
// death from the manager, which learns of it from end of file.
// (A SpinningMutex: it is held across a fork, which the controlled scheduler may switch at.)
SpinningMutex& PoolFdsMutex() {
  static SpinningMutex mutex;
  return mutex;
}
std::vector<int>& PoolFds() {
  static std::vector<int> fds;
  return fds;
}
void ForgetPoolFdLocked(int fd) {
  auto& fds = PoolFds();
  fds.erase(std::remove(fds.begin(), fds.end(), fd), fds.end());
}
void ClosePoolFd(int fd) {
  if (fd < 0) return;
  std::lock_guard lock(PoolFdsMutex());
  ForgetPoolFdLocked(fd);
  ::close(fd);
}

void ReapChild(pid_t pid) {
  int status = 0;
  ExternalWait wait;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // ECHILD: someone else (a waitpid(-1) in the program) reaped it already.
}

std::string CurrentExceptionText() {
  try {
    throw;
  } catch (const std::exception& e) {
    return TypeName(typeid(e)) + ": " + e.what();
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return (type != nullptr ? TypeName(*type) : std::string("unknown exception")) +
           ": (not a std::exception: no message)";
  }
}

// The worker process: runs calls until told to stop or the parent goes away.
[[noreturn]] void WorkerMain(int task_fd, int reply_fd, const std::vector<int>& inherited,
                             pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ExitForkedChild(1);  // the parent died before prctl
  for (int fd : inherited) {
    if (fd != task_fd && fd != reply_fd) ::close(fd);
  }
  sigset_t none;
  sigemptyset(&none);
  ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
  for (;;) {
    std::optional<std::string> message = ReadMessage(task_fd);
    if (!message || message->empty()) ExitForkedChild(0);  // stop, or the parent closed the pipe
    ByteWriter out;
    out.write(kReplyValue);
    try {
      ByteReader in(*message);
      const auto call = reinterpret_cast<ProcessCall>(in.read<std::uintptr_t>());
      call(in, out);
    } catch (...) {
      out = ByteWriter();
      out.write(kReplyError);
      out.write(CurrentExceptionText());
    }
    message.reset();
    if (!WriteMessage(reply_fd, std::move(out).take())) ExitForkedChild(0);
  }
}

// Cancels a task that never reached a worker; as_completed()/wait() learn of it.
void CancelTask(FutureCore& future) {
  future.Cancel();
  try {
    future.SetRunningOrNotifyCancel();
  } catch (const Error&) {
    // Completed by hand while queued: nothing to notify.
  }
}

// Completes `future` with `error` unless it is done already (cancelled, or set by hand).
void FailTask(FutureCore& future, const std::exception_ptr& error) {
  try {
    if (!future.SetRunningOrNotifyCancel()) return;  // cancelled: waiters told
  } catch (const Error&) {
    // RUNNING already, or completed by hand.
  }
  try {
    future.Finish(error, nullptr, nullptr);
  } catch (const InvalidStateError&) {
  }
}

}  // namespace

struct ProcessPoolCore::Worker {
  pid_t pid = -1;
  int task_fd = -1;                   // parent -> worker
  int reply_fd = -1;                  // worker -> parent
  std::unique_ptr<ProcessTask> task;  // the one being run
  bool stopping = false;              // sent the stop message
  bool alive = true;                  // not reaped yet
};

ProcessPoolCore::ProcessPoolCore(Options options)
    : options_(std::move(options)), wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (wake_fd_ < 0) {
    throw RuntimeError(std::string("racelens: cannot create a process pool: eventfd() failed: ") +
                       std::strerror(errno) + ".");
  }
  std::lock_guard lock(PoolFdsMutex());
  PoolFds().push_back(wake_fd_);
}

std::shared_ptr<ProcessPoolCore> ProcessPoolCore::Create(Options options) {
  std::shared_ptr<ProcessPoolCore> core(new ProcessPoolCore(std::move(options)));
  RACELENS_HOOK(OnObjectCreate, core.get(), ObjectKind::kProcessPool, "", RACELENS_SITE());
  if (core->options_.start_now) {
    std::unique_lock lock(core->mutex_);
    core->StartManagerLocked();
    core->WaitUntilSpawnedLocked(lock);
  }
  return core;
}

ProcessPoolCore::~ProcessPoolCore() {
  RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE());
  ClosePoolFd(wake_fd_);
}

bool ProcessPoolCore::StartManagerLocked() {
  if (manager_) return false;
  manager_ =
      std::make_unique<Thread>(ThreadOptions{.name = options_.name + "_manager", .daemon = true},
                               ManagerMain, shared_from_this());
  manager_->start();
  return true;
}

void ProcessPoolCore::WaitUntilSpawnedLocked(std::unique_lock<SpinningMutex>& lock) const {
  spawned_cv_.Wait(lock, Deadline::Never(), [&] { return manager_ == nullptr || spawned_; });
}

void ProcessPoolCore::ManagerMain(const std::shared_ptr<ProcessPoolCore>& core) {
  core->ManagerLoop();
}

ProcessPoolCore::SubmitStatus ProcessPoolCore::Submit(std::unique_ptr<ProcessTask> task,
                                                      Site site) {
  std::unique_lock lock(mutex_);
  if (broken_) return SubmitStatus::kBroken;
  if (shutdown_) return SubmitStatus::kShutdown;
  RACELENS_HOOK(OnQueuePut, this, site, task->submitted);
  queue_.push_back(std::move(task));
  const bool started = StartManagerLocked();
  lock.unlock();
  Wake();
  if (started) {
    // As CPython's executor, which forks in submit(): the caller goes on once the workers
    // exist, not while the manager forks them (a fork while this thread allocates would
    // leave a child stuck on the allocator's lock under GCC 12's AddressSanitizer).
    lock.lock();
    WaitUntilSpawnedLocked(lock);
  }
  return SubmitStatus::kQueued;
}

void ProcessPoolCore::Wake() {
  const std::uint64_t one = 1;
  while (::write(wake_fd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

void ProcessPoolCore::Shutdown(bool wait, bool cancel_queued) {
  std::deque<std::unique_ptr<ProcessTask>> drained;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    if (cancel_queued) drained.swap(queue_);
  }
  Wake();
  for (const auto& task : drained) {
    CancelTask(*task->future);
  }
  drained.clear();
  if (wait) JoinManager();
}

void ProcessPoolCore::Terminate() {
  std::deque<std::unique_ptr<ProcessTask>> drained;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    terminate_ = true;
    drained.swap(queue_);
  }
  Wake();
  for (const auto& task : drained) {
    CancelTask(*task->future);
  }
  drained.clear();
  JoinManager();
}

void ProcessPoolCore::JoinManager() {
  Thread* manager = nullptr;
  {
    std::lock_guard lock(mutex_);
    manager = manager_.get();
  }
  if (manager == nullptr) return;
  std::lock_guard join_lock(join_mutex_);
  if (joined_) return;
  manager->join();
  joined_ = true;
}

std::vector<pid_t> ProcessPoolCore::Pids() const {
  std::unique_lock lock(mutex_);
  WaitUntilSpawnedLocked(lock);
  return pids_;
}

bool ProcessPoolCore::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

void ProcessPoolCore::SpawnWorkers() {
  const pid_t parent = ::getpid();
  std::lock_guard fds_lock(PoolFdsMutex());
  for (std::size_t i = 0; i < options_.workers; ++i) {
    int to_worker[2];
    int from_worker[2];
    if (::pipe2(to_worker, O_CLOEXEC) != 0) {
      throw RuntimeError(std::string("racelens: cannot start a worker process: pipe() failed: ") +
                         std::strerror(errno) + ".");
    }
    if (::pipe2(from_worker, O_CLOEXEC) != 0) {
      const int error = errno;
      ::close(to_worker[0]);
      ::close(to_worker[1]);
      throw RuntimeError(std::string("racelens: cannot start a worker process: pipe() failed: ") +
                         std::strerror(error) + ".");
    }
    std::vector<int>& fds = PoolFds();
    fds.insert(fds.end(), {to_worker[1], from_worker[0]});
    const std::vector<int> inherited = fds;  // copied before the fork: the child only reads it
    pid_t pid = -1;
    try {
      pid = ForkProcess();
    } catch (...) {
      ForgetPoolFdLocked(to_worker[1]);
      ForgetPoolFdLocked(from_worker[0]);
      for (int fd : {to_worker[0], to_worker[1], from_worker[0], from_worker[1]}) ::close(fd);
      throw;
    }
    if (pid == 0) WorkerMain(to_worker[0], from_worker[1], inherited, parent);
    ::close(to_worker[0]);
    ::close(from_worker[1]);
    Worker& worker = workers_.emplace_back();
    worker.pid = pid;
    worker.task_fd = to_worker[1];
    worker.reply_fd = from_worker[0];
    std::lock_guard lock(mutex_);
    pids_.push_back(pid);
  }
}

void ProcessPoolCore::Abort(const std::exception_ptr& error, bool broken) {
  std::deque<std::unique_ptr<ProcessTask>> drained;
  {
    std::lock_guard lock(mutex_);
    if (broken) broken_ = true;
    shutdown_ = true;
    drained.swap(queue_);
  }
  for (Worker& worker : workers_) {
    if (worker.alive) ::kill(worker.pid, SIGKILL);
  }
  for (Worker& worker : workers_) {
    ClosePoolFd(worker.task_fd);
    ClosePoolFd(worker.reply_fd);
    worker.task_fd = worker.reply_fd = -1;
    if (worker.alive) ReapChild(worker.pid);
    worker.alive = false;
  }
  for (Worker& worker : workers_) {
    if (!worker.task) continue;
    RACELENS_HOOK(OnQueueGet, this, nullptr, worker.task->submitted);
    FailTask(*worker.task->future, error);
    worker.task.reset();
  }
  for (const auto& task : drained) {
    RACELENS_HOOK(OnQueueGet, this, nullptr, task->submitted);
    FailTask(*task->future, broken ? error : std::make_exception_ptr(CancelledError()));
  }
}

void ProcessPoolCore::ManagerLoop() {
  std::optional<std::string> failure;
  try {
    SpawnWorkers();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  {
    std::lock_guard lock(mutex_);
    spawned_ = true;
  }
  spawned_cv_.NotifyAll();
  if (failure) {
    // The workers forked so far are killed and reaped by Abort.
    Abort(std::make_exception_ptr(BrokenProcessPool(*failure)), true);
    return;
  }
  const auto broken_error = [] {
    return std::make_exception_ptr(BrokenProcessPool(kBrokenPoolFutureMessage));
  };
  std::vector<pollfd> polled;
  std::vector<Worker*> polled_workers;
  for (;;) {
    std::vector<Worker*> to_send;
    bool terminate = false;
    bool stop = false;
    {
      std::lock_guard lock(mutex_);
      terminate = terminate_;
      for (Worker& worker : workers_) {
        if (terminate || !worker.alive || worker.stopping || worker.task) continue;
        while (!queue_.empty() && !worker.task) {
          std::unique_ptr<ProcessTask> task = std::move(queue_.front());
          queue_.pop_front();
          bool run = false;
          try {
            run = task->future->SetRunningOrNotifyCancel();
          } catch (const Error&) {
            // Completed by hand while queued: not run, as CPython.
          }
          if (run) {
            worker.task = std::move(task);
            to_send.push_back(&worker);
          }
        }
      }
      stop = shutdown_ && queue_.empty();
    }
    if (terminate) {
      Abort(std::make_exception_ptr(CancelledError()), false);
      return;
    }
    bool lost = false;
    for (Worker* worker : to_send) {
      ExternalWait wait;  // a full pipe waits for the worker
      if (!WriteMessage(worker->task_fd, worker->task->call)) lost = true;
      worker->task->call = std::string();
    }
    if (lost) {
      Abort(broken_error(), true);
      return;
    }
    if (stop) {
      bool all_idle = true;
      for (const Worker& worker : workers_) all_idle = all_idle && !worker.task;
      if (all_idle) {
        for (Worker& worker : workers_) {
          if (!worker.alive || worker.stopping) continue;
          // The stop message is empty; its data pointer must not be null (WriteMessage copies it).
          {
            ExternalWait wait;
            WriteMessage(worker.task_fd, std::string_view("", 0));  // a dead worker: EOF below
          }
          ClosePoolFd(worker.task_fd);
          worker.task_fd = -1;
          worker.stopping = true;
        }
      }
    }
    polled.clear();
    polled_workers.clear();
    polled.push_back(pollfd{.fd = wake_fd_, .events = POLLIN, .revents = 0});
    for (Worker& worker : workers_) {
      if (!worker.alive) continue;
      polled.push_back(pollfd{.fd = worker.reply_fd, .events = POLLIN, .revents = 0});
      polled_workers.push_back(&worker);
    }
    if (polled_workers.empty()) return;  // every worker stopped and was reaped
    int ready;
    {
      ExternalWait wait;  // for the workers (other processes) and for submitters (wake_fd_)
      ready = ::poll(polled.data(), polled.size(), -1);
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      Abort(broken_error(), true);
      return;
    }
    if (polled[0].revents != 0) {
      std::uint64_t count = 0;
      while (::read(wake_fd_, &count, sizeof count) < 0 && errno == EINTR) {
      }
    }
    for (std::size_t i = 0; i < polled_workers.size(); ++i) {
      if (polled[i + 1].revents == 0) continue;
      Worker& worker = *polled_workers[i];
      std::optional<std::string> reply;
      try {
        ExternalWait wait;  // the rest of a long reply comes as the worker writes it
        reply = ReadMessage(worker.reply_fd);
      } catch (const Error&) {
        reply.reset();
      }
      if (!reply) {  // the worker is gone
        ClosePoolFd(worker.reply_fd);
        worker.reply_fd = -1;
        ReapChild(worker.pid);
        worker.alive = false;
        if (!worker.stopping || worker.task) {
          Abort(broken_error(), true);
          return;
        }
        continue;
      }
      if (!worker.task) {  // a reply nobody asked for: the worker is not ours to trust
        Abort(broken_error(), true);
        return;
      }
      std::unique_ptr<ProcessTask> task = std::move(worker.task);
      RACELENS_HOOK(OnQueueGet, this, nullptr, task->submitted);
      try {
        ByteReader in(*reply);
        if (in.read<std::uint8_t>() == kReplyValue) {
          task->complete(*task->future, in);
        } else {
          task->future->Finish(std::make_exception_ptr(ProcessError(in.read<std::string>())),
                               nullptr, nullptr);
        }
      } catch (const InvalidStateError&) {
        // Completed by hand while it ran, as CPython allows.
      } catch (...) {
        try {
          task->future->Finish(std::current_exception(), nullptr, nullptr);
        } catch (const InvalidStateError&) {
        }
      }
    }
  }
}

}  // namespace racelens::detail
