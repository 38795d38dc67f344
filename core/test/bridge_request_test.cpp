// Bridge requests (core/src/bridge_request.cpp): every request is answered, the transaction is echoed, and every
// response can be published (strict dump()), whatever bytes the request carried.
#include <gtest/gtest.h>

#include "bridge_request.hpp"

namespace {
using hepek::core::bridge_response;
using hepek::core::BridgeRequest;
using hepek::core::parse_bridge_request;

TEST(BridgeRequest, KnownRequestsAreAnsweredWithTheirTransaction) {
  const auto request = parse_bridge_request("plugins", R"({"transaction":7})");
  EXPECT_EQ(request.kind, BridgeRequest::Kind::plugins);
  const auto response = bridge_response(request, {{"plugins", nlohmann::json::array()}});
  EXPECT_EQ(response.dump(), R"({"ok":true,"plugins":[],"transaction":7})");
  EXPECT_EQ(parse_bridge_request("health", "").kind, BridgeRequest::Kind::health);
  EXPECT_EQ(bridge_response(parse_bridge_request("info", "{}"), nlohmann::json::object()).dump(),
            R"({"ok":true})");
}

TEST(BridgeRequest, UnknownAndMalformedRequestsGetAnError) {
  const auto unknown = bridge_response(parse_bridge_request("restart", R"({"transaction":"t"})"), {});
  EXPECT_EQ(unknown["ok"], false);
  EXPECT_EQ(unknown["error"], "unknown bridge request \"restart\"; known: plugins, health, info");
  EXPECT_EQ(unknown["transaction"], "t");
  const auto malformed = bridge_response(parse_bridge_request("info", "{oops"), {});
  EXPECT_EQ(malformed["ok"], false);
  EXPECT_EQ(malformed["error"].get<std::string>().rfind("malformed JSON request: not valid JSON", 0), 0u);
  // A request takes only an optional "transaction", a short string or an integer (the echo stays short).
  for (const char* payload :
       {R"({"transaction":{"id":7}})", R"({"transaction":""})", R"({"verbose":true})", "[]"}) {
    const auto strict = parse_bridge_request("health", payload);
    EXPECT_EQ(strict.kind, BridgeRequest::Kind::malformed) << payload;
    EXPECT_FALSE(strict.transaction) << payload;
  }
}

// Found by fuzz_core_bridge_request: a request whose payload is not UTF-8 (here one 0xFF byte; any account may
// publish on hepek/bridge/request/info) made the reply's error text invalid UTF-8, and dumping it threw out of the
// hub's event loop: the hub died.
TEST(BridgeRequest, AReplyToBytesThatAreNotUtf8CanBePublished) {
  for (const char* payload : {"\xff", "\"\xc3\"", "[1,\xe2\x82]", "{\"transaction\":\"\xf0\x9f\"}"}) {
    const auto response = bridge_response(parse_bridge_request("info", payload), {});
    EXPECT_EQ(response["ok"], false) << payload;
    EXPECT_NO_THROW((void)response.dump()) << payload;
  }
}
}  // namespace

namespace {
// Found by fuzz_core_bridge_request: "1e400" threw nlohmann's out_of_range through parse_limited().
TEST(BridgeRequest, ANumberBeyondDoubleIsAMalformedRequest) {
  const auto response = bridge_response(parse_bridge_request("info", "1e400"), {});
  EXPECT_EQ(response["ok"], false);
  EXPECT_NE(response["error"].get<std::string>().find("number overflow"), std::string::npos)
      << response.dump();
}
}  // namespace
