package org.epost.peer.imap;

import java.lang.reflect.Constructor;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.processor.CreateProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

/**
 * James 3.8.1's CREATE, answering {@code NO [ALREADYEXISTS]} (RFC 5530) for a mailbox that exists, as James does
 * only after 3.8.1. Sync tools rely on the code: offlineimap creates every parent of a nested folder
 * ("Archive", then "Archive.2024") and stops at the first NO that lacks it, so pushing a Maildir with nested folders
 * into stock James 3.8.1 fails. Enabled through {@link EpostImapPackage}.
 */
public final class AlreadyExistsCreateProcessor extends CreateProcessor {
    /** RFC 5530's code; James's public factory would name it XALREADYEXISTS, so its own constructor makes it. */
    static final StatusResponse.ResponseCode ALREADY_EXISTS = responseCode("ALREADYEXISTS");

    @Inject
    public AlreadyExistsCreateProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected void no(ImapRequest request, ImapProcessor.Responder responder, HumanReadableText displayTextKey) {
        if (displayTextKey == HumanReadableText.MAILBOX_EXISTS) {
            super.no(request, responder, displayTextKey, ALREADY_EXISTS);
        } else {
            super.no(request, responder, displayTextKey);
        }
    }

    private static StatusResponse.ResponseCode responseCode(String code) {
        try {
            Constructor<StatusResponse.ResponseCode> constructor = StatusResponse.ResponseCode.class.getDeclaredConstructor(String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(code);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another James version: refuse to start rather than answer without the code.
            throw new IllegalStateException("Cannot make the IMAP response code " + code + " with this James version", e);
        }
    }
}
