// RaceDetector and EventRaceDetector, fed directly without threads: the
// clocks come from a HappensBefore driven by hand-made edges.
#include <gtest/gtest.h>

#include <random>

#include "detect/event_race_detector.hpp"
#include "detect/happens_before.hpp"
#include "detect/location_shadow.hpp"
#include "detect/race_detector.hpp"

namespace racelens::detect {
namespace {

constexpr std::uintptr_t kValue = 0x1000;

class RaceDetectorTest : public ::testing::Test {
 protected:
  std::optional<DataRace> Read(ThreadId t, std::uint32_t stack = 0) {
    return races.OnAccess(kValue, 4, t, hb.ClockOf(t), false, stack);
  }
  std::optional<DataRace> Write(ThreadId t, std::uint32_t stack = 0) {
    return races.OnAccess(kValue, 4, t, hb.ClockOf(t), true, stack);
  }
  HappensBefore hb;
  RaceDetector races;
};

// nlock.py: two threads read then write `value` with nothing between them.
TEST_F(RaceDetectorTest, UnorderedReadThenWriteIsARace) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(Read(1, 11));
  EXPECT_FALSE(Read(2, 21));
  const auto race = Write(1, 12);
  ASSERT_TRUE(race);
  EXPECT_TRUE(race->current.is_write);
  EXPECT_EQ(race->current.stack, 12u);
  EXPECT_FALSE(race->previous.is_write);
  EXPECT_EQ(race->previous.epoch.thread, 2);
  EXPECT_EQ(race->previous.stack, 21u);
}

TEST_F(RaceDetectorTest, ARaceCarriesTheOrdinalsOfBothAccesses) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(races.OnAccess(kValue, 4, 2, hb.ClockOf(2), true, 21, /*ordinal=*/7));
  const auto race = races.OnAccess(kValue, 4, 1, hb.ClockOf(1), true, 12, /*ordinal=*/3);
  ASSERT_TRUE(race);
  EXPECT_EQ(race->previous.ordinal, 7u);
  EXPECT_EQ(race->current.ordinal, 3u);
}

TEST_F(RaceDetectorTest, UnorderedWritesRace) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(Write(1, 1));
  const auto race = Write(2, 2);
  ASSERT_TRUE(race);
  EXPECT_TRUE(race->previous.is_write);
  EXPECT_EQ(race->previous.epoch.thread, 1);
}

TEST_F(RaceDetectorTest, WriteThenUnorderedReadRaces) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(Write(1));
  EXPECT_TRUE(Read(2));
}

// lock.py: the same accesses under one lock are ordered by release -> acquire.
TEST_F(RaceDetectorTest, AccessesUnderOneLockDoNotRace) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  VectorClock lock;
  for (ThreadId t : {1, 2, 1, 2}) {
    hb.Acquire(t, lock);
    EXPECT_FALSE(Read(t));
    EXPECT_FALSE(Write(t));
    hb.Release(t, lock);
  }
}

TEST_F(RaceDetectorTest, ConcurrentReadsDoNotRace) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(Read(1));
  EXPECT_FALSE(Read(2));
  EXPECT_FALSE(Read(1));
}

TEST_F(RaceDetectorTest, WritesBeforeStartAndReadsAfterJoinAreOrdered) {
  EXPECT_FALSE(Write(0));
  hb.ThreadCreated(0, 1);
  EXPECT_FALSE(Write(1));
  hb.ThreadJoined(0, 1);
  EXPECT_FALSE(Read(0));
  EXPECT_FALSE(Write(0));
}

// The main thread is a thread: its accesses while the child runs are concurrent.
TEST_F(RaceDetectorTest, MainThreadAccessWhileChildRunsRaces) {
  hb.ThreadCreated(0, 1);
  EXPECT_FALSE(Write(1));
  EXPECT_TRUE(Read(0));
}

TEST_F(RaceDetectorTest, AWriteOrderedAfterEveryReadDoesNotRace) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  VectorClock q1;
  VectorClock q2;
  EXPECT_FALSE(Read(1));
  hb.Release(1, q1);
  EXPECT_FALSE(Read(2));
  hb.Release(2, q2);
  hb.Acquire(0, q1);
  hb.Acquire(0, q2);
  EXPECT_FALSE(Write(0));
}

TEST_F(RaceDetectorTest, DifferentGranulesAreIndependent) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(races.OnAccess(0x2000, 8, 1, hb.ClockOf(1), true, 0));
  EXPECT_FALSE(races.OnAccess(0x2008, 8, 2, hb.ClockOf(2), true, 0));
  EXPECT_EQ(races.TrackedGranules(), 2u);
  EXPECT_TRUE(races.OnAccess(0x2004, 8, 2, hb.ClockOf(2), true, 0))
      << "an access spanning both granules overlaps thread 1's write";
}

// History: T1 and T2 write unordered (a race); T3 then synchronises with T2 only
// and writes. Plain FastTrack (history 1) has forgotten T1's write and misses
// the T1/T3 race; with a history of 2 or more the earlier write is still kept.
std::optional<DataRace> ThirdWriterAfterARace(RaceDetector& races, HappensBefore& hb) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  hb.ThreadCreated(0, 3);
  EXPECT_FALSE(races.OnAccess(kValue, 4, 1, hb.ClockOf(1), true, 11));
  EXPECT_TRUE(races.OnAccess(kValue, 4, 2, hb.ClockOf(2), true, 21));
  VectorClock handoff;
  hb.Release(2, handoff);
  hb.Acquire(3, handoff);
  return races.OnAccess(kValue, 4, 3, hb.ClockOf(3), true, 31);
}

TEST(RaceDetectorHistoryTest, HistoryOneForgetsAWriteThatRaced) {
  HappensBefore hb;
  RaceDetector races(1);
  EXPECT_FALSE(ThirdWriterAfterARace(races, hb));
}

TEST(RaceDetectorHistoryTest, LongerHistoryKeepsAWriteThatRaced) {
  HappensBefore hb;
  RaceDetector races(4);
  const auto race = ThirdWriterAfterARace(races, hb);
  ASSERT_TRUE(race);
  EXPECT_EQ(race->previous.epoch.thread, 1);
  EXPECT_EQ(race->previous.stack, 11u);
  EXPECT_EQ(race->current.stack, 31u);
}

TEST(RaceDetectorHistoryTest, AReadThatRacedIsKeptForALaterWriter) {
  // T1 reads, T2 writes unordered (race); T3 follows T2 only and writes: it races
  // with T1's read, which plain FastTrack dropped when T2 wrote.
  for (const std::size_t history : {std::size_t{1}, std::size_t{2}}) {
    HappensBefore hb;
    RaceDetector races(history);
    hb.ThreadCreated(0, 1);
    hb.ThreadCreated(0, 2);
    hb.ThreadCreated(0, 3);
    EXPECT_FALSE(races.OnAccess(kValue, 4, 1, hb.ClockOf(1), false, 11));
    EXPECT_TRUE(races.OnAccess(kValue, 4, 2, hb.ClockOf(2), true, 21));
    VectorClock handoff;
    hb.Release(2, handoff);
    hb.Acquire(3, handoff);
    const auto race = races.OnAccess(kValue, 4, 3, hb.ClockOf(3), true, 31);
    EXPECT_EQ(race.has_value(), history > 1) << "history " << history;
    if (race) {
      EXPECT_EQ(race->previous.stack, 11u);
    }
  }
}

TEST(RaceDetectorHistoryTest, KeepsOnlyTheNewestEarlierAccesses) {
  // Writers 1..4 all race; with history 2 only the newest earlier write (T3's)
  // stays besides the last one (T4's). T5 follows T4 only.
  HappensBefore hb;
  RaceDetector races(2);
  for (ThreadId t = 1; t <= 5; ++t) hb.ThreadCreated(0, t);
  for (ThreadId t = 1; t <= 4; ++t) {
    races.OnAccess(kValue, 4, t, hb.ClockOf(t), true, static_cast<std::uint32_t>(10 * t));
  }
  VectorClock handoff;
  hb.Release(4, handoff);
  hb.Acquire(5, handoff);
  const auto race = races.OnAccess(kValue, 4, 5, hb.ClockOf(5), true, 50);
  ASSERT_TRUE(race);
  EXPECT_EQ(race->previous.stack, 30u);
}

TEST(RaceDetectorHistoryTest, OrderedWritesKeepNoHistory) {
  // A write ordered after every earlier access drops them: no race later.
  HappensBefore hb;
  RaceDetector races(4);
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(races.OnAccess(kValue, 4, 1, hb.ClockOf(1), true, 11));
  EXPECT_TRUE(races.OnAccess(kValue, 4, 2, hb.ClockOf(2), true, 21));
  VectorClock from1;
  hb.Release(1, from1);
  hb.Acquire(2, from1);
  EXPECT_FALSE(races.OnAccess(kValue, 4, 2, hb.ClockOf(2), true, 22))
      << "T2 now follows T1's write";
  VectorClock from2;
  hb.Release(2, from2);
  hb.Acquire(1, from2);
  EXPECT_FALSE(races.OnAccess(kValue, 4, 1, hb.ClockOf(1), true, 12));
}

// OnUpdate (a compound assignment's read and write in one step) must find what a
// read followed by a write finds, and leave the same state: two detectors are fed
// the same random program, one with OnUpdate, one with OnAccess twice, and every
// access must give both the same races. The program mixes reads, writes and updates
// of two overlapping locations by three threads with random hand-offs between them.
TEST(RaceDetectorUpdateTest, AnUpdateIsAReadFollowedByAWrite) {
  for (const std::size_t history : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
    HappensBefore hb;
    RaceDetector folded(history);
    RaceDetector separate(history);
    for (ThreadId t = 1; t <= 3; ++t) hb.ThreadCreated(0, t);
    std::mt19937 random(static_cast<std::uint32_t>(history));
    int races_found = 0;
    for (std::uint32_t step = 1; step <= 20000; ++step) {
      const auto thread = static_cast<ThreadId>(random() % 3 + 1);
      const std::uintptr_t address = kValue + (random() % 2) * 4;  // overlapping 8-byte values
      const VectorClock& clock = hb.ClockOf(thread);
      switch (random() % 5) {
        case 0: {  // an update
          const UpdateRaces got = folded.OnUpdate(address, 8, thread, clock, step, step);
          const auto read = separate.OnAccess(address, 8, thread, clock, false, step, step);
          const auto write = separate.OnAccess(address, 8, thread, clock, true, step, step);
          ASSERT_EQ(got.read, read) << "history " << history << ", step " << step;
          ASSERT_EQ(got.write, write) << "history " << history << ", step " << step;
          races_found += got.read.has_value() + got.write.has_value();
          break;
        }
        case 1:
        case 2: {  // a read or a write
          const bool is_write = random() % 2 == 0;
          const auto got = folded.OnAccess(address, 8, thread, clock, is_write, step, step);
          ASSERT_EQ(got, separate.OnAccess(address, 8, thread, clock, is_write, step, step))
              << "history " << history << ", step " << step;
          races_found += got.has_value();
          break;
        }
        default: {  // a hand-off to another thread (a lock, a queue item...)
          VectorClock sync;
          hb.Release(thread, sync);
          hb.Acquire(static_cast<ThreadId>(random() % 3 + 1), sync);
          break;
        }
      }
    }
    EXPECT_GT(races_found, 100) << "the program must race often to compare the reports";
  }
}

// A Shared<T> keeps one LocationShadow for its whole value, where RACELENS_WRITE's memory gets
// one per 8-byte granule: since every access to the value covers all of it, both must find
// the same races. Fed the same random program (reads, writes and updates of a 32-byte value
// by three threads, random hand-offs between them), the two must agree at every access.
TEST(LocationShadowTest, AWholeValueRacesAsItsGranulesDo) {
  constexpr std::size_t kSize = 32;
  for (const std::size_t history : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
    HappensBefore hb;
    LocationShadow whole;
    RaceDetector granules(history);
    for (ThreadId t = 1; t <= 3; ++t) hb.ThreadCreated(0, t);
    std::mt19937 random(static_cast<std::uint32_t>(history) + 7);
    int races_found = 0;
    for (std::uint32_t step = 1; step <= 20000; ++step) {
      const auto thread = static_cast<ThreadId>(random() % 3 + 1);
      const VectorClock& clock = hb.ClockOf(thread);
      switch (random() % 5) {
        case 0: {
          const UpdateRaces got = whole.OnUpdate(kValue, thread, clock, step, step, history);
          const UpdateRaces want = granules.OnUpdate(kValue, kSize, thread, clock, step, step);
          ASSERT_EQ(got.read, want.read) << "history " << history << ", step " << step;
          ASSERT_EQ(got.write, want.write) << "history " << history << ", step " << step;
          races_found += got.read.has_value() + got.write.has_value();
          break;
        }
        case 1:
        case 2: {
          const bool is_write = random() % 2 == 0;
          const auto got = whole.OnAccess(kValue, thread, clock, is_write, step, step, history);
          ASSERT_EQ(got, granules.OnAccess(kValue, kSize, thread, clock, is_write, step, step))
              << "history " << history << ", step " << step;
          races_found += got.has_value();
          break;
        }
        default: {
          VectorClock sync;
          hb.Release(thread, sync);
          hb.Acquire(static_cast<ThreadId>(random() % 3 + 1), sync);
          break;
        }
      }
    }
    EXPECT_GT(races_found, 100) << "the program must race often to compare the reports";
  }
}

// The address a race names is the one the access was made at: a Shared<T>'s value need not
// start on a granule.
TEST(LocationShadowTest, ARaceNamesTheLocationsOwnAddress) {
  HappensBefore hb;
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  LocationShadow shadow;
  constexpr std::uintptr_t kOdd = 0x1004;
  EXPECT_FALSE(shadow.OnAccess(kOdd, 1, hb.ClockOf(1), true, 11, 1, 1));
  const auto race = shadow.OnAccess(kOdd, 2, hb.ClockOf(2), false, 22, 1, 1);
  ASSERT_TRUE(race);
  EXPECT_EQ(race->current.address, kOdd);
  EXPECT_EQ(race->previous.address, kOdd);
  EXPECT_EQ(race->previous.stack, 11u);
  EXPECT_TRUE(race->previous.is_write);
}

class EventRaceDetectorTest : public ::testing::Test {
 protected:
  HappensBefore hb;
  EventRaceDetector events;
  const int event_object = 0;
  const void* const event = &event_object;
};

// event.py: the producer sets again while the consumer, which only waited,
// clears: nothing orders the consumer's clear() before the producer's set().
TEST_F(EventRaceDetectorTest, WaitThenClearConsumerRacesWithTheNextSet) {
  hb.ThreadCreated(0, 1);  // producer
  hb.ThreadCreated(0, 2);  // consumer
  VectorClock set_clock;
  EXPECT_FALSE(events.OnSet(event, 1, hb.ClockOf(1), 10));
  hb.Release(1, set_clock);
  hb.Acquire(2, set_clock);  // wait() observed the set
  EXPECT_FALSE(events.OnClear(event, 2, hb.ClockOf(2), 20)) << "the clear follows that set";
  const auto race = events.OnSet(event, 1, hb.ClockOf(1), 11);
  ASSERT_TRUE(race);
  EXPECT_TRUE(race->current.is_set);
  EXPECT_EQ(race->current.stack, 11u);
  EXPECT_FALSE(race->previous.is_set);
  EXPECT_EQ(race->previous.stack, 20u);
}

TEST_F(EventRaceDetectorTest, ClearUnorderedWithAnEarlierSetRaces) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(events.OnSet(event, 1, hb.ClockOf(1), 1));
  const auto race = events.OnClear(event, 2, hb.ClockOf(2), 2);
  ASSERT_TRUE(race);
  EXPECT_TRUE(race->previous.is_set);
}

// The fixed twin: the consumer hands each item back through a queue, so the
// producer's next set() is ordered after the consumer's clear().
TEST_F(EventRaceDetectorTest, ClearOrderedBeforeTheNextSetIsClean) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  VectorClock set_clock;
  VectorClock ack;
  for (int round = 0; round < 3; ++round) {
    EXPECT_FALSE(events.OnSet(event, 1, hb.ClockOf(1), 1));
    hb.Release(1, set_clock);
    hb.Acquire(2, set_clock);
    EXPECT_FALSE(events.OnClear(event, 2, hb.ClockOf(2), 2));
    hb.Release(2, ack);
    hb.Acquire(1, ack);
  }
}

TEST_F(EventRaceDetectorTest, OneThreadSettingAndClearingIsOrderedByProgramOrder) {
  EXPECT_FALSE(events.OnSet(event, 0, hb.ClockOf(0), 1));
  EXPECT_FALSE(events.OnClear(event, 0, hb.ClockOf(0), 2));
  EXPECT_FALSE(events.OnSet(event, 0, hb.ClockOf(0), 3));
}

TEST_F(EventRaceDetectorTest, SetsAloneNeverRace) {
  hb.ThreadCreated(0, 1);
  hb.ThreadCreated(0, 2);
  EXPECT_FALSE(events.OnSet(event, 1, hb.ClockOf(1), 1));
  EXPECT_FALSE(events.OnSet(event, 2, hb.ClockOf(2), 2));
}

}  // namespace
}  // namespace racelens::detect
