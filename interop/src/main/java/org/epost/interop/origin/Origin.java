package org.epost.interop.origin;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a message stored in an ePOST mailbox came from, as its recipient's peer establishes it from the verified
 * notification, and its one {@code X-ePOST-Origin} header. {@code verified; sender=<address>} only when the
 * notification was signed by the sender's own key (an authenticated ePOST user whose {@code From:} is their own);
 * {@code external} for everything else: Internet mail and clients that merely claim an internal address.
 */
public final class Origin {
    public static final String HEADER = "X-ePOST-Origin";

    private static final Origin EXTERNAL = new Origin(null);
    // An addr-spec without spaces, angle brackets or control characters: enough to refuse anything that could
    // smuggle a second header or a second value into the one line we write.
    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>\\p{Cntrl}]+@[^\\s<>\\p{Cntrl}@]+");
    private static final Pattern VERIFIED = Pattern.compile("verified;\\s*sender=<(" + ADDRESS.pattern() + ")>");

    private final String sender;

    private Origin(String sender) {
        this.sender = sender;
    }

    public static Origin external() {
        return EXTERNAL;
    }

    /** A message whose notification the sender's own key signed; the address is the sender's certified one. */
    public static Origin verified(String senderAddress) {
        Objects.requireNonNull(senderAddress, "senderAddress");
        if (!ADDRESS.matcher(senderAddress).matches()) {
            throw new IllegalArgumentException("not a plain mail address: " + senderAddress);
        }
        return new Origin(senderAddress);
    }

    /** Reads a header value this class wrote; anything else is no origin at all. */
    public static Optional<Origin> parse(String headerValue) {
        String value = headerValue.strip();
        if (value.equalsIgnoreCase("external")) {
            return Optional.of(EXTERNAL);
        }
        Matcher verified = VERIFIED.matcher(value.toLowerCase(Locale.ROOT).startsWith("verified") ? value : "");
        return verified.matches() ? Optional.of(new Origin(verified.group(1))) : Optional.empty();
    }

    public boolean isVerified() {
        return sender != null;
    }

    /** The verified sender's address; empty for external mail. */
    public Optional<String> sender() {
        return Optional.ofNullable(sender);
    }

    public String headerValue() {
        return sender == null ? "external" : "verified; sender=<" + sender + ">";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Origin && Objects.equals(sender, ((Origin) other).sender);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(sender);
    }

    @Override
    public String toString() {
        return HEADER + ": " + headerValue();
    }
}
