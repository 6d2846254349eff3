package org.epost.interop.migration;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import javax.mail.AuthenticationFailedException;
import javax.mail.FetchProfile;
import javax.mail.Flags;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.UIDFolder;

import com.sun.mail.imap.IMAPFolder;
import com.sun.mail.imap.IMAPMessage;
import com.sun.mail.imap.protocol.BODY;

/**
 * The legacy IMAP server, read through JavaMail (the {@code javax.mail} implementation James itself ships, so nothing
 * is added to James's class path). Folders are opened read-only and contents fetched with {@code BODY.PEEK[]} in one
 * piece: the bytes stored are exactly the server's, and no {@code \Seen} flag changes on the source.
 */
public final class ImapSource implements AutoCloseable {
    private static final String TIMEOUT_MILLIS = "120000";

    private final LegacySource source;
    private Store store;
    private IMAPFolder open;

    private ImapSource(Store store, LegacySource source) {
        this.store = store;
        this.source = source;
    }

    /** Connects and logs in, or says why not: unknown host, refused connection, wrong credentials. */
    public static ImapSource connect(LegacySource source) throws MigrationException {
        return new ImapSource(login(source), source);
    }

    /**
     * Logs in again and reopens the folder that was open, after the server dropped the connection (Dovecot says BYE
     * when it cannot read a message file); fails if the folder's UIDVALIDITY changed meanwhile.
     */
    public void reconnect() throws MigrationException, MessagingException {
        String folder = open == null ? null : open.getFullName();
        long uidValidity = open == null ? 0 : open.getUIDValidity();
        close();
        store = login(source);
        if (folder != null && open(folder) != uidValidity) {
            throw new MessagingException("the UIDVALIDITY of " + folder + " changed while copying it");
        }
    }

    private static Store login(LegacySource source) throws MigrationException {
        String protocol = source.tls() == LegacySource.Tls.IMPLICIT ? "imaps" : "imap";
        Properties properties = new Properties();
        String prefix = "mail." + protocol + ".";
        properties.setProperty(prefix + "host", source.host());
        properties.setProperty(prefix + "port", String.valueOf(source.port()));
        properties.setProperty(prefix + "connectiontimeout", "30000");
        properties.setProperty(prefix + "timeout", TIMEOUT_MILLIS);
        properties.setProperty(prefix + "peek", "true");
        properties.setProperty(prefix + "partialfetch", "false");
        if (source.tls() == LegacySource.Tls.STARTTLS) {
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", "true");
        }
        try {
            Store store = Session.getInstance(properties).getStore(protocol);
            store.connect(source.host(), source.port(), source.login(), source.password());
            return store;
        } catch (AuthenticationFailedException e) {
            throw new MigrationException("the legacy server " + source.address() + " refused the login of "
                + source.login() + ": " + e.getMessage(), MigrationException.Reason.BAD_REQUEST, e);
        } catch (MessagingException e) {
            throw new MigrationException(connectionFailure(source, e), MigrationException.Reason.BAD_REQUEST, e);
        }
    }

    private static String connectionFailure(LegacySource source, MessagingException e) {
        Throwable cause = e.getNextException() != null ? e.getNextException() : e.getCause();
        if (cause instanceof UnknownHostException) {
            return "unknown legacy host " + source.host();
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketTimeoutException) {
            return "cannot connect to the legacy server " + source.address() + ": " + cause.getMessage();
        }
        return "cannot log in to the legacy server " + source.address() + ": " + e.getMessage()
            + (cause != null ? " (" + cause.getMessage() + ")" : "");
    }

    /** Every folder, parents before children, with subscriptions and special-use attributes. */
    public List<SourceFolder> folders() throws MessagingException {
        Set<String> subscribed = new HashSet<>();
        for (Folder folder : store.getDefaultFolder().listSubscribed("*")) {
            subscribed.add(folder.getFullName());
        }
        List<SourceFolder> folders = new ArrayList<>();
        boolean sawInbox = false;
        for (Folder folder : store.getDefaultFolder().list("*")) {
            IMAPFolder imap = (IMAPFolder) folder;
            String[] attributes = imap.getAttributes();
            boolean selectable = (imap.getType() & Folder.HOLDS_MESSAGES) != 0;
            SourceFolder entry = new SourceFolder(imap.getFullName(), imap.getSeparator(),
                attributes == null ? List.of() : Arrays.asList(attributes), selectable, subscribed.contains(imap.getFullName()));
            sawInbox |= entry.isInbox();
            folders.add(entry);
        }
        if (!sawInbox) {
            Folder inbox = store.getFolder("INBOX");
            folders.add(new SourceFolder("INBOX", inbox.getSeparator(), List.of(), true, subscribed.contains("INBOX")));
        }
        folders.sort((a, b) -> a.name().compareTo(b.name()));
        return folders;
    }

    /** Opens {@code name} read-only (closing the folder opened before) and answers its UIDVALIDITY. */
    public long open(String name) throws MessagingException {
        closeFolder();
        IMAPFolder folder = (IMAPFolder) store.getFolder(name);
        folder.open(Folder.READ_ONLY);
        open = folder;
        return folder.getUIDValidity();
    }

    /** UID, size, internal date and flags of every message of the open folder, in UID order. */
    public List<SourceMessage> messages() throws MessagingException {
        Message[] messages = open.getMessages();
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.FLAGS);
        profile.add(FetchProfile.Item.SIZE);
        profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
        open.fetch(messages, profile);
        List<SourceMessage> result = new ArrayList<>(messages.length);
        for (Message message : messages) {
            if (message.isExpunged()) {
                continue;
            }
            Date date = message.getReceivedDate();
            Flags flags = message.getFlags();
            flags.remove(Flags.Flag.RECENT);
            result.add(new SourceMessage(open.getUID(message), message.getSize(), date, flags));
        }
        result.sort((a, b) -> Long.compare(a.uid(), b.uid()));
        return result;
    }

    /** The Message-ID of a message of the open folder, or "" (for matching when UIDs cannot be trusted). */
    public String messageId(long uid) throws MessagingException {
        Message message = open.getMessageByUID(uid);
        String[] values = message == null ? null : message.getHeader("Message-ID");
        return values == null || values.length == 0 ? "" : values[0].trim();
    }

    /**
     * The message exactly as the server stores it; {@link IOException} when the server serves nothing usable for it
     * (gone meanwhile, or an error of the server for this message).
     */
    public byte[] content(long uid) throws MessagingException, IOException {
        IMAPMessage message = (IMAPMessage) open.getMessageByUID(uid);
        if (message == null || message.isExpunged()) {
            throw new IOException("the message is gone from the legacy server");
        }
        int number = message.getMessageNumber();
        Object body = open.doCommand(protocol -> protocol.peekBody(number, ""));
        if (!(body instanceof BODY fetched) || fetched.getByteArray() == null) {
            throw new IOException("the legacy server sent no content for it");
        }
        return fetched.getByteArrayInputStream().readAllBytes();
    }

    /** Whether the connection still stands (a message that failed on a live connection is skipped, not fatal). */
    public boolean isConnected() {
        return store.isConnected() && open != null && open.isOpen();
    }

    /** How many messages the open folder has now. */
    public int count() throws MessagingException {
        return open.getMessageCount();
    }

    public LegacySource source() {
        return source;
    }

    private void closeFolder() {
        if (open != null && open.isOpen()) {
            try {
                open.close(false);
            } catch (MessagingException e) {
                // Read-only: closing changes nothing on the server.
            }
        }
        open = null;
    }

    @Override
    public void close() {
        closeFolder();
        try {
            store.close();
        } catch (MessagingException e) {
            // Logging out of a read-only session changes nothing on the server.
        }
    }
}
