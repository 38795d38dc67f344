// The progress file: round trip, no file, a malformed file named in the error, an atomic replace.
#include "progress_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.hpp"

namespace hepek::flexload {
namespace {

namespace t = hepek::testing;

TEST(ProgressStore, RoundTripsAndClears) {
  const t::TempDir dir;
  const ProgressStore store(dir.file("sub/progress.json"));
  EXPECT_FALSE(store.load());
  const RunProgress progress{{1000, 5000}, 1234};
  store.save(progress);
  EXPECT_EQ(*store.load(), progress);
  store.save({{1000, 5000}, 2000, /*requested=*/true});
  EXPECT_EQ(store.load()->delivered_ms, 2000);
  EXPECT_TRUE(store.load()->requested);
  EXPECT_FALSE(std::filesystem::exists(store.path() + ".tmp"));
  store.clear();
  EXPECT_FALSE(store.load());
}

TEST(ProgressStore, AMalformedFileIsAnErrorNamingIt) {
  const t::TempDir dir;
  const ProgressStore store(dir.file("progress.json"));
  for (const char* bad : {"garbage", "{}", R"({"earliest_ms":5,"deadline_ms":1,"delivered_ms":0})",
                          R"({"earliest_ms":1,"deadline_ms":5,"delivered_ms":-3})",
                          R"({"earliest_ms":"1","deadline_ms":5,"delivered_ms":0})",
                          R"({"earliest_ms":1,"deadline_ms":5,"delivered_ms":0,"requested":"yes"})"}) {
    t::write_file(store.path(), bad);
    try {
      store.load();
      ADD_FAILURE() << bad;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find(store.path()), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace hepek::flexload
