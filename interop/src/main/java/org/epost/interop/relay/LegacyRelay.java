package org.epost.interop.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.util.DurationParser;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.epost.interop.routes.Route;
import org.epost.interop.routes.RouteStore;
import org.epost.interop.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays mail for users still on the legacy server (split delivery) to the host of their route, over SMTP or LMTP,
 * while the route table cannot change ({@link RouteStore#withTable}). Use with {@link RecipientIsLegacyRouted}.
 *
 * <ul>
 *   <li>accepted by the legacy server: done;</li>
 *   <li>refused permanently (5xx): to the {@code bounceProcessor} (stock {@code bounces}: a DSN to the sender);</li>
 *   <li>refused temporarily, or the server unreachable: back into the spool after {@code retryDelay} (doubled per
 *       attempt, at most an hour), to the {@code transport} processor; after {@code maxRetries} attempts to the
 *       {@code bounceProcessor};</li>
 *   <li>routed to ePOST by now (the user was migrated since the mail was matched): back to {@code transport} at once,
 *       where ePOST delivery takes it.</li>
 * </ul>
 * Parameters: {@code retryDelay} (30s), {@code maxRetries} (20), {@code timeout} (2m, per connection read),
 * {@code heloName} (the name this peer greets the legacy server with, default {@code epost-peer}),
 * {@code bounceProcessor} (bounces), {@code retryProcessor} (transport).
 */
public class LegacyRelay extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyRelay.class);
    public static final AttributeName ATTEMPTS = AttributeName.of("org.epost.legacy-relay.attempts");
    private static final Duration MAX_DELAY = Duration.ofHours(1);

    private final RouteStore routes;
    private LegacyRelayClient client;
    private Duration retryDelay;
    private int maxRetries;
    private ProcessingState retryProcessor;
    private ProcessingState bounceProcessor;

    @Inject
    public LegacyRelay(RouteStore routes) {
        this.routes = routes;
    }

    @Override
    public void init() throws MessagingException {
        Duration timeout;
        try {
            retryDelay = DurationParser.parse(getInitParameter("retryDelay", "30s"), ChronoUnit.SECONDS);
            timeout = DurationParser.parse(getInitParameter("timeout", "2m"), ChronoUnit.SECONDS);
            maxRetries = Integer.parseInt(getInitParameter("maxRetries", "20"));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("LegacyRelay: retryDelay and timeout must be durations (30s, 5m), maxRetries a "
                + "number: " + e.getMessage());
        }
        if (retryDelay.isNegative() || retryDelay.isZero() || timeout.isNegative() || timeout.isZero() || maxRetries < 0) {
            throw new MessagingException("LegacyRelay: retryDelay and timeout must be positive, maxRetries not negative");
        }
        client = new LegacyRelayClient(timeout, getInitParameter("heloName", "epost-peer"));
        retryProcessor = new ProcessingState(getInitParameter("retryProcessor", "transport"));
        bounceProcessor = new ProcessingState(getInitParameter("bounceProcessor", "bounces"));
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return List.of(retryProcessor, bounceProcessor);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        byte[] message = bytes(mail);
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        List<MailAddress> rerouted = new ArrayList<>();
        List<MailAddress> temporary = new ArrayList<>();
        List<MailAddress> permanent = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        routes.withTable(table -> {
            for (Map.Entry<Route, List<MailAddress>> group : byRoute(table, mail.getRecipients()).entrySet()) {
                if (!group.getKey().isLegacy()) {
                    rerouted.addAll(group.getValue());
                    continue;
                }
                relay(group.getKey(), sender, group.getValue(), message, temporary, permanent, reasons);
            }
            return null;
        });
        mail.setState(Mail.GHOST);
        if (!rerouted.isEmpty()) {
            send(mail, rerouted, retryProcessor, Duration.ZERO, null);
        }
        if (!permanent.isEmpty()) {
            send(mail, permanent, bounceProcessor, Duration.ZERO, String.join("; ", reasons));
        }
        if (!temporary.isEmpty()) {
            retry(mail, temporary, String.join("; ", reasons));
        }
    }

    private void relay(Route route, String sender, List<MailAddress> recipients, byte[] message,
                       List<MailAddress> temporary, List<MailAddress> permanent, List<String> reasons) {
        Map<String, MailAddress> byAddress = new LinkedHashMap<>();
        recipients.forEach(recipient -> byAddress.put(recipient.asString(), recipient));
        try {
            Map<String, RelayReply> replies = client.send(route, sender, List.copyOf(byAddress.keySet()), message);
            replies.forEach((address, reply) -> {
                if (reply.isPositive()) {
                    LOG.info("Relayed mail for {} to the legacy server {}", address, route);
                } else {
                    (reply.isPermanentFailure() ? permanent : temporary).add(byAddress.get(address));
                    reasons.add(address + ": " + route + " answered " + reply);
                }
            });
        } catch (IOException e) {
            temporary.addAll(recipients);
            reasons.add(route + ": " + e.getMessage());
        }
    }

    private void retry(Mail mail, List<MailAddress> recipients, String reason) throws MessagingException {
        int attempts = mail.getAttribute(ATTEMPTS).flatMap(a -> a.getValue().valueAs(Integer.class)).orElse(0) + 1;
        if (attempts > maxRetries) {
            LOG.warn("Giving up relaying {} to the legacy server for {} after {} attempts: {}", mail.getName(),
                recipients, attempts, reason);
            send(mail, recipients, bounceProcessor, Duration.ZERO, "relay to the legacy server failed " + attempts
                + " times: " + reason);
            return;
        }
        Duration delay = retryDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
        delay = delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        LOG.warn("Relaying {} to the legacy server for {} failed (attempt {}): {}; retrying in {}", mail.getName(),
            recipients, attempts, reason, delay);
        Mail copy = mail.duplicate();
        copy.setAttribute(new Attribute(ATTEMPTS, AttributeValue.of(attempts)));
        copy.setRecipients(recipients);
        getMailetContext().sendMail(copy, retryProcessor.getValue(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void send(Mail mail, List<MailAddress> recipients, ProcessingState state, Duration delay, String error)
            throws MessagingException {
        Mail copy = mail.duplicate();
        copy.setRecipients(recipients);
        if (error != null) {
            copy.setErrorMessage(error);
        }
        getMailetContext().sendMail(copy, state.getValue(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<Route, List<MailAddress>> byRoute(RouteTable table, Collection<MailAddress> recipients) {
        Map<Route, List<MailAddress>> groups = new LinkedHashMap<>();
        for (MailAddress recipient : recipients) {
            groups.computeIfAbsent(table.routeOf(recipient.asString()), route -> new ArrayList<>()).add(recipient);
        }
        return groups;
    }

    private static byte[] bytes(Mail mail) throws MessagingException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mail.getMessage().writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new MessagingException("cannot read the message of " + mail.getName(), e);
        }
    }
}
