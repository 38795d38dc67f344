#!/usr/bin/env bash
# Runs the ERGON contract tests against a fresh anvil (the one pinned in package-lock.json).
# Usage: plugins/ergon/contracts/test/run.sh [ARTIFACTS_DIR]
#   ARTIFACTS_DIR: compile.js output (e.g. <build>/contracts); when omitted the contracts are compiled into a
#   temporary directory first. Env ERGON_GAS_REPORT=FILE also writes the measured gas figures as JSON.
# Anvil listens on a loopback port the kernel picks (--port 0, read back from its log), so parallel runs never
# collide; it is stopped by its process id on every exit path.
set -euo pipefail

contracts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "${contracts_dir}/../../.." && pwd)"
anvil="${repo_root}/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
if [[ ! -x "${anvil}" ]]; then
  echo "run.sh: anvil not found at ${anvil}; run \`npm ci\` at the repository root (scripts/install-deps does)" >&2
  exit 1
fi

work_dir="$(mktemp -d -t ergon-contracts-test.XXXXXX)"
anvil_pid=""
tests_pid=""
cleanup() {
  for pid in "${tests_pid}" "${anvil_pid}"; do
    if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
      kill "${pid}" 2>/dev/null || true
      wait "${pid}" 2>/dev/null || true
    fi
  done
  rm -rf "${work_dir}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

artifacts_dir="${1:-}"
if [[ -z "${artifacts_dir}" ]]; then
  artifacts_dir="${work_dir}/artifacts"
  node "${contracts_dir}/compile.js" "${artifacts_dir}"
fi
for contract in Registry ErgonToken PaymentChannel; do
  if [[ ! -f "${artifacts_dir}/${contract}.json" ]]; then
    echo "run.sh: missing artifact ${artifacts_dir}/${contract}.json (build target ergon_contracts)" >&2
    exit 1
  fi
done

"${anvil}" --host 127.0.0.1 --port 0 --chain-id 31337 --accounts 10 >"${work_dir}/anvil.log" 2>&1 &
anvil_pid=$!

port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/^Listening on 127\.0\.0\.1:\([0-9]\+\)$/\1/p' "${work_dir}/anvil.log")"
  [[ -n "${port}" ]] && break
  if ! kill -0 "${anvil_pid}" 2>/dev/null; then
    echo "run.sh: anvil exited during start-up:" >&2
    cat "${work_dir}/anvil.log" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z "${port}" ]]; then
  echo "run.sh: anvil did not report its port within 10 s" >&2
  exit 1
fi

# In the background and waited for, so that SIGINT/SIGTERM (e.g. a CTest timeout) run the cleanup right away.
ANVIL_RPC_URL="http://127.0.0.1:${port}" ERGON_CONTRACTS_DIR="$(cd "${artifacts_dir}" && pwd)" \
  node --test --test-concurrency=1 --test-reporter=spec "${contracts_dir}/test/contracts.test.js" &
tests_pid=$!
status=0
wait "${tests_pid}" || status=$?
tests_pid=""
exit "${status}"
