package org.epost.peer.imap;

import java.io.IOException;

import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.encode.ImapResponseEncoder;
import org.apache.james.imap.message.response.ExpungeResponse;

/**
 * Writes "* n EXPUNGE" only for a message the session has a sequence number for. James 3.8.1's
 * {@code ExpungeResponseEncoder} writes "* -1 EXPUNGE" for the others, which no client can parse (Python's imaplib
 * gives up on the connection). That happens when a message is expunged while a session selects the mailbox: the
 * selected mailbox listens for changes before it lists the messages, so it hears of the expunge of a message its list
 * no longer holds. The client never saw that message, so there is nothing to tell it.
 */
public final class KnownMessageExpungeEncoder implements ImapResponseEncoder<ExpungeResponse> {
    private static final String EXPUNGE = "EXPUNGE";

    @Override
    public Class<ExpungeResponse> acceptableMessages() {
        return ExpungeResponse.class;
    }

    @Override
    public void encode(ExpungeResponse response, ImapResponseComposer composer) throws IOException {
        var number = response.getMessageSequenceNumber().asInt();
        if (number.isPresent()) {
            composer.untagged().message(number.get()).message(EXPUNGE).end();
        }
    }
}
