// A third party's view of the SDK: install it to a prefix, build sdk/examples/hello-meter out of tree with
// find_package(hepek-sdk) + hepek_add_plugin(), run its unit test on the installed fake host, load the plugin
// into a running hub and see its messages on the bus.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "test_support.hpp"

using namespace hepek::testing;

TEST(SdkOutOfTree, InstalledSdkBuildsTheExampleAndTheHubLoadsIt) {
  HEPEK_REQUIRE_HUB();
  TempDir temp;
  const std::string prefix = temp.path() + "/prefix";
  const std::string build = temp.path() + "/build";
  auto install = run_command({"cmake", "--install", binary_dir(), "--component", "sdk", "--prefix", prefix});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  ASSERT_TRUE(std::filesystem::exists(prefix + "/include/hepek/abi.h"));

  auto configure = run_command({"cmake", "-S", source_dir() + "/sdk/examples/hello-meter", "-B", build, "-G",
                                "Ninja", "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_PREFIX_PATH=" + prefix});
  ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
  auto compile = run_command({"cmake", "--build", build, "-j2"}, 600);
  ASSERT_EQ(compile.exit_code, 0) << compile.out << compile.err;
  ASSERT_TRUE(std::filesystem::exists(build + "/hepek-hello-meter.so"));
  // The example's unit test, built against the installed fake host (hepek/testing/fake_host.hpp), passes.
  ASSERT_TRUE(std::filesystem::exists(prefix + "/include/hepek/testing/fake_host.hpp"));
  auto unit_test = run_command({build + "/hello_meter_test"});
  EXPECT_EQ(unit_test.exit_code, 0) << unit_test.out << unit_test.err;
  EXPECT_NE(unit_test.out.find("[  PASSED  ] 3 tests."), std::string::npos) << unit_test.out;

  const int port = free_port();
  const std::string data_dir = temp.path() + "/data";
  const std::string config = write_config(temp.path(), port, R"(
[[plugin]]
id = "outside"
type = "hello-meter"
interval_ms = 100
power_w = 77.0
)",
                                          build);
  HubProcess hub(config, data_dir);
  auto observer = connect_account(data_dir, port, "observer", "observer-sdk");
  ASSERT_TRUE(observer) << hub.log();
  observer->subscribe("hepek/#");
  auto info = observer->wait_for("hepek/bridge/info");
  ASSERT_TRUE(info);
  auto plugins = nlohmann::json::parse(info->payload)["plugins"];
  ASSERT_EQ(plugins.size(), 1u);
  EXPECT_EQ(plugins[0]["path"].get<std::string>().rfind(build, 0), 0u) << "the out-of-tree build must win";
  auto state = observer->wait_for("hepek/outside/state");
  ASSERT_TRUE(state) << hub.log();
  EXPECT_EQ(nlohmann::json::parse(state->payload)["power"], 77.0);
  hub.terminate();
}
