package org.epost.peer.mailbox;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.apache.james.mailbox.store.mail.model.MailboxMessage;

import com.google.common.io.ByteStreams;

/**
 * A message as the search index reads it: every property as the message has it (size, dates, flags, attachments),
 * but its content only up to {@link #MAX_INDEXED_BYTES}. James's Lucene index reads each text part it meets into one
 * string, so a 40 MiB text body would need hundreds of MiB of heap; cut, the index holds the header and the text of
 * the first 4 MiB (what SEARCH BODY and TEXT find in a larger message), whatever the message's size. A message no
 * larger is indexed as it is.
 */
final class IndexedPrefix {
    /** The bytes of a message the search index reads: 4 MiB. */
    static final long MAX_INDEXED_BYTES = 4L << 20;

    private IndexedPrefix() {
    }

    static MailboxMessage of(MailboxMessage message) {
        if (message.getFullContentOctets() <= MAX_INDEXED_BYTES) {
            return message;
        }
        return (MailboxMessage) Proxy.newProxyInstance(IndexedPrefix.class.getClassLoader(),
            new Class<?>[] {MailboxMessage.class}, (proxy, method, args) -> invoke(message, method, args));
    }

    private static Object invoke(MailboxMessage message, Method method, Object[] args) throws Throwable {
        if (method.getParameterCount() == 0 && method.getName().equals("getFullContent")) {
            return ByteStreams.limit(message.getFullContent(), MAX_INDEXED_BYTES);
        }
        if (method.getParameterCount() == 0 && method.getName().equals("getBodyContent")) {
            long header = message.getFullContentOctets() - message.getBodyOctets();
            InputStream body = message.getBodyContent();
            return ByteStreams.limit(body, Math.max(0, MAX_INDEXED_BYTES - header));
        }
        try {
            return method.invoke(message, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
