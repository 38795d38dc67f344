/* HEPEK plugin ABI 1.1: the only contract between the hub and a plugin shared library.
 *
 * General rules (each function below adds its own):
 *  - A plugin exports exactly one C function, hepek_plugin_entry(abi_major, abi_minor), returning a pointer to a
 *    descriptor that lives as long as the library is loaded, or NULL to refuse to load under that host ABI. The
 *    hub calls it once per load, before anything else.
 *  - No C++ type crosses this boundary. Strings are NUL-terminated UTF-8; JSON travels as text.
 *  - Versions: structs start with struct_size, and fields are only ever appended. The host copies struct_size
 *    bytes of a descriptor into a zeroed struct of its own version (unknown fields read as 0/NULL). A plugin
 *    must check the host API's struct_size (HEPEK_HOST_API_HAS below) before calling a function appended after
 *    the first ABI 1.0 table, i.e. random_seed, hub_settings_json, fail and everything after them. A different
 *    ABI major, or a newer minor than the host knows, is refused by the host.
 *  - Threads: every call the host makes into a plugin (entry, create, start, stop, destroy, step, summary,
 *    message, timer and device-command callbacks) runs on the hub's one event thread, one at a time. CLI
 *    commands run on the main thread of `hepek <command>`; callbacks registered through their bus context run on
 *    a background event thread, concurrently with the command. Host API functions are thread-safe and may be
 *    called from any thread while the instance lives (from create() until destroy() returns).
 *  - Statuses: a function returning int32_t returns HEPEK_OK or one of the statuses listed with it. A later minor
 *    may add statuses, so a plugin treats any other non-zero status like HEPEK_ERROR.
 *  - Strings the host returns: owned by the host, never freed by the plugin; each function says how long its
 *    string stays valid. Copy it to keep it longer.
 *  - Strings the plugin passes: the host copies what it keeps before the call returns, except the descriptor and
 *    everything it points to (rows, grants, commands, constraints), which must live as long as the library.
 *  - Exceptions never cross this boundary (the C++ layer, plugin.hpp, catches them); a host catches anything a
 *    plugin lets escape and treats it as HEPEK_ERROR.
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

/* One key of a plugin's [[plugin]] table. All strings live as long as the library (they are the descriptor's). */
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

/* What a CLI command gets besides its arguments; everything in it is valid only during run(). api/host are a
 * bus-connected context (the admin account of the running hub's embedded broker) when a hub answers, otherwise
 * NULL. */
typedef struct hepek_command_context {
  uint32_t struct_size;
  const char* config_file; /* the config file in effect; "" or NULL when none */
  const char* data_dir;    /* the hub's data directory */
  const char*
      config_json; /* this plugin type's first instance config as a JSON object (with "id"), or "{}" */
  const struct hepek_host_api* api;
  hepek_host* host;
} hepek_command_context;

/* A CLI command contributed by the plugin: `hepek <name words...> args`. argv[0] is the full command name, argv[argc]
 * is NULL; the strings are valid during run() only. run() returns the process exit code (0 success, 1 failure, 2
 * usage error by convention). */
typedef struct hepek_cli_command {
  const char* name; /* one or more words, e.g. "dsmr parse" */
  const char* help; /* one line */
  int (*run)(const hepek_command_context* context, int argc, char** argv);
} hepek_cli_command;

/* A bus message for a subscription. topic and payload (length bytes, not NUL-terminated) are valid only during the
 * call; retained is non-zero for a retained message delivered on subscribing. */
typedef void (*hepek_message_fn)(void* user, const char* topic, const void* payload, size_t length,
                                 int32_t retained);
typedef void (*hepek_timer_fn)(void* user);
/* Handles one command for a device the instance announced, already validated against the device's command schemas
 * (the host answers invalid ones itself). device and command_json (a JSON object) are valid only during the call.
 * Returns HEPEK_OK (the host publishes {"ok":true,...} on hepek/<device>/set/result), or any other status with a
 * message written to error (NUL-terminated, at most error_capacity bytes including the NUL; the host offers at
 * least 256) that the host publishes as {"ok":false,"error":...}; an empty message becomes "the device rejected the
 * command". */
typedef int32_t (*hepek_device_command_fn)(void* user, const char* device, const char* command_json,
                                           char* error, size_t error_capacity);

/* True when the host API table `api` holds function `field`: its struct_size covers the field and it is set. Check it
 * before calling random_seed, hub_settings_json, fail or anything appended later. */
#define HEPEK_HOST_API_HAS(api, field)                                                                  \
  ((api)->struct_size >= offsetof(hepek_host_api, field) + sizeof(((const hepek_host_api*)0)->field) && \
   (api)->field != NULL)

/* The host API: a table of C function pointers handed to every instance, valid (as is `host`) from create() until
 * destroy() returns. Appended only. Every function takes the instance's own `host` handle. */
typedef struct hepek_host_api {
  uint32_t struct_size; /* sizeof the host's table: check it with HEPEK_HOST_API_HAS */
  uint32_t abi_major;
  uint32_t abi_minor;

  /* The instance id. Never NULL; valid until destroy() returns. */
  const char* (*instance_id)(hepek_host* host);
  /* Logs `message` (NULL: empty) under the instance id. A level below DEBUG counts as DEBUG, above ERROR as ERROR. */
  void (*log)(hepek_host* host, int32_t level, const char* message);

  /* Publishes `length` bytes of payload (copied before the call returns) with QoS 0, 1 or 2 and retain non-zero for
   * a retained message. HEPEK_OK means handed to the bus client, not delivered.
   *  HEPEK_INVALID: topic NULL, empty or with a wildcard (+ #), payload NULL with length > 0, qos not 0..2.
   *  HEPEK_DENIED: the topic is outside the instance's ACL (the host logs it).
   *  HEPEK_UNAVAILABLE: the instance has no bus connection, or the client refused (disconnected). */
  int32_t (*publish)(hepek_host* host, const char* topic, const void* payload, size_t length, int32_t qos,
                     int32_t retain);
  /* Subscribes `callback` (non-NULL; called with `user` on the event thread) to a topic filter (copied). On
   * HEPEK_OK *subscription (when not NULL) receives an id for unsubscribe; messages may arrive before the call
   * returns when it is made off the event thread. Two subscriptions to one filter each get every message.
   *  HEPEK_INVALID: filter NULL or malformed (a + or # not alone in its level, # not last), callback NULL.
   *  HEPEK_DENIED: the filter is outside the instance's ACL (the host logs it). */
  int32_t (*subscribe)(hepek_host* host, const char* filter, int32_t qos, hepek_message_fn callback,
                       void* user, uint64_t* subscription);
  /* Removes a subscription; its callback is not called for later messages (a message already being dispatched may
   * still reach it once).
   *  HEPEK_INVALID: not a subscription of this instance (or removed already). */
  int32_t (*unsubscribe)(hepek_host* host, uint64_t subscription);

  /* Announces a device's entity metadata (a JSON object, see sdk/docs/topics.md; copied) on hepek/<device>/config,
   * retained, and routes validated hepek/<device>/set commands to `handler` with `user` (handler NULL: read-only
   * device). The device name must be the instance id, or a name whose hepek/<device>/# topics the plugin declared in
   * its topic grants. Announcing a device again replaces its metadata and handler.
   *  HEPEK_INVALID: device NULL, empty, with a '/' or a wildcard; metadata NULL or not a JSON object.
   *  HEPEK_DENIED: hepek/<device>/config is outside the plugin's topics.
   *  HEPEK_UNAVAILABLE: the metadata could not be published now (the device is registered all the same; announce it
   *  again once connected). */
  int32_t (*announce_device)(hepek_host* host, const char* device, const char* metadata_json,
                             hepek_device_command_fn handler, void* user);

  /* The hub clock (real or virtual) in milliseconds since the Unix epoch. Never fails. */
  int64_t (*now_ms)(hepek_host* host);
  /* Calls `callback` with `user` on the event thread every period_ms on the hub clock (in virtual time during a
   * simulation), first period_ms after the call. On HEPEK_OK *timer (when not NULL) receives its id.
   *  HEPEK_INVALID: callback NULL or period_ms 0. */
  int32_t (*add_timer)(hepek_host* host, uint64_t period_ms, hepek_timer_fn callback, void* user,
                       uint64_t* timer);
  /* Cancels a timer: called from the event thread, its callback never runs again.
   *  HEPEK_INVALID: not a timer of this instance (or cancelled already). */
  int32_t (*cancel_timer)(hepek_host* host, uint64_t timer);

  /* The instance's own data directory (exists, mode 0700). Never NULL; valid until destroy() returns. */
  const char* (*data_dir)(hepek_host* host);
  /* The home's IANA time zone, e.g. "Europe/Amsterdam". Never NULL; valid until destroy() returns. */
  const char* (*timezone)(hepek_host* host);

  /* Key store: writes the device address (0x + 40 hex, EIP-55, NUL-terminated: 43 bytes) to `address`.
   *  HEPEK_UNAVAILABLE: the hub has no key store open.
   *  HEPEK_INVALID: address NULL or capacity < 43.
   * Nothing is written unless HEPEK_OK. */
  int32_t (*key_address)(hepek_host* host, char* address, size_t capacity);
  /* Key store: writes a recoverable secp256k1 signature (r || s || v, v in {0,1}, low-s) of a 32-byte digest to
   * signature65, for a purpose this instance was granted in config (grants = [...]).
   *  HEPEK_INVALID: purpose, digest32 or signature65 NULL.
   *  HEPEK_DENIED: the purpose was not granted to this instance (the host logs it).
   *  HEPEK_UNAVAILABLE: the hub has no key store open.
   * Nothing is written unless HEPEK_OK. */
  int32_t (*sign_digest)(hepek_host* host, const char* purpose, const uint8_t* digest32,
                         uint8_t* signature65);

  /* 1 when the hub runs a lock-step simulation in virtual time, else 0. */
  int32_t (*is_simulation)(hepek_host* host);

  /* The Ethereum JSON-RPC URL of [chain] (the embedded anvil's when endpoint = "embedded"), or "" when none. Never
   * NULL; valid until the next chain_endpoint() call on the same thread (by any instance): copy it. */
  const char* (*chain_endpoint)(hepek_host* host);

  /* --- Appended within ABI 1.0: check HEPEK_HOST_API_HAS before calling the functions below. --- */

  /* A seed for this instance's random numbers, derived from the run's seed (hepek simulate --seed) and the instance
   * id: the same config and seed give the same numbers. Never fails. */
  uint64_t (*random_seed)(hepek_host* host);

  /* The hub's own settings as a JSON object: {"name","timezone","latitude","longitude","location","step_s"}
   * (step_s is the lock-step period in seconds; location "config" or "gps", see hepek/location.hpp; a hub before
   * it sent no "location", which means "config"), so plugins need not repeat the home's location or the step in their tables. Never
   * NULL; valid until the next hub_settings_json() call on the same thread (by any instance): copy it. */
  const char* (*hub_settings_json)(hepek_host* host);

  /* The instance cannot go on correctly (e.g. its data ran out): it is marked failed with `reason` (copied; NULL:
   * "no reason given"). In a simulation the run stops and `hepek simulate` exits 1 naming the instance and the
   * reason; live, the hub reports it on hepek/bridge/info and in health, and carries on with the others. The
   * instance is not stopped at once: step() is no longer called, but its subscriptions and timers may still fire
   * until the hub shuts down; at shutdown destroy() is called but stop() is not. Never fails. */
  void (*fail)(hepek_host* host, const char* reason);
} hepek_host_api;

/* The descriptor a plugin library returns. Appended only; it and everything it points to live as long as the
 * library is loaded. */
typedef struct hepek_plugin {
  uint32_t struct_size; /* sizeof(hepek_plugin) as the plugin was compiled; at least offsetof(summary) */
  uint32_t abi_major;   /* HEPEK_ABI_MAJOR the plugin was built for: must equal the host's */
  uint32_t abi_minor;   /* HEPEK_ABI_MINOR the plugin was built for: at most the host's */
  const char* id;       /* reverse DNS, e.g. "org.hepek.meter.dsmr"; required */
  const char* version;  /* semantic version of the plugin; required */
  const char*
      category; /* "meter", "battery", "simulation", "planner", "storage", "example", ...; may be NULL */
  const char* description; /* one line; may be NULL */

  const hepek_config_row* config_rows;
  uint32_t config_row_count;
  const hepek_cli_command* commands;
  uint32_t command_count;
  const hepek_topic_grant* topics;
  uint32_t topic_count;

  /* Creates an instance from its validated config (config_json: a JSON object with defaults filled in, valid during
   * the call). Host API functions may be called already. Returns HEPEK_OK with *instance set (non-NULL), or any
   * other status with a reason written to error (NUL-terminated, at most error_capacity bytes, at least 256): the
   * instance is refused with it and nothing else is called on it. Required. */
  int32_t (*create)(const hepek_host_api* api, hepek_host* host, const char* config_json,
                    hepek_instance** instance, char* error, size_t error_capacity);
  /* Starts a created instance (after its bus connection is up, when live). Returns HEPEK_OK, or any other status
   * with a reason in error as for create(): the instance is refused, stop() is not called, destroy() is. Required. */
  int32_t (*start)(hepek_instance* instance, char* error, size_t error_capacity);
  /* Stops a started instance, once, at shutdown (instances in reverse config order). No callback of the instance
   * runs after it returns. Not called when create() or start() failed or the instance called fail(). Required. */
  void (*stop)(hepek_instance* instance);
  /* Frees the instance; always the last call on it, when no callback can run any more. Required. */
  void (*destroy)(hepek_instance* instance);

  /* Optional (may be NULL): one lock-step phase (enum hepek_phase) at the hub clock's now_ms, for every started
   * instance in config order. */
  void (*step)(hepek_instance* instance, int32_t phase, int64_t now_ms);
  /* Optional: a JSON object (text) merged into the simulation summary, or NULL for nothing; anything but an object
   * is ignored with a warning. The string is the plugin's: valid until the next call on this instance or destroy().
   */
  const char* (*summary)(hepek_instance* instance);

  /* ABI 1.1: constraints on config rows (see hepek_config_constraint); count 0, or a plugin built for 1.0 (whose
   * descriptor ends before these fields, so the host reads them as 0): none. config_constraint_size is
   * sizeof(hepek_config_constraint) as the plugin was compiled: the host's stride through the array. */
  const hepek_config_constraint* config_constraints;
  uint32_t config_constraint_count;
  uint32_t config_constraint_size;
} hepek_plugin;

typedef const hepek_plugin* (*hepek_plugin_entry_fn)(uint32_t abi_major, uint32_t abi_minor);

#ifdef __cplusplus
}
#endif

#endif /* HEPEK_ABI_H */
