/**
 * Values the Pulumi engine gives a special meaning in inputs, outputs and state. They are the
 * engine's wire format (`sdk/go/common/resource/properties.go`), not this package's choice.
 */

/** What the engine sends for a value not known until an earlier resource is created (a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key that marks an object in engine events and state as a special value (a secret, an asset). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** The value of {@link SIG_KEY} that says the object is a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
