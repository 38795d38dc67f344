// The client-id rule the broker plugin enforces (client_id_rule.hpp), on the account names the hub makes.
#include <gtest/gtest.h>

#include "client_id_rule.hpp"

using namespace hepek::core;

namespace {
const std::vector<std::string> kAccounts{"hub",        "admin",         "observer",
                                         "plugin-sim", "plugin-sim-pv", "plugin-relay"};
}

TEST(ClientIdRule, AnAccountMayUseItsNameAndAnyIdUnderIt) {
  EXPECT_TRUE(client_id_allowed("observer", "observer", kAccounts));
  EXPECT_TRUE(client_id_allowed("observer", "observer-a", kAccounts));
  EXPECT_TRUE(client_id_allowed("observer", "observer-home-assistant-1", kAccounts));
  EXPECT_TRUE(client_id_allowed("hub", "hub-bridge-hepek", kAccounts));
  EXPECT_TRUE(client_id_allowed("plugin-relay", "plugin-relay", kAccounts));
  EXPECT_TRUE(client_id_allowed("admin", "admin-cli-4242", kAccounts));
}

TEST(ClientIdRule, AnotherAccountsIdIsRefused) {
  EXPECT_FALSE(client_id_allowed("observer", "hub-bridge-hepek", kAccounts));
  EXPECT_FALSE(client_id_allowed("observer", "plugin-relay", kAccounts));
  EXPECT_FALSE(client_id_allowed("admin", "hub-bridge-hepek", kAccounts));
  EXPECT_FALSE(client_id_allowed("admin", "observer-a", kAccounts));
  EXPECT_FALSE(client_id_allowed("observer", "hepek-bridge-hepek", kAccounts));  // the ids before the rule
  EXPECT_FALSE(client_id_allowed("observer", "mosq-Xk2", kAccounts));
  EXPECT_FALSE(client_id_allowed("observer", "", kAccounts));
}

TEST(ClientIdRule, APrefixWithoutTheDashIsNotUnderTheAccount) {
  EXPECT_FALSE(client_id_under("observer", "observerX"));
  EXPECT_FALSE(client_id_allowed("observer", "observers", kAccounts));
  EXPECT_FALSE(client_id_allowed("hub", "hubris", kAccounts));
  EXPECT_FALSE(client_id_under("observer", "observe"));
}

TEST(ClientIdRule, TheLongestAccountNameOwnsAnId) {
  // plugin-sim's names start with plugin-sim-, and so do plugin-sim-pv's: the longer account wins.
  EXPECT_EQ(client_id_owner("plugin-sim-pv", kAccounts), "plugin-sim-pv");
  EXPECT_EQ(client_id_owner("plugin-sim-pv-2", kAccounts), "plugin-sim-pv");
  EXPECT_EQ(client_id_owner("plugin-sim-2", kAccounts), "plugin-sim");
  EXPECT_FALSE(client_id_allowed("plugin-sim", "plugin-sim-pv", kAccounts));
  EXPECT_FALSE(client_id_allowed("plugin-sim", "plugin-sim-pv-x", kAccounts));
  EXPECT_TRUE(client_id_allowed("plugin-sim", "plugin-sim-x", kAccounts));
  EXPECT_TRUE(client_id_allowed("plugin-sim-pv", "plugin-sim-pv", kAccounts));
  EXPECT_EQ(client_id_owner("auto-1f3c", kAccounts), "");
}

TEST(ClientIdRule, NoUsernameMayUseNoId) {
  EXPECT_FALSE(client_id_allowed("", "observer-a", kAccounts));
  EXPECT_FALSE(client_id_allowed("", "", kAccounts));
}

TEST(ClientIdRule, TheHubsSessionIdsSitUnderTheirAccount) {
  EXPECT_EQ(session_client_id("hub", "bridge-hepek"), "hub-bridge-hepek");
  EXPECT_EQ(session_client_id("plugin-relay", "plugin-relay"), "plugin-relay");
  EXPECT_EQ(session_client_id("admin", "cli-4242"), "admin-cli-4242");
  // An external broker: every connection shares the configured account, the session keeps the ids apart.
  EXPECT_EQ(session_client_id("home", "plugin-relay"), "home-plugin-relay");
  EXPECT_EQ(session_client_id("", "bridge-hepek"), "hepek-bridge-hepek");
  for (const auto& [username, session] :
       std::vector<std::pair<std::string, std::string>>{{"hub", "bridge-hepek"},
                                                        {"plugin-sim", "plugin-sim"},
                                                        {"plugin-sim-pv", "plugin-sim-pv"},
                                                        {"admin", "cli-1"}})
    EXPECT_TRUE(client_id_allowed(username, session_client_id(username, session), kAccounts)) << session;
}
