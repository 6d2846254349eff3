package org.epost.interop.relay;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.epost.interop.routes.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipient verification for split delivery. Before ePOST's MX accepts mail for an address routed to the legacy
 * server, it asks that server (a probe: null sender, one RCPT, no message), so that an address unknown there is
 * refused while the sending client is still connected instead of accepted and bounced later: such a bounce goes to
 * whatever sender address a spammer forged (backscatter). Postfix does the same with {@code reject_unverified_recipient}.
 *
 * <p>Answers are remembered per route and address: an acceptance for an hour, a refusal for ten minutes (a mailbox
 * just created on the legacy server is not refused for long). A server that cannot be reached, or answers a temporary
 * failure, refuses nothing: the mail is accepted and relayed from the queue once the server is back, as before. At
 * most {@link #MAX_ENTRIES} answers are kept; beyond that the expired ones go, and if none has expired, all.
 */
public final class LegacyRecipientVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyRecipientVerifier.class);
    static final Duration ACCEPTED_FOR = Duration.ofHours(1);
    static final Duration REFUSED_FOR = Duration.ofMinutes(10);
    static final int MAX_ENTRIES = 100_000;

    private final LegacyRelayClient client;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public LegacyRecipientVerifier(LegacyRelayClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The legacy server's permanent refusal of {@code address} ("550 5.1.1 ..."), or empty when it may take it. */
    public Optional<RelayReply> refusal(Route route, String address) {
        String key = route.host() + ":" + route.port() + ":" + route.protocol() + ":" + address.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Answer known = answers.get(key);
        if (known != null && now.isBefore(known.until())) {
            return known.refusal();
        }
        RelayReply reply;
        try {
            reply = client.probe(route, address);
        } catch (IOException e) {
            LOG.warn("Cannot verify <{}> with the legacy server {}:{} ({}); accepting it", address, route.host(),
                route.port(), e.getMessage());
            return Optional.empty();
        }
        if (!reply.isPositive() && !reply.isPermanentFailure()) {
            LOG.info("The legacy server {}:{} answers {} for <{}>; accepting it", route.host(), route.port(), reply, address);
            return Optional.empty();
        }
        Optional<RelayReply> refusal = reply.isPermanentFailure() ? Optional.of(reply) : Optional.empty();
        remember(key, new Answer(refusal, now.plus(refusal.isPresent() ? REFUSED_FOR : ACCEPTED_FOR)), now);
        return refusal;
    }

    private void remember(String key, Answer answer, Instant now) {
        if (answers.size() >= MAX_ENTRIES) {
            answers.values().removeIf(old -> !now.isBefore(old.until()));
            if (answers.size() >= MAX_ENTRIES) {
                answers.clear();
            }
        }
        answers.put(key, answer);
    }

    int remembered() {
        return answers.size();
    }

    private record Answer(Optional<RelayReply> refusal, Instant until) {
    }
}
