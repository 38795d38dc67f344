// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Registry} from "./Registry.sol";

/// @title ERGON prepaid payment channel (one-way, device → operator)
/// @notice A device locks ERGON tokens as a deposit (permit + transfer in one transaction), then pays for energy off
///         chain by signing EIP-712 balance proofs that carry the *cumulative* amount owed. On chain:
///         - the operator closes at any time with the latest proof: it is paid that amount, the device gets the rest;
///         - the device may request a close with a claimed amount (its own proof, or zero). That opens a challenge
///           window of `challengePeriod` seconds in which the operator may submit a higher proof (`challenge`) or
///           close outright (`close`); after the window anyone may `settle` with the highest amount submitted.
///         The device spends two transactions per channel lifetime (open, requestClose — or only open when the
///         operator closes cooperatively) plus one per top-up, however many billing cycles pass.
/// @dev Signatures are bound to purpose (the BalanceProof type), contract and chain (EIP-712 domain) and channel (the
///      channel id, itself derived from chain, contract, device, operator and a per-device nonce). OpenZeppelin's ECDSA
///      rejects malformed, high-s and zero-address signatures. Only amounts move money, so only amounts are compared:
///      cycle and imported energy are recorded as signed, never used to rank proofs (a device could sign a fake high
///      cycle). One open channel per device at a time, so a device can find its channel again from chain state alone.
contract PaymentChannel is EIP712 {
    using SafeERC20 for IERC20;

    bytes32 public constant BALANCE_PROOF_TYPEHASH =
        keccak256("BalanceProof(bytes32 channelId,uint256 cumulativeAmount,uint256 cumulativeImportWh,uint64 cycle)");

    enum State {
        None,
        Open,
        Closing,
        Closed
    }

    struct Channel {
        address device;
        State state;
        uint64 closesAt; // end of the challenge window while Closing
        uint256 deposit;
        uint256 claimedAmount; // highest amount submitted on chain; the amount paid once Closed
        uint256 claimedImportWh;
        uint64 claimedCycle;
    }

    IERC20 public immutable token;
    Registry public immutable registry;
    address public immutable operator;
    uint64 public immutable challengePeriod;

    mapping(bytes32 channelId => Channel) private _channels;
    mapping(address device => uint256) public channelNonce; // channels ever opened by the device
    mapping(address device => bytes32) public openChannelOf; // the device's channel not yet closed, or zero

    event ChannelOpened(bytes32 indexed channelId, address indexed device, uint256 nonce, uint256 deposit);
    event ChannelToppedUp(bytes32 indexed channelId, address indexed device, uint256 amount, uint256 deposit);
    event ChannelCloseRequested(
        bytes32 indexed channelId,
        address indexed device,
        uint256 claimedAmount,
        uint256 cumulativeImportWh,
        uint64 cycle,
        uint64 closesAt
    );
    event ChannelChallenged(
        bytes32 indexed channelId, uint256 cumulativeAmount, uint256 cumulativeImportWh, uint64 cycle
    );
    event ChannelClosed(
        bytes32 indexed channelId,
        address indexed device,
        uint256 paidToOperator,
        uint256 refundedToDevice,
        uint256 cumulativeImportWh,
        uint64 cycle,
        bool cooperative
    );

    error ZeroAddress();
    error ZeroAmount();
    error ZeroChallengePeriod();
    error DeviceNotActive(address device);
    error ChannelAlreadyOpen(address device, bytes32 channelId);
    error UnknownChannel(bytes32 channelId);
    error ChannelNotOpen(bytes32 channelId, State state);
    error ChannelNotClosing(bytes32 channelId, State state);
    error NotChannelDevice(address sender, address device);
    error NotOperator(address sender);
    error AmountAboveDeposit(uint256 amount, uint256 deposit);
    error AmountNotIncreasing(uint256 amount, uint256 previous);
    error ProofSignerNotDevice(address signer, address device);
    error ZeroProofWithData();
    error ChallengeWindowOver(uint64 closesAt, uint256 now_);
    error ChallengeWindowRunning(uint64 closesAt, uint256 now_);

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    constructor(IERC20 token_, Registry registry_, address operator_, uint64 challengePeriod_)
        EIP712("ERGON PaymentChannel", "1")
    {
        if (address(token_) == address(0) || address(registry_) == address(0) || operator_ == address(0)) {
            revert ZeroAddress();
        }
        if (challengePeriod_ == 0) revert ZeroChallengePeriod(); // the operator must get a chance to answer
        token = token_;
        registry = registry_;
        operator = operator_;
        challengePeriod = challengePeriod_;
    }

    // ---- device side ------------------------------------------------------------------------------------------------

    /// @notice Opens the sender's channel with `deposit` tokens, approved by an EIP-2612 permit for exactly that
    ///         amount. The sender must be a registered, claimed, active device with no other open channel.
    function openWithPermit(uint256 deposit, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        returns (bytes32 channelId)
    {
        address device = msg.sender;
        if (deposit == 0) revert ZeroAmount();
        if (!registry.isActive(device)) revert DeviceNotActive(device);
        bytes32 current = openChannelOf[device];
        if (current != bytes32(0)) revert ChannelAlreadyOpen(device, current);

        uint256 nonce = channelNonce[device];
        channelId = channelIdFor(device, nonce);
        channelNonce[device] = nonce + 1;
        openChannelOf[device] = channelId;
        Channel storage channel = _channels[channelId];
        channel.device = device;
        channel.state = State.Open;
        channel.deposit = deposit;

        _pullWithPermit(device, deposit, deadline, v, r, s);
        emit ChannelOpened(channelId, device, nonce, deposit);
    }

    /// @notice Adds `amount` to the deposit of the sender's open channel, approved by a permit.
    function topUpWithPermit(bytes32 channelId, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        Channel storage channel = _openChannel(channelId);
        if (msg.sender != channel.device) revert NotChannelDevice(msg.sender, channel.device);
        if (amount == 0) revert ZeroAmount();
        if (!registry.isActive(msg.sender)) revert DeviceNotActive(msg.sender);

        uint256 deposit = channel.deposit + amount;
        channel.deposit = deposit;
        _pullWithPermit(msg.sender, amount, deadline, v, r, s);
        emit ChannelToppedUp(channelId, msg.sender, amount, deposit);
    }

    /// @notice The device asks to close, claiming the given balance proof (its latest, or all zeros with an empty
    ///         signature, which claims nothing). The operator has `challengePeriod` seconds to answer with a higher
    ///         proof; then anyone may settle.
    function requestClose(
        bytes32 channelId,
        uint256 cumulativeAmount,
        uint256 cumulativeImportWh,
        uint64 cycle,
        bytes calldata signature
    ) external {
        Channel storage channel = _openChannel(channelId);
        if (msg.sender != channel.device) revert NotChannelDevice(msg.sender, channel.device);
        _verify(channelId, channel, cumulativeAmount, cumulativeImportWh, cycle, signature);

        uint64 closesAt = uint64(block.timestamp) + challengePeriod;
        channel.state = State.Closing;
        channel.closesAt = closesAt;
        _record(channel, cumulativeAmount, cumulativeImportWh, cycle);
        emit ChannelCloseRequested(channelId, msg.sender, cumulativeAmount, cumulativeImportWh, cycle, closesAt);
    }

    // ---- operator side ----------------------------------------------------------------------------------------------

    /// @notice Closes the channel now with the latest proof: the operator is paid its amount, the device refunded the
    ///         rest. Works on an open channel and on a closing one inside its challenge window (amount not lower than
    ///         the device's claim).
    function close(
        bytes32 channelId,
        uint256 cumulativeAmount,
        uint256 cumulativeImportWh,
        uint64 cycle,
        bytes calldata signature
    ) external onlyOperator {
        Channel storage channel = _existingChannel(channelId);
        if (channel.state == State.Closing) {
            _requireInsideWindow(channel);
            if (cumulativeAmount < channel.claimedAmount) {
                revert AmountNotIncreasing(cumulativeAmount, channel.claimedAmount);
            }
        } else if (channel.state != State.Open) {
            revert ChannelNotOpen(channelId, channel.state);
        }
        _verify(channelId, channel, cumulativeAmount, cumulativeImportWh, cycle, signature);
        _record(channel, cumulativeAmount, cumulativeImportWh, cycle);
        _payOut(channelId, channel, true);
    }

    /// @notice Answers a device-initiated close with a proof of a strictly higher amount; the window keeps running.
    function challenge(
        bytes32 channelId,
        uint256 cumulativeAmount,
        uint256 cumulativeImportWh,
        uint64 cycle,
        bytes calldata signature
    ) external onlyOperator {
        Channel storage channel = _existingChannel(channelId);
        if (channel.state != State.Closing) revert ChannelNotClosing(channelId, channel.state);
        _requireInsideWindow(channel);
        if (cumulativeAmount <= channel.claimedAmount) {
            revert AmountNotIncreasing(cumulativeAmount, channel.claimedAmount);
        }
        _verify(channelId, channel, cumulativeAmount, cumulativeImportWh, cycle, signature);
        _record(channel, cumulativeAmount, cumulativeImportWh, cycle);
        emit ChannelChallenged(channelId, cumulativeAmount, cumulativeImportWh, cycle);
    }

    // ---- anyone -----------------------------------------------------------------------------------------------------

    /// @notice Pays out a device-initiated close once its challenge window is over.
    function settle(bytes32 channelId) external {
        Channel storage channel = _existingChannel(channelId);
        if (channel.state != State.Closing) revert ChannelNotClosing(channelId, channel.state);
        if (block.timestamp < channel.closesAt) revert ChallengeWindowRunning(channel.closesAt, block.timestamp);
        _payOut(channelId, channel, false);
    }

    // ---- views ------------------------------------------------------------------------------------------------------

    /// @notice The id the device's channel number `nonce` has (or will have).
    function channelIdFor(address device, uint256 nonce) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), device, operator, nonce));
    }

    /// @notice The EIP-712 digest a device signs for a balance proof (lets off-chain code check its hashing).
    function hashBalanceProof(bytes32 channelId, uint256 cumulativeAmount, uint256 cumulativeImportWh, uint64 cycle)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(BALANCE_PROOF_TYPEHASH, channelId, cumulativeAmount, cumulativeImportWh, cycle))
        );
    }

    /// @notice The signer of a balance proof; reverts on malformed or high-s signatures like the state-changing calls.
    function recoverBalanceProofSigner(
        bytes32 channelId,
        uint256 cumulativeAmount,
        uint256 cumulativeImportWh,
        uint64 cycle,
        bytes calldata signature
    ) external view returns (address) {
        bytes32 digest = hashBalanceProof(channelId, cumulativeAmount, cumulativeImportWh, cycle);
        return ECDSA.recoverCalldata(digest, signature);
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function getChannel(bytes32 channelId) external view returns (Channel memory) {
        return _channels[channelId];
    }

    // ---- internals --------------------------------------------------------------------------------------------------

    function _existingChannel(bytes32 channelId) private view returns (Channel storage channel) {
        channel = _channels[channelId];
        if (channel.state == State.None) revert UnknownChannel(channelId);
    }

    function _openChannel(bytes32 channelId) private view returns (Channel storage channel) {
        channel = _existingChannel(channelId);
        if (channel.state != State.Open) revert ChannelNotOpen(channelId, channel.state);
    }

    function _requireInsideWindow(Channel storage channel) private view {
        if (block.timestamp >= channel.closesAt) revert ChallengeWindowOver(channel.closesAt, block.timestamp);
    }

    /// @dev Checks a proof against the channel: within the deposit and signed by the device for this channel, contract
    ///      and chain. The all-zero proof needs no signature (it claims nothing).
    function _verify(
        bytes32 channelId,
        Channel storage channel,
        uint256 cumulativeAmount,
        uint256 cumulativeImportWh,
        uint64 cycle,
        bytes calldata signature
    ) private view {
        if (cumulativeAmount > channel.deposit) revert AmountAboveDeposit(cumulativeAmount, channel.deposit);
        if (signature.length == 0) {
            if (cumulativeAmount != 0 || cumulativeImportWh != 0 || cycle != 0) {
                revert ZeroProofWithData();
            }
            return;
        }
        bytes32 digest = hashBalanceProof(channelId, cumulativeAmount, cumulativeImportWh, cycle);
        address signer = ECDSA.recoverCalldata(digest, signature);
        if (signer != channel.device) revert ProofSignerNotDevice(signer, channel.device);
    }

    function _record(Channel storage channel, uint256 cumulativeAmount, uint256 cumulativeImportWh, uint64 cycle)
        private
    {
        channel.claimedAmount = cumulativeAmount;
        channel.claimedImportWh = cumulativeImportWh;
        channel.claimedCycle = cycle;
    }

    /// @dev Effects before interactions: the channel is Closed and released before any token moves.
    function _payOut(bytes32 channelId, Channel storage channel, bool cooperative) private {
        address device = channel.device;
        uint256 paid = channel.claimedAmount;
        uint256 refund = channel.deposit - paid;
        channel.state = State.Closed;
        delete openChannelOf[device];

        if (paid != 0) token.safeTransfer(operator, paid);
        if (refund != 0) token.safeTransfer(device, refund);
        emit ChannelClosed(channelId, device, paid, refund, channel.claimedImportWh, channel.claimedCycle, cooperative);
    }

    /// @dev Uses the permit when it is valid; if it fails (e.g. someone front-ran it, so the allowance already exists)
    ///      the transfer still succeeds on the existing allowance, and otherwise the permit's own error is raised.
    function _pullWithPermit(address owner, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        try IERC20Permit(address(token)).permit(owner, address(this), amount, deadline, v, r, s) {}
        catch (bytes memory reason) {
            if (token.allowance(owner, address(this)) < amount) {
                assembly ("memory-safe") {
                    revert(add(reason, 32), mload(reason))
                }
            }
        }
        token.safeTransferFrom(owner, address(this), amount);
    }
}
