package org.epost.spam.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * Who a message is from, as far as the spam policy can trust it: a {@code verified} sender is an ePOST user whose own
 * key signed the notification and whose {@code From:} is that user (the home peer's {@code X-ePOST-Origin: verified}
 * tag); otherwise the address is the message's {@code From:}, which anyone can write. Addresses are kept lower-case.
 */
public record Sender(String address, boolean verified) {
    public Sender {
        address = normalize(address);
    }

    public static Sender verified(String address) {
        return new Sender(address, true);
    }

    public static Sender external(String address) {
        return new Sender(address, false);
    }

    /** The part after the last {@code @}. */
    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /** Lower-cases and checks an address: one local part, one {@code @}, one domain, no blanks. */
    public static String normalize(String address) {
        Objects.requireNonNull(address, "address");
        String trimmed = address.trim().toLowerCase(Locale.ROOT);
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1 || trimmed.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("not a mail address: '" + address + "'");
        }
        return trimmed;
    }
}
