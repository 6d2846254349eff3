package org.epost.spam.mail;

/**
 * What a home peer asks of a first contact to one of its users: the base difficulty of the puzzle (the one it
 * publishes in the user's identity block), and whether mail without a valid puzzle is refused (bounced to its
 * sender) instead of junked.
 */
public interface FirstContactRules {
    /** The protocol's default: base 0 bits, junk. */
    FirstContactRules DEFAULTS = new FirstContactRules() {
        @Override
        public int baseBits(String user) {
            return 0;
        }

        @Override
        public boolean refuses(String user) {
            return false;
        }
    };

    /** The base bits demanded of a first contact to {@code user}, as their identity block publishes them. */
    int baseBits(String user);

    /** Whether a first contact to {@code user} without a valid puzzle is refused rather than junked. */
    boolean refuses(String user);
}
