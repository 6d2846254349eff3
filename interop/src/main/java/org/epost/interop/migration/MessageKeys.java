package org.epost.interop.migration;

import java.util.Date;

/**
 * What recognises a message already copied when the legacy UIDs cannot say (the folder's UIDVALIDITY changed, or a
 * crash came between appending a message and logging it): Message-ID, internal date to the second (IMAP's precision)
 * and size in bytes, as imapsync does by default with Message-ID and a few more headers.
 */
public final class MessageKeys {
    private MessageKeys() {
    }

    public static String of(String messageId, Date internalDate, long size) {
        return messageId + "\u0000" + (internalDate == null ? "" : internalDate.getTime() / 1000) + "\u0000" + size;
    }
}
