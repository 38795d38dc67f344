// No GPIO hardware (or gpio-sim) here: this checks that a missing chip is a clear error, not a crash.
#include <gtest/gtest.h>

#include "gpio_output.hpp"

TEST(GpioOutput, MissingChipIsAClearError) {
  try {
    hepek::relay::GpioOutput output("gpiochip-does-not-exist", 17, false, true, "hepek-test");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("gpiochip-does-not-exist"), std::string::npos) << message;
    EXPECT_NE(message.find("line 17"), std::string::npos) << message;
  }
}
