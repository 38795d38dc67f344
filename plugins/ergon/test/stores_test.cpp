#include <filesystem>

#include <gtest/gtest.h>

#include "member_store.hpp"
#include "operator_store.hpp"
#include "test_support.hpp"

namespace hepek::ergon {
namespace {

// The test kit's directory for this run, removed when the test binary exits.
std::filesystem::path temp_dir() {
  static const hepek::testing::TempDir dir;
  return dir.path();
}

std::string temp_path(const std::string& name) {
  const auto dir = temp_dir();
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

SignedProof proof(std::uint64_t cycle, int amount) {
  SignedProof p;
  p.proof.channel_id[31] = 7;
  p.proof.cycle = cycle;
  p.proof.cumulative_amount = amount;
  p.proof.cumulative_import_wh = amount * 2;
  p.signature = eth::Bytes(65, static_cast<std::uint8_t>(cycle));
  return p;
}

TEST(MemberStore, ProofsSurviveReopenAndAckMoves) {
  const std::string path = temp_path("member.db");
  {
    MemberStore store(path);
    store.save_signed(proof(1, 10), "1000", 900000);
    store.save_signed(proof(2, 25), "1020", 1800000);
    store.mark_acked(proof(1, 10).proof.channel_id, 1);
    EXPECT_THROW(store.save_signed(proof(2, 30), "1030", 1800000),
                 std::exception);  // never two proofs for a cycle
  }
  MemberStore store(path);
  const auto latest = store.latest(proof(1, 0).proof.channel_id);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->signed_proof.proof.cycle, 2u);
  EXPECT_EQ(latest->signed_proof.proof.cumulative_amount, 25);
  EXPECT_FALSE(latest->acked);
  EXPECT_EQ(store.meta("billed_meter_wh"), "1020");
  EXPECT_EQ(store.proof_count(), 2u);
}

TEST(OperatorStore, LatestProofAndIdempotentPayments) {
  const std::string path = temp_path("operator.db");
  OperatorStore store(path);
  store.accept_proof("dev-1", proof(1, 10), 1);
  store.accept_proof("dev-1", proof(2, 20), 2);
  const auto latest = store.latest_proof(proof(1, 0).proof.channel_id);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->cumulative_amount, 20);
  EXPECT_THROW(store.accept_proof("dev-1", proof(2, 20), 3), std::exception);
  store.insert_payment({"r1", "dev-1", "0xabc", "5", "card ****4242", "approved", "", ""});
  EXPECT_THROW(store.insert_payment({"r1", "dev-1", "0xabc", "5", "card ****4242", "approved", "", ""}),
               std::exception);
  store.mark_minted("r1", "0xtx");
  EXPECT_EQ(store.payment("r1")->status, "minted");
}

TEST(MoneyDb, NewerSchemaIsRefused) {
  const std::string path = temp_path("newer.db");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = 99");
  }
  try {
    MemberStore store(path);
    FAIL() << "accepted a newer schema";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("schema version 99"), std::string::npos);
  }
}

}  // namespace
}  // namespace hepek::ergon
