// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title ERGON device registry
/// @notice The operator records each manufactured HEPEK (device id → device key address); the member then claims it
///         with the same id from the owner account. Only a registered, claimed and active device may open payment
///         channels (see PaymentChannel). The operator can deactivate (and reactivate) a device, e.g. when it is
///         reported stolen; deactivation does not touch channels already open, so they still close and settle.
/// @dev Devices are keyed by keccak256(bytes(deviceId)); the device key address maps back to the same hash, so a key
///      belongs to exactly one device and a device id to exactly one key.
contract Registry is AccessControl {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    struct Device {
        address key; // the device's signing key (its Ethereum address)
        uint64 manufacturedAt;
        bool active;
        address owner; // the member's owner account; zero until claimed
        uint64 claimedAt;
        string deviceId;
    }

    mapping(bytes32 idHash => Device) private _devices;
    mapping(address key => bytes32 idHash) private _idHashOfKey;

    event DeviceManufactured(bytes32 indexed idHash, address indexed device, string deviceId);
    event DeviceClaimed(bytes32 indexed idHash, address indexed device, address indexed owner, string deviceId);
    event DeviceDeactivated(bytes32 indexed idHash, address indexed device);
    event DeviceReactivated(bytes32 indexed idHash, address indexed device);

    error EmptyDeviceId();
    error DeviceIdTooLong(uint256 length, uint256 maximum);
    error ZeroDeviceAddress();
    error DeviceIdAlreadyRegistered(string deviceId);
    error DeviceKeyAlreadyRegistered(address device);
    error UnknownDeviceId(string deviceId);
    error DeviceAlreadyClaimed(string deviceId, address owner);
    error DeviceInactive(string deviceId);
    error DeviceAlreadyActive(string deviceId);

    uint256 public constant MAX_DEVICE_ID_LENGTH = 64;

    constructor(address admin, address operator) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, operator);
    }

    /// @notice Records a manufactured device. Operator only.
    function manufacture(string calldata deviceId, address device) external onlyRole(OPERATOR_ROLE) {
        uint256 length = bytes(deviceId).length;
        if (length == 0) revert EmptyDeviceId();
        if (length > MAX_DEVICE_ID_LENGTH) revert DeviceIdTooLong(length, MAX_DEVICE_ID_LENGTH);
        if (device == address(0)) revert ZeroDeviceAddress();
        bytes32 idHash = keccak256(bytes(deviceId));
        if (_devices[idHash].key != address(0)) revert DeviceIdAlreadyRegistered(deviceId);
        if (_idHashOfKey[device] != bytes32(0)) revert DeviceKeyAlreadyRegistered(device);

        _devices[idHash] = Device({
            key: device,
            manufacturedAt: uint64(block.timestamp),
            active: true,
            owner: address(0),
            claimedAt: 0,
            deviceId: deviceId
        });
        _idHashOfKey[device] = idHash;
        emit DeviceManufactured(idHash, device, deviceId);
    }

    /// @notice The member claims a manufactured device; the sender becomes its owner.
    /// @dev Knowing the id is what entitles the claim, so the id printed on the device should be hard to guess.
    function claim(string calldata deviceId) external {
        bytes32 idHash = keccak256(bytes(deviceId));
        Device storage record = _devices[idHash];
        if (record.key == address(0)) revert UnknownDeviceId(deviceId);
        if (record.owner != address(0)) revert DeviceAlreadyClaimed(deviceId, record.owner);
        if (!record.active) revert DeviceInactive(deviceId);
        record.owner = msg.sender;
        record.claimedAt = uint64(block.timestamp);
        emit DeviceClaimed(idHash, record.key, msg.sender, deviceId);
    }

    function deactivate(string calldata deviceId) external onlyRole(OPERATOR_ROLE) {
        bytes32 idHash = keccak256(bytes(deviceId));
        Device storage record = _devices[idHash];
        if (record.key == address(0)) revert UnknownDeviceId(deviceId);
        if (!record.active) revert DeviceInactive(deviceId);
        record.active = false;
        emit DeviceDeactivated(idHash, record.key);
    }

    function reactivate(string calldata deviceId) external onlyRole(OPERATOR_ROLE) {
        bytes32 idHash = keccak256(bytes(deviceId));
        Device storage record = _devices[idHash];
        if (record.key == address(0)) revert UnknownDeviceId(deviceId);
        if (record.active) revert DeviceAlreadyActive(deviceId);
        record.active = true;
        emit DeviceReactivated(idHash, record.key);
    }

    /// @notice True when the device key is registered, claimed and active: the condition for opening channels.
    function isActive(address device) external view returns (bool) {
        bytes32 idHash = _idHashOfKey[device];
        if (idHash == bytes32(0)) return false;
        Device storage record = _devices[idHash];
        return record.active && record.owner != address(0);
    }

    /// @notice The device key recorded for an id (zero if unknown).
    function deviceOf(string calldata deviceId) external view returns (address) {
        return _devices[keccak256(bytes(deviceId))].key;
    }

    /// @notice The owner account of a device key (zero if unknown or not yet claimed).
    function ownerOf(address device) external view returns (address) {
        bytes32 idHash = _idHashOfKey[device];
        if (idHash == bytes32(0)) return address(0);
        return _devices[idHash].owner;
    }

    /// @notice The device id registered for a device key (empty if unknown).
    function deviceIdOf(address device) external view returns (string memory) {
        bytes32 idHash = _idHashOfKey[device];
        if (idHash == bytes32(0)) return "";
        return _devices[idHash].deviceId;
    }

    /// @notice The full record of a device id; `key` is zero if the id is unknown.
    function deviceRecord(string calldata deviceId)
        external
        view
        returns (address key, address owner, bool active, uint64 manufacturedAt, uint64 claimedAt)
    {
        Device storage record = _devices[keccak256(bytes(deviceId))];
        return (record.key, record.owner, record.active, record.manufacturedAt, record.claimedAt);
    }
}
