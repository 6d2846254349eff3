package org.epost.interop.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code Authentication-Results} header value (RFC 8601) from the verdicts of James's {@code SPF} and
 * {@code DKIMVerify} mailets, and the test for a header that claims to be ours (RFC 8601 section 5: such headers
 * arriving from outside must be removed, as they would otherwise pass for this server's own verdict).
 */
public final class AuthenticationResults {
    public static final String HEADER = "Authentication-Results";
    /** A method result of RFC 8601 / 7601: what may follow {@code spf=} or {@code dkim=}. */
    private static final Pattern RESULT = Pattern.compile("none|pass|fail|softfail|neutral|temperror|permerror|policy");
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cntrl};()\\\\]");

    private final String authservId;

    /** @param authservId this server's name in the header (its host name) */
    public AuthenticationResults(String authservId) {
        this.authservId = Objects.requireNonNull(authservId, "authservId");
    }

    public String authservId() {
        return authservId;
    }

    /**
     * @param spf      James's SPF verdict ({@code pass}, {@code fail}, ...); empty when the mailet did not check (a
     *                 client in a network it ignores, such as loopback)
     * @param mailFrom the envelope sender SPF checked (empty for the null sender)
     * @param dkim     {@code DKIMVerify}'s result: a word and a comment, e.g. {@code pass (identity @example.org)} or
     *                 {@code neutral (no signatures)}; empty when it did not run
     */
    public String value(Optional<String> spf, Optional<String> mailFrom, Optional<String> dkim) {
        StringBuilder value = new StringBuilder(authservId).append(';');
        String spfResult = spf.map(r -> r.strip().toLowerCase(Locale.ROOT)).filter(r -> RESULT.matcher(r).matches())
            .orElse(null);
        if (spfResult == null) {
            value.append(" spf=none (not checked: the client is in a network the SPF check ignores)");
        } else {
            value.append(" spf=").append(spfResult);
            mailFrom.filter(address -> !UNSAFE.matcher(address).find() && !address.contains(" "))
                .ifPresent(address -> value.append(" smtp.mailfrom=").append(address));
        }
        value.append(';');
        String dkimText = dkim.map(String::strip).orElse("");
        String dkimWord = dkimText.split("[\\s(]", 2)[0].toLowerCase(Locale.ROOT);
        String comment = dkimText.length() > dkimWord.length()
            ? UNSAFE.matcher(dkimText.substring(dkimWord.length())).replaceAll(" ").strip() : "";
        if (dkimWord.equals("neutral") && comment.contains("no signatures")) {
            dkimWord = "none";   // RFC 8601 2.7.1: no signature is "none"
        }
        if (!RESULT.matcher(dkimWord).matches()) {
            value.append(" dkim=none (not checked)");
        } else {
            value.append(" dkim=").append(dkimWord);
            if (!comment.isEmpty()) {
                value.append(" (").append(comment).append(')');
            }
        }
        return value.toString();
    }

    /** Whether an {@code Authentication-Results} value names this server as its author (any case, comments aside). */
    public boolean claimsToBeOurs(String headerValue) {
        String withoutComments = headerValue.replaceAll("\\([^)]*\\)", " ").strip();
        String id = withoutComments.split("[;\\s]", 2)[0];
        return id.equalsIgnoreCase(authservId);
    }
}
