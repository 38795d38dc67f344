// hepek::json_limits: the pre-scan counts nesting outside strings only, names the limit and the byte offset, and
// refuses over-size input before scanning it; parse_limited also refuses NUL bytes and duplicate keys, and its
// errors are short and valid UTF-8 whatever the input (hepek/quote.hpp).
#include <gtest/gtest.h>

#include <hepek/json_limits.hpp>
#include <hepek/quote.hpp>

namespace {
namespace limits = hepek::json_limits;

std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

TEST(JsonLimits, SixtyFourLevelsPassSixtyFiveDoNot) {
  EXPECT_TRUE(limits::check(nested(64)));
  const auto deep = limits::check(nested(65));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.code(), HEPEK_INVALID);
  EXPECT_EQ(deep.error(), "JSON nesting deeper than 64 levels at byte 64 (of 130)");
}

TEST(JsonLimits, HundredThousandLevelsAreRefusedWithoutRecursion) {
  const auto deep = limits::parse_limited(nested(100000));
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().find("nesting deeper than 64 levels"), std::string::npos) << deep.error();
}

TEST(JsonLimits, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"a\":\"" + std::string(1000, '[') + "\\\"{{{\"}";
  EXPECT_TRUE(limits::check(text)) << limits::check(text).error();
  const auto parsed = limits::parse_limited(text);
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_EQ((*parsed)["a"].get<std::string>().size(), 1004u);
}

TEST(JsonLimits, SizeIsCheckedFirstAndNamed) {
  const auto big = limits::check(std::string(100, ' '), 64, 99);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), "JSON of 100 bytes is larger than the limit of 99 bytes");
  EXPECT_TRUE(limits::check(std::string(limits::kMaxBytes, ' ')));
  EXPECT_FALSE(limits::check(std::string(limits::kMaxBytes + 1, ' ')));
}

TEST(JsonLimits, ParseErrorsStillSayNotValidJson) {
  const auto bad = limits::parse_limited("{\"a\":");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("not valid JSON"), std::string::npos) << bad.error();
}

TEST(JsonLimits, NulBytesAreRefusedWhereverTheyAre) {
  // nlohmann stops at a NUL: without this, {"a":1}<NUL>anything would parse as {"a":1}.
  for (const auto& [text, offset] :
       std::vector<std::pair<std::string, std::size_t>>{{std::string("{\"a\":1}\0{\"b\":2}", 15), 7},
                                                        {std::string("\0{}", 3), 0},
                                                        {std::string("{\"a\":\"x\0y\"}", 11), 7}}) {
    const auto parsed = limits::parse_limited(text);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(),
              "NUL byte at offset " + std::to_string(offset) + " (of " + std::to_string(text.size()) + ")");
  }
  EXPECT_TRUE(limits::parse_limited(R"({"a":"x\u0000y"})"));  // an escaped NUL is text like any other
}

TEST(JsonLimits, DuplicateKeysAreRefusedAtAnyLevel) {
  EXPECT_EQ(limits::parse_limited(R"({"to":null,"to":"0x1"})").error(),
            "key \"to\" given twice in one object");
  EXPECT_EQ(limits::parse_limited(R"({"a":{"b":1,"b":2}})").error(), "key \"b\" given twice in one object");
  EXPECT_TRUE(limits::parse_limited(R"({"a":{"b":1},"c":{"b":2},"b":[{"b":1},{"b":2}]})"));
}

TEST(JsonLimits, ErrorsAreShortAndValidUtf8WhateverTheInput) {
  // nlohmann's message quotes the token it read: raw bytes, and a whole unterminated string.
  for (const std::string& text : {std::string("\xff\xfe"), "{\"a\":\"" + std::string(500000, 'x'),
                                  std::string("{\"\xc3\x28\":1}"), std::string("{\"a\":1e400}")}) {
    const auto parsed = limits::parse_limited(text);
    ASSERT_FALSE(parsed);
    EXPECT_LT(parsed.error().size(), 400u);
    EXPECT_EQ(hepek::valid_utf8(parsed.error()), parsed.error());
    EXPECT_NO_THROW(nlohmann::json({{"error", parsed.error()}}).dump());
  }
}

TEST(Quote, ReplacesWhatIsNotUtf8AndKeepsWhatIs) {
  EXPECT_EQ(hepek::valid_utf8("a\xff"
                              "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(hepek::valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
            "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  EXPECT_EQ(hepek::valid_utf8("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  EXPECT_EQ(hepek::valid_utf8("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(hepek::valid_utf8("\xe2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
  EXPECT_EQ(hepek::quote_prefix("\xff" + std::string(300, 'x'), 4),
            "\xEF\xBF\xBDxxx\xE2\x80\xA6 (301 bytes)");
  EXPECT_EQ(hepek::quote_json(nlohmann::json(std::string(300, 'q')), 5), "\"qqqq\xE2\x80\xA6 (302 bytes)");
}

}  // namespace

// Found by fuzz_core_bridge_request: nlohmann's parse error quotes the bad token raw, so a request of one 0xFF byte
// produced an error text that is not UTF-8, and the hub's reply (dumped strictly) threw out of its event loop. The
// error is valid UTF-8 now, and quotes at most a short prefix of a long bad token.
TEST(JsonLimits, ParseErrorsAreValidUtf8AndShort) {
  const auto invalid = limits::parse_limited("\xff");
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().find("not valid JSON: [json.exception.parse_error.101]"), std::string::npos)
      << invalid.error();
  const nlohmann::json reply{{"error", invalid.error()}};
  EXPECT_NO_THROW((void)reply.dump());
  EXPECT_NE(invalid.error().find("\xEF\xBF\xBD"), std::string::npos) << "0xFF is shown as U+FFFD";
  const auto long_token = limits::parse_limited("[\"" + std::string(100000, 'x') + "\\q\"]");
  ASSERT_FALSE(long_token);
  EXPECT_LT(long_token.error().size(), 300u) << long_token.error();
  EXPECT_EQ(hepek::quote_prefix("a\xC3"
                                "b\xff"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
}

// Found by fuzz_core_bridge_request: a number beyond the range of a double ("1e400") makes nlohmann throw
// out_of_range (406), not parse_error, and it escaped parse_limited(): a bridge request "1e400" from any account
// ended the hub, and `hepek eth sign-tx --tx 1e400` aborted.
TEST(JsonLimits, ANumberBeyondDoubleIsAnError) {
  for (const char* text : {"1e400", "[-1e999]", "{\"a\":55551e308308}"}) {
    const auto parsed = limits::parse_limited(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_NE(parsed.error().find("not valid JSON: [json.exception.out_of_range.406] number overflow"),
              std::string::npos)
        << parsed.error();
  }
}
