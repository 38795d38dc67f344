// The member's durable state (SQLite, synchronous=FULL): channel, billing position and every balance proof it
// signed, stored BEFORE the proof is sent (write-ahead rule) and marked acknowledged when the operator acks.
//
// Contract: save_signed() is one transaction recording the proof and the new billing position (cycle, meter
// baseline) together, so after a crash the member either has both or neither and never signs two different
// proofs for one cycle. latest() / unacked() are what to resend after a restart.
#pragma once

#include <optional>
#include <string>

#include "ergon_chain.hpp"
#include "money_db.hpp"

namespace hepek::ergon {

struct StoredProof {
  SignedProof signed_proof;
  bool acked = false;
};

class MemberStore {
 public:
  explicit MemberStore(const std::string& path);

  std::string meta(const std::string& key, const std::string& fallback = {}) {
    return meta_get(*db_, key, fallback);
  }
  void set_meta(const std::string& key, const std::string& value) { meta_set(*db_, key, value); }

  // Records `proof` and the billing position in one transaction.
  void save_signed(const SignedProof& proof, const std::string& billed_meter_wh, std::int64_t cycle_end_ms);
  void mark_acked(const eth::Bytes32& channel_id, std::uint64_t cycle);
  std::optional<StoredProof> latest(const eth::Bytes32& channel_id);
  std::uint64_t proof_count();
  void record_channel_tx(const std::string& kind, const eth::Receipt& receipt);
  std::uint64_t channel_tx_count();
  std::uint64_t channel_tx_gas();

 private:
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace hepek::ergon
