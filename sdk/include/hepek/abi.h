/* HEPEK plugin ABI — the only contract between the hub and a plugin shared library.
 *
 * Contract:
 *  - A plugin exports exactly one C function, hepek_plugin_entry(abi_major, abi_minor), returning a pointer to a
 *    descriptor that lives as long as the library is loaded, or NULL to refuse to load under that host ABI.
 *  - No C++ type crosses this boundary. Strings are NUL-terminated UTF-8; JSON travels as text.
 *  - Structs start with struct_size. Fields are only ever appended: the host copies struct_size bytes of a descriptor
 *    into a zeroed struct of its own version, and a plugin must check api->struct_size before calling a function that
 *    was appended after the minor it was built for.
 *  - A different ABI major, or a newer minor than the host knows, is refused by the host.
 *  - Every callback the host makes into a plugin instance (messages, timers, commands, steps) runs on the hub's one
 *    event thread, one at a time. Host API functions are thread-safe and may be called from any thread.
 *  - Exceptions never cross this boundary (the C++ layer in plugin.hpp catches them).
 */
#ifndef HEPEK_ABI_H
#define HEPEK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HEPEK_ABI_MAJOR 1
#define HEPEK_ABI_MINOR 1
#define HEPEK_ENTRY_SYMBOL "hepek_plugin_entry"

/* Status codes returned across the boundary. */
enum hepek_status {
  HEPEK_OK = 0,
  HEPEK_ERROR = 1,       /* generic failure; details went to the log or an error buffer */
  HEPEK_DENIED = 2,      /* not allowed: ACL, missing signing grant */
  HEPEK_INVALID = 3,     /* bad argument: malformed topic, JSON, digest */
  HEPEK_UNAVAILABLE = 4, /* not possible now: bus disconnected, no key store */
};

enum hepek_log_level { HEPEK_LOG_DEBUG = 0, HEPEK_LOG_INFO = 1, HEPEK_LOG_WARNING = 2, HEPEK_LOG_ERROR = 3 };

/* Config value types a schema row may declare. */
enum hepek_config_type {
  HEPEK_CONFIG_STRING = 0,
  HEPEK_CONFIG_INTEGER = 1,
  HEPEK_CONFIG_FLOAT = 2, /* accepts integers too */
  HEPEK_CONFIG_BOOLEAN = 3,
  HEPEK_CONFIG_STRING_ARRAY = 4,
  HEPEK_CONFIG_TABLE = 5, /* free-form table/array, validated by the plugin itself */
  /* ABI 1.1: a duration. Written as an integer number of seconds or a string of one or more <number><unit>
   * parts, unit one of ms s m h d (e.g. "90s", "15m", "1h30m"); the plugin receives integer seconds
   * (rounded down; a value below 1 s that is not 0 is an error). */
  HEPEK_CONFIG_DURATION = 6,
  /* ABI 1.1: a string naming a file or directory. A relative path written in a config file is resolved by
   * the host against that file's directory (the embedded default config: the working directory), so the
   * plugin receives it absolute and a config runs from any directory; "" and schema defaults are passed
   * unchanged. */
  HEPEK_CONFIG_PATH = 7,
};

/* ABI 1.1: what a constraint row adds to the config row with the same key. */
enum hepek_config_constraint_flags {
  HEPEK_CONSTRAINT_MINIMUM = 1,           /* `minimum` applies (inclusive) */
  HEPEK_CONSTRAINT_MAXIMUM = 2,           /* `maximum` applies (inclusive) */
  HEPEK_CONSTRAINT_EXCLUSIVE_MINIMUM = 4, /* with MINIMUM: the value must be greater than `minimum` */
};

/* ABI 1.1: extra rules for one config row, found by `key` (a row of config_rows). Kept out of
 * hepek_config_row so that array's stride never changes; the host walks this array with the stride
 * hepek_plugin::config_constraint_size, so fields may be appended here too.
 *  - allowed: NULL, or a NULL-terminated list of the only string values the key accepts (an enum). For a
 *    STRING_ARRAY every element must be one of them.
 *  - minimum/maximum: bounds of an INTEGER, FLOAT or DURATION value (seconds for a duration), used as `flags`
 *    says. For a STRING they bound the length in bytes.
 *  - only_when: NULL, or "other_key=value": the key belongs only to instances whose other_key has that value
 *    (after defaults). Written otherwise, it is an error; a `required` row is required only then. This is how
 *    one plugin type with roles (e.g. ergon member/operator) keeps each role's keys apart. */
typedef struct hepek_config_constraint {
  const char* key;
  const char* const* allowed;
  double minimum;
  double maximum;
  uint32_t flags; /* enum hepek_config_constraint_flags */
  const char* only_when;
} hepek_config_constraint;

/* Lock-step phases of one simulation (or live) step, in order. Every instance finishes a phase and all messages it
 * caused are delivered before the next phase starts. */
enum hepek_phase { HEPEK_PHASE_SENSE = 0, HEPEK_PHASE_DECIDE = 1, HEPEK_PHASE_ACT = 2 };

/* Bus access a plugin declares beyond its own device topics (hepek/<instance-id>/...). */
enum hepek_access { HEPEK_ACCESS_SUBSCRIBE = 1, HEPEK_ACCESS_PUBLISH = 2, HEPEK_ACCESS_BOTH = 3 };

typedef struct hepek_host hepek_host;         /* opaque: the host's handle for one plugin instance */
typedef struct hepek_instance hepek_instance; /* opaque: the plugin's own instance object */

typedef struct hepek_config_row {
  const char* key;
  uint32_t type;             /* enum hepek_config_type */
  const char* default_value; /* TOML literal (e.g. "1883", "\"auto\"", "true"), or NULL for none */
  int32_t required;          /* non-zero: the key must be present */
  const char* description;
} hepek_config_row;

/* A topic filter the plugin publishes or subscribes to. "{id}" is replaced by the instance id and "{key}" by the
 * string value of config key `key` (e.g. "hepek/{battery}/set"). */
typedef struct hepek_topic_grant {
  const char* filter;
  uint32_t access; /* enum hepek_access */
} hepek_topic_grant;

struct hepek_host_api;

/* What a CLI command gets besides its arguments. host/api are a bus-connected context (admin account) when the
 * command asked for it and a hub is reachable, otherwise NULL. */
typedef struct hepek_command_context {
  uint32_t struct_size;
  const char* config_file; /* the config file in effect (may be NULL) */
  const char* data_dir;    /* the hub's data directory */
  const char* config_json; /* this plugin type's first instance config as a JSON object, or "{}" */
  const struct hepek_host_api* api;
  hepek_host* host;
} hepek_command_context;

/* A CLI command contributed by the plugin: `hepek <name words...> args`. argv[0] is the full command name. */
typedef struct hepek_cli_command {
  const char* name; /* one or more words, e.g. "dsmr parse" */
  const char* help; /* one line */
  int (*run)(const hepek_command_context* context, int argc, char** argv); /* returns the process exit code */
} hepek_cli_command;

typedef void (*hepek_message_fn)(void* user, const char* topic, const void* payload, size_t length,
                                 int32_t retained);
typedef void (*hepek_timer_fn)(void* user);
/* Handles one validated command for a device the instance announced. Returns HEPEK_OK, or an error with a message
 * (written to error, NUL-terminated, at most error_capacity bytes) that the host publishes on .../set/result. */
typedef int32_t (*hepek_device_command_fn)(void* user, const char* device, const char* command_json,
                                           char* error, size_t error_capacity);

/* The host API: a table of C function pointers handed to every instance. Appended only. */
typedef struct hepek_host_api {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  const char* (*instance_id)(hepek_host* host);
  void (*log)(hepek_host* host, int32_t level, const char* message);

  /* Publish to the bus (QoS 0 or 1). Denied outside the instance's ACL. */
  int32_t (*publish)(hepek_host* host, const char* topic, const void* payload, size_t length, int32_t qos,
                     int32_t retain);
  /* Subscribe; callback runs on the hub thread. *subscription receives an id for unsubscribe. */
  int32_t (*subscribe)(hepek_host* host, const char* filter, int32_t qos, hepek_message_fn callback,
                       void* user, uint64_t* subscription);
  int32_t (*unsubscribe)(hepek_host* host, uint64_t subscription);

  /* Announce a device's entity metadata (JSON, see sdk/docs/topics.md) on hepek/<device>/config, retained, and route
   * validated hepek/<device>/set commands to `handler` (may be NULL for read-only devices). The device name must be
   * the instance id, or a name whose hepek/<device>/# topics the plugin declared in its topic grants. */
  int32_t (*announce_device)(hepek_host* host, const char* device, const char* metadata_json,
                             hepek_device_command_fn handler, void* user);

  /* The hub clock (real or virtual) in milliseconds since the Unix epoch. */
  int64_t (*now_ms)(hepek_host* host);
  /* Periodic timer on the hub clock (fires in virtual time during simulation). */
  int32_t (*add_timer)(hepek_host* host, uint64_t period_ms, hepek_timer_fn callback, void* user,
                       uint64_t* timer);
  int32_t (*cancel_timer)(hepek_host* host, uint64_t timer);

  /* The instance's own data directory (created, mode 0700). */
  const char* (*data_dir)(hepek_host* host);
  /* The home's IANA time zone, e.g. "Europe/Amsterdam". */
  const char* (*timezone)(hepek_host* host);

  /* Key store: the device address (0x + 40 hex, EIP-55) and a recoverable secp256k1 signature (r || s || v, v in
   * {0,1}, low-s) of a 32-byte digest, for a purpose this instance was granted in config. */
  int32_t (*key_address)(hepek_host* host, char* address, size_t capacity);
  int32_t (*sign_digest)(hepek_host* host, const char* purpose, const uint8_t* digest32,
                         uint8_t* signature65);

  /* True (non-zero) when the hub runs a lock-step simulation in virtual time. */
  int32_t (*is_simulation)(hepek_host* host);

  /* The Ethereum JSON-RPC URL of [chain] (the embedded anvil's when endpoint = "embedded"), or "" when none. */
  const char* (*chain_endpoint)(hepek_host* host);

  /* A seed for this instance's random numbers, derived from the run's seed (hepek simulate --seed) and the instance
   * id: the same config and seed give the same numbers. */
  uint64_t (*random_seed)(hepek_host* host);

  /* The hub's own settings as a JSON object: {"name","timezone","latitude","longitude","step_s"} (step_s is the
   * lock-step period in seconds), so plugins need not repeat the home's location or the step in their tables. */
  const char* (*hub_settings_json)(hepek_host* host);

  /* The instance cannot go on correctly (e.g. its data ran out): it is marked failed with `reason`. In a simulation
   * the run stops and `hepek simulate` exits 1 naming the instance and the reason; live, the hub reports it on
   * hepek/bridge/info and in health, and carries on with the others. */
  void (*fail)(hepek_host* host, const char* reason);
} hepek_host_api;

/* The descriptor a plugin library returns. Appended only. */
typedef struct hepek_plugin {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* id;          /* reverse DNS, e.g. "org.hepek.meter.dsmr" */
  const char* version;     /* semantic version of the plugin */
  const char* category;    /* "meter", "battery", "simulation", "planner", "storage", "example", ... */
  const char* description; /* one line */

  const hepek_config_row* config_rows;
  uint32_t config_row_count;
  const hepek_cli_command* commands;
  uint32_t command_count;
  const hepek_topic_grant* topics;
  uint32_t topic_count;

  /* Create an instance from its validated config (a JSON object with defaults filled in). On failure return non-zero
   * and write a reason into error. */
  int32_t (*create)(const hepek_host_api* api, hepek_host* host, const char* config_json,
                    hepek_instance** instance, char* error, size_t error_capacity);
  int32_t (*start)(hepek_instance* instance, char* error, size_t error_capacity);
  void (*stop)(hepek_instance* instance);
  void (*destroy)(hepek_instance* instance);

  /* Optional (may be NULL): one lock-step phase at the hub clock's now_ms. */
  void (*step)(hepek_instance* instance, int32_t phase, int64_t now_ms);
  /* Optional: a JSON object merged into the simulation summary; valid until the next call on this instance. */
  const char* (*summary)(hepek_instance* instance);

  /* ABI 1.1: constraints on config rows (see hepek_config_constraint); count 0 or a plugin built for 1.0:
   * none. config_constraint_size is sizeof(hepek_config_constraint) as the plugin was compiled. */
  const hepek_config_constraint* config_constraints;
  uint32_t config_constraint_count;
  uint32_t config_constraint_size;
} hepek_plugin;

typedef const hepek_plugin* (*hepek_plugin_entry_fn)(uint32_t abi_major, uint32_t abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* HEPEK_ABI_H */
