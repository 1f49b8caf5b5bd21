package dev.tally.core.audit;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The authentication of a recorded verification run: an HMAC-SHA256 under an {@link AnchorKey}, kept with
 * the run so that an incremental run can tell a run Tally recorded from one someone wrote into the
 * database. Stored as {@code <key id>:<mac>} in hex (docs/FORMAT.md, "Anchor MAC").
 *
 * @param keyId the 8 hex digits naming the key that made it
 * @param mac the 64 hex digits of the HMAC-SHA256
 */
public record AnchorMac(String keyId, String mac) {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{64}");

    public AnchorMac {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(mac, "mac");
        if (!KEY_ID.matcher(keyId).matches() || !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("an anchor MAC is 8 and 64 lowercase hex digits");
        }
    }

    /** The MAC as stored: {@code <key id>:<mac>}. */
    public String text() {
        return keyId + ":" + mac;
    }

    /** Parses a stored MAC; throws {@link IllegalArgumentException} for anything else. */
    public static AnchorMac parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("an anchor MAC is <key id>:<mac>");
        }
        return new AnchorMac(text.substring(0, colon), text.substring(colon + 1));
    }

    static AnchorMac of(String keyId, byte[] mac) {
        return new AnchorMac(keyId, HexFormat.of().formatHex(mac));
    }
}
