// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title ERGON prepaid energy credit
/// @notice ERC-20 "ERGON" with 18 decimals and EIP-2612 permit (so a device opens or tops up a payment channel in one
///         transaction). Only accounts holding MINTER_ROLE (the operator) create tokens:
///         - `mint` when a member buys credit (paid off chain through the operator's payment provider);
///         - `credit` for credit the operator owes a member for other reasons — export of energy by prosumers and
///           generators, demand-response settlement — tagged with a reason and a reference so those later settlement
///           flows have their own auditable trail without changing this contract.
contract ErgonToken is ERC20, ERC20Permit, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Reason tags for `credit` (other tags are accepted; these are the ones the hub uses).
    bytes32 public constant CREDIT_EXPORT = keccak256("ERGON_CREDIT_EXPORT");
    bytes32 public constant CREDIT_DEMAND_RESPONSE = keccak256("ERGON_CREDIT_DEMAND_RESPONSE");

    event Credited(address indexed to, uint256 amount, bytes32 indexed reason, bytes32 settlementRef);

    error ZeroAmount();

    constructor(address admin, address minter) ERC20("ERGON", "ERGON") ERC20Permit("ERGON") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, minter);
    }

    /// @notice Mints purchased credit to a wallet (a device key). Minter only.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        _mint(to, amount);
    }

    /// @notice Mints credit owed for `reason` (e.g. CREDIT_EXPORT); `settlementRef` names the settlement it is for.
    function credit(address to, uint256 amount, bytes32 reason, bytes32 settlementRef) external onlyRole(MINTER_ROLE) {
        if (amount == 0) revert ZeroAmount();
        _mint(to, amount);
        emit Credited(to, amount, reason, settlementRef);
    }
}
