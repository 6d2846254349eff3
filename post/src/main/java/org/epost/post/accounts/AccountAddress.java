package org.epost.post.accounts;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one spelling of a user's address that names its certificate and vault entry: {@code local@domain}, lower-cased
 * (ePOST treats mailbox names case-insensitively, as James's users repository does for the domain), at most 254
 * UTF-8 bytes, no whitespace or control characters, exactly one {@code @} with something on both sides.
 */
public final class AccountAddress {
    public static final int MAX_BYTES = 254;
    /** Certificate names are namespaced: the certificate of {@code a@b} is named {@code user:a@b}. */
    static final String CERTIFICATE_PREFIX = "user:";

    private AccountAddress() {
    }

    /** The canonical form of {@code address}; an {@link IllegalArgumentException} if it is not a usable address. */
    public static String normalize(String address) {
        if (address == null) {
            throw new IllegalArgumentException("No address");
        }
        String lower = address.toLowerCase(Locale.ROOT);
        if (lower.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("Address longer than " + MAX_BYTES + " bytes");
        }
        int at = lower.indexOf('@');
        if (at <= 0 || at != lower.lastIndexOf('@') || at == lower.length() - 1) {
            throw new IllegalArgumentException("Not a local@domain address: " + address);
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '/' || c == '\\') {
                throw new IllegalArgumentException("Whitespace, control or path characters in address: " + address);
            }
        }
        return lower;
    }

    static boolean isNormalized(String address) {
        try {
            return normalize(address).equals(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String certificateName(String normalizedAddress) {
        return CERTIFICATE_PREFIX + normalizedAddress;
    }
}
