package org.epost.interop.origin;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.epost.interop.header.HeaderFields;

/**
 * Decides a message's {@link Origin} on the recipient's peer, from the verified notification: {@code verified} only
 * when the notification was signed by a user's own certified key (not a peer's relay account, which signs everything
 * no user homed on the accepting peer vouched for) and the message's single {@code From:} field names exactly one
 * mailbox, that same user. Everything else, a missing, repeated, unparseable or group {@code From:} included, is
 * {@code external}: the verdict errs towards "not vouched for".
 */
public final class OriginVerdict {
    private final String relayDomain;

    /** @param relayDomain the domain of the peers' relay accounts (whose signatures vouch for no sender) */
    public OriginVerdict(String relayDomain) {
        this.relayDomain = Objects.requireNonNull(relayDomain, "relayDomain").toLowerCase(Locale.ROOT);
    }

    /**
     * @param signer  the certified address whose key signed the notification (its signature already verified)
     * @param message the message the notification names
     */
    public Origin of(String signer, byte[] message) {
        String signerAddress = signer.toLowerCase(Locale.ROOT);
        if (signerAddress.endsWith("@" + relayDomain)) {
            return Origin.external();
        }
        List<HeaderFields.Field> from = HeaderFields.of(message).named("From");
        if (from.size() != 1) {
            return Origin.external();
        }
        AddressList addresses;
        try {
            addresses = DefaultAddressParser.DEFAULT.parseAddressList(from.get(0).value());
        } catch (ParseException | RuntimeException e) {
            return Origin.external();
        }
        if (addresses == null || addresses.size() != 1) {
            return Origin.external();
        }
        Address address = addresses.get(0);
        if (!(address instanceof Mailbox mailbox) || mailbox.getAddress() == null
                || !mailbox.getAddress().toLowerCase(Locale.ROOT).equals(signerAddress)) {
            return Origin.external();
        }
        try {
            return Origin.verified(signerAddress);
        } catch (IllegalArgumentException e) {
            return Origin.external();
        }
    }
}
