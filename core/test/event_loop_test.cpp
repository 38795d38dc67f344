#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "cli_options.hpp"
#include "event_loop.hpp"

using namespace hepek::core;

TEST(EventLoop, VirtualTimersFireInDueOrderAtTheirOwnTime) {
  EventLoop loop(true, 1000);
  std::vector<std::pair<char, int64_t>> fired;
  loop.add_timer(300, [&] { fired.emplace_back('a', loop.now_ms()); });
  loop.add_timer(200, [&] { fired.emplace_back('b', loop.now_ms()); });
  loop.advance_to(1700);
  const std::vector<std::pair<char, int64_t>> expected{
      {'b', 1200}, {'a', 1300}, {'b', 1400}, {'a', 1600}, {'b', 1600}};
  EXPECT_EQ(fired, expected);
  EXPECT_EQ(loop.now_ms(), 1700);
}

TEST(EventLoop, DrainRunsTasksPostedByTasks) {
  EventLoop loop(true, 0);
  std::vector<int> order;
  loop.post([&] {
    order.push_back(1);
    loop.post([&] { order.push_back(3); });
  });
  loop.post([&] { order.push_back(2); });
  EXPECT_EQ(loop.drain(), 3u);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EventLoop, RealTimeRunsUntilStopped) {
  EventLoop loop(false);
  int ticks = 0;
  const uint64_t timer = loop.add_timer(5, [&] {
    if (++ticks == 3) loop.stop();
  });
  std::thread other([&] { loop.post([] {}); });
  loop.run();
  other.join();
  loop.cancel_timer(timer);
  EXPECT_EQ(ticks, 3);
}

TEST(CliOptions, Durations) {
  EXPECT_EQ(parse_duration_ms("90s"), 90'000);
  EXPECT_EQ(parse_duration_ms("5m"), 300'000);
  EXPECT_EQ(parse_duration_ms("2h"), 7'200'000);
  EXPECT_EQ(parse_duration_ms("15"), 15'000);
  EXPECT_FALSE(parse_duration_ms("soon"));
  EXPECT_FALSE(parse_duration_ms("5 m"));
  // Found by fuzz_core_config (UBSan): a part of 13 or more digits overflowed int64 while it was read, before the
  // 12-digit limit was checked, and 12 digits of days overflowed when scaled. Both are refused without overflow.
  EXPECT_FALSE(parse_duration_ms("999999999999999999s"));
  EXPECT_FALSE(parse_duration_ms("99999999999999999999999"));
  EXPECT_FALSE(parse_duration_ms("999999999999d"));
  EXPECT_EQ(parse_duration_ms("999999999999ms"), 999'999'999'999);
  EXPECT_EQ(parse_duration_ms("36600d"), int64_t{36600} * 86'400'000);
  std::vector<std::string> args{"--for", "5m", "--json"};
  EXPECT_EQ(take_option(args, "--for"), "5m");
  EXPECT_TRUE(take_flag(args, "--json"));
  EXPECT_TRUE(args.empty());
}

TEST(EventLoop, ATaskOrTimerThatThrowsFailsAloneAndTheLoopGoesOn) {
  EventLoop loop(true, 0);
  std::vector<int> order;
  loop.post([&] {
    order.push_back(1);
    throw std::runtime_error("a malformed message");
  });
  loop.post([&] {
    order.push_back(2);
    throw 42;  // not even a std::exception
  });
  loop.post([&] { order.push_back(3); });
  EXPECT_EQ(loop.drain(), 3u);
  int fired = 0;
  loop.add_timer(10, [&] {
    ++fired;
    throw std::logic_error("a timer's bug");
  });
  loop.advance_to(30);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(fired, 3);
}
