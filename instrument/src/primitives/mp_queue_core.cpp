// The untyped part of mp::Queue: a pipe, and counts in shared memory (detail/mp_queue_core.hpp).
#include "racelens/detail/mp_queue_core.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include "racelens/detail/deadline.hpp"
#include "racelens/detail/pipe_channel.hpp"
#include "racelens/errors.hpp"
#include "racelens/queue.hpp"

namespace racelens::detail {

struct MpQueueCore::Shared {
  pthread_mutex_t mutex;        // the counts below, the condition variables, put_clocks_
  pthread_mutex_t write_mutex;  // one writer at a time; guards next_seq
  pthread_mutex_t read_mutex;   // one reader at a time
  pthread_cond_t not_empty;
  pthread_cond_t not_full;
  pthread_cond_t all_done;
  std::int64_t size;        // items put and not yet claimed by a get
  std::int64_t unfinished;  // JoinableQueue: items put and not yet task_done()
  std::uint64_t next_seq;   // the sequence number of the next message
  std::uint64_t read_seq;   // every message before it has been read
};

namespace {

[[noreturn]] void ThrowErrno(const std::string& what, int error) {
  throw RuntimeError("racelens: cannot " + what + " for an mp::Queue: " + std::strerror(error) +
                     ".");
}

void InitMutex(pthread_mutex_t* mutex) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(mutex, &attr);
  pthread_mutexattr_destroy(&attr);
}

void InitCond(pthread_cond_t* cond) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(cond, &attr);
  pthread_condattr_destroy(&attr);
}

// The deadline on CLOCK_MONOTONIC (the steady clock's); false when it has passed.
bool AbsoluteMonotonic(const Deadline& deadline, timespec& when) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.left()).count();
  if (ns <= 0) return false;
  clock_gettime(CLOCK_MONOTONIC, &when);
  const long long total = static_cast<long long>(when.tv_nsec) + ns % 1000000000LL;
  when.tv_sec += static_cast<time_t>(ns / 1000000000LL + total / 1000000000LL);
  when.tv_nsec = static_cast<long>(total % 1000000000LL);
  return true;
}

// A robust, process-shared mutex held for a scope. A holder that died leaves
// it to the next locker (EOWNERDEAD), which takes it over.
class SharedLock {
 public:
  explicit SharedLock(pthread_mutex_t* mutex) : mutex_(mutex) {
    Repair(pthread_mutex_lock(mutex_));
  }
  SharedLock(const SharedLock&) = delete;
  SharedLock& operator=(const SharedLock&) = delete;
  ~SharedLock() { pthread_mutex_unlock(mutex_); }

  // Waits on `cond` until `ready()` holds (true) or the deadline passes (`ready()`'s value).
  template <class Ready>
  bool WaitUntil(pthread_cond_t* cond, const Deadline& deadline, Ready ready) {
    while (!ready()) {
      int rc;
      if (deadline.never()) {
        rc = pthread_cond_wait(cond, mutex_);
      } else {
        timespec when{};
        if (!AbsoluteMonotonic(deadline, when)) return ready();
        rc = pthread_cond_timedwait(cond, mutex_, &when);
      }
      Repair(rc);
      if (rc == ETIMEDOUT) return ready();
    }
    return true;
  }

 private:
  void Repair(int rc) {
    if (rc == EOWNERDEAD) pthread_mutex_consistent(mutex_);
  }
  pthread_mutex_t* mutex_;
};

constexpr int kPipeSize = 1 << 20;  // the unprivileged maximum (fs.pipe-max-size)

double BlockTimeout(double timeout) { return timeout >= 0 ? timeout : kWaitOnAnotherProcess; }

std::string SequenceBytes(std::uint64_t seq) {
  return std::string(reinterpret_cast<const char*>(&seq), sizeof seq);
}

}  // namespace

MpQueueCore::MpQueueCore(std::ptrdiff_t maxsize, bool joinable)
    : maxsize_(maxsize), joinable_(joinable) {
  void* block =
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (block == MAP_FAILED) ThrowErrno("map shared memory", errno);
  shared_ = new (block) Shared{};
  InitMutex(&shared_->mutex);
  InitMutex(&shared_->write_mutex);
  InitMutex(&shared_->read_mutex);
  InitCond(&shared_->not_empty);
  InitCond(&shared_->not_full);
  InitCond(&shared_->all_done);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    const int error = errno;
    munmap(shared_, sizeof(Shared));
    ThrowErrno("create a pipe", error);
  }
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  fcntl(write_fd_, F_SETPIPE_SZ, kPipeSize);  // best effort: the default (64 KiB) works too
  RACELENS_HOOK(OnObjectCreate, this, ObjectKind::kQueue, "", RACELENS_SITE());
}

MpQueueCore::~MpQueueCore() {
  RACELENS_HOOK(OnObjectDestroy, this, RACELENS_SITE());
  Close();
  munmap(shared_, sizeof(Shared));  // other processes keep their own mappings
}

void MpQueueCore::Close() {
  if (closed_) return;
  closed_ = true;
  close(read_fd_);
  close(write_fd_);
}

void MpQueueCore::CheckOpen() const {
  if (closed_) throw ValueError("Queue is closed");
}

void MpQueueCore::Put(std::string_view payload, bool block, double timeout, Site site) {
  CheckOpen();
  {
    SharedLock lock(&shared_->mutex);
    const auto has_room = [this] { return maxsize_ <= 0 || shared_->size < maxsize_; };
    if (!has_room()) {
      if (!block) throw Full();
      if (timeout != -1) CheckQueueTimeout(timeout);
      const Deadline deadline = Deadline::After(timeout);
      RACELENS_HOOK(OnBlock, this, BlockingCall::kMpQueuePut, BlockTimeout(timeout), site);
      const bool room = lock.WaitUntil(&shared_->not_full, deadline, has_room);
      RACELENS_HOOK(OnUnblock, this);
      if (!room) throw Full();
    }
    ++shared_->size;
    if (joinable_) ++shared_->unfinished;
    pthread_cond_signal(&shared_->not_empty);
  }
  SharedLock writing(&shared_->write_mutex);
  const std::uint64_t seq = shared_->next_seq++;
  if (HooksEnabled()) {
    SyncClock* clock;
    {
      SharedLock lock(&shared_->mutex);
      put_clocks_.erase(put_clocks_.begin(), put_clocks_.lower_bound(shared_->read_seq));
      clock = &put_clocks_[seq];  // map nodes stay put while others are added and erased
    }
    RACELENS_HOOK(OnQueuePut, this, site, *clock);
  }
  // The reader is in this process or another that has the pipe; false only after Close().
  if (!WriteMessage(write_fd_, SequenceBytes(seq)) || !WriteMessage(write_fd_, payload)) {
    throw ValueError("Queue is closed");
  }
}

std::string MpQueueCore::Get(bool block, double timeout, Site site) {
  CheckOpen();
  {
    SharedLock lock(&shared_->mutex);
    if (shared_->size <= 0) {
      if (!block) throw Empty();
      if (timeout != -1) CheckQueueTimeout(timeout);
      const Deadline deadline = Deadline::After(timeout);
      RACELENS_HOOK(OnBlock, this, BlockingCall::kMpQueueGet, BlockTimeout(timeout), site);
      const bool item =
          lock.WaitUntil(&shared_->not_empty, deadline, [this] { return shared_->size > 0; });
      RACELENS_HOOK(OnUnblock, this);
      if (!item) throw Empty();
    }
    --shared_->size;
    pthread_cond_signal(&shared_->not_full);
  }
  // The claimed item's message is in the pipe or being written to it.
  SharedLock reading(&shared_->read_mutex);
  const std::optional<std::string> seq_bytes = ReadMessage(read_fd_);
  std::optional<std::string> payload;
  if (seq_bytes && seq_bytes->size() == sizeof(std::uint64_t)) payload = ReadMessage(read_fd_);
  if (!payload) {
    throw RuntimeError(
        "racelens: an mp::Queue item was cut short (the process putting it died "
        "while writing it); the queue is unusable.");
  }
  std::uint64_t seq;
  std::memcpy(&seq, seq_bytes->data(), sizeof seq);
  if (HooksEnabled()) {
    SyncClock clock;
    {
      SharedLock lock(&shared_->mutex);
      if (shared_->read_seq < seq + 1) shared_->read_seq = seq + 1;
      if (auto node = put_clocks_.extract(seq)) clock = std::move(node.mapped());
    }
    if (clock.get() != nullptr) RACELENS_HOOK(OnQueueGet, this, site, clock);
  } else {
    SharedLock lock(&shared_->mutex);
    if (shared_->read_seq < seq + 1) shared_->read_seq = seq + 1;
  }
  return std::move(*payload);
}

void MpQueueCore::TaskDone(Site site) {
  SharedLock lock(&shared_->mutex);
  if (shared_->unfinished <= 0) ThrowTaskDoneTooManyTimes(this, site);
  RACELENS_HOOK(OnQueueTaskDone, this, site, all_done_);
  if (--shared_->unfinished == 0) pthread_cond_broadcast(&shared_->all_done);
}

void MpQueueCore::Join(Site site) {
  SharedLock lock(&shared_->mutex);
  if (shared_->unfinished > 0) {
    RACELENS_HOOK(OnBlock, this, BlockingCall::kMpQueueJoin, kWaitOnAnotherProcess, site);
    lock.WaitUntil(&shared_->all_done, Deadline::Never(),
                   [this] { return shared_->unfinished <= 0; });
    RACELENS_HOOK(OnUnblock, this);
  }
  RACELENS_HOOK(OnQueueJoin, this, site, all_done_);
}

std::size_t MpQueueCore::Size() const {
  SharedLock lock(&shared_->mutex);
  return shared_->size > 0 ? static_cast<std::size_t>(shared_->size) : 0;
}

bool MpQueueCore::IsFull() const {
  SharedLock lock(&shared_->mutex);
  return maxsize_ > 0 && shared_->size >= maxsize_;
}

}  // namespace racelens::detail
