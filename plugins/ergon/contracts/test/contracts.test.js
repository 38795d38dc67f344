// Integration tests of the ERGON contracts against a real anvil (started by test/run.sh): registry, token, payment
// channel lifecycle with reconciling balances, device-initiated close with challenge, and the attacks the contracts
// must reject. Each `it` builds on the state left by the previous ones (one deployment, one chain), in order.
'use strict';

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

const { rpc, highSTwin, splitSignature, SECP256K1_N } = require('./chain.js');
const {
  ERGON,
  CHALLENGE_PERIOD_SECONDS,
  chainId,
  latestTimestamp,
  deployErgon,
  signPermit,
  signBalanceProof,
  withArgs,
  balanceProofDigest,
  priceOf,
  increaseTime,
} = require('./ergon.js');

const DEVICE_ID = 'HEPEK-0001-7Q4ZK9';
const TARIFF = 31n * ERGON / 100n; // 0.31 ERGON per kWh, in base units per kWh
const ZERO_BYTES32 = `0x${'0'.repeat(64)}`;

// Deterministic per-cycle import in Wh (15-minute cycles of a household: 40…479 Wh).
const importOfCycle = (cycle) => BigInt(40 + ((cycle * 7919) % 440));

async function expectRejected(contract, from, name, args, errorName, check = () => {}) {
  const error = await contract.rejection(from, name, args);
  assert.equal(error.name, errorName, `${name}: expected ${errorName}, got ${error.name}`);
  check(error.args);
  return error;
}

const balanceOf = (token, account) => token.call('balanceOf', [account]);

describe('ERGON contracts on anvil', () => {
  let operator, owner, device, strangerKey, unregistered, owner2, device2;
  let registry, token, channel;
  const gas = {};
  const deposits = { total: 0n };
  let channelId; // the device's current channel
  let proofs = []; // signed proofs of the current channel, in cycle order

  // Signs the proofs for cycles first..last of the current channel, cumulative from the previous proof.
  async function signCycles(first, last) {
    let amount = proofs.length ? proofs[proofs.length - 1].cumulativeAmount : 0n;
    let wattHours = proofs.length ? proofs[proofs.length - 1].cumulativeImportWh : 0n;
    for (let cycle = first; cycle <= last; cycle++) {
      const cycleWh = importOfCycle(cycle);
      wattHours += cycleWh;
      amount += priceOf(cycleWh, TARIFF);
      proofs.push(
        await signBalanceProof(channel, device, {
          channelId,
          cumulativeAmount: amount,
          cumulativeImportWh: wattHours,
          cycle: BigInt(cycle),
        }),
      );
    }
  }

  async function openChannel(account, deposit) {
    const deadline = (await latestTimestamp()) + 3600n;
    const { v, r, s } = await signPermit(token, account, channel.address, deposit, deadline);
    return channel.send(account, 'openWithPermit', [deposit, deadline, v, r, s]);
  }

  before(async () => {
    [operator, owner, device, strangerKey, unregistered, owner2, device2] = await rpc('eth_accounts');
    ({ registry, token, channel } = await deployErgon(operator));
    gas.deployRegistry = registry.deployGas;
    gas.deployToken = token.deployGas;
    gas.deployPaymentChannel = channel.deployGas;
  });

  after(() => {
    const report = Object.fromEntries(Object.entries(gas).map(([key, value]) => [key, Number(value)]));
    process.stdout.write(`# gas ${JSON.stringify(report)}\n`);
    if (process.env.ERGON_GAS_REPORT) fs.writeFileSync(process.env.ERGON_GAS_REPORT, JSON.stringify(report, null, 2));
  });

  it('registry: operator manufactures, member claims, operator deactivates and reactivates', async () => {
    const manufactured = await registry.send(operator, 'manufacture', [DEVICE_ID, device]);
    gas.manufacture = manufactured.gas;
    const [event] = await registry.events(manufactured, 'DeviceManufactured');
    assert.equal(event.device, device.toLowerCase());
    assert.equal(event.deviceId, DEVICE_ID);
    assert.equal(await registry.call('deviceOf', [DEVICE_ID]), device.toLowerCase());
    assert.equal(await registry.call('isActive', [device]), false, 'not active before it is claimed');

    await expectRejected(registry, owner, 'manufacture', ['HEPEK-ROGUE', strangerKey],
      'AccessControlUnauthorizedAccount');
    await expectRejected(registry, operator, 'manufacture', [DEVICE_ID, strangerKey], 'DeviceIdAlreadyRegistered');
    await expectRejected(registry, operator, 'manufacture', ['HEPEK-OTHER', device], 'DeviceKeyAlreadyRegistered');
    await expectRejected(registry, operator, 'manufacture', ['', strangerKey], 'EmptyDeviceId');
    await expectRejected(registry, owner, 'claim', ['HEPEK-NOPE'], 'UnknownDeviceId');

    const claimed = await registry.send(owner, 'claim', [DEVICE_ID]);
    gas.claim = claimed.gas;
    const [claim] = await registry.events(claimed, 'DeviceClaimed');
    assert.equal(claim.owner, owner.toLowerCase());
    assert.equal(claim.device, device.toLowerCase());
    assert.equal(await registry.call('ownerOf', [device]), owner.toLowerCase());
    assert.equal(await registry.call('deviceIdOf', [device]), DEVICE_ID);
    assert.equal(await registry.call('isActive', [device]), true);
    await expectRejected(registry, owner2, 'claim', [DEVICE_ID], 'DeviceAlreadyClaimed');

    const deactivated = await registry.send(operator, 'deactivate', [DEVICE_ID]);
    assert.equal((await registry.events(deactivated, 'DeviceDeactivated')).length, 1);
    assert.equal(await registry.call('isActive', [device]), false);
    await expectRejected(registry, owner, 'reactivate', [DEVICE_ID], 'AccessControlUnauthorizedAccount');
    const reactivated = await registry.send(operator, 'reactivate', [DEVICE_ID]);
    assert.equal((await registry.events(reactivated, 'DeviceReactivated')).length, 1);
    assert.equal(await registry.call('isActive', [device]), true);

    // A second device, manufactured but never claimed: it must not be able to open a channel.
    await registry.send(operator, 'manufacture', ['HEPEK-0002-UNCLAIMED', device2]);
  });

  it('token: ERGON with 18 decimals, minted only by the minter, with tagged credit for later settlements', async () => {
    assert.equal(await token.call('name'), 'ERGON');
    assert.equal(await token.call('symbol'), 'ERGON');
    assert.equal(await token.call('decimals'), 18n);
    const minted = await token.send(operator, 'mint', [device, 100n * ERGON]);
    gas.mint = minted.gas;
    assert.equal(await balanceOf(token, device), 100n * ERGON);
    await expectRejected(token, owner, 'mint', [owner, ERGON], 'AccessControlUnauthorizedAccount', ([account]) =>
      assert.equal(account, owner.toLowerCase()),
    );
    await expectRejected(token, operator, 'mint', [device, 0n], 'ZeroAmount');

    const reason = await token.call('CREDIT_EXPORT');
    const reference = `0x${'ab'.repeat(32)}`;
    const credited = await token.send(operator, 'credit', [device, 5n * ERGON, reason, reference]);
    const [event] = await token.events(credited, 'Credited');
    assert.deepEqual(event, { to: device.toLowerCase(), reason, amount: 5n * ERGON, settlementRef: reference });
    assert.equal(await balanceOf(token, device), 105n * ERGON);

    await token.send(operator, 'mint', [unregistered, 10n * ERGON]);
    await token.send(operator, 'mint', [device2, 10n * ERGON]);
  });

  it('rejects channels from unregistered, unclaimed and deactivated devices', async () => {
    const deadline = (await latestTimestamp()) + 3600n;
    for (const [account, label] of [[unregistered, 'unregistered'], [device2, 'unclaimed']]) {
      const { v, r, s } = await signPermit(token, account, channel.address, ERGON, deadline);
      await expectRejected(channel, account, 'openWithPermit', [ERGON, deadline, v, r, s], 'DeviceNotActive', ([who]) =>
        assert.equal(who, account.toLowerCase(), label),
      );
    }
    await registry.send(operator, 'deactivate', [DEVICE_ID]);
    const { v, r, s } = await signPermit(token, device, channel.address, ERGON, deadline);
    await expectRejected(channel, device, 'openWithPermit', [ERGON, deadline, v, r, s], 'DeviceNotActive');
    await registry.send(operator, 'reactivate', [DEVICE_ID]);
    assert.equal(await balanceOf(token, unregistered), 10n * ERGON, 'nothing moved');
  });

  it('opens with a permit, checks the digest, signs 96 proofs, tops up and closes cooperatively', async () => {
    const deviceStart = await balanceOf(token, device);
    const operatorStart = await balanceOf(token, operator);
    const firstDeposit = 8n * ERGON;

    // A permit that is expired is refused with the permit's own error.
    const past = (await latestTimestamp()) - 1n;
    const stale = await signPermit(token, device, channel.address, firstDeposit, past);
    await expectRejected(channel, device, 'openWithPermit', [firstDeposit, past, stale.v, stale.r, stale.s],
      'ERC2612ExpiredSignature');

    const expectedId = await channel.call('channelIdFor', [device, 0n]);
    const opened = await openChannel(device, firstDeposit);
    gas.openWithPermit = opened.gas;
    const [event] = await channel.events(opened, 'ChannelOpened');
    channelId = event.channelId;
    deposits.total += firstDeposit;
    assert.equal(channelId, expectedId);
    assert.equal(event.deposit, firstDeposit);
    assert.equal(await channel.call('openChannelOf', [device]), channelId);
    assert.equal(await token.call('allowance', [device, channel.address]), 0n, 'permit used up exactly');
    assert.equal(await balanceOf(token, channel.address), firstDeposit);
    await expectRejected(channel, device, 'openWithPermit', [ERGON, 0n, 27, ZERO_BYTES32, ZERO_BYTES32],
      'ChannelAlreadyOpen');

    // The contract's digest equals an EIP-712 digest computed independently here, and anvil's signature recovers.
    const chain = await chainId();
    await signCycles(1, 48);
    for (const proof of [proofs[0], proofs[47]]) {
      const fromContract = await channel.call('hashBalanceProof', proof.args.slice(0, 4));
      assert.equal(fromContract, await balanceProofDigest(channel.address, chain, proof));
      assert.equal(await channel.call('recoverBalanceProofSigner', proof.args), device.toLowerCase());
    }

    // The proofs outgrow the first deposit: top up (again with a permit) before signing further.
    const needed = proofs[47].cumulativeAmount;
    assert.ok(needed < firstDeposit, 'the first 48 cycles fit in the first deposit');
    const topUp = 6n * ERGON;
    const deadline = (await latestTimestamp()) + 3600n;
    const permit = await signPermit(token, device, channel.address, topUp, deadline);
    await expectRejected(channel, strangerKey, 'topUpWithPermit', [channelId, topUp, deadline, permit.v, permit.r,
      permit.s], 'NotChannelDevice');
    const toppedUp = await channel.send(device, 'topUpWithPermit', [channelId, topUp, deadline, permit.v, permit.r,
      permit.s]);
    gas.topUpWithPermit = toppedUp.gas;
    deposits.total += topUp;
    const [topUpEvent] = await channel.events(toppedUp, 'ChannelToppedUp');
    assert.equal(topUpEvent.deposit, firstDeposit + topUp);

    await signCycles(49, 96);
    const latest = proofs[95];
    assert.ok(latest.cumulativeAmount > firstDeposit, 'the day needed the top-up');

    await expectRejected(channel, device, 'close', latest.args, 'NotOperator');
    const closed = await channel.send(operator, 'close', latest.args);
    gas.closeWithProof = closed.gas;
    const [closedEvent] = await channel.events(closed, 'ChannelClosed');
    const paid = operatorStart + latest.cumulativeAmount;
    const refund = deposits.total - latest.cumulativeAmount;
    assert.equal(closedEvent.paidToOperator, latest.cumulativeAmount);
    assert.equal(closedEvent.refundedToDevice, refund);
    assert.equal(closedEvent.cycle, 96n);
    assert.equal(closedEvent.cooperative, true);

    // Reconciliation to the base unit: operator receipts + device refund = deposits; nothing stays in the contract.
    assert.equal(await balanceOf(token, operator), paid);
    assert.equal(await balanceOf(token, device), deviceStart - deposits.total + refund);
    assert.equal(closedEvent.paidToOperator + closedEvent.refundedToDevice, deposits.total);
    assert.equal(await balanceOf(token, channel.address), 0n);
    assert.equal(await channel.call('openChannelOf', [device]), ZERO_BYTES32);
    const record = await channel.call('getChannel', [channelId]);
    assert.equal(record.state, 3n, 'Closed');
    await expectRejected(channel, operator, 'close', latest.args, 'ChannelNotOpen');
  });

  it('rejects forged, replayed, malformed, high-s and over-deposit proofs', async () => {
    const oldChannelId = channelId;
    const opened = await openChannel(device, 10n * ERGON);
    [{ channelId }] = await channel.events(opened, 'ChannelOpened');
    assert.notEqual(channelId, oldChannelId);
    assert.equal(channelId, await channel.call('channelIdFor', [device, 1n]));
    proofs = [];
    await signCycles(1, 4);
    const good = proofs[3];
    const body = { channelId, cumulativeAmount: good.cumulativeAmount, cumulativeImportWh: good.cumulativeImportWh,
      cycle: good.cycle };

    const byStranger = await signBalanceProof(channel, strangerKey, body);
    await expectRejected(channel, operator, 'close', byStranger.args, 'ProofSignerNotDevice', ([signer, expected]) => {
      assert.equal(signer, strangerKey.toLowerCase());
      assert.equal(expected, device.toLowerCase());
    });

    // Replays: a proof the device signed for its previous channel, for another contract, for another chain.
    const otherChannel = await signBalanceProof(channel, device, { ...body, channelId: oldChannelId });
    await expectRejected(channel, operator, 'close', [channelId, ...otherChannel.args.slice(1)], 'ProofSignerNotDevice');
    const otherContract = await signBalanceProof(channel, device, body, { verifyingContract: token.address });
    await expectRejected(channel, operator, 'close', otherContract.args, 'ProofSignerNotDevice');
    const otherChain = await signBalanceProof(channel, device, body, { chainId: 1 });
    await expectRejected(channel, operator, 'close', otherChain.args, 'ProofSignerNotDevice');

    // Malleability and malformed signatures.
    const twin = highSTwin(good.signature);
    assert.ok(BigInt(splitSignature(twin).s) > SECP256K1_N / 2n);
    await expectRejected(channel, operator, 'close', withArgs({ ...good, signature: twin }).args,
      'ECDSAInvalidSignatureS');
    await expectRejected(channel, operator, 'close', withArgs({ ...good, signature: good.signature.slice(0, 130) }).args,
      'ECDSAInvalidSignatureLength', ([length]) => assert.equal(length, 64n));
    const badV = `${good.signature.slice(0, 130)}1d`; // v = 29
    await expectRejected(channel, operator, 'close', withArgs({ ...good, signature: badV }).args, 'ECDSAInvalidSignature');
    await expectRejected(channel, operator, 'close', withArgs({ ...good, signature: '0x' }).args, 'ZeroProofWithData');

    // More than the deposit, even though the device signed it.
    const tooMuch = await signBalanceProof(channel, device, { ...body, cumulativeAmount: 10n * ERGON + 1n });
    await expectRejected(channel, operator, 'close', tooMuch.args, 'AmountAboveDeposit', ([amount, deposit]) => {
      assert.equal(amount, 10n * ERGON + 1n);
      assert.equal(deposit, 10n * ERGON);
    });

    // None of that moved anything.
    assert.equal(await balanceOf(token, channel.address), 10n * ERGON);
  });

  it('device-initiated close with a stale proof is challenged, corrected and settled after the window', async () => {
    const deviceStart = await balanceOf(token, device);
    const operatorStart = await balanceOf(token, operator);
    const deposit = (await channel.call('getChannel', [channelId])).deposit;
    await signCycles(5, 12);
    const stale = proofs[2]; // cycle 3
    const latest = proofs[11]; // cycle 12

    const requested = await channel.send(device, 'requestClose', stale.args);
    gas.requestClose = requested.gas;
    const [request] = await channel.events(requested, 'ChannelCloseRequested');
    assert.equal(request.claimedAmount, stale.cumulativeAmount);
    assert.equal(request.closesAt, (await latestTimestamp()) + CHALLENGE_PERIOD_SECONDS);

    // Decreasing or equal amounts are no answer; only the device's own signature counts; top-ups are closed.
    await expectRejected(channel, operator, 'challenge', proofs[1].args, 'AmountNotIncreasing', ([amount, previous]) => {
      assert.equal(amount, proofs[1].cumulativeAmount);
      assert.equal(previous, stale.cumulativeAmount);
    });
    await expectRejected(channel, operator, 'challenge', stale.args, 'AmountNotIncreasing');
    await expectRejected(channel, operator, 'close', proofs[1].args, 'AmountNotIncreasing');
    await expectRejected(channel, device, 'challenge', latest.args, 'NotOperator');
    await expectRejected(channel, device, 'requestClose', latest.args, 'ChannelNotOpen');
    await expectRejected(channel, operator, 'settle', [channelId], 'ChallengeWindowRunning');

    const challenged = await channel.send(operator, 'challenge', latest.args);
    gas.challenge = challenged.gas;
    const [challengeEvent] = await channel.events(challenged, 'ChannelChallenged');
    assert.equal(challengeEvent.cumulativeAmount, latest.cumulativeAmount);
    assert.equal(challengeEvent.cycle, 12n);

    await increaseTime(CHALLENGE_PERIOD_SECONDS);
    await expectRejected(channel, operator, 'challenge', latest.args, 'ChallengeWindowOver');
    const settled = await channel.send(owner2, 'settle', [channelId]); // anyone may settle
    gas.settle = settled.gas;
    const [closed] = await channel.events(settled, 'ChannelClosed');
    assert.equal(closed.paidToOperator, latest.cumulativeAmount);
    assert.equal(closed.refundedToDevice, deposit - latest.cumulativeAmount);
    assert.equal(closed.cooperative, false);
    assert.equal(await balanceOf(token, operator), operatorStart + latest.cumulativeAmount);
    assert.equal(await balanceOf(token, device), deviceStart + deposit - latest.cumulativeAmount);
    assert.equal(await balanceOf(token, channel.address), 0n);
    await expectRejected(channel, operator, 'settle', [channelId], 'ChannelNotClosing');
  });

  it('device-initiated close claiming nothing refunds everything when the operator does not answer', async () => {
    const deviceStart = await balanceOf(token, device);
    // Someone front-runs the device's permit by submitting it to the token directly: the open still succeeds on the
    // allowance that permit created.
    const deadline = (await latestTimestamp()) + 3600n;
    const { v, r, s } = await signPermit(token, device, channel.address, 3n * ERGON, deadline);
    await token.send(strangerKey, 'permit', [device, channel.address, 3n * ERGON, deadline, v, r, s]);
    const opened = await channel.send(device, 'openWithPermit', [3n * ERGON, deadline, v, r, s]);
    [{ channelId }] = await channel.events(opened, 'ChannelOpened');
    assert.equal(await balanceOf(token, channel.address), 3n * ERGON);

    const nothing = [channelId, 0n, 0n, 0n, '0x'];
    const requested = await channel.send(device, 'requestClose', nothing);
    gas.requestCloseZero = requested.gas;
    const topUp = await signPermit(token, device, channel.address, ERGON, deadline);
    await expectRejected(channel, device, 'topUpWithPermit', [channelId, ERGON, deadline, topUp.v, topUp.r, topUp.s],
      'ChannelNotOpen');
    await increaseTime(CHALLENGE_PERIOD_SECONDS - 5n);
    await expectRejected(channel, device, 'settle', [channelId], 'ChallengeWindowRunning');
    await increaseTime(5n);
    const settled = await channel.send(device, 'settle', [channelId]);
    gas.settleZero = settled.gas;
    assert.equal(await balanceOf(token, device), deviceStart);
    assert.equal(await channel.call('openChannelOf', [device]), ZERO_BYTES32);
  });
});
