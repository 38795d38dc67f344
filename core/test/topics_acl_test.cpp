#include <gtest/gtest.h>

#include "acl.hpp"
#include "hepek/topics.hpp"

using hepek::topics::topic_matches;
using namespace hepek::core;

TEST(Topics, FilterMatching) {
  EXPECT_TRUE(topic_matches("hepek/#", "hepek/meter/state"));
  EXPECT_TRUE(topic_matches("hepek/#", "hepek"));
  EXPECT_TRUE(topic_matches("hepek/+/state", "hepek/meter/state"));
  EXPECT_FALSE(topic_matches("hepek/+/state", "hepek/meter/set"));
  EXPECT_FALSE(topic_matches("hepek/+", "hepek/meter/state"));
  EXPECT_TRUE(topic_matches("#", "anything/at/all"));
  EXPECT_FALSE(topic_matches("#", "$SYS/broker/uptime"));
  EXPECT_TRUE(topic_matches("+/+", "/x"));
  EXPECT_FALSE(topic_matches("hepek/meter", "hepek/meter/state"));
  EXPECT_TRUE(topic_matches("hepek/meter/state", "hepek/meter/state"));
}

TEST(Acl, PluginAclCoversOwnTopicsAndDeclaredOnes) {
  const AccountAcl acl =
      plugin_acl("plugin-meter", "meter", {"hepek/tariff/prices"}, {"serenity/broadcast/#"});
  EXPECT_TRUE(may_publish(acl, "hepek/meter/state"));
  EXPECT_TRUE(may_publish(acl, "hepek/meter/set/result"));
  EXPECT_TRUE(may_publish(acl, "hepek/tariff/prices"));
  EXPECT_FALSE(may_publish(acl, "hepek/battery/set"));
  EXPECT_FALSE(may_publish(acl, "hepek/meterx/state"));
  EXPECT_FALSE(may_publish(acl, "hepek/bridge/state"));
  EXPECT_TRUE(may_subscribe(acl, "hepek/+/state"));
  EXPECT_TRUE(may_subscribe(acl, "serenity/broadcast/tariff"));
  EXPECT_FALSE(may_subscribe(acl, "#"));
  EXPECT_FALSE(may_subscribe(acl, "serenity/#"));
}

TEST(Acl, TopicValidity) {
  EXPECT_TRUE(valid_publish_topic("hepek/a/state"));
  EXPECT_FALSE(valid_publish_topic("hepek/+/state"));
  EXPECT_FALSE(valid_publish_topic(""));
  EXPECT_TRUE(valid_subscribe_filter("hepek/+/state"));
  EXPECT_TRUE(valid_subscribe_filter("hepek/#"));
  EXPECT_FALSE(valid_subscribe_filter("hepek/#/state"));
  EXPECT_FALSE(valid_subscribe_filter("hepek/a+/state"));
}

TEST(Acl, RendersMosquittoAclFile) {
  const std::string text =
      render_mosquitto_acl({plugin_acl("plugin-x", "x", {}, {}), {"observer", {}, {"#"}}});
  EXPECT_NE(text.find("user plugin-x\ntopic write hepek/x/#\ntopic read hepek/#\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("user observer\ntopic read #\n"), std::string::npos) << text;
}
