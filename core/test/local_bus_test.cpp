#include <gtest/gtest.h>

#include "local_bus.hpp"

using namespace hepek::core;

TEST(LocalBus, DeliversInOrderWithRetainedMessagesOnSubscribe) {
  LocalBus bus;
  std::vector<std::string> got;
  ConnectionOptions a;
  a.on_message = [&](const std::string& topic, const std::string& payload, bool retained) {
    got.push_back(topic + "=" + payload + (retained ? " (retained)" : ""));
  };
  auto subscriber = bus.connect(a);
  auto publisher = bus.connect({});
  subscriber->connect();
  publisher->connect();
  publisher->publish("hepek/x/config", "c", 1, true);
  subscriber->subscribe("hepek/+/config", 1);
  subscriber->subscribe("hepek/x/#", 1);  // overlapping: still one delivery per message
  publisher->publish("hepek/x/config", "c2", 1, true);
  publisher->publish("hepek/y/state", "s", 1, false);
  const std::vector<std::string> expected{"hepek/x/config=c (retained)", "hepek/x/config=c (retained)",
                                          "hepek/x/config=c2"};
  EXPECT_EQ(got, expected);
  publisher->publish("hepek/x/config", "", 1, true);  // clears the retained message
  got.clear();
  subscriber->subscribe("hepek/x/config", 1);
  EXPECT_TRUE(got.empty());
}
